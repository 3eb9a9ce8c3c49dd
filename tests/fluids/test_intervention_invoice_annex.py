import io
import subprocess

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.pdf import PdfFileReader

from ..billing_common import BillingCase


@tagged("post_install", "-at_install")
class TestInterventionInvoiceAnnex(HttpCase, BillingCase):
    """The printed invoice carries the fiches it bills (their Cerfa PDFs) when the buyer asks."""

    def _pdf(self, invoice, user):
        # Rendered by wkhtmltopdf as outside tests (where Odoo falls back to HTML).
        report = self.env["ir.actions.report"].with_user(user).with_context(force_report_rendering=True)
        content, kind = report._render_qweb_pdf("account.account_invoices", invoice.ids)
        self.assertEqual(kind, "pdf")
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=content, capture_output=True, check=True, timeout=60
        ).stdout.decode()
        return PdfFileReader(io.BytesIO(content)).getNumPages(), " ".join(text.split())

    def test_the_invoice_annexes_its_fiches_when_the_buyer_asks(self):
        self.assertEqual(self.env["ir.actions.report"].get_wkhtmltopdf_state(), "ok", "./dev setup installs it")
        self.buyer.hvac_annex_fiches = True
        first, second = self.make_fiche(charged_recycled_kg=2.4, recovered=1.2), self.make_fiche()
        invoice = self.invoice(first | second)
        self.assertTrue(invoice.hvac_annex_fiches)
        invoice.action_post()
        # An accountant who may not read fiches prints them with the invoice all the same.
        reader = new_test_user(self.env, "bill_reader", groups="base.group_user,account.group_account_invoice")
        pages, text = self._pdf(invoice, reader)
        for fiche in first | second:
            self.assertIn(f"Fiche d'intervention n° {fiche.name}", text)
        self.assertLess(text.index(invoice.name), text.index(first.name + " Cerfa"), "the invoice comes first")
        self.assertLess(text.index(f"n° {first.name}"), text.index(f"n° {second.name}"))

        invoice.hvac_annex_fiches = False
        alone, text = self._pdf(invoice, reader)
        self.assertNotIn("Fiche d'intervention n°", text)
        self.assertGreaterEqual(pages, alone + 2, "one page at least per fiche annexed")
