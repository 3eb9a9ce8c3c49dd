from odoo import fields, models

from ...clients.trackdechets import TrackdechetsError
from ..common.siret import siret_digits

# What sending a BSFF in Odoo needs on our establishment (research trackdechets.md §6).
NEEDED_PERMISSIONS = ("BSD_CAN_CREATE", "BSD_CAN_SIGN_EMISSION")


class ResUsers(models.Model):
    """The token check also asks whether the account belongs to our establishment, with the
    right to create and sign a BSFF there (``myCompanies``), not only whose token it is."""

    _inherit = "res.users"

    hvac_trackdechets_token_state = fields.Selection(
        selection_add=[("no_rights", "No rights on our establishment")],
        ondelete={"no_rights": "set default"},
    )

    def _hvac_token_verdict(self, token):
        state, message = super()._hvac_token_verdict(token)
        if state != "valid":
            return state, message
        siret = siret_digits(self.company_id.siret)
        if not siret:
            return state, message  # nothing to compare with yet: the company has no SIRET
        try:
            companies = self.company_id._hvac_trackdechets_client(token.strip()).my_companies()
        except TrackdechetsError:
            return "unreachable", self.env._(
                "Trackdéchets could not be reached or answered too slowly. Try again later."
            )
        ours = next((c for c in companies if c.get("siret") == siret), None)
        if not ours:
            return "no_rights", self.env._(
                "This Trackdéchets account is not a member of %(company)s (SIRET %(siret)s). Ask an administrator of the"
                " establishment on Trackdéchets to invite you.",
                company=self.company_id.name,
                siret=siret,
            )
        missing = [code for code in NEEDED_PERMISSIONS if code not in (ours.get("userPermissions") or [])]
        if missing:
            return "no_rights", self.env._(
                "Your Trackdéchets role on %(company)s (%(role)s) does not allow you to create and sign a BSFF"
                " (missing: %(missing)s). Ask an administrator of the establishment on Trackdéchets for the role"
                " Membre or Administrateur.",
                company=self.company_id.name,
                role=ours.get("userRole") or "?",
                missing=", ".join(missing),
            )
        return state, message
