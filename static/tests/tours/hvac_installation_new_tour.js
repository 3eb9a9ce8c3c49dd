/** Installations › New, without going through a site: the building is found by typing the site's
 * name, and reads "Site / Building". */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_installation_new_tour", {
    url: "/odoo/action-hvac_connect.hvac_installation_action",
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=name] input", run: "edit Chambre froide quai" },
        { trigger: ".o_field_widget[name=building_id] input", run: "edit Gerland" },
        { trigger: ".o-autocomplete--dropdown-item:contains('Entrepôt Gerland / Main building')", run: "click" },
        { trigger: ".o_field_widget[name=site_id]:contains('Entrepôt Gerland')" },
        { trigger: ".o_field_widget[name=refrigerant_id] input", run: "edit R-404A" },
        { trigger: ".o-autocomplete--dropdown-item:contains('R-404A')", run: "click" },
        { trigger: ".o_field_widget[name=charge_kg] input", run: "edit 18" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: ".o_field_widget[name=partner_id]:contains('Transports Rhodaniens')" },
    ],
});
