/** Create a site, an installation on it and a fiche d'intervention, as a manager would. */
import { registry } from "@web/core/registry";
import { drawSignature } from "@hvac_connect/../tests/tours/hvac_draw_signature";

registry.category("web_tour.tours").add("hvac_connect_installation_tour", {
    url: "/odoo/action-hvac_connect.hvac_site_action",
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=name] input", run: "edit Entrepôt du tour" },
        { trigger: ".o_field_widget[name=partner_id] input", run: "edit Client du tour" },
        { trigger: ".o-autocomplete--dropdown-item:contains('Client du tour')", run: "click" },
        { trigger: ".o_field_widget[name=zip] input", run: "edit 75011" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: "button[name=action_view_installations]", run: "click" },
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=name] input", run: "edit Climatiseur du tour" },
        { trigger: ".o_field_widget[name=refrigerant_id] input", run: "edit R-410A" },
        { trigger: ".o-autocomplete--dropdown-item:contains('R-410A')", run: "click" },
        { trigger: ".o_field_widget[name=charge_kg] input", run: "edit 12.5" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: ".o_field_widget[name=leak_check_period]:contains('12')" },
        { trigger: "button[name=action_view_interventions]", run: "click" },
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=installation_id] input:value('Climatiseur du tour')" },
        { trigger: ".o_notebook a:contains('Fluid handled')", run: "click" },
        { trigger: ".o_field_widget[name=charged_virgin_kg] input", run: "edit 1.5" },
        // The operator signs on screen before validating.
        { trigger: ".o_notebook a:contains('Signatures')", run: "click" },
        { trigger: ".o_field_widget[name=operator_signatory] input", run: "edit Julien Martin" },
        { trigger: ".o_field_widget[name=operator_signature] .o_signature", run: "click" },
        // The dialog opens on Draw: a typed name is no signature.
        { trigger: ".modal .o_web_sign_draw_button.active" },
        {
            trigger: ".modal .o_web_sign_name_and_signature canvas",
            async run(helpers) {
                await drawSignature(helpers.anchor);
            },
        },
        { trigger: ".modal footer button.btn-primary:enabled", run: "click" },
        { trigger: ".o_field_widget[name=operator_signature] img.o_signature" },
        { trigger: "button[name=action_done]", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')" },
    ],
});
