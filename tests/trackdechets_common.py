"""Set-up shared by the Trackdéchets tests: the fake server, our company, partners, users."""

import unittest

from odoo.tests import new_test_user

from .common import HvacConnectCase, set_siret
from .trackdechets_fake import SCHEMA_DIR, FakeTrackdechets, schema_available

OUR_SIRET = "85200000900013"
DESTINATION_SIRET = "38012986600014"
TRANSPORTER_SIRET = "44306184100047"
HOLDER_SIRET = "77567227200017"
EXPORTER_TOKEN = "td-token-exporter"


def start_fake(case_class):
    """Start the fake for a test class (skipped with the reason when the schema is absent)."""
    if not schema_available():
        raise unittest.SkipTest(
            f"Trackdéchets schema not found in {SCHEMA_DIR} (../shared/reference/trackdechets, or what ./dev setup fetches)"
        )
    fake = FakeTrackdechets().start()
    case_class.addClassCleanup(fake.stop)
    return fake


def point_odoo_at(env, fake, timeout=1.0):
    params = env["ir.config_parameter"].sudo()
    params.set_param("hvac_connect.trackdechets_endpoint", fake.url)
    params.set_param("hvac_connect.trackdechets_timeout", str(timeout))


class TrackdechetsCase(HvacConnectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = start_fake(cls)
        point_odoo_at(cls.env, cls.fake)
        set_siret(cls.company, OUR_SIRET)
        cls.company.write(
            {
                "street": "12 rue du Froid",
                "zip": "69003",
                "city": "Lyon",
                "phone": "04 72 00 00 00",
                "email": "contact@froid-lyonnais.fr",
            }
        )
        cls.fake.add_company(DESTINATION_SIRET, "Régénération Rhône", ["WASTEPROCESSOR"])
        cls.fake.add_company(
            TRANSPORTER_SIRET,
            "Transports Alpes",
            ["TRANSPORTER"],
            {"receiptNumber": "REC-69-001", "department": "69", "validityLimit": "2027-06-30T00:00:00Z"},
        )
        cls.fake.add_user(EXPORTER_TOKEN, "jeanne.martin@froid-lyonnais.fr", [OUR_SIRET], "Jeanne Martin")
        cls.destination = cls._company_partner("Régénération Rhône", DESTINATION_SIRET, "dest@regeneration-rhone.fr")
        cls.destination.hvac_fluid_treatment = True
        cls.transporter = cls._company_partner(
            "Transports Alpes", TRANSPORTER_SIRET, "exploitation@transports-alpes.fr"
        )
        set_siret(cls.customer, HOLDER_SIRET)
        cls.customer.write(
            {
                "street": "3 place du Parc",
                "zip": "69003",
                "city": "Lyon",
                "phone": "04 78 00 00 00",
                "email": "technique@clinique-parc.fr",
            }
        )
        cls.exporter = new_test_user(
            cls.env,
            "td_exporter",
            name="Jeanne Martin",
            email="jeanne.martin@froid-lyonnais.fr",
            groups="base.group_user,hvac_connect.group_trackdechets_full",
            company_id=cls.company.id,
        )
        cls.exporter.write({"phone": "06 00 00 00 01", "hvac_trackdechets_token": EXPORTER_TOKEN})
        cls.exporter.with_user(cls.exporter).action_hvac_designate_trackdechets_contact()
        cls.container = cls.env["hvac.container"].create(
            {"name": "BT-0042", "refrigerant_id": cls.fluid.id, "capacity_kg": 10.0, "tare_kg": 7.9, "volume_l": 13.6}
        )
        cls.fake.snapshot()

    def setUp(self):
        super().setUp()
        self.addCleanup(self.fake.restore)

    @classmethod
    def cerfa_destination(cls):
        # The fiches send their fluid where the BSFF goes: one destination for both.
        return cls.destination

    def flush_tracking(self):
        """Tracking messages are written at commit time: run that step now."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    @classmethod
    def _company_partner(cls, name, siret, email):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "siret": siret,
                "street": "1 avenue de l'Industrie",
                "zip": "69100",
                "city": "Villeurbanne",
                "phone": "04 78 11 22 33",
                "email": email,
            }
        )

    @classmethod
    def make_done_intervention(cls, recovered=4.0, container=None):
        installation = cls.make_installation(charge=12.0)
        fiche = cls.make_intervention(
            installation,
            nature="dismantling",
            recovered_treatment_kg=recovered,
            container_move_ids=[
                (
                    0,
                    0,
                    {"container_id": (container or cls.container).id, "direction": "fill", "quantity_kg": recovered},
                ),
            ],
        )
        fiche.action_done()
        return fiche

    def make_bsff(self, interventions=None, **wizard_values):
        interventions = interventions or self.make_done_intervention()
        wizard = (
            self.env["hvac.intervention.bsff.create"]
            .with_user(self.exporter)
            .create(
                {
                    "intervention_ids": [(6, 0, interventions.ids)],
                    "destination_partner_id": self.destination.id,
                    "transporter_partner_id": self.transporter.id,
                    **wizard_values,
                }
            )
        )
        action = wizard.action_create()
        return self.env["hvac.bsff"].browse(action["res_id"]).with_user(self.exporter)

    def tearDown(self):
        self.assertEqual(self.fake.invalid_documents, [], "every document sent must be valid on the official schema")
        super().tearDown()
