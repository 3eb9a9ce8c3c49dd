from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .chorus_common import ChorusCase
from .chorus_fake import facturx_number, flow_documents


@tagged("post_install", "-at_install")
class TestChorusFlow(HttpCase, ChorusCase):
    """Factur-X flows need real PDFs: an HttpCase, so that wkhtmltopdf can load the assets."""

    def test_many_invoices_in_one_facturx_flow_followed_until_integrated(self):
        moves = self.make_invoice(amount=100.0) | self.make_invoice(amount=200.0) | self.make_invoice(amount=300.0)
        flow = moves.with_user(self.chorus_user).with_context(force_report_rendering=True).action_hvac_chorus_send_flow()
        flow = self.env["hvac.chorus.flow"].browse(flow["res_id"])
        self.assertEqual(flow.state, "IN_RECU")
        self.assertTrue(flow.filename.endswith(".tar.gz"))
        deposited = self.fake.flows[flow.name]
        self.assertEqual(deposited["syntaxeFlux"], "IN_DP_E2_CII_FACTURX")
        documents = flow_documents(deposited["nomFichier"], deposited["content"])
        self.assertEqual(sorted(facturx_number(pdf) for pdf in documents), sorted(moves.mapped("name")), "each document is a Factur-X of our invoice")
        self.assertTrue(all(b"pdfaid:part" in pdf for pdf in documents), "and a PDF/A-3, as Factur-X requires")
        self.assertEqual(set(moves.mapped("hvac_chorus_send_state")), {"sending"})
        with self.assertRaisesRegex(UserError, "already sent or being sent"):
            moves[:1].with_user(self.chorus_user).action_hvac_chorus_send_flow()
        with self.assertRaisesRegex(UserError, "not yet integrated"):
            self.send(moves[:1])
        self.fake.integrate_flow(flow.name, rejected=(moves[2].name,))
        self.env["hvac.chorus.flow"].sudo()._cron_follow()  # crons run as the superuser
        self.assertEqual(flow.state, "IN_INTEGRE_PARTIEL")
        self.assertEqual(moves[:2].mapped("hvac_chorus_status"), ["DEPOSEE", "DEPOSEE"])
        self.assertTrue(all(moves[:2].mapped("hvac_chorus_invoice_id")))
        self.assertRecordValues(moves[2], [{"hvac_chorus_send_state": "error", "hvac_chorus_send_error": "SIRET destinataire inconnu", "hvac_chorus_flow_id": False}])
        self.send(moves[2])  # detached: it can be fixed and sent again
        self.assertEqual(moves[2].hvac_chorus_status, "DEPOSEE")

    def test_flow_blocked_by_an_invoice_not_ready(self):
        ready = self.make_invoice()
        stranger = self.env["res.partner"].create({"name": "Sans SIRET", "is_company": True})
        not_ready = self.make_invoice(partner=stranger)
        with self.assertRaisesRegex(UserError, "has no SIRET"):
            (ready | not_ready).with_user(self.chorus_user).action_hvac_chorus_send_flow()
        self.assertFalse(self.fake.flows)
