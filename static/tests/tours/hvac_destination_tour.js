/** Recovered fluid: its destination is proposed, chosen among the partners that receive fluid
 * (not the holder, whose name also starts with "Centre"), and the BSFF takes it from the fiches. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_destination_tour", {
    url: "/odoo/action-hvac_connect.hvac_intervention_action",
    steps: () => [
        // A draft fiche: recovering fluid proposes where the company's fluid went last.
        { trigger: ".o_data_row:contains('Armoire froide pharmacie') td[name=installation_id]", run: "click" },
        { trigger: ".o_notebook a:contains('Fluid handled')", run: "click" },
        { trigger: ".o_field_widget[name=recovered_treatment_kg] input", run: "edit 1.2 && click body" },
        { trigger: ".o_field_widget[name=destination_partner_id] input:value('Centre de regroupement Rhône')" },
        { trigger: ".o_field_widget[name=destination_partner_id] input", run: "edit Centre" },
        { trigger: ".o-autocomplete--dropdown-item:contains('Centre de regroupement Rhône')" },
        { trigger: ".o-autocomplete--dropdown-menu:not(:has(.o-autocomplete--dropdown-item:contains('Centre Hospitalier')))" },
        { trigger: ".o-autocomplete--dropdown-item:contains('Centre de regroupement Rhône')", run: "click" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        // The BSFF of a done fiche: the destination its fiche names.
        { trigger: ".o_breadcrumb .breadcrumb-item a", run: "click" },
        { trigger: ".o_data_row:contains('Groupe froid cuisine') .o_list_record_selector input", run: "click" },
        { trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)", run: "click" },
        { trigger: ".o-dropdown--menu .o-dropdown-item:contains('Create a BSFF')", run: "click" },
        { trigger: ".modal .o_field_widget[name=destination_partner_id] input:value('Centre de regroupement Rhône')" },
        { trigger: ".modal button[name=action_create]", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=destination_partner_id] input:value('Centre de regroupement Rhône')" },
        { trigger: ".o_form_view .o_field_widget[name=waste_description] input:value('R-410A')" },
    ],
});
