from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    hvac_leak_check_notice_days = fields.Integer(related="company_id.hvac_leak_check_notice_days", readonly=False)
    hvac_labour_product_id = fields.Many2one(related="company_id.hvac_labour_product_id", readonly=False)
    hvac_travel_product_id = fields.Many2one(related="company_id.hvac_travel_product_id", readonly=False)
    hvac_recovery_product_id = fields.Many2one(related="company_id.hvac_recovery_product_id", readonly=False)
