from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from ..trackdechets_common import EXPORTER_TOKEN, OUR_SIRET, TrackdechetsCase, point_odoo_at


@tagged("post_install", "-at_install")
class TestTrackdechetsToken(TrackdechetsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake.add_user("td-token-paul", "paul.durand@froid-lyonnais.fr", [OUR_SIRET], "Paul Durand")
        cls.paul = new_test_user(
            cls.env,
            "paul",
            name="Paul Durand",
            email="paul.durand@froid-lyonnais.fr",
            groups="base.group_user,hvac_connect.group_hvac_user",
            company_id=cls.company.id,
        )
        cls.fake.snapshot()

    def _set_token(self, token, user=None):
        user = user or self.paul
        user.with_user(user).write({"hvac_trackdechets_token": token})
        return user

    def test_valid_token_is_checked_live_and_dated(self):
        before = len(self.fake.requests_for("Me"))
        user = self._set_token("td-token-paul")
        self.assertEqual(user.hvac_trackdechets_token_state, "valid")
        self.assertEqual(user.hvac_trackdechets_token_message, "Votre clé est valide")
        self.assertTrue(user.hvac_trackdechets_token_checked_at)
        self.assertEqual(len(self.fake.requests_for("Me")), before + 1, "one live `me` per token change")

    def test_unknown_token_says_so(self):
        user = self._set_token("revoked-or-typo")
        self.assertEqual(user.hvac_trackdechets_token_state, "invalid")
        self.assertIn("revoked", user.hvac_trackdechets_token_message)
        self.assertNotIn("revoked-or-typo", user.hvac_trackdechets_token_message, "never echo the token")

    def test_other_persons_token_is_refused_showing_both_emails(self):
        user = self._set_token(EXPORTER_TOKEN)  # Jeanne's token pasted by Paul
        self.assertEqual(user.hvac_trackdechets_token_state, "email_mismatch")
        self.assertIn("jeanne.martin@froid-lyonnais.fr", user.hvac_trackdechets_token_message)
        self.assertIn("paul.durand@froid-lyonnais.fr", user.hvac_trackdechets_token_message)
        with self.assertRaisesRegex(UserError, "no valid Trackdéchets API token"):
            user._hvac_trackdechets_token_or_raise()

    def test_server_down_then_slow(self):
        point_odoo_at(self.env, type("Closed", (), {"url": "http://127.0.0.1:9"})())
        user = self._set_token("td-token-paul")
        self.assertEqual(user.hvac_trackdechets_token_state, "unreachable")
        self.assertIn("Try again later", user.hvac_trackdechets_token_message)
        # Odoo's test mode stretches every HTTP timeout to 10 s: a lost answer stands in for a slow one.
        point_odoo_at(self.env, self.fake)
        self.fake.fail_next("Me", "drop")
        user.action_hvac_check_trackdechets_token()
        self.assertEqual(user.hvac_trackdechets_token_state, "unreachable")
        user.action_hvac_check_trackdechets_token()
        self.assertEqual(user.hvac_trackdechets_token_state, "valid")

    def test_token_readable_by_owner_and_settings_managers_only(self):
        self._set_token("td-token-paul")
        self.assertEqual(
            self.paul.with_user(self.paul).read(["hvac_trackdechets_token"])[0]["hvac_trackdechets_token"],
            "td-token-paul",
        )
        with self.assertRaises(AccessError):
            self.paul.with_user(self.exporter).read(["hvac_trackdechets_token"])
        admin = self.env.ref("base.user_admin")
        self.assertEqual(
            self.paul.with_user(admin).read(["hvac_trackdechets_token"])[0]["hvac_trackdechets_token"], "td-token-paul"
        )
        with self.assertRaises(AccessError):
            self.paul.with_user(self.exporter).write({"hvac_trackdechets_token": "hijack"})

    def test_preferences_form_checks_on_leaving_the_field(self):
        form = Form(self.paul.with_user(self.paul), view="base.view_users_form_simple_modif")
        form.hvac_trackdechets_token = "td-token-paul"
        self.assertEqual(form.hvac_trackdechets_token_state, "valid")
        form.hvac_trackdechets_token = "nope"
        self.assertEqual(form.hvac_trackdechets_token_state, "invalid")
        form.save()
        self.assertEqual(self.paul.hvac_trackdechets_token_state, "invalid")

    def test_environment_urls(self):
        self.env["ir.config_parameter"].sudo().set_param("hvac_connect.trackdechets_endpoint", "")
        self.assertEqual(self.company._hvac_trackdechets_client("x").url, "https://api.trackdechets.beta.gouv.fr")
        self.company.hvac_trackdechets_environment = "sandbox"
        self.assertEqual(
            self.company._hvac_trackdechets_client("x").url, "https://api.sandbox.trackdechets.beta.gouv.fr"
        )
