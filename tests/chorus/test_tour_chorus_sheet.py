import base64
import xmlrpc.client

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

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


@tagged("post_install", "-at_install")
class TestChorusSheetConsultation(HttpCase):
    """Seed 004: the portal grants its connection space in Consultation or Modification; so do
    we. Consultation reads and prints, changes nothing: tried in the browser and over XML-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.reader = new_test_user(
            cls.env,
            "chorus_reader",
            groups="base.group_user,hvac_connect.group_chorus_sheet_reader",
            company_id=company.id,
        )
        cls.manager = new_test_user(
            cls.env,
            "chorus_boss",
            groups="base.group_user,hvac_connect.group_chorus_manager",
            company_id=company.id,
        )
        cls.sheet = (
            cls.env["hvac.chorus.connection.sheet"]
            .with_user(cls.manager)
            .create(
                {
                    "mode": "api",
                    "partner_app_code": "VFE060",
                    "contact_name": "Jeanne Martin",
                    "contact_phone": "04 72 00 00 00",
                    "contact_email": "jeanne.martin@froid-lyonnais.fr",
                    "certificate_ids": [
                        Command.create({"role": "client", "file": base64.b64encode(bundle(*make_chain()))})
                    ],
                }
            )
        )

    def _rpc(self, user, model, method, *args):
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, user.id, user.login, model, method, list(args))

    def _refused(self, user, model, method, *args):
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as caught:
            self._rpc(user, model, method, *args)
        self.assertNotIn("Traceback", caught.exception.faultString.splitlines()[0])
        return caught.exception.faultString

    def test_consultation_reads_the_sheets_in_the_browser(self):
        self.start_tour("/odoo", "hvac_connect_chorus_consultation_tour", login="chorus_reader")

    def test_consultation_changes_nothing_over_xmlrpc(self):
        sheet, certificate = self.sheet, self.sheet.certificate_ids
        found = self._rpc(self.reader, "hvac.chorus.connection.sheet", "search_read", [], ["partner_app_code", "state"])
        self.assertEqual([(s["partner_app_code"], s["state"]) for s in found], [("VFE060", "draft")])
        self.assertTrue(
            self._rpc(self.reader, "hvac.chorus.connection.certificate", "read", certificate.ids, ["subject"])
        )
        self._refused(self.reader, "hvac.chorus.connection.sheet", "write", sheet.ids, {"comment": "Modifié"})
        self._refused(self.reader, "hvac.chorus.connection.sheet", "create", [{"partner_app_code": "VFE061"}])
        self._refused(self.reader, "hvac.chorus.connection.sheet", "unlink", sheet.ids)
        self._refused(self.reader, "hvac.chorus.connection.certificate", "unlink", certificate.ids)
        self._refused(self.reader, "hvac.chorus.connection.sheet", "action_submit", sheet.ids)
        self._refused(self.reader, "hvac.chorus.certificate.authority", "create", [{"name": "X", "issuer_names": "X"}])
        self._refused(self.reader, "hvac.chorus.onboarding.step", "search", [])
        self.assertRecordValues(sheet, [{"state": "draft", "comment": False}])
        self._rpc(self.manager, "hvac.chorus.connection.sheet", "action_submit", sheet.ids)
        self.assertEqual(sheet.state, "sent", "Modification (the managers) still does it")
        # A user without the right reads no sheet.
        internal = new_test_user(self.env, "plain_user", groups="base.group_user")
        self._refused(internal, "hvac.chorus.connection.sheet", "read", sheet.ids, ["partner_app_code"])

    def test_a_certificate_outside_the_lsti_list_is_refused_on_upload(self):
        # As the sheet tour: the tour reads the file from a system parameter, which needs admin.
        self.env.ref("base.user_admin").groups_id += self.env.ref("hvac_connect.group_chorus_manager")
        self.env["ir.config_parameter"].sudo().set_param(
            "hvac_connect.tour_p7b", base64.b64encode(bundle(*make_chain(organization="Autorité Maison"))).decode()
        )
        self.start_tour("/odoo", "hvac_connect_chorus_authority_tour", login="admin")
        self.assertEqual(self.env["hvac.chorus.connection.sheet"].search_count([]), 1, "nothing saved")

    def test_the_piste_declaration_is_recorded_then_ticked(self):
        self.start_tour("/odoo", "hvac_connect_chorus_piste_tour", login="chorus_boss")
        self.start_tour("/odoo", "hvac_connect_chorus_onboarding_tour", login="chorus_boss")
        company = self.env.company
        self.assertRecordValues(
            company,
            [
                {
                    "hvac_chorus_piste_app_name": "FROID-LYONNAIS-PROD",
                    "hvac_chorus_piste_usage": "operator",
                    "hvac_chorus_tech_contact_name": "Jeanne Martin",
                    "hvac_chorus_tech_contact_email": "jeanne.martin@froid-lyonnais.fr",
                }
            ],
        )
        declared = self.env["hvac.chorus.onboarding.step"].search(
            [("company_id", "=", company.id), ("step", "=", "piste_declared")]
        )
        self.assertRecordValues(declared, [{"done": True, "done_by": self.manager.id}])
        # The connection form is editable for a Chorus manager: its Chorus settings, nothing else.
        refusal = self._refused(self.manager, "res.company", "write", company.ids, {"name": "Société pirate"})
        self.assertIn("only the Chorus Pro settings", refusal)
        self._refused(self.reader, "res.company", "write", company.ids, {"hvac_chorus_piste_app_name": "X"})
        self.assertEqual(company.hvac_chorus_piste_app_name, "FROID-LYONNAIS-PROD")
