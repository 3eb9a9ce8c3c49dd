/** A public buyer that asks for a contact on its invoices gets one, chosen in step 2 (seed 002). */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_chorus_contact_tour", {
    steps: () => [
        { trigger: "button[name=action_hvac_chorus_send]", run: "click" },
        { trigger: ".modal .o_field_widget[name=problems]:contains('asks its invoices to name a contact')" },
        { trigger: ".modal button[name=action_next]", run: "click" },
        { trigger: ".modal .o_statusbar_status button.o_arrow_button_current:contains('2. Data checks')" },
        { trigger: ".modal .o_field_widget[name=contact_id] input", run: "edit Sophie" },
        { trigger: ".o-autocomplete--dropdown-item:contains('Sophie Lambert')", run: "click" },
        { trigger: ".modal:not(:has(.o_field_widget[name=problems]:contains('asks its invoices')))" },
        { trigger: ".modal button[name=action_next]", run: "click" },
        { trigger: ".modal .o_statusbar_status button.o_arrow_button_current:contains('3. Attachments')" },
        { trigger: ".modal button[name=action_next]", run: "click" },
        { trigger: ".modal button[name=action_send]", run: "click" },
        { trigger: ".modal .o_field_widget[name=result]:contains('Deposited')" },
    ],
});
