"""The holder's customer portal: its installations, its fiches d'intervention, and signing them."""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PAGE_SIZE = 20
MAX_ID = 2**31 - 1  # PostgreSQL's integer: a larger id in a URL is a failed query, not a miss
NAME_MAX = 200
SIGNATURE_MAX = 2 * 1024 * 1024  # a drawn signature is a few tens of kB of base64


def _record_id(value):
    """The id of a URL, or None when no record can have it."""
    return value if isinstance(value, int) and 0 < value <= MAX_ID else None


def _page(value):
    """A page number from the URL; anything else is the first page (``"²".isdigit()`` is true,
    and Odoo's pager then fails on ``int("²")``)."""
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else 1


def _text(value, max_length):
    """A text the database can store, or None: the portal's parameters are the visitor's choice."""
    if not isinstance(value, str) or not value or len(value) > max_length or "\x00" in value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return value


def _token(value):
    # consteq (hmac.compare_digest) raises on non-ASCII text: such a token matches nothing.
    value = _text(value, 128)
    return value if value and value.isascii() else None


# The signing requests whose link this browser opened: {fiche id: request id}.
SESSION_KEY = "hvac_sign_requests"


class HvacCustomerPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        env = request.env
        if "hvac_installation_count" in counters:
            installations = env["hvac.installation"]
            values["hvac_installation_count"] = (
                installations.search_count([]) if installations.has_access("read") else 0
            )
        if "hvac_fiche_count" in counters:
            fiches = env["hvac.intervention"]
            values["hvac_fiche_count"] = (
                fiches.search_count(self._hvac_fiche_domain()) if fiches.has_access("read") else 0
            )
        if "hvac_fiche_to_sign_count" in counters:
            fiches = env["hvac.intervention"]
            domain = [("holder_signature_pending", "=", True)]
            values["hvac_fiche_to_sign_count"] = fiches.search_count(domain) if fiches.has_access("read") else 0
        return values

    def _hvac_fiche_domain(self):
        # A draft is the technician's work in progress: the holder sees validated fiches.
        return [("state", "=", "done")]

    def _hvac_list(self, model, domain, url, page, order):
        records = request.env[model]
        total = records.search_count(domain)
        pager = portal_pager(url=url, total=total, page=_page(page), step=PAGE_SIZE)
        return records.search(domain, order=order, limit=PAGE_SIZE, offset=pager["offset"]), pager

    @http.route(["/my/installations", "/my/installations/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_hvac_installations(self, page=1, **kw):
        installations, pager = self._hvac_list(
            "hvac.installation",
            [],
            "/my/installations",
            page,
            "site_id, name",
        )
        values = self._prepare_portal_layout_values()
        values.update(installations=installations, pager=pager, page_name="hvac_installation")
        return request.render("hvac_connect.portal_my_hvac_installations", values)

    @http.route("/my/installations/<int:installation_id>", type="http", auth="user", website=True)
    def portal_my_hvac_installation(self, installation_id, **kw):
        if not _record_id(installation_id):
            raise request.not_found()
        installation = request.env["hvac.installation"].browse(installation_id)
        try:
            installation.check_access("read")
            installation.read(["name"])  # a record of another holder raises here
        except (AccessError, MissingError):
            raise request.not_found() from None
        fiches = installation.intervention_ids.filtered_domain(self._hvac_fiche_domain())
        values = self._prepare_portal_layout_values()
        values.update(installation=installation, fiches=fiches, page_name="hvac_installation")
        return request.render("hvac_connect.portal_my_hvac_installation", values)

    @http.route(["/my/fiches", "/my/fiches/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_hvac_fiches(self, page=1, filterby=None, **kw):
        domain = self._hvac_fiche_domain()
        if filterby == "to_sign":
            domain = [("holder_signature_pending", "=", True)]
        fiches, pager = self._hvac_list("hvac.intervention", domain, "/my/fiches", page, "date desc, id desc")
        values = self._prepare_portal_layout_values()
        values.update(fiches=fiches, pager=pager, page_name="hvac_fiche", filterby=filterby)
        return request.render("hvac_connect.portal_my_hvac_fiches", values)

    # --- one fiche, and its holder's signature -----------------------------------------------------
    def _hvac_session_request(self, fiche_id):
        """The signing request whose link this browser opened for fiche ``fiche_id`` (any state)."""
        request_id = (request.session.get(SESSION_KEY) or {}).get(str(fiche_id))
        return request.env["hvac.intervention.sign.request"].sudo().browse(request_id).exists()

    def _hvac_portal_fiche(self, fiche_id):
        """(fiche as superuser, this browser's signing request) for a visitor who may read the fiche:
        a user allowed to read it (the holder's portal users, the company's users), or the browser
        that opened a signing link of it, while that link works or once it signed with it."""
        if not _record_id(fiche_id):
            raise request.not_found()
        fiche = request.env["hvac.intervention"].browse(fiche_id)
        fiche_sudo = fiche.sudo().exists()
        if not fiche_sudo or fiche_sudo.state != "done":
            raise request.not_found()
        sign_request = self._hvac_session_request(fiche_id)
        if fiche.has_access("read"):
            return fiche_sudo, sign_request
        if sign_request.state == "used" or sign_request._is_usable():
            return fiche_sudo, sign_request
        raise request.not_found()

    def _hvac_signer(self, fiche_sudo, sign_request):
        """(partner signing as the holder, request used) for the current visitor, or (None, None).
        An employee of the company never signs as the holder, with a link or without."""
        user = request.env.user
        if user._is_internal():
            return None, None
        if fiche_sudo._hvac_may_sign_as_holder(user):
            return user.partner_id, None
        if sign_request._is_usable():
            return sign_request.partner_id, sign_request
        return None, None

    @http.route("/my/fiches/<int:fiche_id>/sign/<string:token>", type="http", auth="public", website=True)
    def portal_hvac_fiche_sign_link(self, fiche_id, token, **kw):
        """The link e-mailed to the holder: it works once. The browser keeps the request in its
        session and goes on without the token in its address (servers log addresses)."""
        token = _token(token)
        sign_request = (
            _record_id(fiche_id) and token and request.env["hvac.intervention.sign.request"]._find(fiche_id, token)
        )
        if not sign_request:
            values = self._prepare_portal_layout_values()
            return request.render("hvac_connect.portal_hvac_sign_link_invalid", values, status=410)
        request.session[SESSION_KEY] = {**(request.session.get(SESSION_KEY) or {}), str(fiche_id): sign_request.id}
        url = f"/my/fiches/{fiche_id}"
        # A browser that never chose a language reads the fiche in the holder's.
        lang = sign_request.partner_id.lang
        ir_http = request.env["ir.http"]
        if (
            lang
            and not request.cookies.get("frontend_lang")
            and request.env["res.lang"]._lang_get(lang)
            and lang != ir_http._get_default_lang().code
        ):
            url = ir_http._url_for(url, lang_code=lang)
        return request.redirect(url)

    @http.route("/my/fiches/<int:fiche_id>", type="http", auth="public", website=True)
    def portal_my_hvac_fiche(self, fiche_id, report_type=None, download=False, **kw):
        fiche, sign_request = self._hvac_portal_fiche(fiche_id)
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=fiche,
                report_type=report_type,
                report_ref="hvac_connect.action_report_hvac_intervention",
                download=download,
            )
        signer, _used = self._hvac_signer(fiche, sign_request)
        values = self._prepare_portal_layout_values()
        values.update(
            fiche=fiche,
            page_name="hvac_fiche",
            can_sign=bool(fiche.holder_signature_pending and signer),
            internal_viewer=request.env.user._is_internal(),
            default_name="" if not signer or signer.is_company else signer.name,
        )
        return request.render("hvac_connect.portal_my_hvac_fiche", values)

    @http.route("/my/fiches/<int:fiche_id>/sign", type="json", auth="public", website=True)
    def portal_hvac_fiche_sign(self, fiche_id, name=None, signature=None, **kw):
        try:
            fiche, sign_request = self._hvac_portal_fiche(fiche_id)
        except NotFound:
            return {"error": request.env._("This fiche was not found.")}
        signer, used = self._hvac_signer(fiche, sign_request)
        if request.env.user._is_internal():
            return {
                "error": request.env._(
                    "A user of the company does not sign as the holder: the holder signs with its own link or"
                    " portal account, or on your device, in the fiche's Signatures tab."
                )
            }
        if not signer:
            return {
                "error": request.env._(
                    "This signing link no longer works: it was used, it expired, or a newer one was sent."
                )
            }
        # Checked before the model sees them: a NUL, a list or 100 MB would fail in the database.
        name, signature = _text(name, NAME_MAX), _text(signature, SIGNATURE_MAX)
        if not name or not signature:
            return {"error": request.env._("Your name and your signature are both needed.")}
        try:
            fiche._sign_as_holder(name, signature, request.httprequest.remote_addr, signer, used)
        except UserError as error:
            return {"error": str(error)}
        return {"force_refresh": True, "redirect_url": fiche.get_portal_url(query_string="message=sign_ok")}
