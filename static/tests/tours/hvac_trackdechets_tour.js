/** A user pastes their Trackdéchets token in their preferences, then sends a prepared BSFF. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_trackdechets_tour", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_user_menu button", run: "click" },
        { trigger: "[data-menu=settings]", run: "click" },
        { trigger: ".modal .o_notebook a:contains('Trackdéchets')", run: "click" },
        { trigger: ".modal .o_field_widget[name=hvac_trackdechets_token] input", run: "edit td-token-exporter" },
        // Leaving the field is what triggers the live check (seed 000).
        { trigger: ".modal .modal-title", run: "click" },
        { trigger: ".modal .o_field_widget[name=hvac_trackdechets_token_message]:contains('Votre clé est valide')" },
        { trigger: ".modal button[name=preference_save]", run: "click" },
        { trigger: "body:not(.modal-open)" },
        { trigger: ".o_navbar_apps_menu button", run: "click" },
        { trigger: ".o-dropdown-item.o_app:contains('Installations')", run: "click" },
        { trigger: ".o_menu_sections button:contains('Operations')", run: "click" },
        { trigger: ".o-dropdown-item:contains('BSFF (Trackdéchets)')", run: "click" },
        { trigger: ".o_data_row td:contains('BSFF/')", run: "click" },
        { trigger: "button[name=action_send]", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Signed by the emitter')" },
        { trigger: ".o_field_widget[name=td_id]:contains('FF-')" },
    ],
});
