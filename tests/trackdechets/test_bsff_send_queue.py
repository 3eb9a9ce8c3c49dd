from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from ..trackdechets_common import TrackdechetsCase
from ..worker_commits import WorkerKilled, committing_worker


@tagged("post_install", "-at_install")
class TestBsffSendQueue(HttpCase, TrackdechetsCase):
    """Several slips sent at once from the list: queued by the click, sent by a job one per
    transaction, with the key and name of who queued them; a job killed in the middle resumes."""

    def _triggers(self):
        cron = self.env.ref("hvac_connect.ir_cron_trackdechets_send")
        return self.env["ir.cron.trigger"].sudo().search([("cron_id", "=", cron.id)])

    def test_the_list_queues_the_slips_and_the_job_sends_them(self):
        slips = self.make_bsff() | self.make_bsff()
        triggers = self._triggers()
        self.start_tour(
            "/odoo/action-hvac_connect.hvac_bsff_action", "hvac_connect_bsff_send_queue_tour", login="td_exporter"
        )
        self.assertRecordValues(slips, [{"state": "draft", "send_queued_by": self.exporter.id}] * 2)
        self.assertFalse(self.fake.bsffs, "the click sent nothing itself")
        self.assertEqual(len(self._triggers() - triggers), 1, "the job runs at once")
        self.env["hvac.bsff"]._cron_send_queued()
        self.assertRecordValues(
            slips,
            [{"state": "signed_by_emitter", "send_queued_by": False, "emitted_by": "Jeanne Martin"}] * 2,
        )
        self.assertEqual(len(self.fake.bsffs), 2)
        self.assertEqual({self.fake.bsffs[td_id]["status"] for td_id in slips.mapped("td_id")}, {"SIGNED_BY_EMITTER"})

    def test_a_job_killed_in_the_middle_resumes_without_sending_anything_twice(self):
        slips = self.make_bsff() | self.make_bsff()
        slips.action_send_in_background()
        Bsff = type(self.env["hvac.bsff"])
        sign = Bsff._sign_emission
        second = slips[1]
        died = []

        def dying_before_signing_the_second(bsff, client, node):
            if bsff.id == second.id and not died:
                died.append(bsff.id)
                raise WorkerKilled
            return sign(bsff, client, node)

        with committing_worker(self.env) as worker:
            with patch.object(Bsff, "_sign_emission", dying_before_signing_the_second):
                self.assertTrue(worker.run(self.env["hvac.bsff"]._cron_send_queued), "the worker died")
        self.assertEqual(slips[0].state, "signed_by_emitter")
        self.assertRecordValues(second, [{"state": "sending", "send_queued_by": self.exporter.id}])
        self.assertTrue(second.td_id, "its creation was committed before the worker died")
        self.env["hvac.bsff"]._cron_send_queued()
        self.assertRecordValues(slips, [{"state": "signed_by_emitter", "send_queued_by": False}] * 2)
        self.assertEqual(len(self.fake.bsffs), 2, "nothing lost")
        self.assertEqual(len(self.fake.requests_for("CreateDraftBsff")), 2, "nothing created twice")
        self.assertEqual(len(self.fake.requests_for("CreateFiche")), 2)
        self.assertEqual(self.fake.bsffs[second.td_id]["status"], "SIGNED_BY_EMITTER")

    def test_a_slip_that_cannot_go_keeps_its_reason_and_leaves_the_queue(self):
        ready, incomplete = self.make_bsff(), self.make_bsff()
        incomplete.sudo().write({"destination_partner_id": False})
        (ready | incomplete).action_send_in_background()
        self.env["hvac.bsff"]._cron_send_queued()
        self.assertEqual(ready.state, "signed_by_emitter")
        self.assertRecordValues(incomplete, [{"state": "draft", "send_queued_by": False}])
        self.assertIn("Destination: choose", incomplete.send_error)
        with self.assertRaisesRegex(UserError, "already on Trackdéchets"):
            ready.action_send_in_background()

    def test_a_user_without_a_key_cannot_queue(self):
        slip = self.make_bsff()
        self.exporter.sudo().write({"hvac_trackdechets_token": False})
        with self.assertRaisesRegex(UserError, "no valid Trackdéchets API token"):
            slip.action_send_in_background()
        self.assertFalse(slip.send_queued_by)
