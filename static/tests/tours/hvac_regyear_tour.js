/** The regulatory year: the leak checks to plan (technician) and the annual fluid balance (manager). */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_leak_planning_tour", {
    steps: () => [
        // Grouped by month of due date; the overdue installation is in red.
        { trigger: ".o_list_view .o_group_header", run: "click" },
        { trigger: ".o_data_row.text-danger:contains('Groupe froid en retard')" },
        { trigger: ".o_switch_view.o_calendar", run: "click" },
        { trigger: ".o_calendar_renderer" },
    ],
});

registry.category("web_tour.tours").add("hvac_connect_fluid_balance_tour", {
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=year] input", run: "edit 2025" },
        { trigger: "button[name=action_compute]", run: "click" },
        { trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('R-410A')" },
        { trigger: "button[name=action_print]" },
        { trigger: "button[name=action_export_xlsx]" },
    ],
});
