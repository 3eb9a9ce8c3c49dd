from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo.tests import HttpCase, freeze_time, tagged

from ..common import HvacConnectCase

TODAY = date(2026, 3, 2)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestLeakPlanning(HvacConnectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.hvac_leak_check_notice_days = 30
        cls.customer.write(
            {
                "email": "maintenance@clinique-du-parc.fr",
                "lang": "fr_FR" if cls.env["res.lang"]._lang_get("fr_FR") else "en_US",
            }
        )
        # 12-month period (R-410A, 10 kg = 20.9 t): last check 12 months less 15 days ago -> due in 15 days.
        cls.due_soon = cls.make_installation(name="CTA Bloc A", technician_id=cls.technician.id)
        cls.make_intervention(cls.due_soon, date=TODAY - relativedelta(months=12) + timedelta(days=15)).action_done()
        cls.later = cls.make_installation(name="CTA Bloc B", technician_id=cls.technician.id)
        cls.make_intervention(cls.later, date=TODAY - relativedelta(months=3)).action_done()

    def _activities(self, installations):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "hvac.installation"),
                ("res_id", "in", installations.ids),
                ("activity_type_id", "=", self.env.ref("hvac_connect.mail_activity_type_leak_check").id),
            ]
        )

    def test_job_creates_one_activity_and_never_twice(self):
        installations = self.due_soon | self.later
        self.assertEqual(self.due_soon.next_leak_check_date, TODAY + timedelta(days=15))
        self.env["hvac.installation"]._cron_plan_leak_checks()
        activities = self._activities(installations)
        self.assertRecordValues(
            activities,
            [
                {
                    "res_id": self.due_soon.id,
                    "user_id": self.technician.id,
                    "date_deadline": TODAY + timedelta(days=15),
                }
            ],
        )
        # Run again, and again after the technician closed the activity: nothing more.
        self.env["hvac.installation"]._cron_plan_leak_checks()
        self.assertEqual(self._activities(installations), activities)
        activities.action_feedback("Rendez-vous pris")
        self.env["hvac.installation"]._cron_plan_leak_checks()
        self.assertFalse(self._activities(installations))
        self.assertEqual(self.due_soon.leak_check_activity_date, TODAY + timedelta(days=15))

    def test_activity_without_a_responsible_goes_to_who_did_the_last_fiche(self):
        """An installation loaded as data was created by the system: its activity goes to the
        technician of its last fiche, not to an inactive user nobody reads."""
        installation = self.make_installation(name="CTA Bloc D")
        self.assertEqual(installation.create_uid, self.env.ref("base.user_root"))
        fiche = self.make_intervention(installation, date=TODAY - relativedelta(months=12) + timedelta(days=5))
        fiche.technician_id = self.technician
        fiche.action_done()
        self.env["hvac.installation"]._cron_plan_leak_checks()
        self.assertEqual(self._activities(installation).user_id, self.technician)

    def test_planning_opens_on_the_oldest_overdue_check(self):
        late = self.make_installation(name="CTA Bloc E", technician_id=self.technician.id)
        self.make_intervention(late, date=TODAY - relativedelta(months=20)).action_done()
        action = self.env["hvac.installation"].with_user(self.technician)._action_open_leak_planning()
        self.assertEqual(action["context"]["initial_date"], str(TODAY - relativedelta(months=8)))
        self.assertEqual(action["context"]["search_default_group_due_month"], 1)
        calendar = self.env.ref("hvac_connect.hvac_installation_view_calendar_leak_planning")
        self.assertIn('delete="0"', calendar.arch_db)
        menu = self.env.ref("hvac_connect.menu_hvac_leak_planning")
        self.assertEqual(menu.action, self.env.ref("hvac_connect.hvac_installation_action_leak_planning_open"))
        result = menu.action.with_user(self.technician).run()
        self.assertEqual(result["res_model"], "hvac.installation")

    def test_periods_are_not_summed_in_groups(self):
        groups = self.env["hvac.installation"].read_group(
            [("id", "in", (self.due_soon | self.later).ids)], ["leak_check_period", "charge_kg"], []
        )
        self.assertNotIn("leak_check_period", groups[0], "a period is no quantity")
        self.assertEqual(groups[0]["charge_kg"], 20.0, "charges are")

    def test_horizon_per_company(self):
        self.company.hvac_leak_check_notice_days = 10
        self.env["hvac.installation"]._cron_plan_leak_checks()
        self.assertFalse(self._activities(self.due_soon))
        self.company.hvac_leak_check_notice_days = 15
        self.env["hvac.installation"]._cron_plan_leak_checks()
        self.assertEqual(len(self._activities(self.due_soon)), 1)

    def test_holder_notified_automatically_once(self):
        self.env["hvac.installation"]._cron_plan_leak_checks()
        self.assertFalse(self.due_soon.leak_check_notice_date, "the customer did not ask for notices")
        self.customer.hvac_leak_check_notify = True
        self.env["hvac.installation"]._cron_plan_leak_checks()
        self.env["hvac.installation"]._cron_plan_leak_checks()
        mails = self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)])
        self.assertEqual(len(mails), 1)
        self.assertIn("CTA Bloc A", mails.subject)
        self.assertIn("étanchéité", mails.subject)
        self.assertEqual(self.due_soon.leak_check_notice_date, self.due_soon.next_leak_check_date)

    def test_repair_fiche_moves_due_date_to_one_month(self):
        repair_day = TODAY - timedelta(days=3)
        installation = self.make_installation(name="Chambre froide", technician_id=self.technician.id)
        self.make_intervention(installation, date=TODAY - relativedelta(months=2)).action_done()
        self.assertEqual(installation.next_leak_check_date, TODAY - relativedelta(months=2) + relativedelta(months=12))
        self.make_intervention(
            installation,
            date=repair_day,
            leaks_found=True,
            leak_location_1="Vanne de service",
            leak_repair_1="done",
        ).action_done()
        self.assertEqual(installation.leak_recheck_date, repair_day + relativedelta(months=1))
        self.assertEqual(installation.next_leak_check_date, repair_day + relativedelta(months=1))
        # Planned like any due check, with its own summary.
        self.env["hvac.installation"]._cron_plan_leak_checks()
        activity = self._activities(installation)
        self.assertEqual(activity.date_deadline, repair_day + relativedelta(months=1))
        self.assertEqual(activity.summary, "Re-check after leak repair")
        # The re-check done: back to the normal period.
        recheck_day = TODAY + timedelta(days=5)
        self.make_intervention(installation, date=recheck_day, nature="non_periodic_check").action_done()
        self.assertFalse(installation.leak_recheck_date)
        self.assertEqual(installation.next_leak_check_date, recheck_day + relativedelta(months=12))

    def test_leak_not_repaired_gives_no_recheck(self):
        installation = self.make_installation(name="Split bureau")
        self.make_intervention(
            installation, date=TODAY, leaks_found=True, leak_location_1="Brasure", leak_repair_1="todo"
        ).action_done()
        self.assertFalse(installation.leak_recheck_date)

    def test_leak_detection_requirement(self):
        # R-404A GWP 3921.6: 127.5 kg = 500.0 t CO2e; R-1234yf: 100 kg of Annex II gas.
        r404a = self.env.ref("hvac_connect.refrigerant_r_404a")
        big = self.make_installation(charge=127.6, fluid=r404a, name="Centrale positive")
        small = self.make_installation(charge=127.0, fluid=r404a, name="Centrale négative")
        hfo = self.make_installation(
            charge=100.0, fluid=self.env.ref("hvac_connect.refrigerant_r_1234yf"), name="PAC HFO"
        )
        self.assertRecordValues(
            big | small | hfo,
            [
                {"leak_detection_required": True, "leak_detection_missing": True},
                {"leak_detection_required": False, "leak_detection_missing": False},
                {"leak_detection_required": True, "leak_detection_missing": True},
            ],
        )
        big.leak_detection_system = True
        self.assertFalse(big.leak_detection_missing)
        missing = self.env["hvac.installation"].search(
            [("leak_detection_missing", "=", True), ("id", "in", (big | hfo).ids)]
        )
        self.assertEqual(missing, hfo)


@tagged("post_install", "-at_install")
class TestLeakPlanningButtons(HvacConnectCase, HttpCase):
    def test_notify_button_through_web_client(self):
        installation = self.make_installation(name="CTA Bloc C", commissioning_date=date.today())
        self.authenticate("hvac_tech", "hvac_tech")
        action = self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {
                "model": "hvac.installation",
                "method": "action_send_leak_check_notice",
                "args": [installation.ids],
                "kwargs": {},
            },
        )
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertEqual(action["name"], "Notify the holder of the leak check")
        template = self.env.ref("hvac_connect.mail_template_leak_check_notice")
        self.assertEqual(action["context"]["default_template_id"], template.id)

    def test_planning_menu_for_technicians(self):
        menu = self.env.ref("hvac_connect.menu_hvac_leak_planning")
        self.assertTrue(self.env["ir.ui.menu"].with_user(self.technician).search([("id", "=", menu.id)]))
        rows = (
            self.env["hvac.installation"]
            .with_user(self.technician)
            .search_read(
                [("next_leak_check_date", "!=", False)],
                ["next_leak_check_date", "technician_id", "leak_detection_missing"],
            )
        )
        self.assertIsInstance(rows, list)
