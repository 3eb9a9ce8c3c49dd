/**
 * Open a menu of the module from the navigation bar, click New, fill the fields the test names
 * and save: the smallest valid record made through the form, as a user would. The test
 * (tests/test_click_everywhere.py) writes what to do in localStorage before starting the tour.
 */
import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";

export const NEW_RECORD_KEY = "hvac_connect.new_record";

function fieldSteps(field) {
    const widget = `.o_form_view .o_field_widget[name='${field.name}']`;
    if (field.kind === "many2one") {
        return [
            { trigger: `${widget} input`, run: `edit ${field.value}` },
            {
                // The record itself, not the "Create ..." option that also names it.
                trigger: `.o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):contains(${JSON.stringify(
                    field.value
                )})`,
                run: "click",
            },
        ];
    }
    if (field.kind === "selection") {
        return [{ trigger: `${widget} select`, run: `select ${JSON.stringify(field.value)}` }];
    }
    return [{ trigger: `${widget} input, ${widget} textarea`, run: `edit ${field.value}` }];
}

registry.category("web_tour.tours").add("hvac_connect_new_record_tour", {
    steps: () => {
        const job = JSON.parse(browser.localStorage.getItem(NEW_RECORD_KEY) || "{}");
        if (!job.menu) {
            return [];
        }
        const steps = [
            { trigger: ".o_navbar_apps_menu button", run: "click" },
            { trigger: `.o-dropdown--menu [data-menu-xmlid='${job.root}']`, run: "click" },
        ];
        if (job.section) {
            steps.push({ trigger: `.o_menu_sections [data-menu-xmlid='${job.section}']`, run: "click" });
            steps.push({ trigger: `.dropdown-item[data-menu-xmlid='${job.menu}']`, run: "click" });
        } else {
            steps.push({ trigger: `.o_menu_sections [data-menu-xmlid='${job.menu}']`, run: "click" });
        }
        // The menu's own view, not the one shown before it (its New would make another record).
        steps.push({ trigger: `.o_breadcrumb .active:contains(${JSON.stringify(job.title)})` });
        if (job.open_first) {
            steps.push({
                trigger: ".o_data_row .o_data_cell, .o_kanban_record:not(.o_kanban_ghost)",
                run: "click",
            });
            steps.push({ trigger: ".o_form_saved" });
            steps.push({ trigger: ".o_form_button_create", run: "click" });
        } else {
            steps.push({ trigger: ".o_list_button_add, .o-kanban-button-new", run: "click" });
        }
        steps.push({ trigger: ".o_form_editable" });
        for (const field of job.fields) {
            steps.push(...fieldSteps(field));
        }
        steps.push({ trigger: ".o_form_button_save", run: "click" });
        steps.push({ trigger: ".o_form_saved" });
        return steps;
    },
});
