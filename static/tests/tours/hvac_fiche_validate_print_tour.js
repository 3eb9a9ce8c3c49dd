/** A fiche validated from its form (refused first: the detector is missing), then printed with
 * the form's Print button: the tour waits for the browser to receive the PDF. */
import { registry } from "@web/core/registry";
import { download } from "@web/core/network/download";

registry.category("web_tour.tours").add("hvac_connect_fiche_validate_print_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name=installation_id]",
            run() {
                // download() resolves with the file name only when the server answered 200
                // with a file (not an HTML error page): note it where the next steps can see it.
                const original = download._download;
                download._download = async (options) => {
                    const filename = await original(options);
                    download._download = original;
                    document.body.dataset.hvacDownloaded = `${options.url} ${filename}`;
                    return filename;
                };
            },
        },
        { trigger: ".o_form_view button[name=action_done]", run: "click" },
        { trigger: ".modal .o_error_dialog:contains('manual detector used is missing')" },
        { trigger: ".modal .o-default-button", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_notebook a:contains('Leak check')", run: "click" },
        { trigger: ".o_field_widget[name=detector_reference] input", run: "edit Testo 316-4 n° 61425" },
        { trigger: ".o_form_view button[name=action_done]", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')" },
        { trigger: ".o_field_widget[name=name]:contains('FI/')" },
        { trigger: ".o_form_view button[name=action_print]", run: "click" },
        { trigger: "body[data-hvac-downloaded^='/report/download Fiche intervention FI']", timeout: 60000 },
    ],
});
