from odoo import fields, models

INVOICING_GROUP = "account.group_account_invoice"


class HvacInstallation(models.Model):
    """An installation under its own contract carries its own Chorus Pro service or engagement."""

    _inherit = "hvac.installation"

    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id", string="Buyer")
    chorus_service_id = fields.Many2one(
        "hvac.chorus.service",
        "Chorus Pro service",
        domain="[('partner_id', '=', commercial_partner_id)]",
        groups=INVOICING_GROUP,
        help="Overrides the site's and the customer's.",
    )
    chorus_engagement = fields.Char(
        "Engagement number", size=50, groups=INVOICING_GROUP, help="Overrides the site's and the customer's."
    )
