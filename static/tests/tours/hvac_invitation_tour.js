/** Create an invitation from the connection list header, as a sharing administrator would. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_invitation_tour", {
    url: "/odoo/action-hvac_connect.hvac_connection_action",
    steps: () => [
        { trigger: ".o_list_view button[name=action_invite]", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=invitation_code]:not(:empty)" },
        { trigger: ".o_form_view .o_field_widget[name=our_url]:contains('127.0.0.1')" },
        { trigger: ".o_form_view .o_hvac_unreachable_address:contains('web.base.url')" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current" },
    ],
});

registry.category("web_tour.tours").add("hvac_connect_invitation_public_tour", {
    url: "/odoo/action-hvac_connect.hvac_connection_action",
    steps: () => [
        { trigger: ".o_list_view button[name=action_invite]", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=our_url]:contains('odoo.froid-rhone.fr')" },
        { trigger: ".o_form_view:not(:has(.o_hvac_unreachable_address))" },
    ],
});
