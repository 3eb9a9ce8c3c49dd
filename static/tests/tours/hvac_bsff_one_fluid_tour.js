/** Two done fiches of two fluids selected for one BSFF: refused, with the reason. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_bsff_one_fluid_tour", {
    url: "/odoo/action-hvac_connect.hvac_intervention_action",
    steps: () => [
        { trigger: ".o_data_row:contains('Centrale négative') .o_list_record_selector input", run: "click" },
        { trigger: ".o_data_row:contains('Réserve frigorifique') .o_list_record_selector input", run: "click" },
        { trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)", run: "click" },
        { trigger: ".o-dropdown--menu .o-dropdown-item:contains('Create a BSFF')", run: "click" },
        { trigger: ".modal .o_field_widget[name=intervention_ids] .o_tag:contains('FI/')" },
        { trigger: ".modal button[name=action_create]", run: "click" },
        { trigger: ".modal .o_error_dialog:contains('A BSFF carries one fluid'):contains('R-404A, R-452A')" },
        { trigger: ".modal .o_error_dialog .o-default-button", run: "click" },
        { trigger: "body:not(:has(.o_error_dialog))" },
    ],
});
