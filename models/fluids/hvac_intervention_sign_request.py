import hashlib
import secrets
from datetime import timedelta

from odoo import api, fields, models

# Long enough for a holder to read its mail after a holiday, short enough that an old link is dead.
VALIDITY_DAYS = 30
TOKEN_BYTES = 32


class HvacInterventionSignRequest(models.Model):
    """A signing link e-mailed to the holder of a validated fiche d'intervention.

    The token is in the holder's e-mail and nowhere else: this record keeps its SHA-256 only.
    It works once, until it expires, and no longer once the fiche changes or a newer request is
    sent. No group reads or writes these records: the module's code handles them as superuser
    (security/ir.model.access.csv grants nothing), so no user of the company can read a token,
    write one of their choosing or reopen a used one, over any RPC.
    """

    _name = "hvac.intervention.sign.request"
    _description = "Holder's signing request"
    _order = "id desc"

    intervention_id = fields.Many2one(
        "hvac.intervention", "Fiche d'intervention", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="intervention_id.company_id", store=True)
    partner_id = fields.Many2one("res.partner", "Sent to", required=True, ondelete="restrict")
    email = fields.Char("E-mail address", required=True)
    token_hash = fields.Char(required=True)
    expires_at = fields.Datetime("Valid until", required=True)
    state = fields.Selection(
        [("pending", "Pending"), ("used", "Used"), ("revoked", "Revoked")],
        default="pending",
        required=True,
    )
    closed_at = fields.Datetime("Used or revoked on")
    requested_by_id = fields.Many2one("res.users", "Requested by", ondelete="set null")

    _sql_constraints = [("token_hash_unique", "UNIQUE(token_hash)", "This signing token already exists.")]

    @api.model
    def _hash(self, token):
        return hashlib.sha256(token.encode()).hexdigest()

    @api.model
    def _issue(self, fiche, partner):
        """A new request for ``fiche`` (its earlier ones revoked): (request, token in clear)."""
        self._revoke(fiche)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        request = self.sudo().create(
            {
                "intervention_id": fiche.id,
                "partner_id": partner.id,
                "email": partner.email,
                "token_hash": self._hash(token),
                "expires_at": fields.Datetime.now() + timedelta(days=VALIDITY_DAYS),
                "requested_by_id": self.env.uid,
            }
        )
        return request, token

    @api.model
    def _find(self, fiche_id, token):
        """The request ``token`` opens on fiche ``fiche_id``, still usable; else an empty recordset."""
        if not isinstance(token, str) or not token or len(token) > 100:
            return self.sudo().browse()
        request = self.sudo().search(
            [("token_hash", "=", self._hash(token)), ("intervention_id", "=", fiche_id)], limit=1
        )
        return request if request._is_usable() else self.sudo().browse()

    def _is_usable(self):
        return len(self) == 1 and self.state == "pending" and self.expires_at > fields.Datetime.now()

    @api.model
    def _revoke(self, fiches):
        """Close the pending requests of ``fiches``: the ones revoked."""
        pending = self.sudo().search([("intervention_id", "in", fiches.ids), ("state", "=", "pending")])
        pending.write({"state": "revoked", "closed_at": fields.Datetime.now()})
        return pending

    def _use(self):
        self.sudo().write({"state": "used", "closed_at": fields.Datetime.now()})
