import binascii

from PIL import Image, ImageOps

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools.image import base64_to_image
from odoo.tools.misc import format_date, format_datetime

from ..common.hvac_lifecycle_mixin import CHATTER_PREFIXES

# The signature fields themselves: once the holder has signed a draft, every other field stays as signed.
SIGNATURE_FIELDS = {
    "operator_signature",
    "operator_signatory",
    "operator_signatory_role",
    "operator_signed_on",
    "holder_signature",
    "holder_signatory",
    "holder_signatory_role",
    "holder_signed_on",
    "holder_signed_at",
    "holder_signed_ip",
    "holder_signed_via",
    "holder_signed_device_user_id",
    "holder_signature_requested",
}
# What records where, when and how the holder signed: written by the module's own signing only
# (the lifecycle's protected path), never by a plain write.
SIGNING_ONLY_FIELDS = {
    "holder_signed_on",
    "holder_signed_at",
    "holder_signed_ip",
    "holder_signed_via",
    "holder_signed_device_user_id",
    "holder_signature_requested",
}
HOLDER_TRACE_FIELDS = SIGNING_ONLY_FIELDS - {"holder_signature_requested"}
# The operator may still add its own signature to a draft the holder signed first.
OPERATOR_SIGNING_FIELDS = {"operator_signature", "operator_signatory", "operator_signatory_role"}
SIGNED_VIA = [("device", "On the operator's device"), ("portal", "Online, on the customer portal")]
DEFAULT_TZ = "Europe/Paris"


