"""What the QR code of a label opens. Staff who may read the record land on it in Odoo; a
holder's portal user lands on its own portal page; anyone else sees only what the label itself
says. Read-only, by the record's public token."""

import re

from odoo import http
from odoo.http import request

TOKEN = re.compile(r"^[0-9a-f]{32}$")
TARGETS = {
    "i": ("hvac.installation", "hvac_connect.hvac_installation_action", "/my/installations/%s"),
    "c": ("hvac.container", "hvac_connect.hvac_container_action", None),
}


class HvacLabel(http.Controller):
    @http.route("/hvac/<any(i,c):kind>/<string:token>", type="http", auth="public", methods=["GET"])
    def hvac_label(self, kind, token, **kw):
        model, action, portal_url = TARGETS[kind]
        record = request.env[model].sudo().browse()
        if TOKEN.match(token or ""):
            record = record.search([("public_token", "=", token)], limit=1)
        if not record:
            raise request.not_found()
        user = request.env.user
        mine = record.with_user(user)
        if user._is_internal() and mine.has_access("read"):
            return request.redirect(f"/odoo/action-{action}/{record.id}")
        if portal_url and not user._is_public() and mine.has_access("read"):
            return request.redirect(portal_url % record.id)
        values = dict(
            record._label_values(),
            company=record.company_id,
            login_url=f"/web/login?redirect={request.httprequest.path}",
        )
        return request.render("hvac_connect.label_public_page", values)
