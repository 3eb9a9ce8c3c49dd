from odoo import fields, models

INVOICING_GROUP = "account.group_account_invoice"


class HvacSite(models.Model):
    """A public building is what a buyer's service pays for: its Chorus Pro service and
    engagement go on the invoices of the fiches done there."""

    _inherit = "hvac.site"

    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id", string="Buyer")
    chorus_service_id = fields.Many2one(
        "hvac.chorus.service",
        "Chorus Pro service",
        domain="[('partner_id', '=', commercial_partner_id)]",
        groups=INVOICING_GROUP,
        help="The buyer's service (service exécutant) that pays for this site; overrides the customer's.",
    )
    chorus_engagement = fields.Char(
        "Engagement number",
        size=50,
        groups=INVOICING_GROUP,
        help="The engagement juridique (purchase order) the work on this site is billed under; overrides the "
        "customer's.",
    )
