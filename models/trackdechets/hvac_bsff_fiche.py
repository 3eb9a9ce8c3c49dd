from odoo import api, fields, models

from ..common.hvac_lifecycle_mixin import ALL


class HvacBsffFiche(models.Model):
    """A fiche d'intervention as Trackdéchets knows it: created there before the BSFF."""

    _name = "hvac.bsff.fiche"
    _description = "BSFF fiche d'intervention"
    _inherit = ["hvac.lifecycle.mixin"]
    _order = "bsff_id, id"
    # A line follows its slip: frozen once the emitter signed; Trackdéchets' answers come by sync.
    _hvac_parent_field = "bsff_id"
    _hvac_protected_fields = frozenset({"td_fiche_id"})
    _hvac_editable_states = {"draft": ALL, "sending": ALL}
    _hvac_deletable_states = {"draft", "sending"}

    bsff_id = fields.Many2one("hvac.bsff", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="bsff_id.company_id", store=True)
    intervention_id = fields.Many2one(
        "hvac.intervention", "Intervention", check_company=True, domain="[('state', '=', 'done')]"
    )
    numero = fields.Char("Fiche number", required=True)
    weight_kg = fields.Float("Weight (kg)", digits=(10, 3))
    detenteur_partner_id = fields.Many2one("res.partner", "Holder (détenteur)")
    detenteur_is_private = fields.Boolean("Private individual")
    postal_code = fields.Char("Postal code of the intervention")
    td_fiche_id = fields.Char("Trackdéchets id", readonly=True, copy=False)

    @api.constrains("intervention_id", "bsff_id")
    def _check_one_fluid(self):
        self.bsff_id._check_one_fluid()

    @api.onchange("intervention_id")
    def _onchange_intervention_id(self):
        if self.intervention_id:
            self.update(self._values_from_intervention(self.intervention_id))

    @api.model
    def _values_from_intervention(self, intervention):
        holder = intervention.partner_id
        # A contact person of a company: the holder is that company, with its SIRET.
        if holder.commercial_partner_id.is_company:
            holder = holder.commercial_partner_id
        return {
            "intervention_id": intervention.id,
            "numero": intervention.name,
            "weight_kg": intervention.recovered_total_kg,
            "detenteur_partner_id": holder.id,
            "detenteur_is_private": not holder.is_company and not holder.siret,
            "postal_code": intervention.site_id.zip or holder.zip,
        }
