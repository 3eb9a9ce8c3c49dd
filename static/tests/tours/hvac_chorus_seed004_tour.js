/** Seed 004 in the browser: the Consultation right, the qualified authorities, the PISTE declaration. */
import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

async function uploadP7b(name) {
    // As in the sheet tour: the test leaves the .p7b (base64) in a system parameter.
    const data = await rpc("/web/dataset/call_kw/ir.config_parameter/get_param", {
        model: "ir.config_parameter", method: "get_param", args: ["hvac_connect.tour_p7b"], kwargs: {},
    });
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const input = document.querySelector(".o_field_widget[name=file] input.o_input_file");
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type: "application/pkcs7-mime" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

registry.category("web_tour.tours").add("hvac_connect_chorus_consultation_tour", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_navbar_apps_menu button", run: "click" },
        { trigger: ".o-dropdown-item.o_app:contains('Installations')", run: "click" },
        { trigger: ".o_menu_sections button:contains('Chorus Pro')", run: "click" },
        // The connection sheets only: not the credentials, flows or onboarding of the managers.
        { trigger: ".o-dropdown-item:contains('Connection sheets')" },
        { trigger: ".o-dropdown--menu:not(:has(.o-dropdown-item:contains('Onboarding')))" },
        { trigger: ".o-dropdown--menu:not(:has(.o-dropdown-item:contains('Factur-X')))" },
        { trigger: ".o-dropdown-item:contains('Connection sheets')", run: "click" },
        { trigger: ".o_list_view:not(:has(.o_list_button_add))" },
        { trigger: ".o_data_row td:contains('VFE060')", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=partner_app_code]:contains('VFE060')" },
        { trigger: ".o_form_view:not(:has(.o_field_widget[name=partner_app_code] input))" },
        { trigger: ".o_form_view:not(:has(button[name=action_submit]))" },
        { trigger: ".o_form_view:not(:has(.o_form_button_save))" },
        { trigger: ".o_notebook a:contains('Certificates')", run: "click" },
        { trigger: ".o_field_widget[name=certificate_ids] .o_data_row:contains('Certigna')" },
    ],
});

registry.category("web_tour.tours").add("hvac_connect_chorus_authority_tour", {
    url: "/odoo/action-hvac_connect.hvac_chorus_connection_sheet_action",
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_notebook a:contains('Certificates')", run: "click" },
        { trigger: ".o_field_widget[name=certificate_ids] .o_field_x2many_list_row_add a", run: "click" },
        { trigger: ".o_selected_row .o_field_widget[name=file]", run: () => uploadP7b("maison.p7b") },
        // Refused on upload, with the reason: not a provider of the LSTI list.
        { trigger: ".modal:contains('Certificate refused'):contains('qualified certification authorities (LSTI)')" },
        { trigger: ".modal:contains('O=Autorité Maison') .modal-footer button", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_field_widget[name=certificate_ids] .o_data_row:not(:contains('maison.p7b'))" },
        { trigger: ".o_form_button_cancel", run: "click" },
        // Discarded: back on the list, with the one sheet there was.
        { trigger: ".o_list_view .o_data_row:contains('VFE060')" },
    ],
});

registry.category("web_tour.tours").add("hvac_connect_chorus_piste_tour", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_navbar_apps_menu button", run: "click" },
        { trigger: ".o-dropdown-item.o_app:contains('Installations')", run: "click" },
        { trigger: ".o_menu_sections button:contains('Chorus Pro')", run: "click" },
        { trigger: ".o-dropdown-item:contains('Connection'):not(:contains('sheets'))", run: "click" },
        { trigger: ".o_field_widget[name=hvac_chorus_piste_app_name] input", run: "edit FROID-LYONNAIS-PROD" },
        { trigger: ".o_field_widget[name=hvac_chorus_piste_usage] input[data-value=operator]", run: "click" },
        { trigger: ".o_field_widget[name=hvac_chorus_tech_contact_name] input", run: "edit Jeanne Martin" },
        { trigger: ".o_field_widget[name=hvac_chorus_tech_contact_email] input", run: "edit jeanne.martin@froid-lyonnais.fr" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
    ],
});

// Saving a company reloads the web client: the checklist is its own tour.
registry.category("web_tour.tours").add("hvac_connect_chorus_onboarding_tour", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_navbar_apps_menu button", run: "click" },
        { trigger: ".o-dropdown-item.o_app:contains('Installations')", run: "click" },
        { trigger: ".o_menu_sections button:contains('Chorus Pro')", run: "click" },
        { trigger: ".o-dropdown-item:contains('Onboarding')", run: "click" },
        { trigger: ".o_data_row:contains('Raccordement EDI et API space enabled')" },
        { trigger: ".o_data_row:contains('A user attached to the Raccordement EDI et API space')" },
        { trigger: ".o_data_row:contains('PISTE connection declared') button[name=action_tick]", run: "click" },
        { trigger: ".o_data_row:contains('PISTE connection declared') button[name=action_untick]" },
    ],
});
