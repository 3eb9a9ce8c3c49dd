from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.safe_eval import safe_eval

from ..common.batch import again_soon, in_batches
from ..common.hvac_lifecycle_mixin import hvac_protected_path
from .fgas import ANNEX1_T_CO2E, ANNEX2_KG

# Regulation (EU) 2024/573 Art. 4(5): after a repair, a new check within one month.
RECHECK_MONTHS = 1
# Art. 6: a leak detection system is compulsory from 500 t CO2e (Annex I) or 100 kg (Annex II s.1).
LDS_T_CO2E = ANNEX1_T_CO2E[-1]
LDS_ANNEX2_KG = ANNEX2_KG[-1]
# Set when the notice to the holder has really gone (models/fluids/mail_mail.py), never by a write.
NOTICE_FIELDS = {"leak_check_notice_date"}
# A notice posted this recently is taken as waiting in the mail queue; one refused by the mail
# server is posted again by the next day's run.
NOTICE_IN_QUEUE = timedelta(hours=12)
REPAIRED_DOMAIN = [
    "|",
    "|",
    ("leak_repair_1", "=", "done"),
    ("leak_repair_2", "=", "done"),
    ("leak_repair_3", "=", "done"),
]


class HvacInstallation(models.Model):
    """Planning of leak checks: the one-month re-check after a repair, the leak-detection
    requirement, the reminder activities and the notice sent to the holder."""

    _inherit = "hvac.installation"

    technician_id = fields.Many2one(
        "res.users",
        "Responsible technician",
        tracking=True,
        index="btree_not_null",
        domain="[('share', '=', False)]",
        help="Receives the activity planning the next leak check.",
    )
    last_leak_repair_date = fields.Date(
        "Last leak repair",
        compute="_compute_last_leak_repair_date",
        store=True,
        help="Date of the last done fiche recording a leak repaired.",
    )
    leak_recheck_date = fields.Date(
        "Re-check after repair due",
        compute="_compute_next_leak_check_date",
        store=True,
        help="A check within one month of a leak repair (Regulation (EU) 2024/573 Art. 4(5)).",
    )
    leak_detection_required = fields.Boolean(
        "Leak detection compulsory",
        compute="_compute_leak_detection_required",
        store=True,
        help="From 500 t CO2e of Annex I gases or 100 kg of Annex II gases (Regulation (EU) 2024/573 Art. 6).",
    )
    leak_detection_missing = fields.Boolean(
        "Leak detection missing",
        compute="_compute_leak_detection_required",
        store=True,
    )
    leak_check_activity_date = fields.Date(
        "Planned for due date",
        readonly=True,
        copy=False,
        help="Due date for which the reminder activity was created: never created twice for one date.",
    )
    leak_check_notice_date = fields.Date(
        "Holder notified for due date",
        readonly=True,
        copy=False,
        help="Due date of the last notice sent to the holder.",
    )

    # Recomputed by the fiche's own actions, as the last leak check (see its compute).
    @api.depends()
    def _compute_last_leak_repair_date(self):
        last_dates = dict(
            self.env["hvac.intervention"]._read_group(
                [("installation_id", "in", self.ids), ("state", "=", "done"), *REPAIRED_DOMAIN],
                ["installation_id"],
                ["date:max"],
            )
        )
        for installation in self:
            installation.last_leak_repair_date = last_dates.get(installation)

    @api.depends("last_leak_check_date", "commissioning_date", "leak_check_period", "last_leak_repair_date")
    def _compute_next_leak_check_date(self):  # pylint: disable=missing-return  (a compute returns nothing)
        super()._compute_next_leak_check_date()
        for installation in self:
            repaired = installation.last_leak_repair_date
            checked = installation.last_leak_check_date
            # A check done after the repair is the re-check; the repair fiche itself is usually a check
            # of the same day, which does not count as its own re-check.
            recheck = (
                repaired + relativedelta(months=RECHECK_MONTHS)
                if repaired and (not checked or checked <= repaired)
                else False
            )
            installation.leak_recheck_date = recheck
            due = installation.next_leak_check_date
            if recheck and (not due or recheck < due):
                installation.next_leak_check_date = recheck

    @api.depends("charge_kg", "refrigerant_id.annex1_gwp", "refrigerant_id.annex2_fraction", "leak_detection_system")
    def _compute_leak_detection_required(self):
        for installation in self:
            charge = installation._fgas_charge()
            required = charge.annex1_t_co2e >= LDS_T_CO2E or charge.annex2_kg >= LDS_ANNEX2_KG
            installation.leak_detection_required = required
            installation.leak_detection_missing = required and not installation.leak_detection_system

    # --- reminders
    @api.model
    def _cron_plan_leak_checks(self):
        """Daily: one activity per installation N days before its due date, and the notice to
        holders who asked for it. What was done is remembered per due date, so a second run
        (or a run the next day) creates nothing more."""
        due = self.browse()
        for company in self.env["res.company"].search([]):
            due |= self._leak_checks_to_plan(company)
        # A batch at a time, each committed: an installation a user is saving is left to a run
        # a few minutes later rather than waited for.
        skipped = in_batches(due._leak_checks_unplanned(), lambda batch: batch._plan_leak_check_batch())
        again_soon(self.env, "hvac_connect.ir_cron_plan_leak_checks", skipped)
        return True

    def _leak_checks_unplanned(self):
        """Those still lacking their activity or their holder's notice. The scheduler calls the
        job again within minutes when it stopped between batches: a notice posted then is still
        in the mail queue, and is not posted twice."""
        notices = self.filtered(lambda inst: inst._leak_check_notice_due())
        notices -= notices._leak_check_notices_on_their_way()
        return self.filtered(lambda inst: inst.leak_check_activity_date != inst.next_leak_check_date) | notices

    def _leak_check_notices_on_their_way(self):
        if not self:
            return self
        posted = (
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("subtype_id", "=", self.env.ref("hvac_connect.mt_leak_check_notice").id),
                    ("create_date", ">=", fields.Datetime.now() - NOTICE_IN_QUEUE),
                ],
                ["res_id"],
            )
        )
        return self.browse([res_id for (res_id,) in posted])

    def _leak_check_notice_due(self):
        return bool(
            self.partner_id.hvac_leak_check_notify
            and self.partner_id.email
            and self.leak_check_notice_date != self.next_leak_check_date
        )

    def _plan_leak_check_batch(self):
        self._create_leak_check_activities()
        self._send_leak_check_notices_auto()

    @api.model
    def _leak_checks_to_plan(self, company):
        horizon = fields.Date.context_today(self) + timedelta(days=company.hvac_leak_check_notice_days)
        return self.search(
            [
                ("company_id", "=", company.id),
                ("next_leak_check_date", "!=", False),
                ("next_leak_check_date", "<=", horizon),
            ]
        )

    def _create_leak_check_activities(self):
        todo = self.filtered(lambda inst: inst.leak_check_activity_date != inst.next_leak_check_date)
        if not todo:
            return self.env["mail.activity"]
        activity_type = self.env.ref("hvac_connect.mail_activity_type_leak_check")
        model_id = self.env["ir.model"]._get_id(self._name)
        # Quick update: no "activity assigned" e-mail per installation; the technician sees them in Odoo.
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": inst.id,
                        "activity_type_id": activity_type.id,
                        "date_deadline": inst.next_leak_check_date,
                        "summary": inst._leak_check_summary(),
                        "user_id": inst._leak_check_assignee().id,
                    }
                    for inst in todo
                ]
            )
        )
        # One UPDATE per due date, not per installation.
        for due_date in set(todo.mapped("next_leak_check_date")):
            todo.filtered(lambda inst, d=due_date: inst.next_leak_check_date == d).write(
                {"leak_check_activity_date": due_date}
            )
        return activities

    def _leak_check_assignee(self):
        """The responsible technician; else who did the last fiche, else who registered the
        installation (an installation loaded as data was registered by the system: nobody)."""
        self.ensure_one()
        last_fiche = self.intervention_ids.filtered(lambda f: f.state == "done")[:1]
        for user in (self.technician_id, last_fiche.technician_id, self.create_uid):
            if user and user.active and not user.share:
                return user
        return self.technician_id or self.create_uid

    @api.model
    def _action_open_leak_planning(self):
        """The planning, its calendar opened on the oldest overdue check (else today): an overdue
        installation is the first one to plan, and a calendar opened on today hid it."""
        action = self.env["ir.actions.act_window"]._for_xml_id("hvac_connect.hvac_installation_action_leak_planning")
        oldest = self.search(
            [("next_leak_check_date", "<", fields.Date.context_today(self))], order="next_leak_check_date", limit=1
        )
        context = safe_eval(action.get("context") or "{}")
        context["initial_date"] = fields.Date.to_string(oldest.next_leak_check_date or fields.Date.context_today(self))
        action["context"] = context
        return action

    def _leak_check_summary(self):
        if self.leak_recheck_date and self.leak_recheck_date == self.next_leak_check_date:
            return self.env._("Re-check after leak repair")
        return self.env._("Periodic leak check")

    def _send_leak_check_notices_auto(self):
        todo = self.filtered(lambda inst: inst._leak_check_notice_due())
        (todo - todo._leak_check_notices_on_their_way())._send_leak_check_notice()

    @api.model_create_multi
    def create(self, vals_list):
        if any(NOTICE_FIELDS & set(vals) for vals in vals_list):
            self._hvac_check_notice_write()
        return super().create(vals_list)

    def write(self, vals):
        if NOTICE_FIELDS & set(vals):
            self._hvac_check_notice_write()
        return super().write(vals)

    def _hvac_check_notice_write(self):
        if not self.env["hvac.lifecycle.mixin"]._hvac_trusted():
            raise AccessError(
                self.env._("The holder counts as notified once the notice e-mail has really been sent to it.")
            )

    def _send_leak_check_notice(self):
        # Marked as notified when the e-mail has gone (mail.mail), not when it is queued: a notice
        # the mail server refused is sent again by the next run.
        template = self.env.ref("hvac_connect.mail_template_leak_check_notice")
        for installation in self:
            installation.message_post_with_source(template, subtype_xmlid="hvac_connect.mt_leak_check_notice")

    def action_send_leak_check_notice(self):
        """Open the composer on the French notice to the holder."""
        return self._hvac_composer(
            "hvac_connect.mail_template_leak_check_notice",
            self.env._("Notify the holder of the leak check"),
            default_subtype_xmlid="hvac_connect.mt_leak_check_notice",
        )

    def _hvac_composer(self, template_xmlid, title, **context):
        """The mail composer on this installation, prefilled from a template, e-mailed to the holder;
        ``title`` names the window (without it, the dialog reads "Odoo")."""
        self.ensure_one()
        return {
            "name": title,
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": self.env.ref(template_xmlid).id,
                "default_composition_mode": "comment",
                "force_email": True,
                **context,
            },
        }

    def _hvac_mark_notified(self, partners):
        """A notice e-mail reached ``partners``: the installations whose holder is among them count
        as notified for their current due date."""
        with hvac_protected_path():
            for installation in self.sudo().filtered(lambda i: i.partner_id in partners):
                installation.leak_check_notice_date = installation.next_leak_check_date
