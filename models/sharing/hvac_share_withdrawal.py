from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from .hvac_share import REVOCABLE_ANY_TIME, REVOKE_WINDOW_HOURS, SHARE_ADMIN
from .hvac_share_resharing import GRANTED_STATES

WITHDRAW_PATH = "/hvac/share/v1/share/withdraw"


class HvacShare(models.Model):
    """Withdraw some installations from a granted share, not the whole share: the rules are those
    of a revocation (administrators; an operator's or installation manager's access only within
    72 hours of the grant or while nothing was transferred), and the withdrawal follows the
    installations down the re-sharing chain."""

    _inherit = "hvac.share"

    def _check_may_withdraw(self):
        self.ensure_one()
        if not self.env.user.has_group(SHARE_ADMIN):
            raise UserError(self.env._("Only sharing administrators withdraw installations from shares."))
        if self.side != "owner" or self.state not in GRANTED_STATES:
            raise UserError(self.env._("Installations can be withdrawn only from a share we granted."))
        window_over = self.granted_at and self.granted_at + timedelta(hours=REVOKE_WINDOW_HOURS) < fields.Datetime.now()
        if self.role not in REVOCABLE_ANY_TIME and window_over and self.transferred_at:
            raise UserError(
                self.env._(
                    "%(role)s access was granted more than 72 hours ago and its data was transferred: it stays accessible.",
                    role=self._hvac_selection_label("role", self.role),
                )
            )

    def action_withdraw_installations(self, installations):
        """Owner side, checked: what the withdrawal wizard calls."""
        self._check_connection_active()
        self._check_may_withdraw()
        if not installations or installations - self.installation_ids:
            raise UserError(self.env._("Choose installations of this share."))
        self._withdraw(
            installations, self.env._("Withdrawn from the share: %s.", ", ".join(installations.mapped("name")))
        )
        return True

    def _withdraw(self, installations, message):
        """Without further checks (the callers checked who may): the whole share goes when nothing
        would be left in it."""
        for share in self.sudo():
            withdrawn = installations & share.installation_ids
            if not withdrawn:
                continue
            if withdrawn == share.installation_ids:
                share._revoke(message)
                continue
            share._hvac_set_protected({"installation_ids": [fields.Command.unlink(i.id) for i in withdrawn]})
            share.message_post(body=message)
            self.env["hvac.connection.outbox"]._queue(
                share.connection_id,
                WITHDRAW_PATH,
                {"share": share.peer_share_id, "installations": withdrawn.mapped("public_token")},
            )

    def _receive_withdraw(self, refs):
        """Requester side: the copies withdrawn become read-only, as after a revocation; an
        installation of ours that had joined the share is ours again; what we granted in turn
        on them is withdrawn too."""
        self.ensure_one()
        share = self.sudo()
        linked = (
            self.env["hvac.installation"]
            .sudo()
            .search([("shared_from_share_id", "=", share.id), ("shared_from_ref", "in", refs)])
        )
        joined = linked & share.mapping_ids.installation_id
        joined.write({"shared_from_share_id": False, "shared_from_ref": False})
        copies = linked - joined
        copies.write({"shared_revoked": True})
        share.message_post(
            body=self.env._(
                "%(owner)s withdrew from this share: %(names)s.",
                owner=share.peer_company_name,
                names=", ".join(linked.mapped("name")) or "-",
            )
        )
        downstream = share.search(
            [("side", "=", "owner"), ("state", "in", GRANTED_STATES), ("installation_ids", "in", linked.ids)]
        )
        downstream._withdraw(
            linked,
            self.env._(
                "Withdrawn because %s withdrew these installations from the access they were shared with us under.",
                share.peer_company_name,
            ),
        )
        return linked
