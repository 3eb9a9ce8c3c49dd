from odoo import fields, models

from .res_company_share import ACCOUNT_KINDS


class HvacConnectionKind(models.Model):
    """The kind of account of the other company, told at pairing: for an operator or holder,
    Operator is the only role a share may grant (seed 001)."""

    _inherit = "hvac.connection"

    peer_account_kind = fields.Selection(ACCOUNT_KINDS, "Peer's kind of account", readonly=True, copy=False)

    def _pairing_details(self):
        details = super()._pairing_details()
        details["account_kind"] = self.company_id.hvac_account_kind or "contractor"
        return details

    def _pairing_values(self, answer):
        values = super()._pairing_values(answer)
        kind = answer.get("account_kind")
        values["peer_account_kind"] = kind if kind in dict(ACCOUNT_KINDS) else "contractor"
        return values

    def action_request_share(self):
        """A share request prefilled from this connection (seeds 001 and 003 start it here)."""
        self.ensure_one()
        if self.state != "active":
            self.env["hvac.share"].new({"connection_id": self.id})._check_connection_active()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hvac.share",
            "view_mode": "form",
            "target": "current",
            "name": self.env._("Share request"),
            "context": {
                "default_connection_id": self.id,
                "default_side": "requester",
                "default_level_requested": "customer",
            },
        }

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") == "active":
            # Calls held while the connection was suspended leave at once (see the outbox hold).
            held = (
                self.env["hvac.connection.outbox"]
                .sudo()
                .search([("connection_id", "in", self.ids), ("state", "=", "pending")])
            )
            if held:
                held.write({"next_attempt_at": fields.Datetime.now()})
                self.env.ref("hvac_connect.ir_cron_hvac_connection_outbox")._trigger()
        return res
