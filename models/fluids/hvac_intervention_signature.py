import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..common.hvac_lifecycle_mixin import hvac_protected_path
from .hvac_intervention import EDITABLE_WHEN_DONE

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
    "holder_signature_requested",
}
# Written by the module's own signing methods only (the lifecycle's protected path), never by a plain write.
SIGNING_ONLY_FIELDS = {"holder_signed_at", "holder_signed_ip", "holder_signature_requested"}


class HvacIntervention(models.Model):
    """Signatures drawn on screen, and the holder's deferred signature through the customer portal."""

    _name = "hvac.intervention"
    _inherit = ["hvac.intervention", "portal.mixin"]

    operator_signature = fields.Image(
        "Operator signature", max_width=1024, max_height=1024, copy=False, attachment=True
    )
    holder_signature = fields.Image("Holder signature", max_width=1024, max_height=1024, copy=False, attachment=True)
    holder_signed_at = fields.Datetime("Holder signed at", readonly=True, copy=False)
    holder_signed_ip = fields.Char("Holder signed from (IP)", readonly=True, copy=False)
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

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"Fiche d'intervention {self.name}"

    @api.model_create_multi
    def create(self, vals_list):
        if not self._hvac_trusted() and any(SIGNING_ONLY_FIELDS & set(vals) for vals in vals_list):
            raise AccessError(self.env._("Only the holder's own signing records where and when it signed."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_signature_write(vals)
        return super().write(vals)

    def _check_signature_write(self, vals):
        if self._hvac_trusted():
            return
        if SIGNING_ONLY_FIELDS & set(vals):
            raise AccessError(self.env._("Only the holder's own signing records where and when it signed."))
        if SIGNATURE_FIELDS & set(vals) and self.filtered(lambda f: f.state != "draft"):
            raise UserError(
                self.env._("A validated fiche keeps its signatures; its holder signs it from the customer portal.")
            )
        content = set(vals) - SIGNATURE_FIELDS - EDITABLE_WHEN_DONE
        # The holder signed what it read on the tablet: that content stays as signed.
        signed = self.filtered(lambda f: f.state == "draft" and f.holder_signature)
        if signed and content and vals.get("holder_signature", True):
            raise UserError(
                self.env._(
                    "Fiche %(names)s is signed by the holder: clear the holder's signature to change what it says.",
                    names=", ".join(signed.mapped("display_name")),
                )
            )

    def action_done(self):
        unsigned = self.filtered(lambda f: f.state == "draft" and not f.operator_signature)
        if unsigned:
            raise UserError(
                self.env._(
                    "The operator signs the fiche before it is validated (Signatures tab): %(names)s.",
                    names=", ".join(unsigned.mapped("display_name")),
                )
            )
        with hvac_protected_path():
            for fiche in self.filtered(lambda f: f.state == "draft" and not f.operator_signed_on):
                fiche.operator_signed_on = fields.Date.context_today(fiche)
        return super().action_done()

    def action_request_holder_signature(self):
        """E-mail the holder a link to the customer portal, where it reads and signs the fiche."""
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
        template = self.env.ref("hvac_connect.mail_template_hvac_intervention_signature")
        for fiche in fiches:
            fiche._portal_ensure_token()
            with hvac_protected_path():
                fiche.write({"holder_signature_requested": True})
            fiche.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
            fiche.message_subscribe(partner_ids=fiche.partner_id.ids)
        return True

    def _sign_as_holder(self, name, signature, ip_address, author):
        """The holder's signature, from the portal: who, when, from where, posted in the chatter."""
        self.ensure_one()
        if not self.holder_signature_pending:
            raise UserError(self.env._("This fiche is not waiting for its holder's signature."))
        if not name or not signature:
            raise UserError(self.env._("Your name and your signature are both needed."))
        try:
            base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError) as error:
            raise UserError(self.env._("The signature could not be read.")) from error
        now = fields.Datetime.now()
        with hvac_protected_path():
            self.sudo().write(
                {
                    "holder_signature": signature,
                    "holder_signatory": name,
                    "holder_signed_on": now.date(),
                    "holder_signed_at": now,
                    "holder_signed_ip": ip_address,
                }
            )
        self.message_post(
            author_id=author.id,
            body=self.env._("Fiche signed by the holder: %(name)s, from %(ip)s.", name=name, ip=ip_address),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
