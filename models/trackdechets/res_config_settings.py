from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    hvac_trackdechets_environment = fields.Selection(related="company_id.hvac_trackdechets_environment", readonly=False)
    hvac_trackdechets_contact_id = fields.Many2one(related="company_id.hvac_trackdechets_contact_id")
