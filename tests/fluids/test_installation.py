from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..common import HvacConnectCase


@tagged("post_install", "-at_install")
class TestInstallation(HvacConnectCase):
    def test_module_installed_with_reference_fluids(self):
        module = self.env["ir.module.module"].search([("name", "=", "hvac_connect")])
        self.assertEqual(module.state, "installed")
        fluids = self.env["hvac.refrigerant"].search([("is_reference", "=", True)])
        self.assertEqual(len(fluids), 40)
        r32 = self.env.ref("hvac_connect.refrigerant_r_32")
        self.assertRecordValues(r32, [{"gwp": 675.0, "safety_class": "A2L", "family": "hfc"}])
        self.assertEqual(self.env.ref("hvac_connect.refrigerant_r_1234yf").gwp, 0.501)

    def test_co2_tonnes_and_period_from_the_fluid(self):
        # R-410A, GWP 2087.5: 2.39 kg = 4.99 t (no check), 2.4 kg = 5.01 t (12 months)
        below = self.make_installation(charge=2.39)
        above = self.make_installation(charge=2.4)
        self.assertAlmostEqual(below.co2_tonnes, 4.99, places=2)
        self.assertEqual(below.leak_check_period, 0)
        self.assertEqual(above.leak_check_period, 12)
        above.leak_detection_system = True
        self.assertEqual(above.leak_check_period, 24)

    def test_hfo_installation_uses_kg(self):
        hfo = self.env.ref("hvac_connect.refrigerant_r_1234ze_e")
        installation = self.make_installation(charge=10.0, fluid=hfo)
        self.assertLess(installation.co2_tonnes, 1)
        self.assertEqual(installation.leak_check_period, 6)

    def test_hermetic_installation_exempt(self):
        installation = self.make_installation(charge=4.0, hermetic=True)  # 8.35 t
        self.assertEqual(installation.leak_check_period, 0)
        self.assertFalse(installation.next_leak_check_date)

    def test_next_check_date_after_a_leak_check(self):
        installation = self.make_installation(charge=30.0, commissioning_date=date(2025, 1, 10))  # 62.6 t: 6 months
        self.assertEqual(installation.next_leak_check_date, date(2025, 7, 10))
        fiche = self.make_intervention(installation, date=date(2025, 6, 2), nature="periodic_check")
        self.assertEqual(installation.next_leak_check_date, date(2025, 7, 10), "a draft fiche does not count")
        fiche.action_done()
        self.assertEqual(installation.last_leak_check_date, date(2025, 6, 2))
        self.assertEqual(installation.next_leak_check_date, date(2025, 12, 2))
        maintenance = self.make_intervention(installation, date=date(2025, 9, 1), nature="maintenance")
        maintenance.action_done()
        self.assertEqual(installation.next_leak_check_date, date(2025, 12, 2), "maintenance is no leak check")
        fiche.action_cancel()
        self.assertEqual(installation.next_leak_check_date, date(2025, 7, 10))

    def test_overdue_search(self):
        late = self.make_installation(charge=30.0, commissioning_date=date(2020, 1, 1))
        on_time = self.make_installation(charge=30.0, commissioning_date=date.today())
        overdue = self.env["hvac.installation"].search([("leak_check_overdue", "=", True)])
        self.assertIn(late, overdue)
        self.assertNotIn(on_time, overdue)

    @mute_logger("odoo.sql_db")
    def test_zero_or_negative_charge_refused(self):
        for charge in (0.0, -3.0):
            with self.subTest(charge=charge), self.assertRaises(IntegrityError), self.cr.savepoint():
                self.make_installation(charge=charge)

    def test_sharing_reference_is_explained_and_kept_for_developer_mode(self):
        field = self.env["hvac.installation"].fields_get(["public_token"])["public_token"]
        self.assertEqual(field["string"], "Sharing reference")
        self.assertIn("shared with", field["help"])
        arch = self.env["hvac.installation"].with_user(self.manager).get_view(view_type="form")["arch"]
        self.assertNotIn('name="public_token"', arch, "a manager outside developer mode does not see it")

    def test_public_token_unique_and_not_copied(self):
        installation = self.make_installation()
        copy = installation.copy()
        self.assertTrue(installation.public_token)
        self.assertNotEqual(installation.public_token, copy.public_token)

    def test_components_cannot_loop(self):
        parent = self.make_installation(name="Centrale")
        child = self.make_installation(name="Evaporateur", parent_id=parent.id)
        self.assertEqual(parent.child_ids, child)
        with self.assertRaisesRegex(UserError, "Recursion"):
            parent.parent_id = child

    def test_site_gets_a_default_building_and_region(self):
        site = self.env["hvac.site"].create({"name": "Entrepôt", "partner_id": self.customer.id, "zip": "13002"})
        self.assertEqual(len(site.building_ids), 1)
        self.assertEqual(site.region, "pac")
        self.assertEqual(self.site.region, "ara")

    def test_shipped_fluid_protected_from_plain_users(self):
        fluid = self.fluid.with_user(self.technician)
        with self.assertRaises(UserError):
            fluid.gwp = 1.0
        self.fluid.with_user(self.manager).write({"adr_mention": "UN 1078"})
        added = (
            self.env["hvac.refrigerant"]
            .with_user(self.technician)
            .create({"name": "R-999X", "family": "hfc", "gwp": 100.0})
        )
        self.assertEqual(added.annex1_gwp, 100.0, "a user-added HFC counts wholly for the t CO2e thresholds")
        added.gwp = 120.0  # users may edit what they added

    def test_form_creates_installation(self):
        form = Form(self.env["hvac.installation"].with_user(self.manager))
        form.name = "PAC"
        form.building_id = self.building
        form.refrigerant_id = self.env.ref("hvac_connect.refrigerant_r_32")
        form.charge_kg = 8.0
        installation = form.save()
        self.assertEqual(installation.partner_id, self.customer)
        self.assertEqual(installation.leak_check_period, 12)


