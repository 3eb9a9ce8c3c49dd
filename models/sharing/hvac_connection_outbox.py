import logging
import uuid
from datetime import timedelta

from odoo import api, fields, models

from ...clients.share_peer import PeerError
from ..common.batch import in_batches
from .hvac_connection import STATE_PATH

_logger = logging.getLogger(__name__)
MAX_DELAY = timedelta(hours=24)
HOLD = timedelta(hours=1)
OUTBOX_BATCH = 10


class HvacConnectionOutbox(models.Model):
    """Calls to a peer, kept until the peer confirms them: nothing is lost while it is down.

    Each call carries an idempotency key, so a retry after a lost answer changes nothing twice.
    """

    _name = "hvac.connection.outbox"
    _description = "Call waiting for a peer"
    _order = "id"

    connection_id = fields.Many2one("hvac.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    path = fields.Char(required=True)
    payload = fields.Json(required=True)
    idempotency_key = fields.Char(required=True, default=lambda self: uuid.uuid4().hex)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Done"), ("refused", "Refused")], default="pending", required=True, index=True
    )
    attempts = fields.Integer()
    next_attempt_at = fields.Datetime(default=fields.Datetime.now, index=True)
    last_error = fields.Char()

    @api.model
    def _queue(self, connection, path, payload):
        """Keep the call and have the retry cron send it at once: a user's click never waits on
        the peer, and a peer that is down loses nothing."""
        message = self.sudo().create({"connection_id": connection.id, "path": path, "payload": payload})
        self.env.ref("hvac_connect.ir_cron_hvac_connection_outbox")._trigger()
        return message

    def _send(self):
        # A call waiting for a suspended connection is kept, not sent to be refused: it leaves when
        # the connection is active again. Only the change of the connection's state itself travels.
        held = self.filtered(lambda m: m.connection_id.state != "active" and m.path != STATE_PATH)
        for message in held:
            message.write(
                {
                    "next_attempt_at": fields.Datetime.now() + HOLD,
                    "last_error": f"connection {message.connection_id.state}",
                }
            )
        # The peer may be this very database (two companies of one database): it must see our
        # writes, and we must see its.
        self.env.flush_all()
        for message in self - held:
            try:
                message.connection_id._peer_client().call(
                    message.path, dict(message.payload, idempotency_key=message.idempotency_key)
                )
            except PeerError as error:
                message._failed(error)
            else:
                self.env.invalidate_all()
                message.write({"state": "done", "last_error": False})

    def _failed(self, error):
        attempts = self.attempts + 1
        if error.code == "refused":
            self.write({"state": "refused", "attempts": attempts, "last_error": error.message[:200]})
            return
        # Exponential backoff: 2, 4, 8 ... minutes, at most a day between attempts.
        delay = min(timedelta(minutes=2**attempts), MAX_DELAY)
        self.write({"attempts": attempts, "next_attempt_at": fields.Datetime.now() + delay, "last_error": error.code})
        _logger.info(
            "Peer call %s to connection %s failed (%s): retry in %s",
            self.path,
            self.connection_id.id,
            error.code,
            delay,
        )

    @api.model
    def _cron_retry(self, limit=200):
        due = self.search([("state", "=", "pending"), ("next_attempt_at", "<=", fields.Datetime.now())], limit=limit)
        # Committed a few calls at a time: a worker stopped mid-way sends again only the calls
        # of its last batch, which their idempotency keys make harmless.
        in_batches(due, lambda batch: batch._send(), size=OUTBOX_BATCH)
