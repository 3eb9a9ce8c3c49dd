from odoo import models


class HvacIntervention(models.Model):
    _inherit = "hvac.intervention"

    def _hvac_after_done(self):
        res = super()._hvac_after_done()
        # Interventions on a shared installation reach the other side (research domain.md §4.7).
        self.env["hvac.shared.intervention"]._send_done(self)
        return res

    def _hvac_on_behalf(self):
        """The owner's details when this fiche is done for it, under a share that says so
        (subcontractor or borrowed access, "our details on their documents"), else False."""
        self.ensure_one()
        return self.installation_id._hvac_on_behalf()
