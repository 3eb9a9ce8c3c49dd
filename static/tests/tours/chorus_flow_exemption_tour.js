/** An exempt invoice gets its VAT exemption reason on the form, then goes in a Factur-X flow from the list. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_chorus_flow_exemption_tour", {
    steps: () => [
        { trigger: ".o_notebook a:contains('Other Info')", run: "click" },
        { trigger: ".o_field_widget[name=hvac_chorus_exemption_reason_id] input", run: "edit 293" },
        { trigger: ".o-autocomplete--dropdown-item:contains('293 B')", run: "click" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a", run: "click" },
        { trigger: ".o_data_row .o_list_record_selector input", run: "click" },
        { trigger: ".o_control_panel .o_cp_action_menus button.dropdown-toggle", run: "click" },
        { trigger: ".o-dropdown--menu .dropdown-item:contains('Send to Chorus Pro (Factur-X flow)')", run: "click" },
        { trigger: ".o_field_widget[name=state_label]:contains('Reçu')" },
    ],
});
