from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..common.hvac_lifecycle_mixin import ALL


class HvacContainerMove(models.Model):
    """Fluid put into (recovery) or taken from (charge) a container during an intervention."""

    _name = "hvac.container.move"
    _description = "Container fluid movement"
    _inherit = ["hvac.lifecycle.mixin"]
    _check_company_auto = True
    # The cylinder's history: a move follows its fiche, and is frozen once the fiche is done.
    _hvac_parent_field = "intervention_id"
    _hvac_editable_states = {"draft": ALL}
    _hvac_deletable_states = {"draft"}

    intervention_id = fields.Many2one("hvac.intervention", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="intervention_id.company_id", store=True)
    container_id = fields.Many2one("hvac.container", required=True, index=True, check_company=True)
    direction = fields.Selection(
        [("fill", "Recovered into the container"), ("empty", "Charged from the container")],
        required=True,
        default="fill",
    )
    quantity_kg = fields.Float("Quantity (kg)", digits=(10, 3), required=True)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity_kg > 0)", "A container movement must move more than 0 kg."),
    ]

    def _hvac_lifecycle_state(self):
        state = super()._hvac_lifecycle_state()
        # A draft its holder signed on the device stays as signed, what went into its containers too.
        if state == "draft" and self.intervention_id.holder_signed_at:
            return "holder_signed"
        return state

    def _hvac_state_label(self, state):
        if state == "holder_signed":
            return self.env._("signed by its holder")
        return super()._hvac_state_label(state)

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves._adopt_fluid()
        moves._recompute_done_weights()
        return moves

    def write(self, vals):
        before = self.filtered(lambda move: move.intervention_id.state == "done").container_id
        res = super().write(vals)
        if {"container_id", "direction", "intervention_id"} & set(vals):
            self._adopt_fluid()
        self._recompute_done_weights(before)
        return res

    def unlink(self):
        containers = self.filtered(lambda move: move.intervention_id.state == "done").container_id
        res = super().unlink()
        self.env["hvac.intervention"]._hvac_recompute_done_totals(self.env["hvac.installation"], containers.exists())
        return res

    def _recompute_done_weights(self, containers=None):
        """A done fiche's moves weigh in their containers (history loaded as done); a draft's wait
        for the fiche to be validated."""
        done = self.filtered(lambda move: move.intervention_id.state == "done")
        containers = (containers or self.env["hvac.container"]) | done.container_id
        if containers:
            self.env["hvac.intervention"]._hvac_recompute_done_totals(self.env["hvac.installation"], containers)

    def _adopt_fluid(self):
        """An empty cylinder with no fluid set takes the fluid recovered into it: from then on it
        refuses any other (a technician only reads containers: the rule, not the user, sets it)."""
        for move in self.filtered(lambda m: m.direction == "fill" and not m.container_id.refrigerant_id):
            move.container_id.sudo().refrigerant_id = move.intervention_id.refrigerant_id

    @api.constrains("container_id", "intervention_id")
    def _check_fluid(self):
        for move in self:
            container_fluid = move.container_id.refrigerant_id
            if container_fluid and container_fluid != move.intervention_id.refrigerant_id:
                raise ValidationError(
                    self.env._(
                        "Container %(container)s holds %(held)s: it cannot take %(fluid)s.",
                        container=move.container_id.name,
                        held=container_fluid.name,
                        fluid=move.intervention_id.refrigerant_id.name,
                    )
                )

    @api.constrains("quantity_kg", "direction", "container_id")
    def _check_container_capacity(self):
        pending = {}
        for move in self.filtered(lambda m: m.intervention_id.state == "draft"):
            sign = 1 if move.direction == "fill" else -1
            pending[move.container_id] = pending.get(move.container_id, 0.0) + sign * move.quantity_kg
        self.container_id._check_capacity(pending)
