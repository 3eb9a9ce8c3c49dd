/** An invoice goes to Chorus Pro through the wizard's four steps. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_chorus_send_tour", {
    steps: () => [
        { trigger: "button[name=action_hvac_chorus_send]", run: "click" },
        { trigger: ".modal .o_statusbar_status button.o_arrow_button_current:contains('1. Information')" },
        { trigger: ".modal button[name=action_next]", run: "click" },
        { trigger: ".modal .o_statusbar_status button.o_arrow_button_current:contains('2. Data checks')" },
        { trigger: ".modal .o_field_widget[name=purchase_order_reference] input", run: "edit EJ-TOUR-1" },
        { trigger: ".modal .o_field_widget[name=comment] input", run: "edit Entretien annuel" },
        { trigger: ".modal button[name=action_next]", run: "click" },
        { trigger: ".modal .o_statusbar_status button.o_arrow_button_current:contains('3. Attachments')" },
        { trigger: ".modal .o_data_row td:contains('rapport_intervention.pdf')" },
        { trigger: ".modal button[name=action_next]", run: "click" },
        { trigger: ".modal .o_statusbar_status button.o_arrow_button_current:contains('4. Send')" },
        { trigger: ".modal button[name=action_send]", run: "click" },
        { trigger: ".modal .o_field_widget[name=result]:contains('Deposited')" },
    ],
});

/** A Chorus manager releases the invoices of a flow whose deposit got no answer. */
registry.category("web_tour.tours").add("hvac_connect_chorus_flow_release_tour", {
    steps: () => [
        { trigger: ".o_form_view .o_field_widget[name=state]:contains('UNKNOWN')" },
        { trigger: ".o_form_view button[name=action_release]", run: "click" },
        { trigger: ".modal:contains('Chorus Pro never answered this deposit') .modal-footer .btn-primary", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=state]:contains('ERROR')" },
        { trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_release]))" },
    ],
});
