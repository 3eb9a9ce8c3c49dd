from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .hvac_qualification import REMINDER_BATCH, REMINDER_DAYS, remind_in_batches

# Manual detectors are checked at least once a year (research domain.md §1.2, French additions).
CHECK_MONTHS = 12


class HvacDetector(models.Model):
    """A manual leak detector (Cerfa 15497 cadre 5), kept by a technician or in a van, and its
    yearly check."""

    _name = "hvac.detector"
    _description = "Manual leak detector"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "user_id, name"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    brand = fields.Char(required=True)
    model = fields.Char()
    serial_number = fields.Char(required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users", "Technician", index=True, tracking=True, help="The technician who carries it."
    )
    vehicle = fields.Char("Van", tracking=True, help="The van it travels in, when it is not one technician's.")
    last_check_date = fields.Date("Last checked on", required=True, tracking=True)
    check_certificate = fields.Binary("Check certificate", attachment=True, copy=False)
    check_certificate_filename = fields.Char()
    next_check_date = fields.Date("Check due on", compute="_compute_next_check_date", store=True, index=True)
    check_reminded = fields.Boolean(copy=False)

    _sql_constraints = [
        (
            "serial_company_uniq",
            "unique(brand, serial_number, company_id)",
            "A detector of this brand with this serial number already exists.",
        ),
    ]

    @api.depends("brand", "model", "serial_number")
    def _compute_name(self):
        for detector in self:
            label = " ".join(part for part in (detector.brand, detector.model) if part)
            detector.name = self.env._("%(label)s n° %(serial)s", label=label, serial=detector.serial_number or "")

    @api.depends("last_check_date")
    def _compute_next_check_date(self):
        for detector in self:
            last = detector.last_check_date
            detector.next_check_date = last + relativedelta(months=CHECK_MONTHS) if last else False

    def write(self, vals):
        if "last_check_date" in vals:
            vals = dict(vals, check_reminded=False)
        return super().write(vals)

    @api.model
    def _for_technician(self, user, company):
        """The detector the fiche proposes: the technician's own, the most recently checked."""
        if not user:
            return self.browse()
        return self.search(
            [("user_id", "=", user.id), ("company_id", "=", company.id)], order="last_check_date desc", limit=1
        )

    @api.model
    def _cron_check_reminders(self):
        """Plan an activity for the detector's technician, REMINDER_DAYS before its yearly check is due."""
        limit = fields.Date.context_today(self) + relativedelta(days=REMINDER_DAYS)
        due = self.search([("next_check_date", "<=", limit), ("check_reminded", "=", False)], limit=REMINDER_BATCH)
        remind_in_batches(due, lambda batch: batch._remind_check())

    def _remind_check(self):
        for detector in self:
            detector.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=detector.next_check_date,
                summary=self.env._("Leak detector check due on %s", detector.next_check_date),
                note=self.env._(
                    "Detector %(name)s must be checked by %(date)s: after that, fiches with a leak check made with"
                    " it are refused.",
                    name=detector.name,
                    date=detector.next_check_date,
                ),
                user_id=(detector.user_id or detector.create_uid).id,
            )
        self.write({"check_reminded": True})
