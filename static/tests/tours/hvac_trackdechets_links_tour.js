/** Beside the token field, the links to the pages where the token is made (seed 000). */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_trackdechets_links_tour", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_user_menu button", run: "click" },
        { trigger: "[data-menu=settings]", run: "click" },
        { trigger: ".modal .o_notebook a:contains('Trackdéchets')", run: "click" },
        {
            trigger:
                ".modal .o_field_widget[name=hvac_trackdechets_login_url] a[href='https://sandbox.trackdechets.beta.gouv.fr/login']:contains('Log in to Trackdéchets')",
        },
        {
            trigger:
                ".modal .o_field_widget[name=hvac_trackdechets_tokens_url] a[href='https://sandbox.trackdechets.beta.gouv.fr/account/tokens/list'][target=_blank]",
        },
        { trigger: ".modal .o_field_widget[name=hvac_trackdechets_token] input" },
    ],
});
