from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    hvac_leak_check_notice_days = fields.Integer(
        "Plan leak checks (days ahead)",
        default=30,
        help="The daily job creates the technician's activity, and sends the holder's notice, this many days "
        "before an installation's leak check is due.",
    )
