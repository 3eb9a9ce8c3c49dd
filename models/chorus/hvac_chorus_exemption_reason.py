from odoo import api, models


class HvacChorusExemptionReason(models.Model):
    """Chorus Pro's own list of VAT-exemption reasons (motifExonerationTva), as its
    `recuperer/motifs/exonerationtva` service gives it. The codes are published nowhere else
    (research §3.15), so they are read from Chorus and kept per company."""

    _name = "hvac.chorus.exemption.reason"
    _inherit = "hvac.chorus.code.list"
    _description = "Chorus Pro VAT-exemption reason"

    _sql_constraints = [
        ("code_unique", "UNIQUE(company_id, code)", "A Chorus Pro VAT-exemption reason appears once per company.")
    ]

    @api.model
    def _hvac_fetch(self, client):
        return client.exemption_reasons()
