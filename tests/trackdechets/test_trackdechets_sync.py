from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from odoo.addons.hvac_connect.models.common import batch

from ..trackdechets_common import EXPORTER_TOKEN, OUR_SIRET, TrackdechetsCase

PAGE = 500
SYNC_LOGGER = "odoo.addons.hvac_connect.models.trackdechets.hvac_bsff_sync"


@tagged("post_install", "-at_install")
class TestTrackdechetsSync(TrackdechetsCase):
    def _sent_bsffs(self, count):
        ids = [self.fake.add_bsff(OUR_SIRET, f"BT-{n:04d}") for n in range(count)]
        records = self.env["hvac.bsff"]._hvac_create_protected(
            [
                {
                    "td_id": td_id,
                    "state": "signed_by_emitter",
                    "waste_description": "R410A",
                    "packaging_ids": [(0, 0, {"numero": f"BT-{n:04d}", "volume_l": 13.6, "weight_kg": 2.0})],
                }
                for n, td_id in enumerate(ids)
            ]
        )
        records._hvac_set_protected({"send_started_at": "2026-01-01 00:00:00"})
        return records

    def test_cron_follows_many_bsff_in_pages(self):
        records = self._sent_bsffs(PAGE + 1)
        for td_id in records[:300].mapped("td_id"):
            self.fake.transport(td_id)
        for td_id in records[:10].mapped("td_id"):
            self.fake.receive(td_id)
            self.fake.accept(td_id)
            self.fake.process(td_id)
        before = len(self.fake.requests_for("Bsffs"))
        self.env["hvac.bsff"]._cron_sync_open()
        self.assertEqual(
            len(self.fake.requests_for("Bsffs")) - before, 2, "501 BSFF: two pages of at most 500, not one call each"
        )
        self.assertEqual(set(records[:10].mapped("state")), {"processed"})
        self.assertEqual(set(records[10:300].mapped("state")), {"sent"})
        self.assertEqual(set(records[300:].mapped("state")), {"signed_by_emitter"})
        self.assertEqual(set(records[:10].packaging_ids.mapped("operation_code")), {"R2"})
        self.assertTrue(self.company.hvac_trackdechets_synced_at)

    def test_next_run_reads_only_what_changed(self):
        records = self._sent_bsffs(3)
        model = self.env["hvac.bsff"]
        model._cron_sync_open()
        self.fake.transport(records[1].td_id)
        before = len(self.fake.requests_for("Bsffs"))
        since = self.company.hvac_trackdechets_synced_at
        model._cron_sync_open()
        where = self.fake.requests_for("Bsffs")[-1]["where"]
        self.assertEqual(where["updatedAt"]["_gte"], since, "from the last change already read")
        self.assertGreater(self.company.hvac_trackdechets_synced_at, since)
        self.assertEqual(len(self.fake.requests_for("Bsffs")) - before, 1)
        self.assertEqual(records.mapped("state"), ["signed_by_emitter", "sent", "signed_by_emitter"])

    def test_a_slip_someone_holds_is_left_and_read_again_within_minutes(self):
        records = self._sent_bsffs(3)
        model = self.env["hvac.bsff"]
        model._cron_sync_open()
        since = self.company.hvac_trackdechets_synced_at
        self.fake.transport(records[0].td_id)
        self.fake.transport(records[2].td_id)
        cron = self.env.ref("hvac_connect.ir_cron_trackdechets_sync")
        Trigger = self.env["ir.cron.trigger"].sudo()
        triggers = Trigger.search([("cron_id", "=", cron.id)])
        held = records[0]
        lock_free = batch._lock_free

        def held_by_a_user(cr, table, ids):
            return lock_free(cr, table, ids) - ({held.id} if table == "hvac_bsff" else set())

        with patch.object(batch, "_lock_free", held_by_a_user):
            model._cron_sync_open()
        self.assertEqual(records.mapped("state"), ["signed_by_emitter", "signed_by_emitter", "sent"])
        left_at = self.company.hvac_trackdechets_synced_at
        self.assertGreaterEqual(left_at, since)
        self.assertEqual(len(Trigger.search([("cron_id", "=", cron.id)]) - triggers), 1, "back within minutes")
        # The user saved: the next run reads again from the held slip's change, and applies it.
        model._cron_sync_open()
        self.assertEqual(self.fake.requests_for("Bsffs")[-1]["where"]["updatedAt"]["_gte"], left_at)
        self.assertEqual(records.mapped("state"), ["sent", "signed_by_emitter", "sent"])
        self.assertGreaterEqual(self.company.hvac_trackdechets_synced_at, left_at)

    def test_company_without_contact_is_skipped_and_logged(self):
        records = self._sent_bsffs(1)
        self.company.hvac_trackdechets_contact_id = False
        with self.assertLogs("odoo.addons.hvac_connect.models.trackdechets.hvac_bsff_sync", "WARNING"):
            self.env["hvac.bsff"]._cron_sync_open()
        self.assertEqual(records.state, "signed_by_emitter")

    # --- stopped until someone acts: said once, to who can act ----------------------------------
    def _stop_activities(self):
        kind = self.env.ref("hvac_connect.mail_activity_type_trackdechets_sync")
        return self.company.activity_ids.filtered(lambda activity: activity.activity_type_id == kind)

    def _stop_messages(self):
        return self.company.message_ids.filtered(lambda m: "follow-up of" in (m.body or ""))

    def test_a_refused_token_stops_the_follow_up_and_says_so_once(self):
        records = self._sent_bsffs(1)
        self.fake.transport(records.td_id)
        designator = new_test_user(
            self.env,
            "td_designator",
            name="Paul Girard",
            email="paul.girard@froid-lyonnais.fr",
            groups="base.group_user,hvac_connect.group_trackdechets_contact_manager",
            company_id=self.company.id,
        )
        sender = new_test_user(
            self.env,
            "td_sender",
            groups="base.group_user,hvac_connect.group_trackdechets_export",
            company_id=self.company.id,
        )
        revoked = self.fake.users.pop(EXPORTER_TOKEN)  # revoked on Trackdéchets by its owner
        self.addCleanup(self.fake.users.__setitem__, EXPORTER_TOKEN, revoked)
        with self.assertLogs(SYNC_LOGGER, "WARNING"):
            self.env["hvac.bsff"]._cron_sync_open()
        self.assertEqual(records.state, "signed_by_emitter")
        self.assertEqual(self.exporter.hvac_trackdechets_token_state, "invalid", "the profile stops saying valid")
        activities = self._stop_activities()
        self.assertIn(designator, activities.user_id, "who may designate another contact")
        self.assertIn(self.exporter, activities.user_id, "the contact, who may paste a new token")
        self.assertNotIn(sender, activities.user_id)
        self.assertEqual(len(activities), len(activities.user_id), "one each")
        self.assertIn("Jeanne Martin", activities[0].note)
        self.assertEqual(len(self._stop_messages()), 1)
        # The next hours say nothing more.
        with self.assertLogs(SYNC_LOGGER, "WARNING"):
            self.env["hvac.bsff"]._cron_sync_open()
        self.assertEqual(self._stop_activities(), activities)
        self.assertEqual(len(self._stop_messages()), 1)
        # A new token pasted: the follow-up works again and the reminders go.
        self.fake.users[EXPORTER_TOKEN] = revoked
        self.exporter.hvac_trackdechets_token = EXPORTER_TOKEN
        self.env["hvac.bsff"]._cron_sync_open()
        self.assertEqual(records.state, "sent")
        self.assertFalse(self._stop_activities())
        self.assertFalse(self.company.hvac_trackdechets_sync_stopped)
        self.assertIn("works again", " ".join(self.company.message_ids.mapped("body")))

    def test_no_contact_stops_the_follow_up_and_says_so_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["hvac_connect"], ["fr_FR"], overwrite=True)
        self.exporter.lang = "fr_FR"
        self._sent_bsffs(1)
        self.company.hvac_trackdechets_contact_id = False
        with self.assertLogs(SYNC_LOGGER, "WARNING"):
            self.env["hvac.bsff"]._cron_sync_open()
        note = self._stop_activities().filtered(lambda activity: activity.user_id == self.exporter).note
        self.assertIn("pas de contact Trackdéchets", note)
