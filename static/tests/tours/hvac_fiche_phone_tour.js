/** A technician on a phone (390 px) fills a fiche on site, draws his signature with a finger and validates it. */
import { registry } from "@web/core/registry";
import { drawSignature } from "@hvac_connect/../tests/tours/hvac_draw_signature";

registry.category("web_tour.tours").add("hvac_connect_fiche_phone_tour", {
    steps: () => [
        { trigger: ".o_form_view .o_field_widget[name=installation_id]" },
        { trigger: ".o_notebook a:contains('Leak check')", run: "click" },
        { trigger: ".o_field_widget[name=detector_reference] input:value('Testo 316-4 n° 61425')" },
        { trigger: ".o_notebook a:contains('Transport and observations')", run: "click" },
        { trigger: ".o_field_widget[name=observations] textarea", run: "edit Contrôle sans fuite, détecteur étalonné." },
        { trigger: ".o_notebook a:contains('Signatures')", run: "click" },
        { trigger: ".o_field_widget[name=operator_signatory] input", run: "edit Julien Martin" },
        { trigger: ".o_field_widget[name=operator_signature] .o_signature", run: "click" },
        // The dialog opens on Draw: the operator signs with a finger (a typed name is no signature).
        { trigger: ".modal .o_web_sign_draw_button.active" },
        {
            trigger: ".modal .o_web_sign_name_and_signature canvas",
            async run(helpers) {
                await drawSignature(helpers.anchor);
            },
        },
        { trigger: ".modal footer button.btn-primary:enabled", run: "click" },
        { trigger: ".o_field_widget[name=operator_signature] img.o_signature" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        // On a phone the header's buttons live in the gear menu.
        { trigger: ".o_control_panel .o_cp_action_menus button.dropdown-toggle", run: "click" },
        { trigger: ".o-dropdown--menu :is(button, .dropdown-item)[name=action_done]", run: "click" },
        { trigger: ".o_field_widget[name=name]:contains('FI/')" },
    ],
});
