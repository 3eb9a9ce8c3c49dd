"""Endpoints of the sharing protocol added for issue 13 (same checks as ``share.py``)."""

from odoo import http
from odoo.http import request

from ..clients import share_protocol, share_schema
from ..models.hvac_installation_share_sync import PROPERTIES_PATH
from ..models.hvac_share_withdrawal import WITHDRAW_PATH
from .share import ShareController


class ShareMoreController(ShareController):
    @http.route(WITHDRAW_PATH, type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def share_withdraw(self):
        def handle(connection, payload):
            share = self._share_of(connection, payload, "requester")
            return {"withdrawn": len(share._receive_withdraw(payload["installations"]))}

        return self._answer(handle, share_schema.SHARE_WITHDRAW)

    @http.route(PROPERTIES_PATH, type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
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

        return self._answer(handle, share_schema.SHARE_PROPERTIES)
