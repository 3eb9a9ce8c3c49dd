from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.hvac_connect.models.common import batch

from ..chorus_common import ChorusCase


@tagged("post_install", "-at_install")
class TestChorusStatus(ChorusCase):
    def test_sync_reads_changes_in_pages_and_alerts_on_rejection(self):
        invoices = [self.make_invoice(amount=100.0 + n) for n in range(3)]
        for invoice in invoices:
            self.send(invoice)
        ids = [i.hvac_chorus_invoice_id for i in invoices]
        self.fake.set_status(ids[0], "MISE_A_DISPOSITION")
        self.fake.set_status(ids[1], "REJETEE", "Le bon de commande ne correspond pas.")
        history_calls = len(self.fake.calls_to("/cpro/factures/v1/consulter/historique"))
        self.env["account.move"]._cron_hvac_chorus_statuses()
        self.assertEqual([i.hvac_chorus_status for i in invoices], ["MISE_A_DISPOSITION", "REJETEE", "DEPOSEE"])
        self.assertEqual(
            len(self.fake.calls_to("/cpro/factures/v1/consulter/historique")) - history_calls,
            1,
            "the history (and its reason) only for the rejected one",
        )
        self.assertEqual(
            invoices[0].hvac_chorus_status_ids.mapped("code"),
            ["MISE_A_DISPOSITION", "DEPOSEE"],
            "dated from the search",
        )
        self.assertEqual(invoices[1].hvac_chorus_status_ids.mapped("code"), ["REJETEE", "DEPOSEE"])
        self.assertEqual(invoices[1].hvac_chorus_status_ids[0].comment, "Le bon de commande ne correspond pas.")
        activity = invoices[1].activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn("Le bon de commande ne correspond pas.", activity.note)
        self.assertFalse(invoices[0].activity_ids)

    def test_an_invoice_someone_holds_is_left_and_read_again_within_minutes(self):
        invoices = [self.make_invoice(amount=100.0 + n) for n in range(2)]
        for invoice in invoices:
            self.send(invoice)
        self.env["account.move"]._cron_hvac_chorus_statuses()
        synced = self.company.sudo().hvac_chorus_synced_at
        for invoice in invoices:
            self.fake.set_status(invoice.hvac_chorus_invoice_id, "MISE_A_DISPOSITION")
        cron = self.env.ref("hvac_connect.ir_cron_chorus_statuses")
        Trigger = self.env["ir.cron.trigger"].sudo()
        triggers = Trigger.search([("cron_id", "=", cron.id)])
        held = invoices[0]
        lock_free = batch._lock_free

        def held_by_a_user(cr, table, ids):
            return lock_free(cr, table, ids) - ({held.id} if table == "account_move" else set())

        with patch.object(batch, "_lock_free", held_by_a_user):
            self.env["account.move"]._cron_hvac_chorus_statuses()
        self.assertEqual([i.hvac_chorus_status for i in invoices], ["DEPOSEE", "MISE_A_DISPOSITION"])
        self.assertEqual(self.company.sudo().hvac_chorus_synced_at, synced, "the period is read again")
        self.assertEqual(len(Trigger.search([("cron_id", "=", cron.id)]) - triggers), 1, "back within minutes")
        self.env["account.move"]._cron_hvac_chorus_statuses()
        self.assertEqual([i.hvac_chorus_status for i in invoices], ["MISE_A_DISPOSITION"] * 2)
        self.assertEqual(invoices[1].hvac_chorus_status_ids.mapped("code"), ["MISE_A_DISPOSITION", "DEPOSEE"], "once")

    def test_a_gateway_page_instead_of_a_token_skips_that_company_only(self):
        invoice = self.make_invoice()
        self.send(invoice)
        self.fake.set_status(invoice.hvac_chorus_invoice_id, "MISE_A_DISPOSITION")
        other = self.setup_other_company(name="Froid Savoie")
        other["company"].sudo().write(
            {
                "hvac_chorus_environment": "qualification",
                "hvac_chorus_piste_client_id": "piste-savoie",
                "hvac_chorus_piste_client_secret": "piste-secret-savoie",
                "hvac_chorus_login": "TECH_savoie@cpro.fr",
                "hvac_chorus_password": "Pass-5678",
            }
        )
        self.fake.token_pages["piste-savoie"] = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        followed = self.env["account.move"].create(
            {"move_type": "entry", "journal_id": other["default_journal_misc"].id, "company_id": other["company"].id}
        )
        followed._hvac_set_protected({"hvac_chorus_invoice_id": 7000001, "hvac_chorus_status": "DEPOSEE"})
        with self.assertLogs("odoo.addons.hvac_connect.models.chorus.account_move", "WARNING") as logged:
            self.env["account.move"]._cron_hvac_chorus_statuses()
        self.assertEqual(invoice.hvac_chorus_status, "MISE_A_DISPOSITION", "the other company is followed")
        self.assertEqual(followed.hvac_chorus_status, "DEPOSEE")
        self.assertIn("Froid Savoie skipped: server_error", "\n".join(logged.output))

    def test_final_statuses_are_not_followed(self):
        invoice = self.make_invoice()
        self.send(invoice)
        self.fake.set_status(invoice.hvac_chorus_invoice_id, "MANDATEE")
        self.buyer.hvac_chorus_payment_not_reported = True
        self.env["account.move"]._cron_hvac_chorus_statuses()
        self.assertEqual(invoice.hvac_chorus_status, "MANDATEE")
        self.fake.set_status(invoice.hvac_chorus_invoice_id, "MISE_EN_PAIEMENT")
        self.env["account.move"]._cron_hvac_chorus_statuses()
        self.assertEqual(invoice.hvac_chorus_status, "MANDATEE", "this buyer never reports payments: MANDATEE is final")

    def test_suspension_creates_an_activity(self):
        invoice = self.make_invoice()
        self.send(invoice)
        self.fake.set_status(invoice.hvac_chorus_invoice_id, "SUSPENDUE", "Merci de joindre le PV de réception.")
        self.env["account.move"]._cron_hvac_chorus_statuses()
        self.assertIn("PV de réception", invoice.activity_ids.note)

    def test_complete_a_suspended_invoice_and_recycle_another(self):
        suspended, to_recycle = self.make_invoice(), self.make_invoice(amount=500.0)
        self.send(suspended)
        self.send(to_recycle)
        self.fake.set_status(suspended.hvac_chorus_invoice_id, "SUSPENDUE", "Joindre le PV de réception.")
        self.fake.set_status(to_recycle.hvac_chorus_invoice_id, "A_RECYCLER", "Mauvais service.")
        self.env["account.move"]._cron_hvac_chorus_statuses()
        pv = self.env["ir.attachment"].create(
            {"name": "PV réception.pdf", "res_model": "account.move", "res_id": suspended.id, "datas": "JVBERi0xLjQ="}
        )
        Followup = self.env["hvac.chorus.followup"].with_user(self.chorus_user)
        action = suspended.with_user(self.chorus_user).action_hvac_chorus_complete()
        Followup.with_context(**action["context"]).create(
            {"comment": "PV joint", "attachment_ids": [(6, 0, pv.ids)]}
        ).action_confirm()
        self.assertEqual(suspended.hvac_chorus_status, "COMPLETEE")
        self.assertFalse(suspended.activity_ids, "the reminder is done")
        completion = self.fake.invoices[suspended.hvac_chorus_invoice_id]["completions"][0]
        self.assertEqual(completion["commentaire"], "PV joint")
        self.assertEqual(
            self.fake.files[completion["pieceJointeComplementaire"][0]["pieceJointeComplementaireId"]]["name"],
            "PV_r_ception.pdf",
        )
        service = self.buyer.hvac_chorus_service_ids.filtered(lambda s: s.code == "SERV-TECH")
        action = to_recycle.with_user(self.chorus_user).action_hvac_chorus_recycle()
        wizard = Followup.with_context(**action["context"]).create(
            {"service_id": service.id, "purchase_order_reference": "EJ-77"}
        )
        wizard._onchange_service_id()
        wizard.action_confirm()
        self.assertRecordValues(
            to_recycle,
            [
                {
                    "hvac_chorus_status": "EN_COURS_ACHEMINEMENT",
                    "buyer_reference": "SERV-TECH",
                    "purchase_order_reference": "EJ-77",
                }
            ],
        )
        self.assertEqual(
            self.fake.invoices[to_recycle.hvac_chorus_invoice_id]["recycled"][0]["destinataire"][
                "codeServiceExecutant"
            ],
            "SERV-TECH",
        )
        with self.assertRaisesRegex(Exception, "only for an invoice in status"):
            Followup.with_context(**action["context"]).create({}).action_confirm()
