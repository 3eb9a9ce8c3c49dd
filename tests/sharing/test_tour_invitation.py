from odoo.tests import tagged

from odoo.addons.hvac_connect.clients import share_peer
from odoo.addons.hvac_connect.models.sharing.public_address import is_unreachable_address

from .test_share_connection import ShareCase


@tagged("post_install", "-at_install")
class TestTourInvitation(ShareCase):
    """The invitation is created from the list header, as the web client calls it (with ids)."""

    def _last_invitation(self):
        return self.env["hvac.connection"].sudo().search([("side", "=", "inviter")], limit=1)

    def test_invitation_from_the_list_header_shows_a_local_address_warning(self):
        self.start_tour("/odoo", "hvac_connect_invitation_tour", login="share_froid")
        connection = self._last_invitation()
        self.assertEqual(connection.our_url, self.base_url())
        self.assertTrue(connection.our_url_unreachable)
        url, _id, _token = share_peer.read_invitation(connection.invitation_code)
        self.assertEqual(url, self.base_url())

    def test_invitation_carries_the_configured_public_address(self):
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", "https://odoo.froid-rhone.fr/")
        self.env["ir.config_parameter"].sudo().set_param("web.base.url.freeze", "True")
        self.start_tour("/odoo", "hvac_connect_invitation_public_tour", login="share_froid")
        connection = self._last_invitation()
        self.assertEqual(connection.our_url, "https://odoo.froid-rhone.fr")
        self.assertFalse(connection.our_url_unreachable)
        self.assertEqual(share_peer.read_invitation(connection.invitation_code)[0], "https://odoo.froid-rhone.fr")

    def test_action_invite_accepts_ids_like_the_web_client(self):
        Connection = self.env["hvac.connection"].with_user(self.admin_froid)
        first = Connection.browse(Connection.action_invite()["res_id"])
        second = first.action_invite()  # called on a selection, as from the list header
        self.assertNotEqual(second["res_id"], first.id)

    def test_unreachable_addresses(self):
        for url in (
            "http://127.0.0.1:8069",
            "http://localhost:8069",
            "http://10.0.0.5",
            "http://192.168.1.20:8069",
            "http://172.16.0.1",
            "http://172.31.255.254",
            "http://[::1]:8069",
            "",
        ):
            self.assertTrue(is_unreachable_address(url), url)
        for url in ("https://odoo.froid-rhone.fr", "https://172.32.0.1", "https://91.198.174.192"):
            self.assertFalse(is_unreachable_address(url), url)
