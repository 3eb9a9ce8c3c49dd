from datetime import timedelta

from odoo import fields, models

from .hvac_connection import STATE_PATH

HOLD = timedelta(hours=1)


class HvacConnectionOutboxHold(models.Model):
    """A call waiting for a suspended connection is kept, not sent to be refused: it leaves when
    the connection is active again. Only the change of the connection's state itself travels."""

    _inherit = "hvac.connection.outbox"

    def _send(self):
        held = self.filtered(lambda m: m.connection_id.state != "active" and m.path != STATE_PATH)
        for message in held:
            message.write(
                {
                    "next_attempt_at": fields.Datetime.now() + HOLD,
                    "last_error": f"connection {message.connection_id.state}",
                }
            )
        return super(HvacConnectionOutboxHold, self - held)._send()
