/** QR labels on a phone (390 px): a technician prints the label sheet of an installation from its
 * form; the label's QR code, read back from the PDF, opens the installation in Odoo for the
 * technician and the public label page for anyone else. */
import { registry } from "@web/core/registry";
import { download } from "@web/core/network/download";

registry.category("web_tour.tours").add("hvac_connect_label_print_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name=name]",
            run() {
                // download() resolves with the file name only when the server answered with a file.
                const original = download._download;
                download._download = async (options) => {
                    const filename = await original(options);
                    download._download = original;
                    document.body.dataset.hvacDownloaded = `${options.url} ${filename}`;
                    return filename;
                };
            },
        },
        // On a phone the record's actions live in the gear menu.
        { trigger: ".o_control_panel .o_cp_action_menus button.dropdown-toggle", run: "click" },
        { trigger: ".o-dropdown--menu .o-dropdown-item:contains('Print QR labels')", run: "click" },
        { trigger: ".modal .o_field_widget[name=count]:contains('1')" },
        { trigger: ".modal button[name=action_print]", run: "click" },
        // wkhtmltopdf renders the sheet: longer than a step's default 10 s on a busy machine.
        { trigger: "body[data-hvac-downloaded^='/report/download']", timeout: 60000 },
    ],
});

registry.category("web_tour.tours").add("hvac_connect_label_staff_tour", {
    steps: () => [
        { trigger: ".o_form_view .o_field_widget[name=name]:contains('Chambre froide n° 2')" },
        { trigger: ".o_form_view .o_field_widget[name=serial_number]:contains('CF-2208-B')" },
    ],
});

registry.category("web_tour.tours").add("hvac_connect_label_public_tour", {
    steps: () => [
        { trigger: ".o_hvac_label_public h1:contains('Chambre froide n° 2')" },
        { trigger: ".o_hvac_label_public dd:contains('R-404A')" },
        { trigger: ".o_hvac_label_public a[href^='/web/login?redirect=/hvac/i/']" },
    ],
});
