"""Endpoints of the installation-sharing protocol, called by peer hvac_connect servers.

The peer never gets an Odoo user: every call but the pairing is signed with the connection's
secret and checked here (signature, timestamp, nonce, connection state). A refused call is
logged and answers only its refusal code.
"""

import json
import logging
import secrets

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..clients import share_protocol, share_schema
from ..clients.share_peer import CONNECT_PATH
from ..models.sharing.hvac_connection import STATE_PATH
from ..models.sharing.hvac_installation import PROPERTIES_PATH
from ..models.sharing.hvac_share import PATHS
from ..models.sharing.hvac_share_withdrawal import WITHDRAW_PATH
from ..models.sharing.hvac_shared_intervention import INTERVENTION_PATH

_logger = logging.getLogger(__name__)


# Refusal codes and their HTTP status: the peer's outbox gives up on a 4xx (never retried).
CONFLICT_CODES = ("bad_state", "duplicate")
FORBIDDEN_CODES = ("suspended", "ended", "invited", "bad_author")
# An unknown connection id is checked against this secret, which signs nothing: it is refused as a
# wrong signature is, after the same work, so the answer does not tell which ids exist.
UNKNOWN_SECRET = secrets.token_hex(32)


class BadMethod(share_protocol.ShareProtocolError):
    status = 405

    def __init__(self):
        super().__init__("bad_method", "the protocol's calls are POST")


def peer_route(path):
    """A route of the protocol. Every method reaches it, so that a GET is refused in the protocol's
    own words (JSON, 405) and not with Odoo's HTML page; the handlers refuse all but POST."""
    return http.route(path, type="http", auth="public", csrf=False, save_session=False)


def _json(payload, status=200):
    headers = [("Content-Type", "application/json")]
    if status == 405:
        headers.append(("Allow", "POST"))
    return request.make_response(json.dumps(payload), headers=headers, status=status)


def _status(error):
    if getattr(error, "status", None):
        return error.status
    if error.code in CONFLICT_CODES:
        return 409
    return 403 if error.code in FORBIDDEN_CODES else 401


def _body():
    """The request's body, refused unread when it is a POST's no more, or larger than the protocol's."""
    httprequest = request.httprequest
    if httprequest.method != "POST":
        raise BadMethod()
    if (httprequest.content_length or 0) > share_schema.MAX_BODY:
        raise share_schema.TooLarge()
    # Bounded even without a Content-Length (chunked): werkzeug stops reading past the limit.
    httprequest.max_content_length = share_schema.MAX_BODY
    return httprequest.get_data()


def _refusal(error):
    """The refusal's code (and the faulty field): nothing of our data, no traceback."""
    answer = {"error": error.code}
    if getattr(error, "field", ""):
        answer["field"] = error.field
    return answer


