/** Sharing in the browser: the requester asks, the owner approves, the requester processes. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_share_request_tour", {
    url: "/odoo/action-hvac_connect.hvac_share_action",
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=name] input", run: "edit Maintenance Hôpital Nord" },
        { trigger: ".o_field_widget[name=connection_id] input", run: "edit Froid" },
        { trigger: ".o-autocomplete--dropdown-item:contains('Froid Lyonnais')", run: "click" },
        { trigger: ".o_field_widget[name=level_requested] select", run: "select \"customer\"" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Requested')" },
    ],
});

registry.category("web_tour.tours").add("hvac_connect_share_evaluate_tour", {
    url: "/odoo/action-hvac_connect.hvac_share_action",
    steps: () => [
        { trigger: ".o_data_row td:contains('Maintenance Hôpital Nord')", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('To evaluate')" },
        { trigger: "button:contains('Approve')", run: "click" },
        { trigger: ".modal .o_field_widget[name=partner_ids] input", run: "edit Hôpital" },
        { trigger: ".o-autocomplete--dropdown-item:contains('Hôpital Nord')", run: "click" },
        { trigger: ".modal .o_field_widget[name=confirmation]:contains('Groupe 0')" },
        { trigger: ".modal .o_field_widget[name=role] select", run: "select \"subcontractor\"" },
        { trigger: ".modal button[name=action_approve]", run: "click" },
        { trigger: ".modal-footer .btn-primary:contains('Ok')", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('In preparation')" },
    ],
});

registry.category("web_tour.tours").add("hvac_connect_share_process_tour", {
    url: "/odoo/action-hvac_connect.hvac_share_action",
    steps: () => [
        { trigger: ".o_data_row td:contains('Maintenance Hôpital Nord')", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Available')" },
        { trigger: "button:contains('Process')", run: "click" },
        { trigger: ".modal .o_data_row td:contains('Hôpital Nord')" },
        { trigger: ".modal button[name=action_review]", run: "click" },
        { trigger: ".modal .alert-info:contains('2 new installation(s)')" },
        { trigger: ".modal button[name=action_process]", run: "click" },
        { trigger: ".o_form_view .alert-info:contains('Processing in the background')" },
    ],
});
