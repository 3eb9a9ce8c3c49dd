import json
import logging
import uuid
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from ...clients import share_schema
from ...clients.share_peer import PeerError
from ...clients.share_protocol import ShareProtocolError
from ..common.batch import again_soon, in_batches
from ..common.commit import commit
from ..common.hvac_lifecycle_mixin import ALL

_logger = logging.getLogger(__name__)
SHARE_ADMIN = "hvac_connect.group_share_admin"
SHARE_USER = "hvac_connect.group_share_user"
LEVELS = [("customer", "Customer"), ("location", "Location"), ("installation", "Installation")]
# "Installation operator" (Exploitant): the Cerfa's "opérateur" is the contractor, another word.
ROLES = [
    ("operator", "Installation operator"),
    ("installation_manager", "Installation manager"),
    ("subcontractor", "Subcontractor"),
    ("borrowed", "Borrowed"),
]
STATES = [
    ("requested", "Requested"),
    ("to_evaluate", "To evaluate"),
    ("rejected", "Rejected"),
    ("approved", "Approved"),
    ("in_preparation", "In preparation"),
    ("available", "Available"),
    ("processed", "Processed"),
    ("revoked", "Revoked"),
]
PATHS = {
    "request": "/hvac/share/v1/share/request",
    "decision": "/hvac/share/v1/share/decision",
    "available": "/hvac/share/v1/share/available",
    "page": "/hvac/share/v1/share/page",
    "revoke": "/hvac/share/v1/share/revoke",
}
REVOCABLE_ANY_TIME = {"subcontractor", "borrowed"}
# The moves the owner (the peer) may make on our side of a share we asked for: from -> to.
PEER_MOVES = {
    "decision": {"requested"},
    "available": {"approved"},
    "revoke": {"requested", "approved", "available", "processed"},
}
REVOKE_WINDOW_HOURS = 72
# What the owner grants and the protocol records: set by the evaluation, the peer's messages and
# the background jobs only, never by a plain write (a requester could grant itself a share).
PROTECTED_FIELDS = {
    "state",
    "side",
    "public_id",
    "peer_share_id",
    "level",
    "role",
    "our_details_on_documents",
    "installation_ids",
    "granted_at",
    "page_count",
    "transferred_at",
    "import_map",
    "processing_queued",
    "imported_page_count",
    "imported_count",
    "page_first_ids",
    "fetch_error",
}


