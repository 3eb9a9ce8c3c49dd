from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.hvac_connect.clients import chorus_pro

from ..chorus_common import ChorusCase


@tagged("post_install", "-at_install")
class TestChorusConnection(ChorusCase):
    def _status(self, **credentials):
        """Credentials saved, then tested with the button, as a Chorus manager does."""
        company = self.company.with_user(self.chorus_manager)
        company.write(credentials)
        company.action_hvac_chorus_test_connection()
        return self.company.hvac_chorus_connection_state, self.company.hvac_chorus_connection_message

    def test_every_change_is_tested_by_the_button(self):
        self.assertEqual(self.company.hvac_chorus_connection_state, "ok")
        self.assertEqual(self.company.hvac_chorus_structure_id, 25000001, "our own structure id is fetched")
        self.assertTrue(self.company.hvac_chorus_connection_date)
        state, message = self._status(hvac_chorus_piste_client_secret="wrong")
        self.assertEqual(state, "error")
        self.assertIn("OAuth client", message)
        self.assertNotIn("wrong", message, "never echo a secret")
        state, message = self._status(hvac_chorus_piste_client_secret="piste-secret", hvac_chorus_password="pass-1234")
        self.assertIn("technical account", message)
        self.assertIn("upper and lower case", message)
        self.fake.subscribed.discard("Utilisateurs")
        state, message = self._status(hvac_chorus_password="Pass-1234")
        self.assertIn("not subscribed to the Utilisateurs API", message)
        self.assertIn("Transverses, Structures, Utilisateurs, Engagements, Factures", message)
        self.fake.subscribed.add("Utilisateurs")
        self.company.with_user(self.chorus_manager).action_hvac_chorus_test_connection()
        self.assertEqual(self.company.hvac_chorus_connection_state, "ok")

    def test_our_structure_is_the_one_with_our_siret(self):
        other = {
            "idStructureCPP": 25000777,
            "designationStructure": "Froid Lyonnais Est",
            "identifiant": "44306184100104",
        }
        self.fake.other_suppliers = [other]
        self.company.with_user(self.chorus_manager).action_hvac_chorus_test_connection()
        self.assertEqual(self.company.hvac_chorus_structure_id, 25000001, "not the first one listed: ours")
        self.assertIn("(SIRET 85200000900013)", self.company.hvac_chorus_connection_message)
        self.fake.other_suppliers = []
        self.fake.supplier = dict(other, idStructureCPP=25000778)
        self.company.with_user(self.chorus_manager).action_hvac_chorus_test_connection()
        self.assertRecordValues(
            self.company, [{"hvac_chorus_connection_state": "error", "hvac_chorus_structure_id": 0}]
        )
        self.assertIn(
            "invoices for Froid Lyonnais Est (44306184100104), not for our SIRET 85200000900013",
            self.company.hvac_chorus_connection_message,
        )
        invoice = self.make_invoice()
        self.assertIn("The Chorus Pro connection does not work", "\n".join(invoice._hvac_chorus_problems()))
        # The technical account is attached to our structure on Chorus: a new test connects.
        self.fake.supplier = {
            "idStructureCPP": 25000001,
            "designationStructure": "Froid Lyonnais",
            "identifiant": "85200000900013",
        }
        self.company.with_user(self.chorus_manager).action_hvac_chorus_test_connection()
        self.assertEqual(self.company.hvac_chorus_connection_state, "ok")

    def test_saving_credentials_calls_nothing_the_job_tests_them(self):
        """Saving never waits for Chorus: the status says to test, and the credentials job (which
        the save triggers) tests in the background."""
        calls, tokens = len(self.fake.calls), self.fake.token_requests
        cron = self.env.ref("hvac_connect.ir_cron_chorus_password")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        self.company.with_user(self.chorus_manager).write({"hvac_chorus_piste_client_secret": "wrong"})
        self.assertEqual((len(self.fake.calls), self.fake.token_requests), (calls, tokens), "no call inside write")
        self.assertEqual(self.company.hvac_chorus_connection_state, "untested")
        self.assertIn("Tester la connexion", self.company.hvac_chorus_connection_message)
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1)
        self.env["res.company"]._cron_hvac_chorus_credentials()
        self.assertEqual(self.company.hvac_chorus_connection_state, "error")
        self.assertIn("OAuth client", self.company.hvac_chorus_connection_message)
        self.company.with_user(self.chorus_manager).write({"hvac_chorus_piste_client_secret": "piste-secret"})
        self.env["res.company"]._cron_hvac_chorus_credentials()
        self.assertEqual(self.company.hvac_chorus_connection_state, "ok")
        self.env["res.company"]._cron_hvac_chorus_credentials()
        self.assertEqual(self.fake.token_requests - tokens, 2, "a company already tested is not tested again")

    def test_unreachable(self):
        self.env["ir.config_parameter"].sudo().set_param("hvac_connect.chorus_api_url", "http://127.0.0.1:9")
        self.env["ir.config_parameter"].sudo().set_param("hvac_connect.chorus_token_url", "http://127.0.0.1:9/token")
        self.company.with_user(self.chorus_manager).action_hvac_chorus_test_connection()
        self.assertIn("could not be reached", self.company.hvac_chorus_connection_message)

    def test_missing_credentials_are_named_before_any_call(self):
        before = self.fake.token_requests
        state, message = self._status(hvac_chorus_piste_client_id=False, hvac_chorus_password=False)
        self.assertEqual(state, "untested")
        self.assertIn("PISTE client id", message)
        self.assertIn("Chorus Pro technical account password", message)
        self.assertNotIn("PISTE client secret", message)
        self.assertEqual(self.fake.token_requests, before, "nothing was asked of PISTE")

    def test_token_is_cached_until_it_expires(self):
        chorus_pro._tokens.clear()
        before = self.fake.token_requests
        client = self.company._hvac_chorus_client()
        client.find_structure("21690123100011")
        client.find_structure("21690123100011")
        self.company._hvac_chorus_client().find_structure("21690123100011")
        self.assertEqual(self.fake.token_requests - before, 1)
        key = next(iter(chorus_pro._tokens))
        chorus_pro._tokens[key] = (chorus_pro._tokens[key][0], 0)  # expired
        self.company._hvac_chorus_client().find_structure("21690123100011")
        self.assertEqual(self.fake.token_requests - before, 2)

    def test_secrets_for_chorus_managers_only(self):
        with self.assertRaises(AccessError):
            self.company.with_user(self.chorus_user).read(["hvac_chorus_password"])
        with self.assertRaises(AccessError):
            self.company.with_user(self.chorus_user).action_hvac_chorus_test_connection()
        self.assertEqual(self.company.with_user(self.chorus_manager).hvac_chorus_password, "Pass-1234")

    def test_password_expiry_reminder(self):
        self.company.with_user(self.chorus_manager).hvac_chorus_password_expiry = fields.Date.today() + timedelta(
            days=10
        )
        self.env["res.company"]._cron_chorus_password_reminder()
        self.env["res.company"]._cron_chorus_password_reminder()
        activities = self.company.activity_ids.filtered(lambda a: a.user_id == self.chorus_manager)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.summary, "Chorus Pro technical password expires")
        activities.action_done()
        # The password is renewed with a new expiry date: the next expiry is reminded too.
        self.company.with_user(self.chorus_manager).write(
            {"hvac_chorus_password_expiry": fields.Date.today() + timedelta(days=5)}
        )
        self.env["res.company"]._cron_chorus_password_reminder()
        self.assertEqual(
            len(self.company.activity_ids.filtered(lambda a: a.user_id == self.chorus_manager)),
            1,
            "reminded again for the new expiry",
        )
