import xmlrpc.client

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..trackdechets_common import OUR_SIRET, TrackdechetsCase


@tagged("post_install", "-at_install")
class TestTrackdechetsContact(TrackdechetsCase):
    def _user(self, login, name="Luc Bernard", groups="hvac_connect.group_trackdechets_export", **vals):
        return new_test_user(
            self.env,
            login,
            name=name,
            email=f"{login}@froid-lyonnais.fr",
            groups=f"base.group_user,{groups}",
            company_id=self.company.id,
            **vals,
        )

    def test_exporter_with_full_names_can_be_designated(self):
        luc = self._user("luc")
        self.assertRecordValues(
            luc, [{"firstname": "Luc", "lastname": "Bernard", "hvac_can_be_trackdechets_contact": True}]
        )
        luc.with_user(self.exporter).action_hvac_designate_trackdechets_contact()
        self.assertEqual(self.company.hvac_trackdechets_contact_id, luc)
        self.assertTrue(luc.hvac_is_trackdechets_contact)
        self.flush_tracking()
        tracked = self.company.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "hvac_trackdechets_contact_id"
        )
        self.assertIn(
            ("Jeanne Martin", "Luc Bernard"),
            [(t.old_value_char, t.new_value_char) for t in tracked],
            "traced in the company's chatter",
        )

    def test_each_condition_blocks_the_button_and_the_action(self):
        cases = {
            "not exporter": self._user("reader", groups="hvac_connect.group_hvac_user"),
            "no first name": self._user("mononym", name="Bernard"),
            "no e-mail": self._user("mailless"),
            "archived": self._user("gone"),
            "already contact": self.exporter,
        }
        cases["no e-mail"].email = False
        cases["archived"].active = False
        for reason, user in cases.items():
            with self.subTest(reason):
                self.assertFalse(user.hvac_can_be_trackdechets_contact)
                with self.assertRaises(UserError):
                    user.with_user(self.exporter).action_hvac_designate_trackdechets_contact()
        self.assertEqual(self.company.hvac_trackdechets_contact_id, self.exporter)

    def test_the_button_says_why_a_user_cannot_be_the_contact(self):
        reader = self._user("reader", groups="hvac_connect.group_hvac_user")
        self.assertIn("lacks the right to export", reader.hvac_trackdechets_contact_problems)
        self.assertFalse(self.exporter.hvac_trackdechets_contact_problems, "the contact itself needs no excuse")
        self.assertFalse(self._user("luc").hvac_trackdechets_contact_problems)
        arch = (
            self.env["res.users"]
            .with_user(self.env.ref("base.user_admin"))
            .get_views([(self.env.ref("base.view_users_form").id, "form")])["views"]["form"]["arch"]
        )
        self.assertIn(
            "o_hvac_contact_blocked", arch, "the button stays visible, greyed, when the user does not qualify"
        )

    def test_designating_needs_the_define_contact_right(self):
        luc = self._user("luc")
        exporter_only = self._user("exporter_only")
        with self.assertRaises(AccessError):
            luc.with_user(exporter_only).action_hvac_designate_trackdechets_contact()
        self.assertEqual(self.company.hvac_trackdechets_contact_id, self.exporter)

    def test_contact_cannot_be_set_around_the_button(self):
        luc = self._user("luc")
        admin = new_test_user(
            self.env,
            "company_admin",
            groups="base.group_user,base.group_erp_manager,base.group_system",
            company_id=self.company.id,
        )
        with self.assertRaisesRegex(AccessError, "Désigner contact Trackdéchets"):
            self.company.with_user(admin).hvac_trackdechets_contact_id = luc
        self.assertEqual(self.company.hvac_trackdechets_contact_id, self.exporter)

    def test_a_bsff_names_the_designated_contact_only(self):
        bsff = self.make_bsff()
        bsff.emitter_contact_id = self._user("luc")
        with self.assertRaisesRegex(UserError, "Luc Bernard is not the company's Trackdéchets contact"):
            bsff.action_send()
        self.assertFalse(self.fake.bsffs)

    def test_full_access_implies_both_rights(self):
        full = self.env.ref("hvac_connect.group_trackdechets_full")
        self.assertIn(self.env.ref("hvac_connect.group_trackdechets_export"), full.implied_ids)
        self.assertIn(self.env.ref("hvac_connect.group_trackdechets_contact_manager"), full.implied_ids)
        self.assertEqual(
            self.env.ref("hvac_connect.group_trackdechets_export").category_id.parent_id,
            self.env.ref("hvac_connect.module_category_hvac_connect"),
        )


