from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..common.hvac_lifecycle_mixin import ALL

PACKAGING_TYPES = [("BOUTEILLE", "Cylinder"), ("CONTENEUR", "Container"), ("CITERNE", "Tank"), ("AUTRE", "Other")]
ACCEPTATION_STATES = [("ACCEPTED", "Accepted"), ("REFUSED", "Refused")]


class HvacBsffPackaging(models.Model):
    """A container on a BSFF; the destination's acceptance and operation come back by sync."""

    _name = "hvac.bsff.packaging"
    _description = "BSFF packaging"
    _inherit = ["hvac.lifecycle.mixin"]
    _order = "bsff_id, id"
    # A line follows its slip: frozen once the emitter signed; Trackdéchets' answers come by sync.
    _hvac_parent_field = "bsff_id"
    _hvac_protected_fields = frozenset(
        {
            "td_packaging_id",
            "acceptation_status",
            "acceptation_weight_kg",
            "acceptation_date",
            "refusal_reason",
            "operation_code",
            "operation_date",
            "operation_description",
        }
    )
    _hvac_editable_states = {"draft": ALL, "sending": ALL}
    _hvac_deletable_states = {"draft", "sending"}

    bsff_id = fields.Many2one("hvac.bsff", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="bsff_id.company_id", store=True)
    container_id = fields.Many2one("hvac.container", "Container", check_company=True)
    packaging_type = fields.Selection(PACKAGING_TYPES, "Type", default="BOUTEILLE", required=True)
    other = fields.Char("Other type", help="Required when the type is Other.")
    numero = fields.Char("Number", required=True)
    volume_l = fields.Float("Volume (L)", digits=(10, 1))
    weight_kg = fields.Float("Weight (kg)", digits=(10, 3))
    td_packaging_id = fields.Char("Trackdéchets id", readonly=True, copy=False)
    acceptation_status = fields.Selection(ACCEPTATION_STATES, "Acceptance", readonly=True, copy=False)
    acceptation_weight_kg = fields.Float("Accepted weight (kg)", digits=(10, 3), readonly=True, copy=False)
    acceptation_date = fields.Datetime("Accepted on", readonly=True, copy=False)
    refusal_reason = fields.Char(readonly=True, copy=False)
    operation_code = fields.Char("Operation done", readonly=True, copy=False)
    operation_date = fields.Datetime("Processed on", readonly=True, copy=False)
    operation_description = fields.Char("Operation description", readonly=True, copy=False)

    @api.onchange("container_id")
    def _onchange_container_id(self):
        container = self.container_id
        if container:
            self.numero = container.name
            self.volume_l = container.volume_l
            self.weight_kg = self._recovered_into(container, self.bsff_id.intervention_ids)

    @api.model
    def _recovered_into(self, container, interventions):
        """The fluid these fiches recovered into this container: its weight as a waste."""
        fills = interventions.container_move_ids.filtered(
            lambda m: m.direction == "fill" and m.container_id == container
        )
        return sum(fills.mapped("quantity_kg"))

    @api.constrains("container_id")
    def _check_not_virgin(self):
        for line in self.filtered(lambda p: p.container_id.state == "virgin"):
            raise ValidationError(
                self.env._(
                    "Container %(name)s holds virgin fluid: it is not a waste packaging and cannot go on a BSFF.",
                    name=line.container_id.name,
                )
            )
