from odoo import models

from .hvac_bsff import UNSIGNED_STATES


class HvacIntervention(models.Model):
    """A fiche on a BSFF the emitter signed on Trackdéchets is part of that slip's record."""

    _inherit = "hvac.intervention"

    def _hvac_cancel_refusals(self):
        refusals = super()._hvac_cancel_refusals()
        # sudo: a manager without Trackdéchets rights still may not cancel what a signed slip lists.
        lines = (
            self.env["hvac.bsff.fiche"]
            .sudo()
            .search(
                [
                    ("intervention_id", "in", self.ids),
                    ("bsff_id.state", "not in", (*UNSIGNED_STATES, "initial")),
                ]
            )
        )
        for line in lines:
            refusals.append(
                self.env._(
                    "Fiche %(fiche)s is on BSFF %(bsff)s, signed on Trackdéchets: it can no longer be cancelled.",
                    fiche=line.intervention_id.display_name,
                    bsff=line.bsff_id.td_id or line.bsff_id.name,
                )
            )
        return refusals