class HvacShare(models.Model):
    """A share of installation data between two connected companies, seen from either side:
    the requester asks, the owner evaluates, prepares and makes it available, the requester
    processes it (seeds 001 and 003, research domain.md §4)."""

    _name = "hvac.share"
    _description = "Installation share"
    _inherit = ["mail.thread", "mail.activity.mixin", "hvac.lifecycle.mixin"]
    _order = "id desc"
    _hvac_protected_fields = frozenset(PROTECTED_FIELDS)
    # Once asked, the request's connection and level stay what the owner evaluates.
    _hvac_editable_states = dict.fromkeys((state for state, _label in STATES), ALL)
    _hvac_fixed_fields = dict.fromkeys(
        (state for state, _label in STATES if state != "requested"), {"connection_id", "level_requested"}
    )
    _hvac_deletable_states = {"requested", "rejected"}
    _page_size = 200  # installations per payload page: bounds memory on both sides

    name = fields.Char("Reference", required=True, tracking=True, help="Visible to the other company.")
    description = fields.Text()
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    connection_id = fields.Many2one("hvac.connection", required=True, index=True, domain="[('state', '=', 'active')]")
    peer_company_name = fields.Char(related="connection_id.peer_company_name")
    side = fields.Selection(
        [("requester", "We asked"), ("owner", "We own the data")], required=True, readonly=True, default="requester"
    )
    public_id = fields.Char(readonly=True, required=True, copy=False, index=True, default=lambda self: uuid.uuid4().hex)
    peer_share_id = fields.Char(readonly=True, copy=False, index=True)
    state = fields.Selection(STATES, default="requested", required=True, readonly=True, tracking=True, index=True)
    level_requested = fields.Selection(LEVELS, "Suggested level", required=True, default="installation")
    level = fields.Selection(LEVELS, "Granted level", readonly=True, tracking=True)
    role = fields.Selection(ROLES, readonly=True, tracking=True)
    our_details_on_documents = fields.Boolean(
        "Our details on their documents",
        readonly=True,
        help="For subcontractors and borrowers: the owner's details appear on the requester's work orders and certificates.",
    )
    installation_ids = fields.Many2many("hvac.installation", string="Installations", readonly=True)
    granted_at = fields.Datetime(readonly=True, copy=False)
    page_count = fields.Integer(readonly=True, copy=False)
    transferred_at = fields.Datetime(
        "Transferred on", readonly=True, copy=False, help="When the requester received the last page."
    )
    received_page_ids = fields.One2many("hvac.share.page", "share_id", "Received pages")
    fetch_error = fields.Char(
        "Reception refused", readonly=True, copy=False, help="Why the last page the other company sent was not kept."
    )
    # "Our details on their documents" (subcontractor, borrowed): the owner sends its name, SIRET,
    # address and attestation de capacité with the approval; the recipient prints them as
    # "pour le compte de" on the fiches d'intervention and reports of the installations shared.
    owner_details = fields.Json("Owner's details for our documents", readonly=True, copy=False)

    _sql_constraints = [
        ("public_id_unique", "UNIQUE(public_id)", "A share id is unique."),
        # A request delivered several times (retries, concurrent deliveries) is one share.
        ("peer_share_unique", "UNIQUE(connection_id, peer_share_id)", "This share request was already received."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        # Refused before anything is saved: the request would only stay "requested" here.
        connections = self.env["hvac.connection"].browse(
            [
                vals["connection_id"]
                for vals in vals_list
                if vals.get("connection_id") and vals.get("side", "requester") == "requester"
            ]
        )
        self._check_connections_active(connections)
        shares = super().create(vals_list)
        shares.filtered(lambda s: s.side == "requester").action_request()
        return shares

    def _hvac_selection_label(self, field, value):
        # Put in a sentence of the user's language, a state or role reads in that language too.
        return dict(self._fields[field]._description_selection(self.env)).get(value, value)

    # Nothing is asked over a connection that is not active: the other side would refuse it, and
    # the user would only find a request stuck as "requested". We refuse it here, saying why.
    # (Revoking stays possible: it takes effect here at once, and reaches the other side when the
    # connection is resumed.)
    def _check_connection_active(self):
        self._check_connections_active(self.connection_id)

    @api.model
    def _check_connections_active(self, connections):
        for connection in connections:
            if connection.state == "suspended":
                who = (
                    self.env._("we suspended it")
                    if connection.suspended_by == "us"
                    else self.env._("%s suspended it", connection.peer_company_name)
                )
                raise UserError(
                    self.env._(
                        "The connection with %(company)s is suspended (%(who)s): nothing can be asked or sent over it until it is resumed.",
                        company=connection.peer_company_name,
                        who=who,
                    )
                )
            if connection.state != "active":
                raise UserError(
                    self.env._(
                        "The connection with %s is not active (ended or not yet accepted): nothing can be asked or sent over it.",
                        connection.peer_company_name or connection.name,
                    )
                )

    # --- requester side -------------------------------------------------------------------------
    def action_request(self):
        """Send the request to the owner; it shows there as "to evaluate"."""
        self._check_connection_active()
        if self and not self.env.user.has_group(SHARE_USER):
            raise AccessError(self.env._("Only sharing users request shares."))
        for share in self:
            payload = {
                "share": share.public_id,
                "name": share.name,
                "description": share.description or "",
                "level": share.level_requested,
            }
            self.env["hvac.connection.outbox"]._queue(share.connection_id, PATHS["request"], payload)
        return True

    @api.model
    def _receive_request(self, connection, payload):
        """Owner side: a request arrived (checked by the protocol's schema); share administrators
        are told (activity and message). Returns the share's public id; the same request again
        (a retry, or several deliveries at once) is the same share."""
        self = self.sudo()  # noqa: PLW0642 - the peer has no Odoo user: the protocol checked it
        domain = [("connection_id", "=", connection.id), ("peer_share_id", "=", payload["share"])]
        if share := self.search(domain, limit=1):
            return share.public_id
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                share = self._hvac_create_protected(
                    {
                        "name": payload["name"],
                        "description": payload["description"],
                        "connection_id": connection.id,
                        "side": "owner",
                        "state": "to_evaluate",
                        "peer_share_id": payload["share"],
                        "level_requested": payload["level"],
                    }
                )
        except psycopg2.errors.UniqueViolation:
            return self._concurrent_request(domain)
        admins = self.env.ref(SHARE_ADMIN).sudo().users.filtered(lambda u: connection.company_id in u.company_ids)
        for admin in admins:
            share.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=admin.id,
                summary=self.env._("Share request from %s to evaluate", connection.peer_company_name),
            )
        share.message_post(body=self.env._("Share requested by %s.", connection.peer_company_name))
        return share.public_id

    @api.model
    def _concurrent_request(self, domain):
        """The same request was stored by a delivery running at the same time as this one: its
        share, read in this transaction if it sees it, else in a fresh one (it committed after
        our snapshot was taken)."""
        if share := self.search(domain, limit=1):
            return share.public_id
        with self.env.registry.cursor() as cr:
            return self.with_env(self.env(cr=cr)).search(domain, limit=1).public_id

    def _check_peer_move(self, move, target_state=None):
        """The owner may only move our share the way the protocol goes; the same move delivered
        again (a retry after a lost answer) changes nothing."""
        self.ensure_one()
        if self.side != "requester":
            raise ShareProtocolError("unknown_share", "no such share on this connection")
        if target_state and self.state == target_state:
            return False
        if self.state not in PEER_MOVES[move]:
            raise ShareProtocolError("bad_state", f"share {self.state}: no {move} now")
        return True

    def _receive_decision(self, payload):
        self.ensure_one()
        if self._check_peer_move("decision", payload["state"]):
            values = {"state": payload["state"]}
            if payload["state"] == "approved":
                values.update(
                    level=payload["level"],
                    role=payload["role"],
                    our_details_on_documents=payload["details"],
                    granted_at=fields.Datetime.now(),
                )
            self.sudo()._hvac_set_protected(values)
            self.message_post(
                body=self.env._(
                    "%(company)s answered: %(state)s.",
                    company=self.peer_company_name,
                    state=self._hvac_selection_label("state", payload["state"]),
                )
            )
        self._keep_owner_details(payload)

    def _keep_owner_details(self, payload):
        owner = payload.get("owner")
        if payload.get("state") == "approved" and payload.get("details") and isinstance(owner, dict):
            keys = ("name", "siret", "address", "capacity_number", "capacity_category")
            self.sudo().owner_details = {key: str(owner.get(key) or "")[:200] for key in keys}

    def _receive_available(self, payload):
        self.ensure_one()
        if not self._check_peer_move("available", "available"):
            return
        self.sudo()._hvac_set_protected({"state": "available", "page_count": payload["pages"]})
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.create_uid.id,
            summary=self.env._("Share available: process it"),
        )

    # --- owner side ------------------------------------------------------------------------------
    def _decide(self, state, values=None):
        self._check_connection_active()
        role = (values or {}).get("role")
        if state == "approved" and self.connection_id.peer_account_kind == "operator" and role != "operator":
            raise UserError(
                self.env._(
                    "%s has an operator's account: Operator is the only role it can be granted.", self.peer_company_name
                )
            )
        self.ensure_one()
        if not self.env.user.has_group(SHARE_ADMIN):
            raise AccessError(self.env._("Only sharing administrators evaluate shares."))
        self.check_access("write")
        if self.side != "owner" or self.state != "to_evaluate":
            raise UserError(self.env._("Only a share to evaluate can be approved or rejected."))
        if state == "approved":
            granted = self.new(values or {})
            self._check_granted_installations(granted.installation_ids)
            self._check_reshare(granted.installation_ids, granted.role)
        self.sudo()._hvac_set_protected(
            dict(values or {}, state=state, granted_at=fields.Datetime.now() if state == "approved" else False)
        )
        payload = {"share": self.peer_share_id, "state": state}
        if state == "approved":
            payload.update(
                level=self.level, role=self.role, details=self.our_details_on_documents, **self._decision_details()
            )
            self.sudo()._hvac_set_protected({"state": "in_preparation"})
        self.env["hvac.connection.outbox"]._queue(self.connection_id, PATHS["decision"], payload)
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def _decision_details(self):
        if not self.our_details_on_documents:
            return {}
        company = self.company_id
        return {
            "owner": {
                "name": company.name,
                "siret": company.siret or "",
                "address": ", ".join(
                    filter(
                        None,
                        (
                            line.strip(" ,")
                            for line in company.partner_id._display_address(without_company=True).split("\n")
                        ),
                    )
                ),
                "capacity_number": company.hvac_capacity_number or "",
                "capacity_category": company.hvac_capacity_category or "",
            }
        }

    def _check_granted_installations(self, installations):
        """Only installations of the share's company that the evaluating user can read."""
        installations = installations.with_user(self.env.user)
        installations.check_access("read")
        # A search, not a filter over the records: a share may hold tens of thousands of them.
        foreign = (
            installations.sudo()
            .with_context(active_test=False)
            .search([("id", "in", installations.ids), ("company_id", "!=", self.company_id.id)], limit=1)
        )
        if foreign:
            raise AccessError(self.env._("%s does not belong to the company of this share.", foreign[0].display_name))

    def action_reject(self):
        self._decide("rejected")
        return True

    @api.model
    def _cron_prepare(self):
        """Make the approved shares available: count their pages and tell the requester."""
        shares = self.sudo().search([("state", "=", "in_preparation")])
        # One share per transaction: a share someone holds is prepared a few minutes later.
        held = in_batches(shares, lambda batch: batch._prepare_each(), size=1)
        again_soon(self.env, "hvac_connect.ir_cron_hvac_share_prepare", held)

    def _prepare_each(self):
        for share in self:
            pages = share._prepare_pages()  # where each page starts: a page is then read by its index
            share._hvac_set_protected({"state": "available", "page_count": pages})
            self.env["hvac.connection.outbox"]._queue(
                share.connection_id, PATHS["available"], {"share": share.peer_share_id, "pages": pages}
            )

    # --- requester side: receiving and processing ------------------------------------------------------
    def action_fetch(self):
        """Receive in the background: the transfer cron runs at once."""
        self._check_connection_active()
        self.env.ref("hvac_connect.ir_cron_hvac_share_fetch")._trigger()
        return True

    @api.model
    def _cron_fetch(self):
        for share in self.sudo().search([("side", "=", "requester"), ("state", "=", "available")]):
            try:
                share._fetch()
            except PeerError as error:
                _logger.warning("Share %s: pages not received yet (%s)", share.id, error.code)
            except share_schema.InvalidInput as error:
                # The owner's server is another company's: a page that breaks the schema is not kept.
                _logger.warning("Share %s: a page was refused: %s", share.id, error.args[0])
                share._refused_page(error.args[0])

    def _refused_page(self, reason):
        """Tell whoever asked, once per reason (the transfer job tries again on each run)."""
        if self.fetch_error == reason:
            return
        self._hvac_set_protected({"fetch_error": reason})
        self.message_post(
            body=self.env._(
                "A page sent by %(company)s was refused and not kept (%(reason)s). Ask them to check their data; "
                "the transfer goes on by itself once they send valid pages.",
                company=self.peer_company_name,
                reason=reason,
            )
        )
        commit(self.env)

    def _fetch(self):
        """Pull the pages not received yet (resumable: a page received is never asked again)."""
        for share in self:
            have = set(share.received_page_ids.mapped("number"))
            client = share.connection_id._peer_client()
            spec = share_schema.share_page_spec(self.env["hvac.intervention"]._fields["nature"].get_values(self.env))
            self.env.flush_all()
            for number in range(share.page_count):
                if number not in have:
                    data = share_schema.validate(
                        client.call(PATHS["page"], {"share": share.public_id, "page": number}), spec
                    )
                    if data["number"] != number:
                        raise share_schema.InvalidInput("number", f"page {data['number']} instead of {number}")
                    self.env.invalidate_all()  # the peer may be this very database
                    size = len(json.dumps(data, separators=(",", ":")))
                    self.env["hvac.share.page"].sudo().create(
                        {"share_id": share.id, "number": number, "data": data, "size_bytes": size}
                    )
                    if share.fetch_error:
                        share._hvac_set_protected({"fetch_error": False})
                    # One page per transaction, and nothing of it kept in memory once stored.
                    commit(self.env)
                    self.env.invalidate_all()
        return True

    # --- revocation ----------------------------------------------------------------------------------
    def action_revoke(self):
        """Owner side: a subcontractor's or borrower's access at any time; an installation
        manager's or operator's within 72 hours of the grant, or while nothing was transferred."""
        for share in self:
            if not self.env.user.has_group(SHARE_ADMIN):
                raise AccessError(self.env._("Only sharing administrators revoke shares."))
            if share.side != "owner" or share.state not in ("approved", "in_preparation", "available", "processed"):
                raise UserError(self.env._("Only a share we granted can be revoked."))
            share._check_within_revoke_window()
            share._revoke(self.env._("Access revoked."))
        return True

    def _check_within_revoke_window(self):
        """An operator's or installation manager's access, once its data was transferred, is
        taken back only within 72 hours of the grant; a subcontractor's or borrower's at any time.
        The rule of a revocation and of a withdrawal of some installations alike."""
        self.ensure_one()
        window_over = self.granted_at and self.granted_at + timedelta(hours=REVOKE_WINDOW_HOURS) < fields.Datetime.now()
        if self.role not in REVOCABLE_ANY_TIME and window_over and self.transferred_at:
            raise UserError(
                self.env._(
                    "%(role)s access was granted more than 72 hours ago and its data was transferred: it stays accessible.",
                    role=self._hvac_selection_label("role", self.role),
                )
            )

    def _revoke(self, message):
        """Revoke without further checks: the callers checked who may."""
        for share in self.sudo():
            share._hvac_set_protected({"state": "revoked"})
            share.message_post(body=message)
            self.env["hvac.connection.outbox"]._queue(
                share.connection_id, PATHS["revoke"], {"share": share.peer_share_id}
            )

    def _receive_revoke(self):
        """Requester side: nothing more can be processed, and what was imported becomes read-only."""
        self.ensure_one()
        if not self._check_peer_move("revoke", "revoked"):
            return
        share = self.sudo()
        share._hvac_set_protected({"state": "revoked", "processing_queued": False})
        share.received_page_ids.unlink()
        copies = self.env["hvac.installation"].sudo().search([("shared_from_share_id", "=", share.id)])
        copies.write({"shared_revoked": True})
        share.message_post(
            body=self.env._(
                "%s revoked this share: the installations received stay readable, and can no longer be changed.",
                share.peer_company_name,
            )
        )
        share._revoke_granted_in_turn(copies)
