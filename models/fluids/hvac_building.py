from odoo import fields, models


class HvacBuilding(models.Model):
    """A building of a site; each site gets a default one."""

    _name = "hvac.building"
    _description = "Building"
    _order = "site_id, name"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    site_id = fields.Many2one("hvac.site", required=True, ondelete="cascade", index=True, check_company=True)
    company_id = fields.Many2one(related="site_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="site_id.partner_id", store=True, string="Customer")
    installation_ids = fields.One2many("hvac.installation", "building_id", "Installations")

    def _compute_display_name(self):
        for building in self:
            building.display_name = f"{building.site_id.name} / {building.name}" if building.site_id else building.name
