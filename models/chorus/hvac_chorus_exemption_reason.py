from datetime import timedelta

from odoo import api, fields, models

from ...clients.chorus_pro import ChorusProError

REFRESH_AFTER = timedelta(days=7)


class HvacChorusExemptionReason(models.Model):
    """Chorus Pro's own list of VAT-exemption reasons (motifExonerationTva), as its
    `recuperer/motifs/exonerationtva` service gives it. The codes are published nowhere else
    (research §3.15), so they are read from Chorus and kept per company."""

    _name = "hvac.chorus.exemption.reason"
    _description = "Chorus Pro VAT-exemption reason"
    _order = "name"

    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    code = fields.Char(required=True)
    name = fields.Char("Label", required=True)
    active = fields.Boolean(default=True)
    fetched_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(company_id, code)", "A Chorus Pro VAT-exemption reason appears once per company.")
    ]

    @api.model
    def _hvac_refresh(self, company):
        """Read the list again when it is a week old; Chorus unreachable keeps what we have."""
        reasons = self.sudo().with_context(active_test=False).search([("company_id", "=", company.id)])
        if reasons and min(reasons.mapped("fetched_at")) > fields.Datetime.now() - REFRESH_AFTER:
            return
        try:
            listed = company._hvac_chorus_client().exemption_reasons()
        except ChorusProError:
            return
        now = fields.Datetime.now()
        by_code = {r.code: r for r in reasons}
        for code, label in listed:
            if code in by_code:
                by_code.pop(code).write({"name": label, "active": True, "fetched_at": now})
            else:
                self.sudo().create({"company_id": company.id, "code": code, "name": label, "fetched_at": now})
        for gone in by_code.values():
            gone.write({"active": False, "fetched_at": now})
