import io

from odoo import models
from odoo.tools import pdf

FICHE_REPORT = "hvac_connect.action_report_hvac_intervention"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """An invoice made from fiches, set to annex them, prints them (the Cerfa PDFs) after
        itself: the PDF downloaded, sent by e-mail or deposited on Chorus Pro is one file."""
        streams = super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        if not res_ids or not self._is_invoice_report(report_ref):
            return streams
        for move in self.env["account.move"].browse(res_ids):
            entry = streams.get(move.id)
            fiches = move._hvac_annexed_fiches()
            if not entry or not entry.get("stream") or not fiches:
                continue
            # The invoice's reader may not read fiches; what it bills is part of the invoice. One
            # rendering per fiche: wkhtmltopdf built without its patched Qt renders one document a call.
            annexes = [self.sudo()._render_qweb_pdf(FICHE_REPORT, res_ids=fiche.ids)[0] for fiche in fiches]
            merged = pdf.merge_pdf([entry["stream"].getvalue(), *annexes])
            entry["stream"].close()
            entry["stream"] = io.BytesIO(merged)
        return streams