class ShareController(http.Controller):
    @peer_route(CONNECT_PATH)
    def connect(self):
        try:
            values = share_schema.validate(share_schema.parse(_body()), share_schema.CONNECT)
            connection = (
                request.env["hvac.connection"].sudo().search([("public_id", "=", values["invitation"])], limit=1)
            )
            if not connection:
                raise share_protocol.ShareProtocolError("unknown", "unknown invitation")
            with request.env.cr.savepoint():
                return _json(connection._answer_invitation(values))
        except share_protocol.ShareProtocolError as error:
            _logger.warning("Share pairing refused: %s", error)
            return _json(_refusal(error), status=getattr(error, "status", None) or 403)
        except UserError as error:
            _logger.warning("Share pairing refused by a check: %s", error)
            return _json({"error": "refused"}, status=409)

    def _verified_connection(self, allow_suspended=False):
        """The connection this signed request comes from, or a refusal (code, HTTP status)."""
        httprequest = request.httprequest
        body = _body()
        signed = share_protocol.read_headers(httprequest.headers)
        connection = request.env["hvac.connection"].sudo().search([("public_id", "=", signed.connection_id)], limit=1)
        nonces = request.env["hvac.connection.nonce"]
        share_protocol.verify(
            connection.secret or UNKNOWN_SECRET,
            signed,
            httprequest.method,
            httprequest.path,
            body,
            lambda _c, n: nonces._seen(connection, n),
        )
        if not connection.secret:  # never reached: nothing is signed with UNKNOWN_SECRET
            raise share_protocol.ShareProtocolError("bad_signature", "signature does not match")
        if connection.state == "ended" or (connection.state != "active" and not allow_suspended):
            raise share_protocol.ShareProtocolError(connection.state, f"connection {connection.state}")
        # Only a signed body is parsed: garbage from anyone else was refused above.
        return connection, share_schema.parse(body)

    def _refuse(self, error):
        _logger.warning("Peer call %s refused: %s", request.httprequest.path, error)
        return _json(_refusal(error), status=_status(error))

    def _answer(self, handle, spec=None, allow_suspended=False):
        """Verify the signed call, check its body against ``spec`` (a schema, or a function that
        returns the clean values), then answer ``handle(connection, values)``. Refusals are logged
        and answered with their code only; whatever the handler wrote before refusing is undone
        (the nonce is kept: the same call cannot be replayed)."""
        try:
            connection, payload = self._verified_connection(allow_suspended)
            values = spec(payload) if callable(spec) else share_schema.validate(payload, spec or share_schema.EMPTY)
            # What the call writes (chatter, activities) is read by our company's users.
            request.update_context(lang=connection.company_id.partner_id.lang or request.env.lang)
            connection = connection.with_env(request.env(su=True))
            with request.env.cr.savepoint():
                return _json(handle(connection, values))
        except share_protocol.ShareProtocolError as error:
            return self._refuse(error)
        except UserError as error:
            # A business check of ours refused what the peer sent: said in the protocol's words
            # (the savepoint undid what the handler wrote).
            _logger.warning("Peer call %s refused by a check: %s", request.httprequest.path, error)
            return _json({"error": "refused"}, status=409)

    def _share_of(self, connection, payload, side, key="public_id"):
        share = (
            request.env["hvac.share"]
            .sudo()
            .search(
                [("connection_id", "=", connection.id), ("side", "=", side), (key, "=", payload.get("share"))], limit=1
            )
        )
        if not share:
            raise share_protocol.ShareProtocolError("unknown_share", "no such share on this connection")
        return share

    @peer_route(STATE_PATH)
    def connection_state(self):
        def handle(connection, payload):
            connection._apply_peer_state(payload["state"])
            return {"state": connection.state}

        return self._answer(handle, share_schema.CONNECTION_STATE, allow_suspended=True)

    @peer_route("/hvac/share/v1/ping")
    def ping(self):
        return self._answer(
            lambda connection, _payload: {
                "company": connection.company_id.name,
                "siret": connection.company_id.siret or "",
            }
        )

    @peer_route(PATHS["request"])
    def share_request(self):
        return self._answer(
            lambda connection, payload: {"share": request.env["hvac.share"]._receive_request(connection, payload)},
            share_schema.SHARE_REQUEST,
        )

    @peer_route(PATHS["decision"])
    def share_decision(self):
        def handle(connection, payload):
            share = self._share_of(connection, payload, "requester")
            share._receive_decision(payload)
            return {"state": share.state}

        return self._answer(handle, share_schema.share_decision)

    @peer_route(PATHS["available"])
    def share_available(self):
        def handle(connection, payload):
            share = self._share_of(connection, payload, "requester")
            share._receive_available(payload)
            return {"state": share.state}

        return self._answer(handle, share_schema.SHARE_AVAILABLE)

    @peer_route(PATHS["page"])
    def share_page(self):
        """A page of an available share: nothing outside what the owner approved."""

        def handle(connection, payload):
            share = self._share_of(connection, payload, "owner", key="peer_share_id")
            if share.state != "available":
                raise share_protocol.ShareProtocolError("not_available", "share not available")
            if payload["page"] >= share.page_count:
                raise share_protocol.ShareProtocolError("no_such_page", "page out of range")
            return share._page(payload["page"])

        return self._answer(handle, share_schema.SHARE_PAGE)

    @peer_route(PATHS["revoke"])
    def share_revoke(self):
        def handle(connection, payload):
            share = self._share_of(connection, payload, "requester")
            share._receive_revoke()
            return {"state": share.state}

        return self._answer(handle, share_schema.SHARE_REVOKE)

    @peer_route(INTERVENTION_PATH)
    def share_intervention(self):
        """An intervention on an installation shared over this connection, and no other."""

        def handle(connection, payload):
            recorded = request.env["hvac.shared.intervention"]._receive(connection, payload)
            if not recorded:
                raise share_protocol.ShareProtocolError("outside_share", "installation not shared over this connection")
            return {"recorded": recorded}

        natures = request.env["hvac.intervention"]._fields["nature"].get_values(request.env)
        return self._answer(handle, share_schema.intervention_spec(natures))

    @peer_route(WITHDRAW_PATH)
    def share_withdraw(self):
        def handle(connection, payload):
            share = self._share_of(connection, payload, "requester")
            return {"withdrawn": len(share._receive_withdraw(payload["installations"]))}

        return self._answer(handle, share_schema.SHARE_WITHDRAW)

    @peer_route(PROPERTIES_PATH)
    def share_installation(self):
        """The owner's new properties of an installation shared over this connection, and no other."""

        def handle(connection, payload):
            share = self._share_of(connection, payload, "requester")
            if share.state == "revoked":
                raise share_protocol.ShareProtocolError("outside_share", "installation not shared over this connection")
            domain = [
                ("shared_from_share_id", "=", share.id),
                ("shared_from_ref", "=", payload.get("installation")),
                ("shared_revoked", "=", False),
            ]
            installation = request.env["hvac.installation"].sudo().search(domain, limit=1)
            # Not imported yet (or left out when processing): nothing to change; an import later
            # reads the pages, which are built from the owner's current data.
            return {"changed": sorted(installation._receive_properties(payload["values"])) if installation else []}

        def spec(payload):
            values = share_schema.validate(payload, share_schema.SHARE_PROPERTIES)
            # An edit naming a fluid we do not know is refused whole, applied to a copy or not.
            known = (
                request.env["hvac.refrigerant"]
                .sudo()
                .search_count([("name", "=", values["values"]["refrigerant"])], limit=1)
            )
            if not known:
                raise share_schema.InvalidInput("values.refrigerant", "unknown refrigerant")
            return values

        return self._answer(handle, spec)
