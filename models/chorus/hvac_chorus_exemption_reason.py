import re

from odoo import api, fields, models

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
    _inherit = "hvac.chorus.code.list"
    _description = "Chorus Pro VAT-exemption reason"

    vatex_code = fields.Selection(
        VATEX_CODES,
        "VATEX code",
        help="The exemption's code in the Factur-X (BT-121), which Chorus Pro's list does not give.",
    )

    _sql_constraints = [
        ("code_unique", "UNIQUE(company_id, code)", "A Chorus Pro VAT-exemption reason appears once per company.")
    ]

    @api.model
    def _hvac_fetch(self, client):
        return client.exemption_reasons()

    @api.model
    def _hvac_new_values(self, code, label):
        return {"vatex_code": next((vatex for label_re, vatex in VATEX_BY_LABEL if label_re.search(label)), False)}
