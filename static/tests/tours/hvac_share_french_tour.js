/** The owner of the data evaluates a request in French: the seed's words, not the Cerfa's. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_share_french_tour", {
    url: "/odoo/action-hvac_connect.hvac_share_action",
    steps: () => [
        // A revoked share is "Retirées" (seed 001), not "Révoqué".
        { trigger: ".o_data_row:contains('Accès retiré') .o_field_widget[name=state]:contains('Retirées')" },
        { trigger: ".o_data_row td:contains('Demande Hôpital Nord')", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('À évaluer')" },
        { trigger: ".o_field_widget[name=level_requested]:contains('Emplacement')" },
        { trigger: ".o_form_view button:contains('Approuver')", run: "click" },
        // The level is "Emplacement", and the role the holder gets is "Exploitant": the
        // Cerfa's "Opérateur" is the contractor, an administrator must not mix them up.
        { trigger: ".modal .o_field_widget[name=level] label:contains('Emplacement')" },
        { trigger: ".modal .o_field_widget[name=role]:contains('Exploitant')" },
        { trigger: ".modal .o_field_widget[name=role]:not(:contains('Opérateur'))" },
        { trigger: ".modal button:contains('Annuler')", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_form_view button[name=action_reject]:contains('Rejeter')", run: "click" },
        { trigger: ".modal:contains('Rejeter cette demande ?') .modal-footer .btn-primary", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Rejetée')" },
    ],
});
