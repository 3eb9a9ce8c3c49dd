from odoo import fields, models

from ..fluids.hvac_intervention import PROTECTED_FIELDS

# "Pour le compte de": the owner's details as the fiche said them when it was validated.
ON_BEHALF_FIELDS = {
    "on_behalf_name": "name",
    "on_behalf_siret": "siret",
    "on_behalf_address": "address",
    "on_behalf_capacity_number": "capacity_number",
    "on_behalf_capacity_category": "capacity_category",
}


class HvacIntervention(models.Model):
    _inherit = "hvac.intervention"
    # What a validated fiche says it was done for is frozen with it: only validation writes it.
    _hvac_protected_fields = PROTECTED_FIELDS | frozenset(ON_BEHALF_FIELDS)

    on_behalf_name = fields.Char(
        "On behalf of",
        readonly=True,
        copy=False,
        help="The owner the fiche was done for, under a share that said so, as it stood when the fiche was"
        " validated.",
    )
    on_behalf_siret = fields.Char("On behalf of: SIRET", readonly=True, copy=False)
    on_behalf_address = fields.Char("On behalf of: address", readonly=True, copy=False)
    on_behalf_capacity_number = fields.Char("On behalf of: attestation de capacité", readonly=True, copy=False)
    on_behalf_capacity_category = fields.Char("On behalf of: attestation category", readonly=True, copy=False)

    def _hvac_done_values(self):
        # What the share says at the moment of validation is written with the validation.
        vals = super()._hvac_done_values()
        owner = self.installation_id._hvac_on_behalf()
        if owner:
            vals.update({field: owner.get(key) or False for field, key in ON_BEHALF_FIELDS.items()})
        return vals

    def _hvac_after_done(self):
        res = super()._hvac_after_done()
        # Interventions on a shared installation reach the other side (research domain.md §4.7).
        self.env["hvac.shared.intervention"]._send_done(self)
        return res

    def _hvac_on_behalf(self):
        """The owner's details when this fiche is done for it, under a share that says so
        (subcontractor or borrowed access, "our details on their documents"), else False. A draft
        shows what the share says today; a validated fiche what it said when it was validated."""
        self.ensure_one()
        if self.state == "draft":
            return self.installation_id._hvac_on_behalf()
        if not self.on_behalf_name:
            return False
        return {key: self[field] or "" for field, key in ON_BEHALF_FIELDS.items()}
