from odoo import fields, models


class HvacChorusService(models.Model):
    """A service (service exécutant) of a public buyer's Chorus Pro structure."""

    _name = "hvac.chorus.service"
    _description = "Chorus Pro service"
    _order = "partner_id, code"

    partner_id = fields.Many2one("res.partner", "Structure", required=True, ondelete="cascade", index=True)
    code = fields.Char(required=True)
    name = fields.Char(required=True)
    chorus_id = fields.Integer("Chorus Pro id", required=True)
    active = fields.Boolean(default=True)
    engagement_required = fields.Boolean(
        "Engagement required", help="Chorus Pro refuses an invoice to this service without an engagement number."
    )

    _sql_constraints = [
        ("chorus_id_unique", "UNIQUE(partner_id, chorus_id)", "This Chorus Pro service is already recorded.")
    ]

    def _compute_display_name(self):
        for service in self:
            service.display_name = f"{service.code} - {service.name}"
