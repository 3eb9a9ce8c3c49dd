import io
import subprocess

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.pdf import PdfFileReader

from ..billing_common import BillingCase


def pdf_text(content, first=None, last=None):
    pages = [arg for flag, page in (("-f", first), ("-l", last)) if page for arg in (flag, str(page))]
    text = subprocess.run(
        ["pdftotext", *pages, "-", "-"], input=content, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    return " ".join(text.split())


@tagged("post_install", "-at_install")
class TestInterventionInvoiceAnnex(HttpCase, BillingCase):
    """The printed invoice carries the fiches it bills (their Cerfa PDFs) when the buyer asks."""

    def _pdf(self, invoice, user):
        # Rendered by wkhtmltopdf as outside tests (where Odoo falls back to HTML).
        report = self.env["ir.actions.report"].with_user(user).with_context(force_report_rendering=True)
        content, kind = report._render_qweb_pdf("account.account_invoices", invoice.ids)
        self.assertEqual(kind, "pdf")
        return content, PdfFileReader(io.BytesIO(content)).getNumPages()

    def test_the_invoice_annexes_its_fiches_when_the_buyer_asks(self):
        self.assertEqual(self.env["ir.actions.report"].get_wkhtmltopdf_state(), "ok", "./dev setup installs it")
        self.buyer.hvac_annex_fiches = True
        first, second = self.make_fiche(charged_recycled_kg=2.4, recovered=1.2), self.make_fiche()
        invoice = self.invoice(first | second)
        self.assertTrue(invoice.hvac_annex_fiches)
        invoice.action_post()
        # An accountant who may not read fiches prints them with the invoice all the same.
        reader = new_test_user(self.env, "bill_reader", groups="base.group_user,account.group_account_invoice")
        invoice.hvac_annex_fiches = False
        alone, invoice_pages = self._pdf(invoice, reader)
        self.assertNotIn("Cerfa 15497", pdf_text(alone))

        invoice.hvac_annex_fiches = True
        annexed, pages = self._pdf(invoice, reader)
        self.assertGreaterEqual(pages, invoice_pages + 2, "each fiche after the invoice")
        self.assertNotIn("Cerfa 15497", pdf_text(annexed, last=invoice_pages), "the invoice comes first")
        self.assertIn(
            f"Fiche d'intervention n° {first.name}", pdf_text(annexed, first=invoice_pages + 1, last=invoice_pages + 1)
        )
        annex = pdf_text(annexed, first=invoice_pages + 1)
        self.assertLess(annex.index(f"n° {first.name}"), annex.index(f"n° {second.name}"), "the fiches in date order")
        self.assertIn("Climatiseur salle informatique", annex)
