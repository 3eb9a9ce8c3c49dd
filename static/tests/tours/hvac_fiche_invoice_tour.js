/** Bill the work from the fiche, in French: the technician records the time, travel and fluid of a
 * fiche and validates it; the office invoices it with another fiche of the same public customer,
 * posts the invoice and sends it to Chorus Pro without typing the service code or engagement. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hvac_connect_fiche_invoice_technician_tour", {
    steps: () => [
        { trigger: ".o_form_view .o_field_widget[name=installation_id]" },
        { trigger: ".o_notebook a:contains('Fluide manipulé')", run: "click" },
        { trigger: ".o_field_widget[name=charged_recycled_kg] input", run: "edit 2,4" },
        { trigger: ".o_field_widget[name=recovered_treatment_kg] input", run: "edit 1,2" },
        { trigger: ".o_notebook a:contains('Facturation')", run: "click" },
        { trigger: ".o_field_widget[name=billing_type] select:has(option:selected:contains('Temps passé'))" },
        { trigger: ".o_field_widget[name=labour_hours] input", run: "edit 01:30" },
        { trigger: ".o_field_widget[name=travel_billed] input:checked" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: ".o_form_view button[name=action_done]:contains('Valider')", run: "click" },
        { trigger: ".o_field_widget[name=name]:contains('FI/')" },
        { trigger: ".o_field_widget[name=invoice_state]:contains('À facturer')" },
    ],
});

registry.category("web_tour.tours").add("hvac_connect_fiche_invoice_office_tour", {
    steps: () => [
        { trigger: ".o_list_view .o_data_row:contains('Climatiseur salle informatique')" },
        { trigger: ".o_data_row:contains('Climatiseur salle informatique') .o_list_record_selector input", run: "click" },
        { trigger: ".o_data_row:contains('Chambre froide cuisine') .o_list_record_selector input", run: "click" },
        { trigger: ".o_control_panel button[name=action_invoice]:contains('Facturer')", run: "click" },
        { trigger: ".modal .o_field_widget[name=invoice_count]:contains('1')" },
        { trigger: ".modal .o_field_widget[name=preview]:contains('service SERV-TECH, engagement EJ-2026-000481')" },
        { trigger: ".modal button[name=action_create_invoices]:contains('Créer les factures')", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=partner_id]:contains('Mairie de Lyon')" },
        { trigger: ".o_field_widget[name=invoice_line_ids] .o_data_row:contains('R-410A recyclé'):contains('Climatiseur salle informatique')" },
        { trigger: ".o_field_widget[name=invoice_line_ids] .o_data_row:contains('Filtre déshydrateur'):contains('Chambre froide cuisine')" },
        { trigger: ".o_field_widget[name=amount_total]:contains('645,96')" },
        { trigger: ".o_form_view button[name=action_post]:contains('Confirmer')", run: "click" },
        { trigger: ".o_form_view button[name=action_hvac_chorus_send]", run: "click" },
        { trigger: ".modal button[name=action_next]", run: "click" },
        { trigger: ".modal .o_field_widget[name=buyer_reference] input:value('SERV-TECH')" },
        { trigger: ".modal .o_field_widget[name=purchase_order_reference] input:value('EJ-2026-000481')" },
        { trigger: ".modal button[name=action_next]", run: "click" },
        { trigger: ".modal .o_field_widget[name=attachment_ids]" },
        { trigger: ".modal button[name=action_next]", run: "click" },
        { trigger: ".modal button[name=action_send]", run: "click" },
        { trigger: ".modal .o_field_widget[name=result]:contains('Déposée : id Chorus Pro')" },
    ],
});
