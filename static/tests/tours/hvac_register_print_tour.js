/** The register printed from the installation's form, as the web client fetches it: the tour
 * waits for the browser to receive the file. */
import { registry } from "@web/core/registry";
import { download } from "@web/core/network/download";

registry.category("web_tour.tours").add("hvac_connect_register_print_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name=building_id]",
            run() {
                // download() resolves with the file name once the server answered with a file.
                const original = download._download;
                download._download = async (options) => {
                    const filename = await original(options);
                    download._download = original;
                    document.body.dataset.hvacDownloaded = `${options.url} ${filename}`;
                    return filename;
                };
            },
        },
        { trigger: ".o_form_view button[name=action_print_register]", run: "click" },
        { trigger: "body[data-hvac-downloaded^='/report/download Registre Groupe froid cuisine']", timeout: 60000 },
    ],
});
