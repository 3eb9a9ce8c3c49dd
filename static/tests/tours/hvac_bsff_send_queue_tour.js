/** Two BSFF selected in the list and sent at once: queued, the request returns at once. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_bsff_send_queue_tour", {
    url: "/odoo/action-hvac_connect.hvac_bsff_action",
    steps: () => [
        { trigger: ".o_data_row:eq(1) td:contains('BSFF/')" },
        { trigger: "thead .o_list_record_selector input", run: "click" },
        { trigger: "button[name=action_send_in_background]", run: "click" },
        { trigger: ".o_notification:contains('2 BSFF queued')" },
    ],
});
