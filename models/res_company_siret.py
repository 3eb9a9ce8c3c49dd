from odoo import fields, models


class ResCompany(models.Model):
    """Our own SIRET goes on every BSFF and Chorus invoice: the same warning as partners."""

    _inherit = "res.company"

    hvac_siret_warning = fields.Char(related="partner_id.hvac_siret_warning")
