from odoo import fields, models


class HvacInterventionClearSignatures(models.TransientModel):
    """Why a draft's signatures are cleared: the reason goes to the fiche's chatter with who cleared them."""

    _name = "hvac.intervention.clear.signatures"
    _description = "Clear the signatures of a draft fiche d'intervention"

    intervention_id = fields.Many2one("hvac.intervention", "Fiche d'intervention", required=True, ondelete="cascade")
    reason = fields.Text(required=True, help="Kept in the fiche's chatter, with who cleared the signatures.")

    def action_confirm(self):
        self.ensure_one()
        self.intervention_id._hvac_clear_signatures(self.reason)
        return {"type": "ir.actions.act_window_close"}