@tagged("post_install", "-at_install")
class TestInstallationPeriodLabel(HvacConnectCase):
    def test_no_periodic_check_reads_not_subject(self):
        natural = self.make_installation(charge=2.0, fluid=self.env.ref("hvac_connect.refrigerant_r_290"))
        self.assertEqual(natural.leak_check_period, 0)
        self.assertEqual(natural.leak_check_period_label, "not subject")
        self.assertEqual(self.make_installation(charge=10.0).leak_check_period_label, "every 12 months")

    def test_natural_fluids_are_not_hfc_waste(self):
        expected = {
            "r_290": "UN 1978",
            "r_600a": "UN 1969",
            "r_1270": "UN 1077",
            "r_717": "UN 1005",
            "r_744": "UN 1013",
        }
        for xmlid, un_number in expected.items():
            fluid = self.env.ref(f"hvac_connect.refrigerant_{xmlid}")
            self.assertRecordValues(fluid, [{"bsff_waste_code": "16 05 04*", "un_number": un_number}])
            self.assertTrue(fluid.adr_mention.startswith(un_number))
            self.assertIn("naturel", fluid.type_label)
        self.assertEqual(self.env.ref("hvac_connect.refrigerant_r_410a").bsff_waste_code, "14 06 01*")


@tagged("post_install", "-at_install")
class TestInstallationNew(HvacConnectCase):
    """An installation created from Installations › New, without a site in the context."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["hvac.site"].create(
            {
                "name": "Entrepôt Gerland",
                "partner_id": cls.customer.id,
                "street": "60 avenue Tony Garnier",
                "zip": "69007",
                "city": "Lyon",
            }
        )
        cls.other_company = cls.env["res.company"].create({"name": "Clim Alpes"})
        cls.manager.company_ids = [(4, cls.other_company.id)]

    def test_a_new_installation_offers_the_current_companys_buildings(self):
        form = Form(self.env["hvac.installation"].with_user(self.manager))
        self.assertEqual(form.company_id, self.company, "the user's company until a building is chosen")
        form.name = "Chambre froide quai"
        form.building_id = self.warehouse.building_ids
        form.refrigerant_id = self.fluid
        form.charge_kg = 12.0
        installation = form.save()
        self.assertRecordValues(
            installation,
            [{"company_id": self.company.id, "site_id": self.warehouse.id, "partner_id": self.customer.id}],
        )

    def test_the_company_follows_the_building(self):
        alpes_site = (
            self.env["hvac.site"]
            .with_company(self.other_company)
            .create({"name": "Station de ski", "partner_id": self.customer.id, "company_id": self.other_company.id})
        )
        installation = self.make_installation(building_id=alpes_site.building_ids.id)
        self.assertEqual(installation.company_id, self.other_company, "created from Python in another company")
        alpes_site.company_id = self.company
        self.assertEqual(installation.company_id, self.company, "the site moved, its installation with it")

    def test_buildings_found_by_site_address_and_customer(self):
        Building = self.env["hvac.building"].with_user(self.manager)
        building = self.warehouse.building_ids
        self.assertEqual(building.display_name, "Entrepôt Gerland / Main building")
        for typed in ("Gerland", "Tony Garnier", "69007", "Clinique du Parc", "Entrepôt Gerland / Main", "Main build"):
            with self.subTest(typed=typed):
                found = Building.name_search(typed)
                self.assertIn(building.id, [row[0] for row in found])
        self.assertNotIn(building.id, [row[0] for row in Building.name_search("Entrepôt Gerland / Annexe")])
