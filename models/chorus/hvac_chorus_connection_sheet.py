from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..common.batch import Job, again_soon, in_batches

STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("sent_update", "Sent (update)"),
    ("active", "Activated"),
    ("inactive", "Deactivated"),
]
PROTOCOLS = [("pesit", "PeSIT"), ("sftp", "SFTP"), ("as2", "AS2")]
# Certificates Chorus asks for (seed 004): client and server for PeSIT and AS2, client otherwise.
REQUIRED_ROLES = {"pesit": {"client", "server"}, "as2": {"client", "server"}, "sftp": {"client"}, "api": {"client"}}
MDN_MODES = [
    ("sync_signed", "Synchronous and signed"),
    ("sync", "Synchronous"),
    ("async_signed", "Asynchronous and signed"),
    ("async", "Asynchronous"),
]
# Editing these on an activated sheet sends an update to Chorus ("Envoyée MAJ").
FOLLOW_UP_FIELDS = {"state", "sent_date", "activated_date", "support_reminded"}
CHORUS_MANAGER = "hvac_connect.group_chorus_manager"


class HvacChorusConnectionSheet(models.Model):
    """A Chorus Pro connection sheet (fiche de raccordement EDI or API), kept in Odoo.

    Chorus has no API for these sheets: users fill them on the portal and record here what
    they filed, the certificates and the state the portal shows (research §7).
    """

    _name = "hvac.chorus.connection.sheet"
    _description = "Chorus Pro connection sheet"
    _inherit = ["mail.thread", "mail.activity.mixin", "hvac.lifecycle.mixin"]
    _order = "id desc"
    _check_company_auto = True
    # The portal's state and dates move only through the actions below; what the sheet says
    # is locked by state in _content_changed (sent: locked; activated: an update).
    _hvac_protected_fields = frozenset(FOLLOW_UP_FIELDS)

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one("res.users", "Responsible", default=lambda self: self.env.user, tracking=True)
    state = fields.Selection(
        STATES, default="draft", required=True, readonly=True, copy=False, tracking=True, index=True
    )
    mode = fields.Selection([("edi", "EDI"), ("api", "API")], required=True, default="edi", tracking=True)
    environment = fields.Selection(
        [("qualification", "Qualification"), ("production", "Production")],
        required=True,
        default="qualification",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Partner structure",
        required=True,
        default=lambda self: self.env.company.partner_id,
        help="The Chorus Pro structure being connected.",
    )
    partner_siret = fields.Char(related="partner_id.siret", string="SIRET")
    date_from = fields.Date("Connected from", default=fields.Date.context_today)
    date_to = fields.Date("Connected until")
    protocol = fields.Selection(PROTOCOLS, "Connection protocol", default="sftp")
    partner_app_code = fields.Char(
        "Code Appli Partenaire", tracking=True, help="The connection's code given by Chorus Pro, e.g. VFE060."
    )
    certificate_ids = fields.One2many("hvac.chorus.connection.certificate", "sheet_id", "Certificates")
    certificate_expiry = fields.Date("Certificates valid until", compute="_compute_certificate_expiry", store=True)
    contact_name = fields.Char("Technical contact")
    contact_phone = fields.Char("Contact phone")
    contact_email = fields.Char("Contact e-mail")
    contact_fax = fields.Char("Contact fax")
    aife_address = fields.Char("AIFE address", help="IP address or host name given by Chorus Pro (AIFE).")
    aife_port = fields.Integer("AIFE port")
    aife_as2_identifier = fields.Char("AIFE AS2 identifier")
    aife_path = fields.Char("AIFE path")
    partner_address = fields.Char("Our address")
    partner_port = fields.Integer("Our port")
    partner_as2_identifier = fields.Char("Our AS2 identifier")
    partner_path = fields.Char("Our path")
    encryption_algorithm = fields.Char(help="e.g. AES256")
    signature_algorithm = fields.Char(help="e.g. SHA2")
    mdn_mode = fields.Selection(MDN_MODES, "MDN delivery mode")
    interface_ids = fields.One2many("hvac.chorus.connection.sheet.interface", "sheet_id", "Interface codes", copy=True)
    comment = fields.Text("Comments")
    # Production needs a qualification first (seed 004): the structure's own, or the one of the
    # software vendor whose solution the structure uses.
    qualified_by = fields.Selection(
        [("structure", "This structure (its qualification sheet)"), ("vendor", "Our software vendor")],
        "Qualification done by",
        default="structure",
        required=True,
        tracking=True,
        help="Chorus Pro opens production to a structure connected in qualification, or whose software vendor was.",
    )
    vendor_name = fields.Char(
        "Vendor connected in qualification",
        tracking=True,
        help="The vendor of the invoicing solution the structure uses, connected to Chorus Pro in qualification.",
    )
    sent_date = fields.Date("Sent on", readonly=True, copy=False)
    activated_date = fields.Date("Activated on", readonly=True, copy=False)
    support_reminded = fields.Boolean(readonly=True, copy=False)

    def _creation_message(self):
        # Odoo's "%s created" reads "Fiche de raccordement Chorus Pro créé" in French.
        return self.env._("Connection sheet created")

    @api.depends("mode", "protocol", "partner_id", "partner_app_code", "environment")
    def _compute_name(self):
        for sheet in self:
            kind = "EDI " + dict(PROTOCOLS).get(sheet.protocol, "") if sheet.mode == "edi" else "API"
            parts = [kind.strip(), sheet.partner_id.name, sheet.partner_app_code]
            sheet.name = " - ".join(p for p in parts if p)

    @api.depends("certificate_ids.not_after")
    def _compute_certificate_expiry(self):
        for sheet in self:
            dates = [d for d in sheet.certificate_ids.mapped("not_after") if d]
            sheet.certificate_expiry = min(dates).date() if dates else False

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "interface_ids" in fields_list and not values.get("interface_ids"):
            codes = self.env["hvac.chorus.interface.code"].search([])
            values["interface_ids"] = [fields.Command.create({"code_id": code.id}) for code in codes]
        return values

    @api.constrains("environment", "interface_ids")
    def _check_production_codes(self):
        # The portal does not offer the qualification-only interface codes in production (seed 004).
        for sheet in self.filtered(lambda s: s.environment == "production"):
            wrong = sheet.interface_ids.filtered(lambda line: line.qualification_only and line.integration != "none")
            if wrong:
                raise ValidationError(
                    _("These interface codes exist only in qualification: %s.", ", ".join(wrong.code_id.mapped("code")))
                )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for sheet in self:
            if sheet.date_from and sheet.date_to and sheet.date_to < sheet.date_from:
                raise UserError(_("The connection period ends before it starts."))

    def write(self, vals):
        if set(vals) - FOLLOW_UP_FIELDS - {"message_main_attachment_id"}:
            self._content_changed()
            # Its certificates and interface lines, written through this write, are checked here.
            self = self.with_context(hvac_sheet_checked=True)  # noqa: PLW0642
        return super().write(vals)

    def _content_changed(self):
        """The sheet, a certificate or an interface line changed: allowed on a draft or an
        activated sheet; on an activated one it is an update sent to Chorus (portal state
        "Envoyée MAJ")."""
        if self.env.context.get("hvac_sheet_checked"):
            return
        self._check_editable()
        self.filtered(lambda s: s.state == "active")._hvac_set_protected(
            {"state": "sent_update", "sent_date": fields.Date.context_today(self), "support_reminded": False}
        )

    def _check_editable(self):
        locked = self.filtered(lambda s: s.state in ("sent", "sent_update", "inactive"))
        if locked:
            raise UserError(
                _("%s was sent to Chorus Pro: it can be consulted, and changed again once activated.", locked[0].name)
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(sheet.state != "draft" for sheet in self):
            raise UserError(_("Only draft connection sheets can be deleted, as on the portal."))

    # --- state moves --------------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.user.has_group(CHORUS_MANAGER):
            raise AccessError(_("Only Chorus Pro managers change the state of connection sheets."))
        self.check_access("write")

    def _missing_for_submit(self):
        self.ensure_one()
        problems = []
        if not (self.contact_name and self.contact_phone and self.contact_email):
            problems.append(_("the technical contact's name, phone and e-mail"))
        if self.mode == "edi" and not self.protocol:
            problems.append(_("the connection protocol"))
        roles = set(self.certificate_ids.mapped("role"))
        needed = REQUIRED_ROLES[self.protocol if self.mode == "edi" else "api"]
        if roles != needed or len(self.certificate_ids) != len(needed):
            labels = dict(
                self.env["hvac.chorus.connection.certificate"]._fields["role"]._description_selection(self.env)
            )
            problems.append(_("certificates: %s", " + ".join(labels[role] for role in sorted(needed))))
        unlisted = self.certificate_ids.filtered(lambda certificate: not certificate.authority_id)
        if unlisted:
            problems.append(
                _(
                    "certificates from a qualified certification authority (LSTI list), not %s",
                    ", ".join(unlisted.mapped("issuer")),
                )
            )
        if self.mode == "edi" and not any(line.integration != "none" for line in self.interface_ids):
            problems.append(_("at least one interface code connected (complete or partial)"))
        return problems + self._missing_network() + self._missing_qualification()

    def _missing_network(self):
        # Network data are starred on the portal's EDI sheet; for AS2 the partner's side too.
        if self.mode != "edi":
            return []
        fields_needed = ["aife_address", "aife_port"]
        if self.protocol == "as2":
            fields_needed += [
                "aife_as2_identifier",
                "partner_as2_identifier",
                "partner_address",
                "partner_port",
                "partner_path",
                "encryption_algorithm",
                "signature_algorithm",
                "mdn_mode",
            ]
        missing = [self._fields[name].get_description(self.env)["string"] for name in fields_needed if not self[name]]
        return [_("network data: %s", ", ".join(missing))] if missing else []

    def _missing_qualification(self):
        """Production is open to a structure connected in qualification, or whose software
        vendor was (seed 004): the structure's own qualification sheet, or the vendor named."""
        if self.environment != "production":
            return []
        if self.qualified_by == "vendor":
            return [] if self.vendor_name else [_("the software vendor connected in qualification")]
        domain = [
            ("company_id", "=", self.company_id.id),
            ("partner_id", "=", self.partner_id.id),
            ("environment", "=", "qualification"),
            ("mode", "=", self.mode),
            ("state", "in", ("sent", "sent_update", "active")),
        ]
        if self.mode == "edi":
            domain.append(("protocol", "=", self.protocol))
        if self.search_count(domain):
            return []
        return [
            _(
                "a qualification sheet of %s sent before this production one, or the software vendor connected in"
                " qualification (Qualification done by)",
                self.partner_id.display_name,
            )
        ]

    def action_submit(self):
        self._check_manager()
        for sheet in self:
            if sheet.state not in ("draft", "sent_update"):
                raise UserError(_("Only a draft or an updated sheet can be sent."))
            problems = sheet._missing_for_submit()
            if problems:
                raise UserError(_("Before sending, fill in: %s.", "; ".join(problems)))
        self._hvac_set_protected(
            {"state": "sent", "sent_date": fields.Date.context_today(self), "support_reminded": False}
        )
        return True

    def action_activate(self):
        self._check_manager()
        if any(sheet.state not in ("sent", "sent_update") for sheet in self):
            raise UserError(_("Chorus Pro activates sheets that were sent."))
        self._hvac_set_protected({"state": "active", "activated_date": fields.Date.context_today(self)})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_deactivate(self):
        self._check_manager()
        if any(sheet.state == "draft" for sheet in self):
            raise UserError(_("A draft sheet was never sent: delete it instead."))
        self._hvac_set_protected({"state": "inactive"})
        return True

    def action_print(self):
        return self.env.ref("hvac_connect.action_report_hvac_chorus_connection_sheet").report_action(self, config=False)

    # --- reminders ------------------------------------------------------------------------------
    @api.model
    def _cron_reminders(self):
        """Remind of sheets still not activated the day after sending, and of expiring certificates."""
        today = fields.Date.context_today(self)
        late = self.search(
            [("state", "in", ("sent", "sent_update")), ("sent_date", "<", today), ("support_reminded", "=", False)]
        )
        job = Job(self.env, 0)
        held = in_batches(late, lambda batch: batch._remind_support(), job=job)
        held_certificates = self.env["hvac.chorus.connection.certificate"]._remind_expiring(
            today + timedelta(days=30), job
        )
        again_soon(self.env, "hvac_connect.ir_cron_chorus_connection_reminders", held or held_certificates)

    def _remind_support(self):
        for sheet in self:
            sheet.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=sheet.user_id.id or self.env.uid,
                summary=_("Sheet not activated: contact Chorus Pro support"),
                note=_(
                    "Sent on %s and still not activated the next day: Chorus Pro advises to contact its support.",
                    sheet.sent_date,
                ),
            )
        self._hvac_set_protected({"support_reminded": True})
