from odoo.tests import HttpCase, tagged

from ..trackdechets_common import TrackdechetsCase


@tagged("post_install", "-at_install")
class TestTourTrackdechets(HttpCase, TrackdechetsCase):
    def test_enter_token_then_send_a_bsff_in_the_browser(self):
        self.exporter.sudo().write({"hvac_trackdechets_token": False})
        self.assertEqual(self.exporter.hvac_trackdechets_token_state, "none")
        bsff = self.make_bsff()
        self.start_tour("/odoo", "hvac_connect_trackdechets_tour", login="td_exporter")
        self.assertEqual(self.exporter.hvac_trackdechets_token_state, "valid")
        self.assertEqual(bsff.state, "signed_by_emitter")
        self.assertEqual(self.fake.bsffs[bsff.td_id]["status"], "SIGNED_BY_EMITTER")

    def test_the_token_pages_are_linked_beside_the_field(self):
        # The links follow the company's environment: sandbox accounts and tokens are others.
        self.company.hvac_trackdechets_environment = "sandbox"
        self.start_tour("/odoo", "hvac_connect_trackdechets_links_tour", login="td_exporter")
        self.company.hvac_trackdechets_environment = "production"
        self.exporter.invalidate_recordset(["hvac_trackdechets_tokens_url"])
        self.assertEqual(
            self.exporter.with_user(self.exporter).hvac_trackdechets_tokens_url,
            "https://app.trackdechets.beta.gouv.fr/account/tokens/list",
        )
