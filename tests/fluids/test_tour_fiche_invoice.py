from odoo import Command
from odoo.tests import HttpCase, tagged

from ..billing_common import PRICES, BillingCase


@tagged("post_install", "-at_install")
class TestTourFicheInvoice(HttpCase, BillingCase):
    """In French, as the users click it: a fiche validated by the technician with its time, travel
    and fluid, invoiced by the office with another fiche of the same public customer, posted and
    deposited on the fake Chorus Pro with the site's service and engagement, typed by no one."""

    def test_fiches_invoiced_posted_and_sent_to_chorus(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["web", "account", "hvac_connect"], ["fr_FR"], overwrite=True)
        (self.technician | self.office).write({"lang": "fr_FR", "tz": "Europe/Paris"})
        # The buyer wants both references; the school (the site) carries them.
        flags = self.fake.structures[self.buyer.siret]["flags"]
        flags.update(codeServiceDoitEtreRenseigne=True, numeroEJDoitEtreRenseigne=True)
        self.buyer.with_user(self.chorus_user).action_hvac_chorus_lookup()
        # The fiche as the technician starts it on site: the recovery cylinder already weighed.
        fiche = self.make_fiche(
            done=False,
            labour_hours=0.0,
            recovered=1.2,
            recovered_treatment_kg=0.0,
            technician_id=self.technician.id,
        )
        kitchen = self.make_fiche(
            self.make_installation(self.school, "Chambre froide cuisine", "CF-2231", charge=6.0),
            labour_hours=2.0,
            line_ids=[Command.create({"product_id": self.products["filter"].id, "quantity": 1.0})],
        )
        self.start_tour(
            f"/odoo/action-hvac_connect.hvac_intervention_action/{fiche.id}",
            "hvac_connect_fiche_invoice_technician_tour",
            login=self.technician.login,
        )
        self.assertRecordValues(
            fiche,
            [
                {
                    "state": "done",
                    "labour_hours": 1.5,
                    "travel_billed": True,
                    "charged_recycled_kg": 2.4,
                    "recovered_treatment_kg": 1.2,
                    "invoice_state": "to_invoice",
                }
            ],
        )

        self.start_tour(
            "/odoo/action-hvac_connect.hvac_intervention_action_to_invoice",
            "hvac_connect_fiche_invoice_office_tour",
            login=self.office.login,
        )
        invoice = fiche.with_user(self.office).invoice_line_ids.move_id
        self.assertEqual(kitchen.with_user(self.office).invoice_line_ids.move_id, invoice, "one invoice")
        # The fiches in their order (the kitchen's was validated first), each with its lines.
        self.assertLess(kitchen.name, fiche.name)
        expected = [
            (self.products["labour"], 2.0, PRICES["labour"], kitchen),
            (self.products["travel"], 1.0, PRICES["travel"], kitchen),
            (self.products["filter"], 1.0, PRICES["filter"], kitchen),
            (self.products["labour"], 1.5, PRICES["labour"], fiche),
            (self.products["travel"], 1.0, PRICES["travel"], fiche),
            (self.products["recycled"], 2.4, PRICES["recycled"], fiche),
            (self.products["recovery"], 1.2, PRICES["recovery"], fiche),
        ]
        self.assertEqual(
            [
                (line.product_id, line.quantity, line.price_unit, line.hvac_intervention_id)
                for line in self.product_lines(invoice)
            ],
            expected,
        )
        # 93 + 45 + 187.20 + 9.60 + 124 + 45 + 34.50 = 538.30 excluding VAT, 107.66 VAT.
        self.assertRecordValues(
            invoice,
            [
                {
                    "state": "posted",
                    "partner_id": self.buyer.id,
                    "currency_id": self.env.ref("base.EUR").id,
                    "amount_untaxed": 538.30,
                    "amount_tax": 107.66,
                    "amount_total": 645.96,
                    "buyer_reference": "SERV-TECH",
                    "purchase_order_reference": "EJ-2026-000481",
                    "hvac_chorus_service_id": self.services["SERV-TECH"].id,
                    "hvac_chorus_status": "DEPOSEE",
                }
            ],
        )
        payload = self.fake.invoices[invoice.hvac_chorus_invoice_id]["payload"]
        self.assertEqual(payload["destinataire"]["codeServiceExecutant"], "SERV-TECH")
        self.assertEqual(payload["references"]["numeroBonCommande"], "EJ-2026-000481")
        self.assertEqual(payload["numeroFactureSaisi"], invoice.name)
        self.assertEqual((fiche | kitchen).mapped("invoice_state"), ["invoiced", "invoiced"])
