from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..common.batch import again_soon, in_batches
from .aptitude import SCOPES
from .hvac_intervention import CAPACITY_CATEGORIES
from .hvac_intervention_validation import format_kg

# A1 FF exists for companies only (attestation de capacité); a person holds A1.
APTITUDE_CATEGORIES = [category for category in CAPACITY_CATEGORIES if category[0] != "A1FF"]
# The reminder activity is planned this many days before an attestation or a detector check ends.
REMINDER_DAYS = 60
REMINDER_BATCH = 500
REMINDER_CRON = "hvac_connect.ir_cron_compliance_reminders"


def remind_in_batches(due, remind):
    """``remind`` the records ``due`` (one search of at most REMINDER_BATCH), a committed batch at
    a time: the compliance job runs again soon for those a user held, and at once when the search
    was full (more are due)."""
    again_soon(due.env, REMINDER_CRON, in_batches(due, remind))
    if len(due) == REMINDER_BATCH:
        due.env.ref(REMINDER_CRON)._trigger()


class HvacQualification(models.Model):
    """A technician's attestation d'aptitude: the personal certificate every person handling
    refrigerant holds (Regulation (EU) 2024/573, Article 10).
    The contractor keeps a copy: the scanned certificate."""

    _name = "hvac.qualification"
    _description = "Attestation d'aptitude"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "user_id, date_expiry desc, id desc"
    _check_company_auto = True

    name = fields.Char("Certificate number", required=True, tracking=True)
    active = fields.Boolean(default=True)
    user_id = fields.Many2one("res.users", "Technician", required=True, index=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    category = fields.Selection(APTITUDE_CATEGORIES, required=True, tracking=True)
    issuer = fields.Char("Issuing body", required=True, help="The approved body that issued the certificate.")
    date_issued = fields.Date("Issued on", required=True, tracking=True)
    date_expiry = fields.Date(
        "Valid until",
        tracking=True,
        help="Empty when the certificate has no end of validity (the 2008 scheme's certificates).",
    )
    certificate = fields.Binary("Scanned certificate", attachment=True, copy=False)
    certificate_filename = fields.Char()
    scope = fields.Char("May do", compute="_compute_scope")
    expiry_reminded = fields.Boolean(copy=False, help="The reminder activity before the end of validity is planned.")

    @api.constrains("date_issued", "date_expiry")
    def _check_dates(self):
        for qualification in self:
            if qualification.date_expiry and qualification.date_expiry < qualification.date_issued:
                raise ValidationError(
                    self.env._("Attestation %s: it cannot end before it was issued.", qualification.name)
                )

    @api.depends("category")
    def _compute_scope(self):
        _ = self.env._
        labels = {
            "leak_check": _("leak checks"),
            "recovery": _("recovery"),
            "servicing": _("installation, maintenance and charging"),
        }
        fluids = {"fgas": _("fluorinated fluids"), "co2": "CO2", "nh3": _("ammonia"), "hc": _("hydrocarbons")}
        for qualification in self:
            scope = SCOPES.get(qualification.category)
            if not scope or not scope.limits:
                qualification.scope = _("vehicle air conditioning only") if scope else False
                continue
            parts = []
            for activity, limit in scope.limits.items():
                text = labels[activity]
                if limit is not None:
                    text = _("%(activity)s below %(limit)s kg", activity=text, limit=format_kg(self.env, limit))
                parts.append(text)
            qualification.scope = "{} ({})".format(", ".join(parts), ", ".join(fluids[f] for f in sorted(scope.fluids)))

    def write(self, vals):
        if "date_expiry" in vals:
            vals = dict(vals, expiry_reminded=False)
        return super().write(vals)

    @api.model
    def _valid_for(self, users, on_date):
        """The attestations of ``users`` valid on ``on_date``, by user (a personal certificate
        counts whichever company keeps its copy)."""
        found = self.sudo().search(
            [
                ("user_id", "in", users.ids),
                ("date_issued", "<=", on_date),
                "|",
                ("date_expiry", "=", False),
                ("date_expiry", ">=", on_date),
            ]
        )
        by_user = {}
        for qualification in found:
            by_user[qualification.user_id] = by_user.get(qualification.user_id, self.browse()) | qualification
        return by_user

    @api.model
    def _cron_expiry_reminders(self):
        """Plan an activity for the technician, REMINDER_DAYS before an attestation ends."""
        limit = fields.Date.context_today(self) + relativedelta(days=REMINDER_DAYS)
        due = self.search(
            [("date_expiry", "!=", False), ("date_expiry", "<=", limit), ("expiry_reminded", "=", False)],
            limit=REMINDER_BATCH,
        )
        remind_in_batches(due, lambda batch: batch._remind_expiry())

    def _remind_expiry(self):
        for qualification in self:
            qualification.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=qualification.date_expiry - relativedelta(days=30),
                summary=self.env._("Attestation d'aptitude ends on %s", qualification.date_expiry),
                note=self.env._(
                    "%(technician)s's attestation %(number)s (category %(category)s) ends on %(date)s: plan the"
                    " renewal, or the fiches this technician validates afterwards will be refused.",
                    technician=qualification.user_id.name,
                    number=qualification.name,
                    category=qualification.category,
                    date=qualification.date_expiry,
                ),
                user_id=qualification.user_id.id,
            )
        self.write({"expiry_reminded": True})

    @api.model
    def _cron_compliance_reminders(self):
        self._cron_expiry_reminders()
        self.env["hvac.detector"]._cron_check_reminders()
