/** The regulatory year: the leak checks to plan (technician) and the annual fluid balance (manager). */
import { registry } from "@web/core/registry";
import { download } from "@web/core/network/download";

registry.category("web_tour.tours").add("hvac_connect_leak_planning_tour", {
    steps: () => [
        // Grouped by month of due date; the overdue installation is in red.
        { trigger: ".o_list_view .o_group_header", run: "click" },
        { trigger: ".o_data_row.text-danger:contains('Groupe froid en retard')" },
        { trigger: ".o_switch_view.o_calendar", run: "click" },
        // The calendar opens where the oldest overdue check falls, not on today's month.
        { trigger: ".o_calendar_renderer .fc-event:contains('Groupe froid en retard')", run: "click" },
        { trigger: ".o_cw_popover:contains('Groupe froid en retard') .o_cw_popover_edit" },
        // A planning deletes no installation.
        { trigger: ".o_cw_popover:not(:has(.o_cw_popover_delete))" },
    ],
});

registry.category("web_tour.tours").add("hvac_connect_fluid_balance_tour", {
    steps: () => [
        {
            trigger: ".o_list_button_add",
            async run(helpers) {
                // download() resolves with the file name once the server answered with a file.
                const original = download._download;
                download._download = async (options) => {
                    const filename = await original(options);
                    download._download = original;
                    document.body.dataset.hvacDownloaded = `${options.url} ${filename}`;
                    return filename;
                };
                await helpers.click();
            },
        },
        { trigger: ".o_field_widget[name=year] input", run: "edit 2025" },
        { trigger: "button[name=action_compute]", run: "click" },
        { trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('R-410A')" },
        // A year, not a quantity: no thousands separator.
        { trigger: ".o_field_widget[name=year] input:value('2025')" },
        // The first print goes straight to the PDF (no document-layout dialog on the way).
        { trigger: "button[name=action_print]", run: "click" },
        { trigger: "body[data-hvac-downloaded^='/report/download Bilan fluides 2025']", timeout: 60000 },
        { trigger: "body:not(:has(.modal))" },
        { trigger: "button[name=action_export_xlsx]" },
        { trigger: ".o_breadcrumb .breadcrumb-item a", run: "click" },
        { trigger: ".o_data_row td[name=year]:contains('2025')" },
    ],
});
