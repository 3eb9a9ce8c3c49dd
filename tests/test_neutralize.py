"""A copy of a production database, neutralized by Odoo as ``odoo-bin neutralize`` does it,
reaches no production service: every job that calls outside is run, with every HTTP request
recorded instead of sent."""

from contextlib import suppress
from unittest.mock import patch

import requests

from odoo import Command
from odoo.modules.neutralize import neutralize_database
from odoo.tests import new_test_user, tagged

from .common import HvacConnectCase

PEER_URL = "https://odoo.clim-savoie.fr"
PROXY = "https://piste-proxy.froid-lyonnais.fr"
# Where a production database sends: the official production services, the proxy it was set
# to use in front of them, and the other company's server.
PRODUCTION = (
    "https://oauth.piste.gouv.fr",
    "https://api.piste.gouv.fr",
    "https://api.trackdechets.beta.gouv.fr",
    PROXY,
    PEER_URL,
)


class Undo(Exception):
    """Raised to roll the jobs' writes back: the database is then neutralized as it was."""


@tagged("post_install", "-at_install")
class TestNeutralize(HvacConnectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("hvac_connect.chorus_token_url", f"{PROXY}/api/oauth/token")
        params.set_param("hvac_connect.chorus_api_url", PROXY)
        company.sudo().write(
            {
                "hvac_chorus_environment": "production",
                "hvac_chorus_piste_client_id": "piste-prod-id",
                "hvac_chorus_piste_client_secret": "piste-prod-secret",
                "hvac_chorus_login": "TECH_prod@cpro.fr",
                "hvac_chorus_password": "Prod-Pass-1234",
                "hvac_chorus_connection_state": "ok",
                "hvac_chorus_structure_id": 25000001,
                "hvac_trackdechets_environment": "production",
            }
        )
        # Set as the production database has it (a token check through write would call out).
        cls.contact = cls.env.user
        cls.env.cr.execute(
            "UPDATE res_users SET hvac_trackdechets_token = 'td-prod-token', hvac_trackdechets_token_state = 'valid'"
            " WHERE id = %s",
            [cls.contact.id],
        )
        cls.env.invalidate_all()
        company.sudo().hvac_trackdechets_contact_id = cls.contact
        cls.env["hvac.bsff"]._hvac_create_protected(
            {"company_id": company.id, "state": "sent", "td_id": "BSFF-20261201-PROD", "send_started_at": "2026-12-01"}
        )
        journal = cls.env["account.journal"].create({"name": "Chorus prod", "code": "CHPR", "type": "general"})
        invoice = cls.env["account.move"].create({"move_type": "entry", "journal_id": journal.id})
        invoice._hvac_set_protected({"hvac_chorus_invoice_id": 4242, "hvac_chorus_status": "DEPOSEE"})
        cls.env["hvac.chorus.flow"]._hvac_create_protected(
            {"state": "UNKNOWN", "move_ids": [Command.set(invoice.ids)], "deposit_sent_at": "2026-12-01 08:00:00"}
        )
        partner = cls.env["res.partner"].create({"name": "Mairie de Lyon", "is_company": True})
        partner.sudo().write({"hvac_chorus_structure_id": 1001})
        cls.connection = cls.env["hvac.connection"]._hvac_create_protected(
            {
                "company_id": company.id,
                "side": "inviter",
                "state": "active",
                "peer_url": PEER_URL,
                "peer_public_id": "peer-savoie",
                "peer_company_name": "Clim Savoie",
                "secret": "s" * 64,
            }
        )
        cls.env["hvac.connection.outbox"]._queue(cls.connection, "/hvac/share/v1/connection/state", {"state": "active"})
        share_user = new_test_user(cls.env, "share_prod", groups="base.group_user,hvac_connect.group_share_user")
        cls.env["hvac.share"].with_user(share_user)._hvac_create_protected(
            {
                "name": "Parc Savoie",
                "connection_id": cls.connection.id,
                "side": "requester",
                "state": "available",
                "page_count": 1,
            }
        )

    def _urls_called_by_the_jobs(self):
        """Every URL the module's outward jobs ask for; what they write is rolled back."""
        urls = []

        def record(_session, method, url, *args, **kwargs):
            urls.append(url)
            raise requests.ConnectionError("Connection refused (recorded by the test)")

        self.env.registry.clear_cache()  # system parameters are cached
        with (
            suppress(Undo),
            patch.object(requests.Session, "request", autospec=True, side_effect=record),
            self.env.cr.savepoint(),
        ):
            self.env["account.move"]._cron_hvac_chorus_statuses()
            self.env["hvac.chorus.flow"]._cron_follow()
            self.env["res.company"]._cron_hvac_chorus_credentials()
            self.env["res.partner"]._cron_hvac_chorus_refresh()
            self.env["hvac.bsff"]._cron_sync_open()
            self.env["hvac.connection.outbox"]._cron_retry()
            self.env["hvac.share"]._cron_fetch()
            raise Undo
        self.env.invalidate_all()
        return urls

    def test_a_neutralized_copy_reaches_no_production_service(self):
        before = self._urls_called_by_the_jobs()
        for base in PRODUCTION[2:]:
            self.assertTrue(
                any(url.startswith(base) for url in before), f"the production database does call {base}: {before}"
            )
        self.assertTrue(any(url.startswith(PROXY) for url in before))

        neutralize_database(self.env.cr)
        self.env.invalidate_all()
        after = self._urls_called_by_the_jobs()
        self.assertEqual([url for url in after if url.startswith(PRODUCTION)], [], after)
        self.assertTrue(
            all(url.startswith("https://sandbox-oauth.piste.gouv.fr") for url in after),
            f"what is still called is Chorus' qualification environment: {after}",
        )

        company = self.company.sudo()
        self.assertRecordValues(
            company,
            [
                {
                    "hvac_chorus_environment": "qualification",
                    "hvac_chorus_piste_client_secret": False,
                    "hvac_chorus_password": False,
                    "hvac_chorus_connection_state": "untested",
                    "hvac_trackdechets_environment": "sandbox",
                }
            ],
        )
        self.assertEqual(company._hvac_chorus_client().api_url, "https://sandbox-api.piste.gouv.fr")
        self.assertEqual(company._hvac_trackdechets_client("t").url, "https://api.sandbox.trackdechets.beta.gouv.fr")
        self.assertRecordValues(
            self.contact.sudo(), [{"hvac_trackdechets_token": False, "hvac_trackdechets_token_state": "none"}]
        )
        self.assertRecordValues(self.connection.sudo(), [{"state": "suspended", "suspended_by": "us", "secret": False}])
        self.assertEqual(
            set(self.env["hvac.connection.outbox"].sudo().search([]).mapped("state")), {"refused"}, "nothing waits"
        )
        crons = self.env["ir.cron"].with_context(active_test=False).search([])
        ours = crons.filtered(lambda cron: cron.get_external_id()[cron.id].startswith("hvac_connect."))
        self.assertTrue(ours)
        self.assertFalse(ours.filtered("active"), "our jobs are off")
        self.assertTrue(self.env["ir.config_parameter"].sudo().get_param("database.is_neutralized"))
