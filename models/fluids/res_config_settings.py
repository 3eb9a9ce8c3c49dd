from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    hvac_leak_check_notice_days = fields.Integer(related="company_id.hvac_leak_check_notice_days", readonly=False)
