from odoo.tests import tagged

from ..trackdechets_common import OUR_SIRET, TrackdechetsCase

PAGE = 500


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

    def test_company_without_contact_is_skipped_and_logged(self):
        records = self._sent_bsffs(1)
        self.company.hvac_trackdechets_contact_id = False
        with self.assertLogs("odoo.addons.hvac_connect.models.trackdechets.hvac_bsff_sync", "WARNING"):
            self.env["hvac.bsff"]._cron_sync_open()
        self.assertEqual(records.state, "signed_by_emitter")
