/** A Chorus manager records an API connection sheet with its certificate and submits it. */
import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

async function uploadP7b() {
    // The test leaves a freshly made .p7b (base64) in a system parameter: a browser cannot
    // pick a file from disk in a tour, so the step hands it to the file input itself.
    const data = await rpc("/web/dataset/call_kw/ir.config_parameter/get_param", {
        model: "ir.config_parameter", method: "get_param", args: ["hvac_connect.tour_p7b"], kwargs: {},
    });
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const input = document.querySelector(".o_field_widget[name=file] input.o_input_file");
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], "api_client.p7b", { type: "application/pkcs7-mime" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

registry.category("web_tour.tours").add("hvac_connect_chorus_sheet_tour", {
    url: "/odoo/action-hvac_connect.hvac_chorus_connection_sheet_action",
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=mode] input[data-value=api]", run: "click" },
        { trigger: ".o_notebook a:contains('Certificates')", run: "click" },
        { trigger: ".o_field_widget[name=certificate_ids] .o_field_x2many_list_row_add a", run: "click" },
        { trigger: ".o_selected_row .o_field_widget[name=file]", run: uploadP7b },
        { trigger: ".o_field_widget[name=file] input:value('api_client.p7b')" },
        { trigger: ".o_notebook a:contains('Technical contact')", run: "click" },
        { trigger: ".o_field_widget[name=contact_name] input", run: "edit John Doe" },
        { trigger: ".o_field_widget[name=contact_phone] input", run: "edit 0123456789" },
        { trigger: ".o_field_widget[name=contact_email] input", run: "edit john.doe@example.com" },
        // Typed last: the mode's onchange, answered late under load, can no longer empty it.
        { trigger: ".o_field_widget[name=partner_app_code] input", run: "edit VFE060" },
        { trigger: ".o_field_widget[name=partner_app_code] input:value('VFE060')" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: "button[name=action_submit]", run: "click" },
        { trigger: ".modal-footer .btn-primary", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Sent')" },
    ],
});
