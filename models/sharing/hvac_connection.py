import logging
import secrets
import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ...clients import share_peer
from ...clients.share_protocol import ShareProtocolError
from .public_address import is_unreachable_address
from .res_company import ACCOUNT_KINDS

_logger = logging.getLogger(__name__)
SHARE_ADMIN = "hvac_connect.group_share_admin"
INVITATION_HOURS = 48
STATE_PATH = "/hvac/share/v1/connection/state"
PEER_STATES = ("active", "suspended", "ended")  # "invited" is ours alone


class HvacConnection(models.Model):
    """A link between our company and another company's hvac_connect (another server, or
    another company of this database), over which installations are shared.

    Pairing: one administrator creates an invitation (a one-time code holding our server's
    address); the other pastes it; both servers derive the same secret without sending it,
    and both administrators can compare the fingerprint to be certain of their peer.
    """

    _name = "hvac.connection"
    _description = "Connection with another company"
    _inherit = ["mail.thread", "hvac.lifecycle.mixin"]
    _order = "id desc"
    # Everything on a connection comes from the pairing protocol or its actions: no plain write.
    _hvac_protected_fields = frozenset(
        {
            "company_id",
            "state",
            "side",
            "public_id",
            "peer_public_id",
            "peer_url",
            "peer_company_name",
            "peer_siret",
            "suspended_by",
            "secret",
            "invitation_code",
            "invitation_digest",
            "invitation_expires_at",
        }
    )
    _hvac_deletable_states = frozenset()

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    state = fields.Selection(
        [("invited", "Invitation sent"), ("active", "Active"), ("suspended", "Suspended"), ("ended", "Ended")],
        default="invited",
        required=True,
        readonly=True,
        tracking=True,
    )
    side = fields.Selection(
        [("inviter", "We invited"), ("invitee", "We were invited")], readonly=True, required=True, default="inviter"
    )
    public_id = fields.Char(readonly=True, required=True, copy=False, index=True, default=lambda self: uuid.uuid4().hex)
    peer_public_id = fields.Char("Peer connection id", readonly=True, copy=False)
    peer_url = fields.Char("Peer server", readonly=True, copy=False)
    peer_company_name = fields.Char("Peer company", readonly=True, copy=False)
    peer_siret = fields.Char("Peer SIRET", readonly=True, copy=False)
    # Told at pairing: for an operator or holder, Operator is the only role a share may grant (seed 001).
    peer_account_kind = fields.Selection(ACCOUNT_KINDS, "Peer's kind of account", readonly=True, copy=False)
    suspended_by = fields.Selection([("us", "Us"), ("peer", "The peer")], readonly=True, copy=False)
    secret = fields.Char(readonly=True, copy=False, groups="base.group_system")
    fingerprint = fields.Char(
        compute="_compute_fingerprint",
        compute_sudo=True,
        help="Read it to the other company: the same code on both sides proves the connection is with them.",
    )
    invitation_code = fields.Char(readonly=True, copy=False, groups=SHARE_ADMIN + ",base.group_system")
    invitation_digest = fields.Char(readonly=True, copy=False, groups="base.group_system")
    invitation_expires_at = fields.Datetime(readonly=True, copy=False)
    our_url = fields.Char(
        "Our server address",
        readonly=True,
        copy=False,
        help="The address written in the invitation: the other company's server calls us there.",
    )
    our_url_unreachable = fields.Boolean("Unreachable address", compute="_compute_our_url_unreachable")

    _sql_constraints = [("public_id_unique", "UNIQUE(public_id)", "A connection id is unique.")]

    def _creation_message(self):
        # Odoo's "%s created" reads "Connexion avec une autre entreprise créé" in French.
        return self.env._("Connection created")

    @api.depends("peer_company_name", "state")
    def _compute_name(self):
        for connection in self:
            connection.name = connection.peer_company_name or self.env._("Invitation %s", connection.public_id[:8])

    @api.depends("our_url")
    def _compute_our_url_unreachable(self):
        for connection in self:
            connection.our_url_unreachable = bool(connection.our_url) and is_unreachable_address(connection.our_url)

    def _compute_fingerprint(self):
        for connection in self:
            connection.fingerprint = share_peer.fingerprint(connection.secret) if connection.secret else False

    # --- pairing ------------------------------------------------------------------------------
    def _check_admin(self):
        if not self.env.user.has_group(SHARE_ADMIN):
            raise AccessError(self.env._("Only sharing administrators manage connections."))

    def _our_public_url(self):
        """The configured base URL (Settings › Technical › System parameters › web.base.url)."""
        return (self.env["ir.config_parameter"].sudo().get_param("web.base.url") or "").rstrip("/")

    def action_invite(self):
        """A new invitation; its code is what the other company's administrator pastes.

        Not an @api.model method: the list-header button calls it with the selected ids (or
        none), which it ignores.
        """
        self._check_admin()
        connection = self._hvac_create_protected({"side": "inviter", "company_id": self.env.company.id})
        connection._issue_invitation()
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": connection.id, "view_mode": "form"}

    def copy(self, default=None):
        """A copy is a new invitation from our company: a connection is made by pairing, never by
        copying another one's peer and secret (the mixin leaves those out)."""
        self._check_admin()
        copies = super().copy(default)
        for connection in copies:
            connection._issue_invitation()
        return copies

    def _issue_invitation(self):
        """The one-time code the other company's administrator pastes, valid 48 hours."""
        self.ensure_one()
        our_url = self._our_public_url()
        code, token = share_peer.make_invitation(our_url, self.public_id)
        self.sudo()._hvac_set_protected(
            {
                "our_url": our_url,
                "invitation_code": code,
                "invitation_digest": share_peer.token_digest(token),
                "invitation_expires_at": fields.Datetime.now() + timedelta(hours=INVITATION_HOURS),
            }
        )

    @api.model
    def _accept_invitation(self, code):
        """Our side of pasting the other company's code; the connection is active on both sides."""
        self._check_admin()
        company = self.env.company
        our_url = self._our_public_url()
        connection = self._hvac_create_protected(
            {"side": "invitee", "state": "invited", "our_url": our_url, "company_id": company.id}
        )
        self.env.flush_all()  # the peer may be this very database (two companies of one database)
        try:
            answer, secret, url = share_peer.connect(
                code,
                our_url,
                connection.public_id,
                company.name,
                company.siret or "",
                extra=connection._pairing_details(),
            )
        except share_peer.PeerError as error:
            raise UserError(
                self.env._(
                    "The connection was refused or failed (%(code)s): %(message)s",
                    code=error.code,
                    message=error.message,
                )
            ) from None
        self.env.invalidate_all()
        connection.sudo()._hvac_set_protected(
            {
                "state": "active",
                "secret": secret,
                "peer_url": url,
                "peer_public_id": answer["connection"],
                "peer_company_name": answer["company"],
                "peer_siret": answer.get("siret"),
                **connection._pairing_values(answer),
            }
        )
        connection._post_connected()
        return connection

    def _post_connected(self):
        self.message_post(
            body=self.env._(
                "Connected with %(company)s (SIRET %(siret)s). Fingerprint %(fp)s.",
                company=self.peer_company_name,
                siret=self.peer_siret or "-",
                fp=self.fingerprint,
            )
        )

    def _answer_invitation(self, values):
        """The inviter's side of the handshake (called by the peer through the controller)."""
        self.ensure_one()
        connection = self.sudo()
        if connection.state != "invited" or connection.side != "inviter":
            raise ShareProtocolError("used", "invitation already used")
        if not connection.invitation_expires_at or connection.invitation_expires_at < fields.Datetime.now():
            raise ShareProtocolError("expired", "invitation expired")
        if not secrets.compare_digest(connection.invitation_digest or "", share_peer.token_digest(values["token"])):
            raise ShareProtocolError("bad_token", "invitation token does not match")
        if not share_peer.is_secure_url(values["url"]):
            raise ShareProtocolError("insecure_url", "the invited server is not on HTTPS")
        inviter_random = secrets.token_hex(32)
        connection._hvac_set_protected(
            {
                "state": "active",
                "secret": share_peer.derive_secret(values["token"], inviter_random, values["random"]),
                "peer_url": values["url"],
                "peer_public_id": values["connection"],
                "peer_company_name": values["company"],
                "peer_siret": values.get("siret"),
                "invitation_code": False,
                "invitation_digest": False,
                **connection._pairing_values(values),
            }
        )
        connection._post_connected()
        company = connection.company_id
        return {
            "random": inviter_random,
            "connection": connection.public_id,
            "company": company.name,
            "siret": company.siret or "",
            **connection._pairing_details(),
        }

    def _pairing_details(self):
        """What we tell the other side about us at pairing, beyond name and SIRET."""
        return {"account_kind": self.company_id.hvac_account_kind or "contractor"}

    def _pairing_values(self, answer):
        """What we keep of what the other side told us at pairing."""
        kind = answer.get("account_kind")
        return {"peer_account_kind": kind if kind in dict(ACCOUNT_KINDS) else "contractor"}

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
            # Calls held while the connection was suspended leave at once (see the outbox's _send).
            held = (
                self.env["hvac.connection.outbox"]
                .sudo()
                .search([("connection_id", "in", self.ids), ("state", "=", "pending")])
            )
            if held:
                held.write({"next_attempt_at": fields.Datetime.now()})
                self.env.ref("hvac_connect.ir_cron_hvac_connection_outbox")._trigger()
        return res

    # --- suspend, resume, end -------------------------------------------------------------------
    def action_suspend(self):
        return self._change_state("suspended")

    def action_resume(self):
        if any(c.suspended_by != "us" for c in self):
            raise UserError(self.env._("Only the side that suspended a connection can resume it."))
        return self._change_state("active")

    def action_end(self):
        return self._change_state("ended")

    def _change_state(self, state):
        self._check_admin()
        for connection in self:
            if connection.state == "ended":
                raise UserError(self.env._("An ended connection stays ended: invite again."))
            connection._hvac_set_protected({"state": state, "suspended_by": "us" if state == "suspended" else False})
            self.env["hvac.connection.outbox"]._queue(connection, STATE_PATH, {"state": state})
        return True

    def _apply_peer_state(self, state):
        """The peer suspended, resumed or ended the connection: the only moves a peer makes.
        It never resumes what we suspended, nor brings back an invitation or an ended link."""
        self.ensure_one()
        if state == self.state:
            return  # the same call again (a retry after a lost answer)
        if state not in PEER_STATES or self.state == "ended" or (state == "active" and self.suspended_by != "peer"):
            raise ShareProtocolError("bad_state", f"connection {self.state}: the peer cannot make it {state}")
        self.sudo()._hvac_set_protected({"state": state, "suspended_by": "peer" if state == "suspended" else False})

    # --- peer client ------------------------------------------------------------------------------
    def _peer_client(self):
        self.ensure_one()
        connection = self.sudo()
        if not connection.secret:
            # Never paired, or a neutralized copy of the database: nothing can be signed, nothing leaves.
            raise share_peer.PeerError("refused", "the connection has no secret")
        return share_peer.PeerClient(connection.peer_url, connection.peer_public_id, connection.secret)
