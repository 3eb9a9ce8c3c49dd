"""Run only by "./dev test --beside-oca" (tag beside_oca, not standard): OCA's
l10n_fr_chorus_account is installed in the same database, and each invoice has one send path."""

from lxml import etree

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..chorus_common import ChorusCase


@tagged("-standard", "beside_oca", "post_install", "-at_install")
class TestBesideOcaChorus(ChorusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # This class is selected only beside OCA: without it, fail loudly rather than pass.
        assert "chorus_flow_id" in cls.env["account.move"]._fields, "OCA's l10n_fr_chorus_account is not installed"

    def _oca_sent(self, invoice):
        """What OCA's send writes once Chorus Pro accepted its flow (its HTTP call cannot be
        made from tests: it goes to the real Chorus Pro)."""
        flow = self.env["chorus.flow"].create(
            {"name": "CPP0000000000000000000042", "date": fields.Date.today(), "company_id": invoice.company_id.id}
        )
        invoice.write({"chorus_flow_id": flow.id, "is_move_sent": True})
        return flow

    def test_ours_then_oca_is_refused(self):
        invoice = self.make_invoice()
        self.send(invoice)
        self.assertEqual(invoice.hvac_chorus_send_state, "sent")
        with self.assertRaisesRegex(UserError, "It cannot be sent a second time by OCA's Chorus module"):
            invoice._fr_chorus_send()
        # OCA's wizard ends in the same method.
        wizard = self.env["account.invoice.chorus.send"].new(
            {"invoice_ids": [(6, 0, invoice.ids)], "company_id": invoice.company_id.id}
        )
        with self.assertRaisesRegex(UserError, "It cannot be sent a second time"):
            wizard.run()
        self.assertFalse(invoice.chorus_flow_id)

    def test_oca_then_ours_is_refused(self):
        invoice = self.make_invoice()
        flow = self._oca_sent(invoice)
        self.assertTrue(invoice.hvac_chorus_oca_path, "our button is hidden")
        message = f"was already sent to Chorus Pro by OCA's Chorus module \\(flow {flow.display_name}\\)"
        with self.assertRaisesRegex(UserError, message):
            self.send(invoice)
        with self.assertRaisesRegex(UserError, "OCA's Chorus module"):
            invoice.with_user(self.chorus_user).action_hvac_chorus_send_flow()
        with self.assertRaisesRegex(UserError, "OCA's Chorus module"):
            invoice._hvac_chorus_send_exclusive({}, [])
        self.assertEqual(self.fake.invoices, {}, "nothing deposited by us")
        self.assertEqual(invoice.hvac_chorus_send_state, "none")

    def test_one_send_button_per_invoice(self):
        invoice = self.make_invoice()
        self.assertFalse(invoice.hvac_chorus_oca_path)
        invoice.commercial_partner_id.invoice_sending_method = "fr_chorus"
        self.assertTrue(invoice.hvac_chorus_oca_path, "a customer set to OCA's Chorus: OCA's button only")
        self.env.user.groups_id += self.env.ref("hvac_connect.group_chorus_user")
        arch = etree.fromstring(self.env["account.move"].get_views([(False, "form")])["views"]["form"]["arch"])
        for button in ("action_hvac_chorus_send", "action_hvac_chorus_find"):
            self.assertIn("hvac_chorus_oca_path", arch.xpath(f"//button[@name='{button}']")[0].get("invisible"), button)
