import base64

from odoo.tests import HttpCase, tagged

from ..chorus_common import ChorusCase, core_makes_facturx
from ..chorus_fake import facturx_xml


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

    def test_then_an_exempt_invoice_in_a_flow_from_the_list(self):
        # After the four-step tour: the first tour of a run waits for the test assets to build.
        exempt = self.env["account.tax"].create(
            {"name": "TVA non applicable", "amount": 0.0, "type_tax_use": "sale", "company_id": self.company.id}
        )
        invoice = self.init_invoice("out_invoice", partner=self.buyer, amounts=[900.0], taxes=exempt, post=False)
        invoice.write({"partner_bank_id": self.iban.id})
        invoice.action_post()
        self.env["hvac.chorus.exemption.reason"]._hvac_refresh(self.company)
        self.chorus_manager.groups_id += self.env.ref("account.group_account_invoice")
        with core_makes_facturx():  # the flow's PDF really made, as on a server without --test-enable
            self.start_tour(
                f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
                "hvac_connect_chorus_flow_exemption_tour",
                login="chorus_admin",
            )
        self.assertEqual(invoice.hvac_chorus_exemption_reason_id.code, "EXO_293B")
        flow = invoice.hvac_chorus_flow_id
        self.assertEqual((flow.state, self.fake.violations), ("IN_RECU", []))
        xml = facturx_xml(self.fake.flows[flow.name]["content"])
        self.assertIn(b"<ram:ExemptionReasonCode>VATEX-FR-FRANCHISE</ram:ExemptionReasonCode>", xml)
