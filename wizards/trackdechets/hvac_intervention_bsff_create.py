from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ...models.trackdechets.hvac_bsff import OPERATION_CODES


class HvacInterventionBsffCreate(models.TransientModel):
    """Prepare one BSFF from done fiches d'intervention: their containers, weights and fluid."""

    _name = "hvac.intervention.bsff.create"
    _description = "Create a BSFF from interventions"

    intervention_ids = fields.Many2many(
        "hvac.intervention", string="Interventions", required=True, domain="[('state', '=', 'done')]"
    )
    destination_partner_id = fields.Many2one(
        "res.partner",
        "Destination",
        compute="_compute_destination_partner_id",
        store=True,
        readonly=False,
        domain=[("hvac_fluid_receiver", "=", True)],
        help="Where the fiches send their recovered fluid (cadre 13).",
    )
    destination_operation_code = fields.Selection(OPERATION_CODES, "Planned operation", default="R2")
    transporter_is_self = fields.Boolean("We carry it ourselves")
    transporter_partner_id = fields.Many2one("res.partner", "Transporter")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "hvac.intervention":
            values["intervention_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return values

    @api.depends("intervention_ids")
    def _compute_destination_partner_id(self):
        # Where the fiches send their fluid (cadre 13); fiches naming several leave the choice.
        for wizard in self:
            destinations = wizard.intervention_ids.destination_partner_id
            if len(destinations) == 1:
                wizard.destination_partner_id = destinations
            elif destinations:
                wizard.destination_partner_id = False

    def _check_interventions(self):
        interventions = self.intervention_ids
        not_done = interventions.filtered(lambda i: i.state != "done")
        if not_done:
            raise UserError(
                _("Only done fiches d'intervention go on a BSFF: %s.", ", ".join(not_done.mapped("display_name")))
            )
        fluids = interventions.refrigerant_id
        if len(fluids) > 1:
            raise UserError(
                _(
                    "A BSFF carries one fluid, these fiches recovered %(fluids)s: make one BSFF per fluid.",
                    fluids=", ".join(sorted(fluids.mapped("name"))),
                )
            )
        taken = self.env["hvac.bsff.fiche"].search([("intervention_id", "in", interventions.ids)])
        if taken:
            raise UserError(_("Already on a BSFF: %s.", ", ".join(f"{f.numero} ({f.bsff_id.name})" for f in taken)))
        if not interventions.container_move_ids.filtered(lambda m: m.direction == "fill"):
            raise UserError(_("None of these fiches put recovered fluid into a container."))

    def action_create(self):
        self.ensure_one()
        self._check_interventions()
        interventions = self.intervention_ids.sorted("name")
        fluid = interventions.refrigerant_id
        # A virgin-fluid cylinder is never a waste packaging (validation refuses filling one).
        containers = interventions.container_move_ids.filtered(lambda m: m.direction == "fill").container_id
        containers = containers.filtered(lambda c: c.state != "virgin")
        Packaging = self.env["hvac.bsff.packaging"]
        bsff = self.env["hvac.bsff"].create(
            {
                "refrigerant_id": fluid.id,
                "waste_code": fluid.bsff_waste_code,
                "waste_description": fluid.name,
                "waste_adr": fluid.adr_mention,
                "destination_partner_id": self.destination_partner_id.id,
                "destination_operation_code": self.destination_operation_code,
                "transporter_is_self": self.transporter_is_self,
                "transporter_partner_id": (
                    self.env.company.partner_id if self.transporter_is_self else self.transporter_partner_id
                ).id,
                "packaging_ids": [
                    fields.Command.create(
                        {
                            "container_id": c.id,
                            "numero": c.name,
                            "volume_l": c.volume_l,
                            "weight_kg": Packaging._recovered_into(c, interventions),
                        }
                    )
                    for c in containers
                ],
                "fiche_ids": [
                    fields.Command.create(self.env["hvac.bsff.fiche"]._values_from_intervention(i))
                    for i in interventions
                ],
            }
        )
        interventions._hvac_set_protected({"bsff_number": bsff.name})
        return {"type": "ir.actions.act_window", "res_model": "hvac.bsff", "res_id": bsff.id, "view_mode": "form"}
