import base64

from odoo import Command
from odoo.tests import HttpCase, tagged

from ..chorus_common import ChorusCase


@tagged("post_install", "-at_install")
class TestTourChorusSend(HttpCase, ChorusCase):
    def test_send_an_invoice_in_four_steps(self):
        self.fake.structures[self.buyer.siret]["flags"]["numeroEJDoitEtreRenseigne"] = True
        self.buyer.with_user(self.chorus_user).action_hvac_chorus_lookup()
        invoice = self.make_invoice()
        self.env["ir.attachment"].create(
            {
                "name": "rapport_intervention.pdf",
                "res_model": "account.move",
                "res_id": invoice.id,
                "datas": base64.b64encode(b"%PDF-1.4 rapport"),
            }
        )
        self.chorus_manager.groups_id += self.env.ref("account.group_account_invoice")
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "hvac_connect_chorus_send_tour",
            login="chorus_admin",
        )
        self.assertRecordValues(invoice, [{"hvac_chorus_status": "DEPOSEE", "purchase_order_reference": "EJ-TOUR-1"}])
        payload = self.fake.invoices[invoice.hvac_chorus_invoice_id]["payload"]
        self.assertEqual(payload["numeroFactureSaisi"], invoice.name)
        self.assertEqual(len(payload["pieceJointeComplementaire"]), 1)
        self.assertIn("Entretien annuel", payload["commentaire"])

    def test_release_a_flow_without_answer_in_the_browser(self):
        invoice = self.make_invoice()
        flow = (
            self.env["hvac.chorus.flow"]
            .sudo()
            ._hvac_create_protected(
                {"state": "UNKNOWN", "move_ids": [Command.set(invoice.ids)], "deposit_sent_at": "2026-12-01 08:00:00"}
            )
        )
        invoice._hvac_set_protected({"hvac_chorus_send_state": "sending", "hvac_chorus_flow_id": flow.id})
        self.start_tour(
            f"/odoo/action-hvac_connect.hvac_chorus_flow_action/{flow.id}",
            "hvac_connect_chorus_flow_release_tour",
            login="chorus_admin",
        )
        self.assertEqual(flow.state, "ERROR")
        self.assertRecordValues(invoice, [{"hvac_chorus_send_state": "error", "hvac_chorus_flow_id": False}])
        trace = flow.message_ids.filtered(lambda message: "Released by" in (message.body or ""))
        self.assertEqual(trace.author_id, self.chorus_manager.partner_id, "traced with who released it")

    def test_a_buyer_that_asks_for_a_contact_gets_one(self):
        self.buyer.hvac_chorus_contact_required = True
        sophie = self.env["res.partner"].create(
            {
                "name": "Sophie Lambert",
                "parent_id": self.buyer.id,
                "email": "sophie.lambert@mairie-lyon.fr",
                "phone": "04 72 10 30 30",
            }
        )
        invoice = self.make_invoice()
        self.chorus_manager.groups_id += self.env.ref("account.group_account_invoice")
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "hvac_connect_chorus_contact_tour",
            login="chorus_admin",
        )
        payload = self.fake.invoices[invoice.hvac_chorus_invoice_id]["payload"]
        self.assertEqual(payload["commentaire"], f"Contact: {sophie.name}, {sophie.email}, {sophie.phone}")
