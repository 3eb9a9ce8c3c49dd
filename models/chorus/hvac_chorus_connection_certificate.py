import base64

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..common.batch import in_batches
from .pkcs7 import CertificateError, read_bundle

ROLES = [("client", "Client"), ("server", "Server")]


class HvacChorusConnectionCertificate(models.Model):
    """A certificate bundle (.p7b, the whole chain) filed with a connection sheet.

    Read on upload: a file Chorus would refuse never gets saved.
    """

    _name = "hvac.chorus.connection.certificate"
    _inherit = ["hvac.chorus.connection.sheet.part"]
    _description = "Chorus Pro connection certificate"
    _follow_up_fields = frozenset({"expiry_reminded"})
    # Read from the file on upload, or set by the reminder: never typed in.
    _hvac_protected_fields = frozenset(
        {"subject", "issuer", "chain_length", "not_before", "not_after", "expiry_reminded"}
    )
    _order = "sheet_id, role"

    sheet_id = fields.Many2one("hvac.chorus.connection.sheet", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="sheet_id.company_id", store=True)
    role = fields.Selection(ROLES, required=True, default="client")
    file = fields.Binary("Certificate (.p7b)", required=True, attachment=True)
    filename = fields.Char()
    subject = fields.Char(readonly=True)
    issuer = fields.Char(readonly=True)
    chain_length = fields.Integer(readonly=True)
    not_before = fields.Datetime("Valid from", readonly=True)
    not_after = fields.Datetime("Valid until", readonly=True)
    expiry_reminded = fields.Boolean(readonly=True, copy=False)
    # Read against the list as it is today: a provider archived since shows, and stops a sending.
    authority_id = fields.Many2one(
        "hvac.chorus.certificate.authority", "Qualified authority", compute="_compute_authority_id"
    )

    # A renewed certificate replaces the file of its role: one client and one server at most.
    _sql_constraints = [
        (
            "role_unique",
            "UNIQUE(sheet_id, role)",
            "A connection sheet holds one certificate per role (client, server): replace the file to renew it.",
        )
    ]

    @api.depends("issuer")
    def _compute_authority_id(self):
        Authority = self.env["hvac.chorus.certificate.authority"]
        for certificate in self:
            certificate.authority_id = Authority._hvac_find(certificate.issuer)

    @api.model_create_multi
    def create(self, vals_list):
        self._hvac_check_create(vals_list)  # the caller's values, before what the file says
        for vals in vals_list:
            vals.update(self._read_file(vals.get("file")))
        with self._hvac_protected():
            return super().create(vals_list)

    def write(self, vals):
        if "file" in vals:
            self._hvac_check_write(vals)  # the caller's values, before what the file says
            with self._hvac_protected():
                return super().write(dict(vals, expiry_reminded=False, **self._read_file(vals["file"])))
        return super().write(vals)

    @api.onchange("file")
    def _onchange_file(self):
        # Judged on upload, in the form: the user learns at once, not on saving the sheet.
        try:
            self.update(self._read_file(self.file))
        except ValidationError as error:
            self.file = False
            return {"warning": {"title": _("Certificate refused"), "message": error.args[0]}}

    @api.model
    def _read_file(self, file):
        if not file:
            return {}
        try:
            chain = read_bundle(base64.b64decode(file))
        except CertificateError as error:
            raise ValidationError(self._refusal(error)) from None
        if not self.env["hvac.chorus.certificate.authority"]._hvac_find(chain.issuer):
            raise ValidationError(self._unlisted_issuer(chain.issuer))
        return {
            "subject": chain.subject,
            "issuer": chain.issuer,
            "chain_length": chain.length,
            "not_before": chain.not_before,
            "not_after": chain.not_after,
        }

    @api.model
    def _refusal(self, error):
        messages = {
            "not_pkcs7": _(
                "This file is not a PKCS#7 certificate bundle (.p7b). Export the certificate with its whole chain in PKCS#7."
            ),
            "empty": _("This PKCS#7 file holds no certificate."),
            "incomplete_chain": _(
                "The certification chain is incomplete: the certificate of %s is missing. Export the bundle with the whole chain up to the root."
            ),
            "expired": _("This certificate has expired: %s. Chorus Pro refuses it."),
        }
        message = messages[error.code]
        return message % error.detail if "%s" in message else message

    @api.model
    def _unlisted_issuer(self, issuer):
        return self.env._(
            "This certificate was issued by %(issuer)s, which is not on the list of qualified certification authorities"
            " (LSTI) Chorus Pro accepts. Get it from a listed provider; a Chorus Pro manager adds a provider qualified"
            " since to the list (Chorus Pro › Qualified authorities).",
            issuer=issuer,
        )

    @api.model
    def _remind_expiring(self, limit, job=None):
        """Remind of the certificates expiring by ``limit``; returns those left to their holder."""
        expiring = self.search(
            [("not_after", "<=", limit), ("expiry_reminded", "=", False), ("sheet_id.state", "!=", "inactive")]
        )
        return in_batches(expiring, lambda batch: batch._remind_expiry(), job=job)

    def _remind_expiry(self):
        for certificate in self:
            sheet = certificate.sheet_id
            sheet.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=certificate.not_after.date(),
                user_id=sheet.user_id.id or self.env.uid,
                summary=_("Certificate expiring: renew it on Chorus Pro"),
                note=_(
                    "The %(role)s certificate %(subject)s expires on %(date)s; exchanges stop then.",
                    role=dict(self._fields["role"]._description_selection(self.env))[certificate.role],
                    subject=certificate.subject,
                    date=certificate.not_after.date(),
                ),
            )
        self._hvac_set_protected({"expiry_reminded": True})
