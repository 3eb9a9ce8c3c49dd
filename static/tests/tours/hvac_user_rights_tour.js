/** An administrator (no developer mode) sees the HVAC Connect rights as one line per area or right. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_user_rights_tour", {
    steps: () => [
        { trigger: ".o_form_view .o_notebook a:contains('Access Rights')", run: "click" },
        { trigger: ".o_form_view .o_form_label:contains('Installations')" },
        { trigger: ".o_form_view .o_form_label:contains('Trackdéchets')" },
        { trigger: ".o_form_view .o_form_label:contains('Trackdéchets contact')" },
        { trigger: ".o_form_view .o_form_label:contains('Chorus Pro')" },
        { trigger: ".o_form_view .o_form_label:contains('Chorus Pro connection sheets')" },
        { trigger: ".o_form_view .o_form_label:contains('Sharing')" },
        { trigger: ".o_form_view select:has(option:contains('Full access'))" },
        // Designating the contact is chosen on its own line, without the export right.
        { trigger: ".o_form_view select:has(option:contains('Can define a Trackdéchets contact')):not(:has(option:contains('Full access')))" },
        { trigger: ".o_form_view select:has(option:contains('Consult connection sheets')):not(:has(option:contains('Chorus Pro: Manager')))" },
        { trigger: ".o_form_view select:has(option:contains('Sharing: Administrator'))" },
    ],
});
