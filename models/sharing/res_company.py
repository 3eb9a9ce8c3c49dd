from odoo import fields, models

ACCOUNT_KINDS = [("contractor", "Contractor"), ("operator", "Operator or holder")]


class ResCompany(models.Model):
    _inherit = "res.company"

    hvac_account_kind = fields.Selection(
        ACCOUNT_KINDS,
        "Kind of sharing account",
        default="contractor",
        required=True,
        help="Told to the companies we connect with: an operator or holder (the installations' owner or user) "
        "can only be granted the Operator role; a contractor may be granted any role.",
    )