@tagged("post_install", "-at_install")
class TestTrackdechetsRightsApart(HttpCase, TrackdechetsCase):
    """Seed 000 lists the right to designate the contact apart from the right to export BSFF:
    each goes without the other. Tried over XML-RPC, as the web client or any integration calls."""

    def _user(self, login, name, groups):
        return new_test_user(
            self.env,
            login,
            name=name,
            email=f"{login}@froid-lyonnais.fr",
            groups=f"base.group_user,{groups}",
            company_id=self.company.id,
        )

    def _rpc(self, user, model, method, *args):
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, user.id, user.login, model, method, list(args))

    def _refused(self, user, model, method, *args):
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as caught:
            self._rpc(user, model, method, *args)
        self.assertNotIn("Traceback", caught.exception.faultString.splitlines()[0])
        return caught.exception.faultString

    def test_the_contact_is_designated_by_someone_who_does_not_export(self):
        designator = self._user("paul.girard", "Paul Girard", "hvac_connect.group_trackdechets_contact_manager")
        self.assertFalse(designator.has_group("hvac_connect.group_trackdechets_export"))
        luc = self._user("luc.bernard", "Luc Bernard", "hvac_connect.group_trackdechets_export")
        self._rpc(designator, "res.users", "action_hvac_designate_trackdechets_contact", [luc.id])
        self.assertEqual(self.company.hvac_trackdechets_contact_id, luc)
        bsff = self.make_bsff()
        self.assertIn(
            "Can export BSFF to Trackdéchets", self._refused(designator, "hvac.bsff", "action_send", [bsff.id])
        )
        self.assertFalse(self.fake.bsffs, "nothing sent")
        # Designating is not exporting: the designator cannot be the contact itself.
        refusal = self._refused(luc, "res.users", "action_hvac_designate_trackdechets_contact", [designator.id])
        self.assertIn("Can define a Trackdéchets contact", refusal)
        refusal = self._refused(
            self.exporter, "res.users", "action_hvac_designate_trackdechets_contact", [designator.id]
        )
        self.assertIn("lacks the right to export", refusal)
        self.assertEqual(self.company.hvac_trackdechets_contact_id, luc)

    def test_bsff_are_sent_by_someone_who_does_not_designate(self):
        sender = self._user("luc.bernard", "Luc Bernard", "hvac_connect.group_trackdechets_export")
        self.assertFalse(sender.has_group("hvac_connect.group_trackdechets_contact_manager"))
        self.fake.add_user("td-token-luc", "luc.bernard@froid-lyonnais.fr", [OUR_SIRET], "Luc Bernard")
        self.addCleanup(self.fake.users.pop, "td-token-luc", None)
        sender.hvac_trackdechets_token = "td-token-luc"
        self.assertEqual(sender.hvac_trackdechets_token_state, "valid")
        bsff = self.make_bsff()
        self._rpc(sender, "hvac.bsff", "action_send", [bsff.id])
        self.assertEqual(bsff.state, "signed_by_emitter")
        colleague = self._user("marie.roux", "Marie Roux", "hvac_connect.group_trackdechets_export")
        refusal = self._refused(sender, "res.users", "action_hvac_designate_trackdechets_contact", [colleague.id])
        self.assertIn("Can define a Trackdéchets contact", refusal)
        self.assertEqual(self.company.hvac_trackdechets_contact_id, self.exporter)
