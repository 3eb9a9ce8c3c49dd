from odoo import api, fields, models
from odoo.osv import expression

# How a building reads and is typed: "Site / Building".
SEPARATOR = " / "


class HvacBuilding(models.Model):
    """A building of a site; each site gets a default one."""

    _name = "hvac.building"
    _description = "Building"
    _order = "site_id, name"
    _check_company_auto = True
    # A contractor knows the customer's site, its address or the customer, rarely the building's
    # own name (most are "Main building").
    _rec_names_search = [
        "name",
        "site_id.name",
        "site_id.street",
        "site_id.zip",
        "site_id.city",
        "site_id.partner_id.name",
    ]

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    site_id = fields.Many2one("hvac.site", required=True, ondelete="cascade", index=True, check_company=True)
    # The site's company; until a site is chosen, the user's current company, so that a new
    # building offers that company's sites (a related field offered none).
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
    )
    partner_id = fields.Many2one(related="site_id.partner_id", store=True, string="Customer")
    installation_ids = fields.One2many("hvac.installation", "building_id", "Installations")

    @api.depends("site_id.company_id")
    def _compute_company_id(self):
        for building in self:
            if building.site_id:
                building.company_id = building.site_id.company_id
            elif not building.company_id:
                building.company_id = self.env.company

    @api.depends("name", "site_id.name")
    def _compute_display_name(self):
        for building in self:
            building.display_name = (
                f"{building.site_id.name}{SEPARATOR}{building.name}" if building.site_id else building.name
            )

    @api.model
    def _search_display_name(self, operator, value):
        # A name as shown ("Site / Building", pasted or typed on): its site and its building.
        if operator in ("ilike", "=ilike", "=") and isinstance(value, str) and SEPARATOR.strip() in value:
            site, _sep, building = (part.strip() for part in value.partition(SEPARATOR.strip()))
            if site and building:
                return expression.AND([[("site_id.name", operator, site)], [("name", operator, building)]])
        return super()._search_display_name(operator, value)
