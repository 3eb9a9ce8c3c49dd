from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    hvac_leak_check_notify = fields.Boolean(
        "Notify leak checks by e-mail",
        help="The daily job e-mails this customer when a leak check of one of its installations is coming due.",
    )
    hvac_fluid_distributor = fields.Boolean(
        "Refrigerant distributor",
        help="Fluid handed over to this partner counts as returned to a distributor in the annual fluid balance; "
        "to any other destination, as handed to a treatment centre.",
    )
