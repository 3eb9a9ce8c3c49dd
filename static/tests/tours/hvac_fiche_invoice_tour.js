/** Bill the work from the fiche, in French: the technician records the time, travel and fluid of a
 * fiche and validates it; the office invoices it with another fiche of the same public customer,
 * posts the invoice and sends it to Chorus Pro without typing the service code or engagement. */
import { registry } from "@web/core/registry";

// The steps that wait for the server's work (validation, invoicing, posting, the deposit on the
// fake Chorus Pro) allow it more than the default 10 s on a busy machine.
const SERVER_WORK = 60000;

registry.category("web_tour.tours").add("hvac_connect_fiche_invoice_technician_tour", {
    steps: () => [
        { trigger: ".o_form_view .o_field_widget[name=installation_id]" },
        { trigger: ".o_notebook a:contains('Fluide manipulé')", run: "click" },
        { trigger: ".o_field_widget[name=charged_recycled_kg] input", run: "edit 2,4" },
        { trigger: ".o_field_widget[name=recovered_treatment_kg] input", run: "edit 1,2" },
        { trigger: ".o_notebook a:contains('Facturation')", run: "click" },
        { trigger: ".o_field_widget[name=labour_hours] input", run: "edit 01:30" },
        { trigger: ".o_field_widget[name=travel_billed] input:checked" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved", timeout: SERVER_WORK },
        { trigger: ".o_form_view button[name=action_done]:contains('Valider')", run: "click" },
        { trigger: ".o_field_widget[name=name]:contains('FI/')", timeout: SERVER_WORK },
        { trigger: ".o_field_widget[name=invoice_state]:contains('À facturer')" },
    ],
});

registry.category("web_tour.tours").add("hvac_connect_fiche_invoice_office_tour", {
    steps: () => [
        { trigger: ".o_list_view .o_data_row:contains('Climatiseur salle informatique')" },
        { trigger: ".o_data_row:contains('Climatiseur salle informatique') .o_list_record_selector input", run: "click" },
        { trigger: ".o_data_row:contains('Chambre froide cuisine') .o_list_record_selector input", run: "click" },
        { trigger: ".o_control_panel button[name=action_invoice]:contains('Facturer')", run: "click" },
        { trigger: ".modal .o_field_widget[name=invoice_count]:contains('1')", timeout: SERVER_WORK },
        { trigger: ".modal .o_field_widget[name=preview]:contains('service SERV-TECH, engagement EJ-2026-000481')" },
        { trigger: ".modal button[name=action_create_invoices]:contains('Créer les factures')", run: "click" },
        { trigger: "body:not(:has(.modal))", timeout: SERVER_WORK },
        { trigger: ".o_breadcrumb:contains('Facture brouillon')" },
        { trigger: ".o_field_widget[name=invoice_line_ids] .o_data_row:contains('R-410A recyclé')" },
        { trigger: ".o_field_widget[name=invoice_line_ids] .o_data_row:contains('Filtre déshydrateur')" },
        { trigger: ".o_field_widget[name=tax_totals]:contains('538,30'):contains('645,96')" },
        { trigger: ".o_form_view button[name=action_post]:contains('Confirmer')", run: "click" },
        { trigger: ".o_form_view button[name=action_hvac_chorus_send]", run: "click", timeout: SERVER_WORK },
        { trigger: ".modal button[name=action_next]", run: "click", timeout: SERVER_WORK },
        { trigger: ".modal .o_field_widget[name=buyer_reference] input:value('SERV-TECH')", timeout: SERVER_WORK },
        { trigger: ".modal .o_field_widget[name=purchase_order_reference] input:value('EJ-2026-000481')" },
        { trigger: ".modal button[name=action_next]", run: "click" },
        { trigger: ".modal .o_field_widget[name=attachment_ids]", timeout: SERVER_WORK },
        { trigger: ".modal button[name=action_next]", run: "click" },
        { trigger: ".modal button[name=action_send]", run: "click", timeout: SERVER_WORK },
        { trigger: ".modal .o_field_widget[name=result]:contains('Déposée : id Chorus Pro')", timeout: SERVER_WORK },
    ],
});
