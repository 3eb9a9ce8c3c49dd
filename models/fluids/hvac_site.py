from odoo import api, fields, models

from .french_regions import REGIONS, region_from_zip


class HvacSite(models.Model):
    """A customer's location (emplacement): an address holding buildings and installations."""

    _name = "hvac.site"
    _description = "Customer site"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The détenteur (holder) of the installations of this site.",
    )
    street = fields.Char()
    street2 = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    country_id = fields.Many2one("res.country", default=lambda self: self.env.ref("base.fr", raise_if_not_found=False))
    region = fields.Selection(REGIONS, compute="_compute_region", store=True, readonly=False)
    note = fields.Html()
    building_ids = fields.One2many("hvac.building", "site_id", "Buildings")
    installation_ids = fields.One2many("hvac.installation", "site_id", "Installations")
    installation_count = fields.Integer(compute="_compute_installation_count")

    @api.depends("zip")
    def _compute_region(self):
        for site in self:
            site.region = region_from_zip(site.zip) or site.region

    def _compute_installation_count(self):
        counts = dict(
            self.env["hvac.installation"]._read_group([("site_id", "in", self.ids)], ["site_id"], ["__count"])
        )
        for site in self:
            site.installation_count = counts.get(site, 0)

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        partner = self.partner_id
        if partner and not self.street:
            self.update(
                {
                    "street": partner.street,
                    "street2": partner.street2,
                    "zip": partner.zip,
                    "city": partner.city,
                    "country_id": partner.country_id,
                }
            )

    @api.model_create_multi
    def create(self, vals_list):
        sites = super().create(vals_list)
        if self.env.context.get("hvac_no_default_building"):
            return sites
        # Every site has at least one building, so installations can be added at once.
        self.env["hvac.building"].create(
            [{"name": self.env._("Main building"), "site_id": site.id} for site in sites if not site.building_ids]
        )
        return sites

    def action_view_installations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("hvac_connect.hvac_installation_action")
        action["domain"] = [("site_id", "=", self.id)]
        action["context"] = {"default_building_id": self.building_ids[:1].id}
        return action
