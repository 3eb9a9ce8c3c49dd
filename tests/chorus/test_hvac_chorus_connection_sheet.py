import base64
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..common import HvacConnectCase
from ..pkcs7_factory import bundle, make_chain

# The portal's example (seed 004): AIFE's side, and ours for AS2.
NETWORK = {
    "aife_address": "93.92.105.71",
    "aife_port": 24000,
    "aife_as2_identifier": "CTAIFEP",
    "aife_path": "/",
    "partner_address": "203.0.113.10",
    "partner_port": 4080,
    "partner_as2_identifier": "FROIDLYONNAIS",
    "partner_path": "/as2",
    "encryption_algorithm": "AES256",
    "signature_algorithm": "SHA2",
    "mdn_mode": "sync_signed",
}


def p7b(leaf_days=365):
    return base64.b64encode(bundle(*make_chain(leaf_days=leaf_days)))


@tagged("post_install", "-at_install")
class TestChorusConnectionSheet(HvacConnectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chorus_manager = new_test_user(
            cls.env,
            "chorus_manager",
            groups="base.group_user,base.group_allow_export,hvac_connect.group_chorus_manager",
            company_id=cls.company.id,
        )
        cls.Sheet = cls.env["hvac.chorus.connection.sheet"].with_user(cls.chorus_manager)

    def _sheet(self, protocol="sftp", roles=("client",), **vals):
        sheet = self.Sheet.create(
            {
                "mode": "edi",
                "protocol": protocol,
                "partner_app_code": "VFE060",
                "contact_name": "John Doe",
                "contact_phone": "0123456789",
                "contact_email": "john.doe@example.com",
                **NETWORK,
                "certificate_ids": [(0, 0, {"role": role, "file": p7b(), "filename": f"{role}.p7b"}) for role in roles],
                **vals,
            }
        )
        sheet.interface_ids.filtered(lambda line: line.code_id.code == "FSO1100A").integration = "complete"
        return sheet

    def test_new_sheet_lists_every_interface_code_and_reads_certificates(self):
        sheet = self._sheet()
        self.assertEqual(len(sheet.interface_ids), 15)
        self.assertEqual(sheet.interface_ids[0].code_id.code, "FSO1100A")
        self.assertTrue(sheet.interface_ids.filtered(lambda line: line.code_id.code == "FEN0036A").qualification_only)
        self.assertRecordValues(sheet.certificate_ids, [{"chain_length": 3, "role": "client"}])
        self.assertIn("CN=client.hvac-connect.example", sheet.certificate_ids.subject)
        self.assertEqual(sheet.certificate_expiry, sheet.certificate_ids.not_after.date())
        self.assertEqual(sheet.name, f"EDI SFTP - {self.company.partner_id.name} - VFE060")

    def test_bad_certificates_are_refused_on_upload(self):
        leaf, intermediate, root = make_chain()
        for data, expected in [
            (b"-----BEGIN CERTIFICATE-----\nnope\n", "not a PKCS#7"),
            (bundle(leaf, root), "chain is incomplete"),
            (bundle(*make_chain(leaf_days=-1)), "has expired"),
        ]:
            with self.subTest(expected), self.assertRaisesRegex(ValidationError, expected):
                self._sheet(certificate_ids=[(0, 0, {"role": "client", "file": base64.b64encode(data)})])

    def test_certificate_count_follows_the_protocol(self):
        as2 = self._sheet(protocol="as2")
        with self.assertRaisesRegex(UserError, "certificates: Client \\+ Server"):
            as2.action_submit()
        as2.write({"certificate_ids": [(0, 0, {"role": "server", "file": p7b()})]})
        as2.action_submit()
        self.assertEqual(as2.state, "sent")
        api = self._sheet(mode="api", roles=("client", "server"))
        with self.assertRaisesRegex(UserError, "certificates: Client\\."):
            api.action_submit()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._sheet(roles=("client", "client"))

    def test_submit_needs_contact_and_one_interface(self):
        sheet = self._sheet(contact_phone=False)
        sheet.interface_ids.integration = "none"
        with self.assertRaises(UserError) as caught:
            sheet.action_submit()
        self.assertIn("technical contact", str(caught.exception))
        self.assertIn("interface code", str(caught.exception))

    def test_states_as_on_the_portal(self):
        sheet = self._sheet()
        with self.assertRaisesRegex(UserError, "activates sheets that were sent"):
            sheet.action_activate()
        sheet.action_submit()
        self.assertRecordValues(sheet, [{"state": "sent", "sent_date": fields.Date.today()}])
        with self.assertRaisesRegex(UserError, "can be consulted"):
            sheet.comment = "edit while sent"
        with self.assertRaisesRegex(UserError, "Only draft"):
            sheet.unlink()
        sheet.action_activate()
        self.assertEqual(sheet.state, "active")
        sheet.write({"certificate_ids": [(1, sheet.certificate_ids.id, {"file": p7b(leaf_days=700)})]})
        self.assertEqual(sheet.state, "sent_update", "an edit of an activated sheet is an update to send")
        sheet.action_activate()
        with self.assertRaisesRegex(UserError, "Only a draft or an updated sheet"):
            sheet.action_submit()
        sheet.action_deactivate()
        self.assertEqual(sheet.state, "inactive")
        draft = self._sheet()
        with self.assertRaisesRegex(UserError, "delete it instead"):
            draft.action_deactivate()
        draft.unlink()

    def test_certificates_and_interface_lines_follow_the_sheet_state(self):
        sheet = self._sheet()
        line = sheet.interface_ids.filtered(lambda interface: interface.code_id.code == "FSO1100A")
        sheet.action_submit()
        with self.assertRaisesRegex(UserError, "can be consulted"):
            line.integration = "partial"
        with self.assertRaisesRegex(UserError, "can be consulted"):
            self.env["hvac.chorus.connection.certificate"].with_user(self.chorus_manager).create(
                {"sheet_id": sheet.id, "role": "server", "file": p7b(), "filename": "server.p7b"}
            )
        with self.assertRaisesRegex(UserError, "can be consulted"):
            sheet.certificate_ids.unlink()
        sheet.action_activate()
        line.integration = "partial"
        self.assertEqual(sheet.state, "sent_update", "a line changed on its own is an update to send, too")
        self.assertEqual(line.integration, "partial")

    def test_reminders(self):
        sheet = self._sheet()
        sheet.action_submit()
        sheet._hvac_set_protected({"sent_date": fields.Date.today() - timedelta(days=1)})
        expiring = self._sheet(certificate_ids=[(0, 0, {"role": "client", "file": p7b(leaf_days=20)})])
        model = self.env["hvac.chorus.connection.sheet"]
        model._cron_reminders()
        self.assertEqual(sheet.activity_ids.summary, "Sheet not activated: contact Chorus Pro support")
        self.assertEqual(expiring.activity_ids.summary, "Certificate expiring: renew it on Chorus Pro")
        self.assertEqual(expiring.activity_ids.date_deadline, expiring.certificate_ids.not_after.date())
        model._cron_reminders()
        self.assertEqual(len(sheet.activity_ids) + len(expiring.activity_ids), 2, "one reminder each, not one a day")
        sheet.action_activate()
        self.assertFalse(sheet.activity_ids, "activation closes the reminder")

    def test_search_and_export_as_on_the_portal(self):
        sftp = self._sheet()
        as2 = self._sheet(protocol="as2", roles=("client", "server"), partner_app_code="VFE061")
        as2.interface_ids.filtered(lambda line: line.code_id.code == "FEN1200A").integration = "partial"
        Sheet = self.Sheet
        self.assertEqual(
            Sheet.search(
                [("interface_ids", "any", [("code_id.code", "ilike", "FEN1200A"), ("integration", "!=", "none")])]
            ),
            as2,
        )
        self.assertEqual(Sheet.search([("interface_ids.integration", "=", "partial")]), as2)
        self.assertEqual(Sheet.search([("protocol", "=", "sftp"), ("id", "in", (sftp | as2).ids)]), sftp)
        rows = (
            (sftp | as2)
            .sorted("id")
            .export_data(["partner_id", "protocol", "partner_app_code", "interface_ids/code_id", "state"])["datas"]
        )
        self.assertEqual(rows[0][:3], [self.company.partner_id.name, "SFTP", "VFE060"])
        self.assertIn(["", "", "", "FEN1200A - Invoice life-cycle flow sent to suppliers", ""], rows)

    def test_printable_summary(self):
        sheet = self._sheet()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("hvac_connect.report_hvac_chorus_connection_sheet", sheet.ids)[0]
            .decode()
        )
        for expected in ("VFE060", "FSO1100A", "John Doe", "CN=client.hvac-connect.example"):
            self.assertIn(expected, html)
        self.assertNotIn("FEN1200A", html, "only the connected interface codes are printed")

    def test_only_chorus_managers(self):
        sheet = self._sheet()
        with self.assertRaises(AccessError):
            sheet.with_user(self.manager).read(["name"])
        other = self.env["res.company"].create({"name": "Autre société"})
        outsider = new_test_user(
            self.env,
            "outsider",
            groups="base.group_user,hvac_connect.group_chorus_manager",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(self.env["hvac.chorus.connection.sheet"].with_user(outsider).search([("id", "=", sheet.id)]))

    def test_portal_rules_for_production_and_network(self):
        as2 = self._sheet(protocol="as2", roles=("client", "server"), partner_as2_identifier=False, aife_port=0)
        with self.assertRaises(UserError) as caught:
            as2.action_submit()
        self.assertIn("network data: AIFE port, Our AS2 identifier", str(caught.exception))
        production = self._sheet(environment="production")
        with self.assertRaisesRegex(ValidationError, "exist only in qualification: FEN0036A"):
            production.interface_ids.filtered(lambda line: line.code_id.code == "FEN0036A").integration = "complete"
        with self.assertRaisesRegex(UserError, "a qualification sheet of .* sent before this production one"):
            production.action_submit()
        self._sheet().action_submit()  # qualification first, as the portal wants
        production.action_submit()
        self.assertEqual(production.state, "sent")

    def test_production_follows_the_structures_own_qualification_or_its_vendors(self):
        branch = self.env["res.partner"].create(
            {"name": "Froid Lyonnais - agence de Grenoble", "is_company": True, "siret": "85200000900021"}
        )
        self._sheet(partner_id=branch.id).action_submit()  # another structure's qualification
        production = self._sheet(environment="production")
        with self.assertRaises(UserError) as caught:
            production.action_submit()
        self.assertIn(f"a qualification sheet of {self.company.partner_id.name}", str(caught.exception))
        production.qualified_by = "vendor"
        with self.assertRaisesRegex(UserError, "the software vendor connected in qualification"):
            production.action_submit()
        production.vendor_name = "Éditeur Facturation Pro"
        production.action_submit()
        self.assertEqual(production.state, "sent")
        branch_production = self._sheet(partner_id=branch.id, environment="production")
        branch_production.action_submit()  # the branch was qualified itself
        self.assertEqual(branch_production.state, "sent")

    def test_certificates_come_from_a_qualified_authority(self):
        unlisted = base64.b64encode(bundle(*make_chain(organization="Autorité Maison")))
        with self.assertRaises(ValidationError) as caught:
            self._sheet(certificate_ids=[(0, 0, {"role": "client", "file": unlisted})])
        self.assertIn("O=Autorité Maison", str(caught.exception))
        self.assertIn("qualified certification authorities (LSTI)", str(caught.exception))
        sheet = self._sheet()
        self.assertEqual(sheet.certificate_ids.authority_id, self.env.ref("hvac_connect.chorus_authority_certigna"))
        # The list is the manager's to keep: a provider qualified since is added, one that
        # lost its qualification is archived and stops a sending.
        Authority = self.env["hvac.chorus.certificate.authority"].with_user(self.chorus_manager)
        Authority.create({"name": "Autorité Maison", "issuer_names": "Autorité Maison"})
        accepted = self._sheet(certificate_ids=[(0, 0, {"role": "client", "file": unlisted})])
        self.assertEqual(accepted.certificate_ids.authority_id.name, "Autorité Maison")
        Authority.browse(self.env.ref("hvac_connect.chorus_authority_certigna").id).active = False
        sheet.certificate_ids.invalidate_recordset(["authority_id"])
        with self.assertRaisesRegex(UserError, "certificates from a qualified certification authority"):
            sheet.action_submit()
        with self.assertRaises(AccessError):
            Authority.with_user(self.manager).create({"name": "Pirate", "issuer_names": "Test"})

    def test_certificate_judged_on_upload_in_the_form(self):
        sheet = self._sheet()
        certificate = (
            self.env["hvac.chorus.connection.certificate"]
            .with_user(self.chorus_manager)
            .new({"sheet_id": sheet.id, "role": "server"})
        )
        certificate.file = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nnope\n")
        warning = certificate._onchange_file()
        self.assertIn("not a PKCS#7", warning["warning"]["message"])
        self.assertFalse(certificate.file, "the refused file is not kept")
        certificate.file = p7b()
        self.assertFalse(certificate._onchange_file())
        self.assertEqual(certificate.chain_length, 3, "read as soon as it is uploaded")


@tagged("post_install", "-at_install")
class TestChorusOnboarding(HvacConnectCase):
    def test_checklist_ticks_who_and_when_and_follows_the_live_status(self):
        manager = new_test_user(
            self.env,
            "chorus_boss",
            groups="base.group_user,hvac_connect.group_chorus_manager",
            company_id=self.company.id,
        )
        Step = self.env["hvac.chorus.onboarding.step"].with_user(manager)
        action = Step.action_open()
        steps = Step.search(action["domain"])
        self.assertEqual(
            steps.mapped("step"),
            [
                "chorus_account",
                "main_manager",
                "technical_account",
                "piste_account",
                "piste_application",
                "connection_space",
                "connection_space_user",
                "piste_declared",
            ],
        )
        Step.action_open()
        self.assertEqual(Step.search_count(action["domain"]), 8, "opening again adds nothing")
        steps[0].action_tick()
        self.assertRecordValues(steps[0], [{"done": True, "done_by": manager.id}])
        self.assertTrue(steps[0].done_at)
        self.assertFalse(any(steps.mapped("proven")))
        self.company.hvac_chorus_connection_state = "ok"
        steps.invalidate_recordset(["connection_state", "proven"])
        self.assertEqual(
            steps.filtered("proven").mapped("step"),
            [
                "technical_account",
                "piste_account",
                "piste_application",
                "connection_space",
                "connection_space_user",
                "piste_declared",
            ],
        )

    def test_declaring_the_piste_connection_records_what_was_declared(self):
        manager = new_test_user(
            self.env,
            "chorus_boss",
            groups="base.group_user,hvac_connect.group_chorus_manager",
            company_id=self.company.id,
        )
        Step = self.env["hvac.chorus.onboarding.step"].with_user(manager)
        declared = Step.search(Step.action_open()["domain"]).filtered(lambda s: s.step == "piste_declared")
        with self.assertRaises(UserError) as caught:
            declared.action_tick()
        self.assertIn("PISTE application name, PISTE usage type, Technical contact", str(caught.exception))
        with self.assertRaises(AccessError):
            declared.write({"done": True})
        self.company.with_user(manager).write(
            {
                "hvac_chorus_piste_app_name": "FROID-LYONNAIS-PROD",
                "hvac_chorus_piste_usage": "operator",
                "hvac_chorus_tech_contact_name": "Jeanne Martin",
                "hvac_chorus_tech_contact_email": "jeanne.martin@froid-lyonnais.fr",
            }
        )
        declared.action_tick()
        self.assertRecordValues(declared, [{"done": True, "done_by": manager.id}])

    def test_a_checklist_begun_before_takes_the_connection_space_steps_in_place(self):
        manager = new_test_user(
            self.env,
            "chorus_boss",
            groups="base.group_user,hvac_connect.group_chorus_manager",
            company_id=self.company.id,
        )
        Step = self.env["hvac.chorus.onboarding.step"]
        old_list = ["chorus_account", "main_manager", "technical_account", "piste_account", "piste_application"]
        Step._hvac_create_protected(
            [{"company_id": self.company.id, "step": step, "sequence": index} for index, step in enumerate(old_list)]
            + [{"company_id": self.company.id, "step": "piste_declared", "sequence": 5, "done": True}]
        )
        steps = Step.search(Step.with_user(manager).action_open()["domain"])
        self.assertEqual(
            steps.mapped("step"),
            [*old_list, "connection_space", "connection_space_user", "piste_declared"],
        )
        self.assertTrue(steps[-1].done, "what was ticked stays ticked")
