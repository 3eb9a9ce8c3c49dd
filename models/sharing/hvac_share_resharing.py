from odoo import api, models
from odoo.exceptions import UserError

from .hvac_share import ROLES

# What a recipient may grant in turn, by the role it received (research domain.md §4.5).
RESHARE_ROLES = {
    "operator": {role for role, _label in ROLES},
    "installation_manager": {role for role, _label in ROLES},
    "subcontractor": {"subcontractor", "borrowed"},
    "borrowed": set(),
}
GRANTED_STATES = ("approved", "in_preparation", "available", "processed")


class HvacShare(models.Model):
    """Sharing again what was shared with us: allowed by the role we received, and revoked in
    turn when our own access is revoked."""

    _inherit = "hvac.share"

    @api.model
    def _check_reshare(self, installations, role):
        copies = (
            installations.sudo()
            .with_context(active_test=False)
            .search([("id", "in", installations.ids), ("shared_from_share_id", "!=", False)])
        )
        for installation in copies.with_env(installations.env):
            received = installation.shared_from_share_id
            if installation.shared_revoked or received.state == "revoked":
                raise UserError(
                    self.env._("%s came from a share that was revoked: it cannot be shared.", installation.name)
                )
            if role not in RESHARE_ROLES.get(received.role, set()):
                raise UserError(
                    self.env._(
                        "%(installation)s was shared with us as %(received)s by %(owner)s: %(allowed)s.",
                        installation=installation.name,
                        received=received._hvac_selection_label("role", received.role),
                        owner=received.peer_company_name,
                        allowed=self._reshare_rule(received.role),
                    )
                )

    def _reshare_rule(self, role):
        if role == "subcontractor":
            return self.env._("a subcontractor may share it only with subcontractors, or lend it (borrowed)")
        return self.env._("a borrowed access cannot be shared with anyone")

    def _revoke_granted_in_turn(self, copies):
        """Our access ended: so do the accesses we granted on those installations."""
        downstream = self.sudo().search(
            [("side", "=", "owner"), ("state", "in", GRANTED_STATES), ("installation_ids", "in", copies.ids)]
        )
        downstream._revoke(
            self.env._(
                "Revoked because %s revoked the access these installations were shared with us under.",
                self.peer_company_name,
            )
        )
