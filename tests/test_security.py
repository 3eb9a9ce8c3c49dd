from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import HvacConnectCase


@tagged("post_install", "-at_install")
class TestSecurity(HvacConnectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Froid Services B"})
        cls.manager_b = new_test_user(
            cls.env,
            "hvac_manager_b",
            groups="base.group_user,hvac_connect.group_hvac_manager",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )
        customer_b = cls.env["res.partner"].create({"name": "Client B", "company_id": cls.company_b.id})
        cls.site_b = (
            cls.env["hvac.site"].with_user(cls.manager_b).create({"name": "Site B", "partner_id": customer_b.id})
        )
        cls.installation_b = cls.make_installation(name="Installation B", building_id=cls.site_b.building_ids.id)
        cls.installation_a = cls.make_installation(name="Installation A")

    def test_company_a_never_sees_company_b(self):
        for user in (self.manager, self.technician):
            env = self.env(user=user)
            with self.subTest(user=user.login):
                self.assertEqual(
                    env["hvac.installation"].search([("name", "like", "Installation")]), self.installation_a
                )
                self.assertFalse(env["hvac.site"].search([("id", "=", self.site_b.id)]))
                with self.assertRaises(AccessError):
                    self.installation_b.with_user(user).read(["name"])

    def test_company_b_sees_its_own(self):
        installations = (
            self.env["hvac.installation"].with_user(self.manager_b).search([("name", "like", "Installation")])
        )
        self.assertEqual(installations, self.installation_b)
        self.assertEqual(self.installation_b.company_id, self.company_b)

    def test_technician_reads_installations_writes_interventions(self):
        installation = self.installation_a.with_user(self.technician)
        self.assertEqual(installation.name, "Installation A")
        with self.assertRaises(AccessError):
            installation.charge_kg = 3.0
        with self.assertRaises(AccessError):
            self.env["hvac.site"].with_user(self.technician).create({"name": "X", "partner_id": self.customer.id})
        fiche = (
            self.env["hvac.intervention"].with_user(self.technician).create({"installation_id": self.installation_a.id})
        )
        fiche.observations = "RAS"
        self.assertEqual(fiche.company_id, self.company)

    def test_technician_cannot_record_on_other_company_installation(self):
        with self.assertRaises(AccessError):
            self.env["hvac.intervention"].with_user(self.technician).create({"installation_id": self.installation_b.id})

    def test_user_without_group_sees_nothing(self):
        plain = new_test_user(self.env, "plain_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["hvac.installation"].with_user(plain).search([])

    def test_groups_under_one_category(self):
        category = self.env.ref("hvac_connect.module_category_hvac_connect")
        names = set(
            category.sudo()
            .with_context(active_test=False)
            .env["res.groups"]
            .search([("category_id", "child_of", category.id)])
            .get_external_id()
            .values()
        )
        for xmlid in (
            "group_hvac_user",
            "group_hvac_manager",
            "group_trackdechets_full",
            "group_trackdechets_export",
            "group_trackdechets_contact_manager",
            "group_chorus_user",
            "group_chorus_manager",
            "group_share_user",
            "group_share_admin",
        ):
            self.assertIn(f"hvac_connect.{xmlid}", names)
