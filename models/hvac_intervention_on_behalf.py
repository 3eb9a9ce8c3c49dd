from odoo import models


class HvacInterventionOnBehalf(models.Model):
    _inherit = "hvac.intervention"

    def _hvac_on_behalf(self):
        """The owner's details when this fiche is done for it, under a share that says so
        (subcontractor or borrowed access, "our details on their documents"), else False."""
        self.ensure_one()
        return self.installation_id._hvac_on_behalf()
