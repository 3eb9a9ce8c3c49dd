import re
from datetime import timedelta

from odoo import api, fields, models

from ...clients.chorus_pro import ChorusProError

REFRESH_AFTER = timedelta(days=7)
# The VATEX codes (EN 16931 code list, BT-121) of exemptions a French supplier states with VAT
# category E; the French reform accepts the same list.
VATEX_CODES = [
    ("VATEX-FR-FRANCHISE", "VATEX-FR-FRANCHISE - Small business exemption (CGI art. 293 B)"),
    ("VATEX-EU-132", "VATEX-EU-132 - Activities in the public interest (CGI art. 261, Directive art. 132)"),
    ("VATEX-EU-135-1", "VATEX-EU-135-1 - Financial and property transactions (Directive art. 135)"),
    ("VATEX-EU-143", "VATEX-EU-143 - Exempt importations (Directive art. 143)"),
    ("VATEX-EU-148", "VATEX-EU-148 - International sea and air transport (Directive art. 148)"),
    ("VATEX-EU-151", "VATEX-EU-151 - Diplomatic missions and international bodies (Directive art. 151)"),
    ("VATEX-EU-309", "VATEX-EU-309 - Travel agents outside the EU (Directive art. 309)"),
    ("VATEX-EU-79-C", "VATEX-EU-79-C - Disbursements (Directive art. 79 c)"),
]
# Chorus' labels that name an exemption unambiguously; any other is left for a manager to set.
VATEX_BY_LABEL = [(re.compile(r"293\s*B", re.I), "VATEX-FR-FRANCHISE")]


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
    vatex_code = fields.Selection(
        VATEX_CODES,
        "VATEX code",
        help="The exemption's code in the Factur-X (BT-121), which Chorus Pro's list does not give.",
    )

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
                self.sudo().create(
                    {
                        "company_id": company.id,
                        "code": code,
                        "name": label,
                        "fetched_at": now,
                        "vatex_code": next(
                            (vatex for label_re, vatex in VATEX_BY_LABEL if label_re.search(label)), False
                        ),
                    }
                )
        for gone in by_code.values():
            gone.write({"active": False, "fetched_at": now})
