import base64

from odoo.tests import HttpCase, tagged

from ..pkcs7_factory import bundle, make_chain


@tagged("post_install", "-at_install")
class TestTourChorusSheet(HttpCase):
    def test_create_and_submit_a_sheet_in_the_browser(self):
        self.env.ref("base.user_admin").groups_id += self.env.ref("hvac_connect.group_chorus_manager")
        self.env["ir.config_parameter"].sudo().set_param(
            "hvac_connect.tour_p7b", base64.b64encode(bundle(*make_chain())).decode()
        )
        self.start_tour("/odoo", "hvac_connect_chorus_sheet_tour", login="admin")
        sheet = self.env["hvac.chorus.connection.sheet"].search([("partner_app_code", "=", "VFE060")])
        self.assertRecordValues(sheet, [{"mode": "api", "state": "sent", "contact_name": "John Doe"}])
        self.assertEqual(sheet.certificate_ids.chain_length, 3)
        self.assertEqual(sheet.certificate_ids.filename, "api_client.p7b")
