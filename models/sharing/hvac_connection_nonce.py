from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.tools import mute_logger

from ...clients.share_protocol import MAX_CLOCK_SKEW
from ..common.batch import in_batches


class HvacConnectionNonce(models.Model):
    """Nonces of the peer calls already received: a replayed call is refused."""

    _name = "hvac.connection.nonce"
    _description = "Peer call nonce"

    connection_id = fields.Many2one("hvac.connection", required=True, ondelete="cascade", index=True)
    nonce = fields.Char(required=True)

    _sql_constraints = [("nonce_unique", "UNIQUE(connection_id, nonce)", "Nonce already used.")]

    @api.model
    def _seen(self, connection, nonce):
        """True when ``nonce`` was already used on ``connection``; records it otherwise."""
        if self.sudo().search_count([("connection_id", "=", connection.id), ("nonce", "=", nonce)], limit=1):
            return True
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                self.sudo().create({"connection_id": connection.id, "nonce": nonce})
        except psycopg2.errors.UniqueViolation as error:
            if error.diag.constraint_name != "hvac_connection_nonce_nonce_unique":
                raise
            return True  # the same call delivered twice at once: the other delivery used it
        return False

    @api.model
    def _cron_purge(self):
        # Older nonces cannot come back: their timestamps are refused as stale.
        limit = fields.Datetime.now() - timedelta(seconds=2 * MAX_CLOCK_SKEW)
        in_batches(self.sudo().search([("create_date", "<", limit)]), lambda batch: batch.unlink(), size=1000)
