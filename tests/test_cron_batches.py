import time
from contextlib import closing
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests import get_db_name, tagged

from odoo.addons.hvac_connect.models.common import batch

from .common import HvacConnectCase
from .worker_commits import WorkerKilled, committing_worker


@tagged("post_install", "-at_install")
class TestCronBatches(HvacConnectCase):
    """The scheduled jobs under many workers: a row a user's transaction holds is left, not
    waited for, and taken by the next run; a job killed after a batch resumes after it."""

    @classmethod
    def setUpClass(cls):
        # The user's session sees only committed data: two overdue installations made and
        # committed in a session of their own, before the test's transaction takes its snapshot.
        registry = Registry(get_db_name())
        with closing(registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            customer = env["res.partner"].create({"name": "Halles de Villeurbanne", "is_company": True})
            site = env["hvac.site"].create({"name": "Halles", "partner_id": customer.id, "zip": "69100"})
            # Commissioned two years ago, never checked: overdue, so planned whatever the horizon.
            installations = env["hvac.installation"].create(
                [
                    {
                        "name": name,
                        "building_id": site.building_ids.id,
                        "refrigerant_id": env.ref("hvac_connect.refrigerant_r_410a").id,
                        "charge_kg": 20.0,
                        "commissioning_date": fields.Date.today() - relativedelta(years=2),
                    }
                    for name in ("Chambre froide négative", "Chambre froide positive")
                ]
            )
            cr.commit()  # pylint: disable=invalid-commit  (the other session must see them: the point of the test)
            cls.committed_ids, cls.site_id, cls.customer_id = installations.ids, site.id, customer.id
        cls.addClassCleanup(cls._drop_committed, registry)
        super().setUpClass()

    @classmethod
    def _drop_committed(cls, registry):
        with closing(registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["hvac.installation"].browse(cls.committed_ids).unlink()
            env["hvac.site"].browse(cls.site_id).unlink()
            env["res.partner"].browse(cls.customer_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit  (what the test committed goes)

    def _leak_check_activities(self, installations):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "hvac.installation"),
                ("res_id", "in", installations.ids),
                ("activity_type_id", "=", self.env.ref("hvac_connect.mail_activity_type_leak_check").id),
            ]
        )

    def _to_plan(self):
        """What the planning job has to do today, company by company."""
        Installation = self.env["hvac.installation"]
        due = Installation.browse()
        for company in self.env["res.company"].search([]):
            due |= Installation._leak_checks_to_plan(company)
        return due._leak_checks_unplanned()

    def _triggers(self):
        cron = self.env.ref("hvac_connect.ir_cron_plan_leak_checks")
        return self.env["ir.cron.trigger"].sudo().search([("cron_id", "=", cron.id)])

    def test_planning_skips_the_installation_a_user_is_saving_and_takes_it_next_run(self):
        held, free = self.env["hvac.installation"].browse(self.committed_ids)
        triggers = self._triggers()
        with closing(Registry(self.env.cr.dbname).cursor()) as user_cr:
            # A user's save of the installation form, not committed yet: his transaction holds the row.
            user_env = api.Environment(user_cr, SUPERUSER_ID, {})
            user_env["hvac.installation"].browse(held.id).write({"serial_number": "DK-2209-118"})
            user_env.flush_all()
            # Waiting for him would stop the job at this timeout with an error.
            self.env.cr.execute("SET LOCAL lock_timeout = '2s'")
            self.env["hvac.installation"]._cron_plan_leak_checks()
            self.assertEqual(self._leak_check_activities(held | free).res_id, free.id)
            self.assertFalse(held.leak_check_activity_date)
            self.assertEqual(free.leak_check_activity_date, free.next_leak_check_date)
            # The job comes back for it in minutes, not the next day.
            retry = self._triggers() - triggers
            self.assertEqual(len(retry), 1)
            self.assertLessEqual(retry.call_at, fields.Datetime.now() + batch.RETRY_SKIPPED)
            self.assertGreater(retry.call_at, fields.Datetime.now())
            user_cr.rollback()  # the user closed the form without saving
        self.env["hvac.installation"]._cron_plan_leak_checks()
        activities = self._leak_check_activities(held | free)
        self.assertEqual(sorted(activities.mapped("res_id")), sorted([held.id, free.id]), "one each, none twice")
        self.assertEqual(held.leak_check_activity_date, held.next_leak_check_date)

    def test_planning_killed_after_a_batch_resumes_without_doing_it_again(self):
        Installation = self.env["hvac.installation"]
        installations = Installation.browse(self.committed_ids) | Installation.create(
            [
                {
                    "name": f"Armoire de climatisation {n}",
                    "building_id": self.building.id,
                    "refrigerant_id": self.fluid.id,
                    "charge_kg": 8.0,
                    "commissioning_date": fields.Date.today() - relativedelta(years=2),
                }
                for n in range(3)
            ]
        )
        to_plan = self._to_plan()
        self.assertTrue(installations <= to_plan)
        self.assertGreaterEqual(len(to_plan), 5)
        needing = to_plan.filtered(lambda inst: inst.leak_check_activity_date != inst.next_leak_check_date)
        before = self._leak_check_activities(to_plan)
        planned = []
        create = type(Installation)._create_leak_check_activities

        def dying_on_the_second_batch(records):
            if len(planned) == 1:
                raise WorkerKilled
            planned.append(records.ids)
            return create(records)

        with committing_worker(self.env) as worker:
            with (
                patch.object(batch, "BATCH_SIZE", 2),
                patch.object(type(Installation), "_create_leak_check_activities", dying_on_the_second_batch),
            ):
                self.assertTrue(worker.run(Installation._cron_plan_leak_checks), "the worker died")
            self.assertEqual(worker.commits, 1, "the first batch was committed before the worker died")
        first = Installation.browse(planned[0])
        self.assertEqual(len(first), 2)
        self.assertEqual(
            sorted((self._leak_check_activities(to_plan) - before).mapped("res_id")), sorted((first & needing).ids)
        )
        # The next run: the rest, and nothing of the first batch again.
        planned.clear()
        with patch.object(
            type(Installation),
            "_create_leak_check_activities",
            lambda records: planned.append(records.ids) or create(records),
        ):
            Installation._cron_plan_leak_checks()
        self.assertFalse(set(first.ids) & {i for ids in planned for i in ids}, "the first batch is not done again")
        new = self._leak_check_activities(to_plan) - before
        self.assertEqual(sorted(new.mapped("res_id")), sorted(needing.ids), "each installation planned once")
        self.assertFalse(self._to_plan())

    def test_a_call_past_its_time_reports_what_is_left_and_the_next_call_goes_on(self):
        Installation = self.env["hvac.installation"]
        cron = self.env.ref("hvac_connect.ir_cron_plan_leak_checks")
        to_plan = self._to_plan()
        self.assertGreaterEqual(len(to_plan), 2)
        needing = to_plan.filtered(lambda inst: inst.leak_check_activity_date != inst.next_leak_check_date)
        before = self._leak_check_activities(to_plan)
        calls = []
        with patch.object(batch, "BATCH_SIZE", 1), patch.object(batch, "_deadline", lambda env: time.monotonic()):
            # As the scheduler calls a job: with a progress record in its context.
            for _call in range(len(to_plan) + 1):
                _cron, progress = cron.sudo()._add_progress()
                Installation.with_context(ir_cron_progress_id=progress.id)._cron_plan_leak_checks()
                calls.append((progress.done, progress.remaining))
                if not progress.remaining:
                    break
        # A deadline already past: one batch per call, the scheduler told what is left each time.
        self.assertEqual(calls, [(1, len(to_plan) - n) for n in range(1, len(to_plan) + 1)])
        self.assertFalse(self._to_plan())
        new = self._leak_check_activities(to_plan) - before
        self.assertEqual(sorted(new.mapped("res_id")), sorted(needing.ids), "each installation planned once")
