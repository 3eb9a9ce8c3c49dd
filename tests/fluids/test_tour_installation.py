from odoo.tests import HttpCase, tagged

from ..common import HvacConnectCase


@tagged("post_install", "-at_install")
class TestTourInstallation(HttpCase):
    def test_create_site_installation_intervention_in_the_browser(self):
        self.env["res.partner"].create({"name": "Client du tour", "is_company": True})
        # The fiche is validated against the Cerfa: the company's attestation and detector.
        self.env.company.write(
            {
                "hvac_capacity_number": "CAP-2024-0042",
                "hvac_capacity_category": "I",
                **HvacConnectCase.cerfa_company_values(),
            }
        )
        # ... and the administrator, who validates it, holds an attestation d'aptitude.
        self.env["hvac.qualification"].create(
            {
                "user_id": self.env.ref("base.user_admin").id,
                "category": "I",
                "name": "APT-2011-02268",
                "issuer": "Socotec Certification France",
                "date_issued": "2011-03-21",
            }
        )
        self.start_tour("/odoo", "hvac_connect_installation_tour", login="admin")
        site = self.env["hvac.site"].search([("name", "=", "Entrepôt du tour")])
        self.assertEqual(site.region, "idf")
        installation = self.env["hvac.installation"].search([("name", "=", "Climatiseur du tour")])
        self.assertEqual(installation.site_id, site)
        self.assertEqual(installation.refrigerant_id, self.env.ref("hvac_connect.refrigerant_r_410a"))
        self.assertEqual(installation.charge_kg, 12.5)
        fiche = installation.intervention_ids
        self.assertEqual(fiche.state, "done")
        self.assertEqual(fiche.charged_virgin_kg, 1.5)
        self.assertEqual(installation.last_leak_check_date, fiche.date)


@tagged("post_install", "-at_install")
class TestTourInstallationNew(HttpCase):
    def test_new_installation_from_the_installations_menu(self):
        customer = self.env["res.partner"].create({"name": "Transports Rhodaniens", "is_company": True})
        site = self.env["hvac.site"].create(
            {"name": "Entrepôt Gerland", "partner_id": customer.id, "street": "60 avenue Tony Garnier", "zip": "69007"}
        )
        self.start_tour("/odoo", "hvac_connect_installation_new_tour", login="admin")
        installation = self.env["hvac.installation"].search([("name", "=", "Chambre froide quai")])
        self.assertRecordValues(
            installation,
            [
                {
                    "building_id": site.building_ids.id,
                    "company_id": self.env.ref("base.main_company").id,
                    "refrigerant_id": self.env.ref("hvac_connect.refrigerant_r_404a").id,
                    "charge_kg": 18.0,
                }
            ],
        )