class HvacIntervention(models.Model):
    """Signatures drawn on screen: the operator's and the holder's on the technician's device,
    or the holder's later, on the customer portal, through a single-use link or its own account."""

    _name = "hvac.intervention"
    _inherit = ["hvac.intervention", "portal.mixin"]

    operator_signature = fields.Image(
        "Operator signature", max_width=1024, max_height=1024, copy=False, attachment=True
    )
    holder_signature = fields.Image("Holder signature", max_width=1024, max_height=1024, copy=False, attachment=True)
    holder_signed_at = fields.Datetime("Holder signed at", readonly=True, copy=False)
    holder_signed_ip = fields.Char("Holder signed from (IP)", readonly=True, copy=False)
    holder_signed_via = fields.Selection(SIGNED_VIA, "Holder signed", readonly=True, copy=False)
    holder_signed_device_user_id = fields.Many2one(
        "res.users",
        "Signed on the device of",
        readonly=True,
        copy=False,
        help="The user logged in on the device the holder signed on, in front of the operator.",
    )
    holder_signature_requested = fields.Boolean("Holder signature requested", readonly=True, copy=False)
    holder_signature_pending = fields.Boolean(
        "Awaiting the holder's signature",
        compute="_compute_holder_signature_pending",
        search="_search_holder_signature_pending",
    )

    # Awaiting the holder only once it was asked to sign: a fiche signed on paper, or never sent,
    # is not "to sign" on the portal.
    @api.depends("state", "holder_signature", "holder_signature_requested")
    def _compute_holder_signature_pending(self):
        for fiche in self:
            fiche.holder_signature_pending = (
                fiche.state == "done" and fiche.holder_signature_requested and not fiche.holder_signature
            )

    def _search_holder_signature_pending(self, operator, value):
        pending = operator == "=" and bool(value) or operator == "!=" and not value
        domain = [("state", "=", "done"), ("holder_signature_requested", "=", True), ("holder_signature", "=", False)]
        return domain if pending else ["!", "&", "&", *domain]

    def _compute_access_url(self):  # pylint: disable=missing-return  (a compute returns nothing)
        super()._compute_access_url()
        for fiche in self:
            fiche.access_url = f"/my/fiches/{fiche.id}"

    # --- no portal token -------------------------------------------------------------------------
    def _portal_ensure_token(self):
        # A fiche never gets the portal's reusable token (readable by every user of the company,
        # and kept in the query string, which servers log): its holder reads it logged in, or
        # through the single-use link of a signing request.
        return ""

    def get_portal_url(self, suffix=None, report_type=None, download=None, query_string=None, anchor=None):
        self.ensure_one()
        # Callable over RPC: the path of a fiche only for whoever may read it.
        self.check_access("read")
        query = [f"report_type={report_type}"] if report_type else []
        if download:
            query.append("download=true")
        if query_string:
            query.append(query_string.lstrip("&?"))
        url = self.access_url + (suffix or "")
        if query:
            url += "?" + "&".join(query)
        return url + (f"#{anchor}" if anchor else "")

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"Fiche d'intervention {self.name}"

    def _hvac_fiche_label(self):
        """How a message names the fiche: its number, or, for a draft, its installation and date."""
        self.ensure_one()
        if self.name and self.name != "/":
            return self.name
        return self.env._(
            "the draft of %(installation)s of %(date)s",
            installation=self.installation_id.display_name,
            date=format_date(self.env, self.date),
        )

    def _hvac_tz(self):
        """The time zone the fiche's times are told in: its technician's, else its company's."""
        self.ensure_one()
        return self.technician_id.tz or self.company_id.partner_id.tz or DEFAULT_TZ

    def _hvac_format_datetime(self, value):
        return format_datetime(self.env, value, tz=self._hvac_tz(), dt_format="short")

    def _report_holder_signed_mention(self):
        """Under the holder's signature on the printed fiche: how, when and where it signed."""
        self.ensure_one()
        if not self.holder_signed_at:
            return ""
        when = self._hvac_format_datetime(self.holder_signed_at)
        if self.holder_signed_via == "portal":
            return self.env._("Signed online on %(when)s, from %(ip)s", when=when, ip=self.holder_signed_ip or "-")
        if self.holder_signed_via == "device":
            return self.env._(
                "Signed on %(when)s on the device of %(user)s",
                when=when,
                user=self.holder_signed_device_user_id.name or "-",
            )
        return ""

    # --- writes ------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # A value, not a key: a duplicated fiche's values carry these fields empty.
        if not self._hvac_trusted() and any(vals.get(name) for vals in vals_list for name in SIGNING_ONLY_FIELDS):
            raise AccessError(self.env._("Only the holder's own signing records where and when it signed."))
        fiches = super().create(vals_list)
        if not self._hvac_trusted():
            fiches.filtered("holder_signature")._hvac_record_device_signature()
        return fiches

    def write(self, vals):
        self._check_signature_write(vals)
        changed = self._hvac_done_content_changed(vals)
        res = super().write(vals)
        if vals.get("holder_signature") and not self._hvac_trusted():
            self._hvac_record_device_signature()
        if changed:
            changed._hvac_revoke_sign_requests(
                self.env._("the fiche changed (%(fields)s)", fields=", ".join(sorted(map(self._hvac_label, vals))))
            )
        return res

    def _hvac_done_content_changed(self, vals):
        """The done fiches a write changes (beyond its chatter and its holder's signing): their
        pending signing links must stop working, the holder would sign something else."""
        names = {name for name in vals if not name.startswith(CHATTER_PREFIXES)} - SIGNATURE_FIELDS
        return self.filtered(lambda f: f.state == "done") if names else self.browse()

    def _check_signature_write(self, vals):
        if self._hvac_trusted():
            return
        names = {name for name in vals if not name.startswith(CHATTER_PREFIXES)}
        if SIGNING_ONLY_FIELDS & names:
            raise AccessError(self.env._("Only the holder's own signing records where and when it signed."))
        if SIGNATURE_FIELDS & names and self.filtered(lambda f: f.state != "draft"):
            raise UserError(
                self.env._("A validated fiche keeps its signatures; its holder signs it from the customer portal.")
            )
        # The holder signed what it read on the device: that content, signatures included, stays as
        # signed until someone clears the signatures (and says why).
        signed = self.filtered(lambda f: f.state == "draft" and f.holder_signature)
        if names <= OPERATOR_SIGNING_FIELDS:
            signed = signed.filtered("operator_signature")
        if signed and names:
            raise UserError(
                self.env._(
                    "%(fiches)s is signed by the holder: what it says stays as signed. To change it, use"
                    " “Clear the signatures” (the reason is kept in the chatter), then have it signed again.",
                    fiches=", ".join(fiche._hvac_fiche_label() for fiche in signed),
                )
            )

    def _hvac_record_device_signature(self):
        """The holder signed on the device of the logged-in user, in front of the operator: when,
        on whose device, from which address, said in the chatter."""
        now = fields.Datetime.now()
        address = request.httprequest.remote_addr if request else False
        for fiche in self:
            fiche._hvac_set_protected(
                {
                    "holder_signed_at": now,
                    "holder_signed_on": fields.Date.context_today(fiche.with_context(tz=fiche._hvac_tz()), now),
                    "holder_signed_via": "device",
                    "holder_signed_device_user_id": self.env.uid,
                    "holder_signed_ip": address,
                }
            )
            fiche.message_post(
                body=self.env._(
                    "Holder's signature (%(name)s) taken on the device of %(user)s on %(when)s.",
                    name=fiche.holder_signatory or self.env._("no name given"),
                    user=self.env.user.name,
                    when=fiche._hvac_format_datetime(now),
                ),
                subtype_xmlid="mail.mt_note",
            )

    # --- validation and cancelling --------------------------------------------------------------------
    def _hvac_done_problems(self):
        problems = super()._hvac_done_problems()
        if not self.operator_signature:
            problems.append(self.env._("The operator signs the fiche before it is validated (Signatures tab)."))
        return problems

    def _hvac_done_values(self):
        values = super()._hvac_done_values()
        if not self.operator_signed_on:
            values["operator_signed_on"] = fields.Date.context_today(self)
        return values

    def _hvac_cancel_refusals(self):
        refusals = super()._hvac_cancel_refusals()
        for fiche in self.filtered("holder_signature"):
            refusals.append(
                self.env._(
                    "Fiche %(fiche)s is signed by its holder (%(name)s): it can no longer be cancelled.",
                    fiche=fiche.display_name,
                    name=fiche.holder_signatory or "",
                )
            )
        return refusals

    # --- clearing a draft's signatures -----------------------------------------------------------
    def action_clear_signatures(self):
        """Ask why, then clear the signatures of this draft (see hvac.intervention.clear.signatures)."""
        self.ensure_one()
        self._hvac_check_signatures_clearable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Clear the signatures"),
            "res_model": "hvac.intervention.clear.signatures",
            "view_mode": "form",
            "target": "new",
            "context": {"default_intervention_id": self.id},
        }

    def _hvac_check_signatures_clearable(self):
        self.check_access("write")
        for fiche in self:
            if fiche.state != "draft":
                raise UserError(
                    self.env._(
                        "Fiche %(fiche)s is validated: its signatures are kept. A correcting fiche is the way to"
                        " change what it says.",
                        fiche=fiche._hvac_fiche_label(),
                    )
                )
            if not (fiche.operator_signature or fiche.holder_signature):
                raise UserError(self.env._("%(fiche)s has no signature to clear.", fiche=fiche._hvac_fiche_label()))

    def _hvac_clear_signatures(self, reason):
        """Clear both signatures of these drafts, with who, why and what was cleared in the chatter."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the signatures are cleared: the reason is kept with the fiche."))
        self._hvac_check_signatures_clearable()
        for fiche in self:
            cleared = []
            if fiche.operator_signature:
                cleared.append(self.env._("the operator's (%(name)s)", name=fiche.operator_signatory or "-"))
            if fiche.holder_signature:
                cleared.append(
                    self.env._(
                        "the holder's (%(name)s, signed on %(when)s)",
                        name=fiche.holder_signatory or "-",
                        when=fiche._hvac_format_datetime(fiche.holder_signed_at) if fiche.holder_signed_at else "-",
                    )
                )
            fiche._hvac_set_protected(
                {
                    "operator_signature": False,
                    "operator_signed_on": False,
                    "holder_signature": False,
                    **dict.fromkeys(HOLDER_TRACE_FIELDS, False),
                }
            )
            fiche.message_post(
                body=self.env._(
                    "Signatures cleared by %(user)s: %(signatures)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    signatures=", ".join(cleared),
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # --- the holder's deferred signature ---------------------------------------------------------------
    def action_request_holder_signature(self):
        """E-mail the holder a single-use link to the customer portal, where it reads and signs
        the fiche, and say whether the e-mail went."""
        self.check_access("write")
        fiches = self.filtered(lambda f: f.state == "done" and not f.holder_signature)
        if not fiches:
            raise UserError(
                self.env._("Only a validated fiche not yet signed by its holder can be sent for signature.")
            )
        missing = fiches.filtered(lambda f: not f.partner_id.email)
        if missing:
            raise UserError(
                self.env._(
                    "The holder of %(names)s has no e-mail address.",
                    names=", ".join(missing.mapped("display_name")),
                )
            )
        sent, failed = [], []
        for fiche in fiches:
            error = fiche._hvac_send_sign_request()
            (failed if error else sent).append((fiche, error))
        return self._hvac_sign_request_notification(sent, failed)

    def _hvac_send_sign_request(self):
        """Issue a signing link and e-mail it to the holder now: None once sent, else why not.

        The e-mail is made by the superuser, with the company as author and no link to the fiche:
        its body holds the token, and no user of the company may read it (mail.message lets its
        creator, its author and the readers of its document read it). Sent or not, it is deleted at once."""
        self.ensure_one()
        holder = self.partner_id
        sign_request, token = self.env["hvac.intervention.sign.request"]._issue(self, holder)
        url = f"{self.get_base_url()}{self.access_url}/sign/{token}"
        template = self.env.ref("hvac_connect.mail_template_hvac_intervention_signature")
        rendered = template.with_context(hvac_sign_url=url, hvac_sign_until=sign_request.expires_at)._generate_template(
            self.ids, ("subject", "body_html", "email_from", "reply_to")
        )[self.id]
        mail = (
            self.env["mail.mail"]
            .with_user(SUPERUSER_ID)
            .create(
                {
                    "subject": rendered["subject"],
                    "body_html": rendered["body_html"],
                    "email_from": rendered.get("email_from") or self.company_id.email_formatted,
                    "reply_to": rendered.get("reply_to") or False,
                    "author_id": self.company_id.partner_id.id,
                    "recipient_ids": [Command.link(holder.id)],
                    "model": False,
                    "res_id": False,
                    # Deleted here whatever happens: a failed one too keeps the token.
                    "auto_delete": False,
                    "message_type": "email_outgoing",
                }
            )
        )
        mail.send(raise_exception=False)
        state, error = mail.state, mail.failure_reason
        mail.unlink()
        if state != "sent":
            error = error or self.env._("the mail server refused it")
            sign_request._revoke(self)
            self.message_post(
                body=self.env._(
                    "The signing request could not be e-mailed to %(holder)s (%(email)s): %(error)s",
                    holder=holder.display_name,
                    email=holder.email,
                    error=error,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return error
        self._hvac_set_protected({"holder_signature_requested": True})
        self.message_post(
            body=self.env._(
                "Signing request e-mailed to %(holder)s (%(email)s): the link works once, until %(until)s.",
                holder=holder.display_name,
                email=holder.email,
                until=self._hvac_format_datetime(sign_request.expires_at),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return None

    def _hvac_sign_request_notification(self, sent, failed):
        lines = [
            self.env._("%(fiche)s: e-mailed to %(email)s.", fiche=fiche.display_name, email=fiche.partner_id.email)
            for fiche, _error in sent
        ] + [
            self.env._(
                "%(fiche)s: the e-mail to %(email)s could not be sent (%(error)s). Nothing was sent: check the"
                " outgoing mail server, then send it again.",
                fiche=fiche.display_name,
                email=fiche.partner_id.email,
                error=error,
            )
            for fiche, error in failed
        ]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger" if failed else "success",
                "sticky": bool(failed),
                "title": self.env._("Signing request not sent")
                if failed and not sent
                else self.env._("Signing request sent"),
                "message": "\n".join(lines),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _hvac_revoke_sign_requests(self, reason):
        """Stop the pending signing links of these fiches, and say so on each fiche."""
        revoked = self.env["hvac.intervention.sign.request"]._revoke(self)
        for fiche in revoked.intervention_id:
            fiche.message_post(
                body=self.env._(
                    "The signing link e-mailed to the holder no longer works: %(reason)s. Send it again if the"
                    " holder still has to sign.",
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _hvac_may_sign_as_holder(self, user):
        """Whether ``user``, logged in on the customer portal, signs this fiche as its holder: a
        portal user of the holder's company (the holder itself or one of its contacts)."""
        self.ensure_one()
        return (
            not user._is_public()
            and not user._is_internal()
            and user.partner_id.commercial_partner_id == self.partner_id.commercial_partner_id
        )

    def _sign_as_holder(self, name, signature, ip_address, signer, sign_request=None):
        """The holder's signature, from the portal: who, when, from where, posted in the chatter.
        ``signer`` is the partner signing; ``sign_request`` the link it came with, if any."""
        self.ensure_one()
        if not self.holder_signature_pending:
            raise UserError(self.env._("This fiche is not waiting for its holder's signature."))
        name = (name or "").strip()
        if not name or not signature:
            raise UserError(self.env._("Your name and your signature are both needed."))
        if not self._hvac_is_drawn(signature):
            raise UserError(self.env._("Draw your signature in the frame before signing."))
        now = fields.Datetime.now()
        fiche = self.sudo()
        fiche._hvac_set_protected(
            {
                "holder_signature": signature,
                "holder_signatory": name[:200],
                "holder_signatory_role": signer.function or self.env._("Holder's representative"),
                "holder_signed_on": fields.Date.context_today(fiche.with_context(tz=fiche._hvac_tz()), now),
                "holder_signed_at": now,
                "holder_signed_ip": ip_address,
                "holder_signed_via": "portal",
            }
        )
        if sign_request:
            sign_request._use()
            how = self.env._(
                "with the link e-mailed to %(email)s on %(sent)s",
                email=sign_request.email,
                sent=fiche._hvac_format_datetime(sign_request.create_date),
            )
        else:
            how = self.env._("logged in to the customer portal as %(login)s", login=self.env.user.login)
        self.env["hvac.intervention.sign.request"]._revoke(fiche)
        fiche.message_post(
            author_id=signer.id,
            body=self.env._(
                "Fiche signed online by %(name)s for %(holder)s on %(when)s, from %(ip)s, %(how)s.",
                name=name,
                holder=fiche.partner_id.commercial_partner_id.display_name,
                when=fiche._hvac_format_datetime(now),
                ip=ip_address,
                how=how,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _hvac_is_drawn(self, signature):
        """Whether a base64 image holds a stroke (an empty frame signs nothing)."""
        try:
            image = base64_to_image(signature)
            canvas = Image.new("RGBA", image.size, "white")
            canvas.alpha_composite(image.convert("RGBA"))
        except (UserError, ValueError, binascii.Error, OSError):
            raise UserError(self.env._("The signature could not be read.")) from None
        return ImageOps.invert(canvas.convert("L")).getbbox() is not None
