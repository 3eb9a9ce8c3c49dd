from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from ..common import SIGNATURE_PNG, HvacConnectCase


@tagged("post_install", "-at_install")
class TestIntervention(HvacConnectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.installation = cls.make_installation(charge=12.0)
        cls.container = cls.env["hvac.container"].create(
            {
                "name": "BT-TEST-1",
                "refrigerant_id": cls.fluid.id,
                "capacity_kg": 10.0,
                "tare_kg": 7.9,
            }
        )

    def test_fiche_freezes_fluid_and_operator(self):
        fiche = self.make_intervention(self.installation)
        self.assertRecordValues(
            fiche,
            [
                {
                    "refrigerant_id": self.fluid.id,
                    "gwp": 2087.5,
                    "installation_charge_kg": 12.0,
                    "capacity_number": "CAP-2024-0042",
                    "leak_check": True,
                    "state": "draft",
                    "name": "/",
                }
            ],
        )
        fiche.action_done()
        self.assertTrue(fiche.name.startswith("FI/"))
        self.fluid.sudo().gwp = 2000.0
        self.assertEqual(fiche.gwp, 2087.5, "a signed fiche keeps the GWP it was signed with")

    def test_done_fiche_is_locked(self):
        fiche = self.make_intervention(self.installation)
        fiche.action_done()
        with self.assertRaises(UserError):
            fiche.charged_virgin_kg = 2.0
        with self.assertRaises(UserError):
            fiche.unlink()
        fiche._hvac_set_protected({"bsff_number": "BSFF-20261125-ABC"})  # linked later by the BSFF
        fiche.action_cancel()
        self.assertEqual(fiche.state, "cancel")
        fiche.action_draft()
        self.assertEqual(fiche.state, "cancel", "a numbered fiche never goes back to draft")

    def test_recovered_more_than_held_refused(self):
        with self.assertRaisesRegex(ValidationError, "more than installation"):
            self.make_intervention(self.installation, recovered_treatment_kg=10.0, recovered_reuse_kg=2.5)
        fiche = self.make_intervention(
            self.installation, recovered_treatment_kg=10.0, charged_virgin_kg=1.0, recovered_reuse_kg=3.0
        )
        self.assertEqual(fiche.recovered_total_kg, 13.0)

    def test_unknown_fluid_refused(self):
        other = self.env.ref("hvac_connect.refrigerant_r_32")
        with self.assertRaisesRegex(ValidationError, "not the fluid of installation"):
            self.make_intervention(self.installation, refrigerant_id=other.id)

    def test_container_follows_done_fiches(self):
        fiche = self.make_intervention(
            self.installation,
            recovered_treatment_kg=4.0,
            container_move_ids=[
                (0, 0, {"container_id": self.container.id, "direction": "fill", "quantity_kg": 4.0}),
            ],
        )
        self.assertEqual(self.container.net_weight_kg, 0.0)
        fiche.action_done()
        self.assertEqual(self.container.net_weight_kg, 4.0)
        self.assertAlmostEqual(self.container.gross_weight_kg, 11.9)

    def test_container_overfill_refused(self):
        with self.assertRaisesRegex(ValidationError, "maximum fill"):
            self.make_intervention(
                self.installation,
                recovered_treatment_kg=11.0,
                container_move_ids=[
                    (0, 0, {"container_id": self.container.id, "direction": "fill", "quantity_kg": 11.0}),
                ],
            )

    def test_container_of_another_fluid_refused(self):
        r32_bottle = self.env["hvac.container"].create(
            {
                "name": "BT-R32",
                "refrigerant_id": self.env.ref("hvac_connect.refrigerant_r_32").id,
                "capacity_kg": 8.0,
            }
        )
        with self.assertRaisesRegex(ValidationError, "cannot take"):
            self.make_intervention(
                self.installation,
                recovered_treatment_kg=1.0,
                container_move_ids=[
                    (0, 0, {"container_id": r32_bottle.id, "direction": "fill", "quantity_kg": 1.0}),
                ],
            )

    def test_empty_cylinder_takes_the_fluid_recovered_into_it(self):
        empty = self.env["hvac.container"].create({"name": "BT-VIDE-7", "capacity_kg": 10.0, "state": "recovered"})
        self.env["hvac.intervention"].with_user(self.technician).create(
            {
                "installation_id": self.installation.id,
                "recovered_treatment_kg": 1.0,
                "container_move_ids": [
                    (0, 0, {"container_id": empty.id, "direction": "fill", "quantity_kg": 1.0}),
                ],
            }
        )
        self.assertEqual(empty.refrigerant_id, self.fluid, "the cylinder now holds R-410A")
        r32 = self.env.ref("hvac_connect.refrigerant_r_32")
        r32_unit = self.make_installation(charge=4.0, fluid=r32, name="Split R-32")
        with self.assertRaisesRegex(ValidationError, "cannot take"):
            self.make_intervention(
                r32_unit,
                recovered_treatment_kg=0.5,
                container_move_ids=[
                    (0, 0, {"container_id": empty.id, "direction": "fill", "quantity_kg": 0.5}),
                ],
            )

    def test_technician_writes_fiche_through_form(self):
        form = Form(self.env["hvac.intervention"].with_user(self.technician))
        form.installation_id = self.installation
        form.nature = "maintenance"
        form.charged_virgin_kg = 1.5
        form.operator_signature = SIGNATURE_PNG
        fiche = form.save()
        self.assertEqual(fiche.refrigerant_id, self.fluid)
        self.assertFalse(fiche.leak_check)
        self.assertEqual(fiche.charged_total_kg, 1.5)
        fiche.action_done()
        self.assertEqual(fiche.state, "done")


@tagged("post_install", "-at_install")
class TestInterventionWording(HvacConnectCase):
    """What a French user reads: a draft fiche has no "/" title, a fiche is feminine."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["hvac_connect"], ["fr_FR"], overwrite=True)
        cls.installation = cls.make_installation(charge=12.0, name="Groupe froid cuisine")

    def test_a_draft_reads_as_a_draft_of_its_installation(self):
        fiche = self.make_intervention(self.installation, date=date(2026, 11, 30))
        self.assertEqual(fiche.name, "/")
        self.assertEqual(fiche.display_name, "Draft fiche – Groupe froid cuisine, 11/30/2026")
        self.assertEqual(
            fiche.with_context(lang="fr_FR").display_name, "Fiche brouillon – Groupe froid cuisine, 30/11/2026"
        )
        arch = self.env["hvac.intervention"].get_view(view_type="form")["arch"]
        self.assertIn("Draft fiche", arch, "the form's title for a fiche without a number")
        fiche.action_done()
        self.assertEqual(fiche.display_name, fiche.name)
        self.assertNotEqual(fiche.name, "/")

    def test_creation_messages_agree_with_their_records(self):
        fiche = self.make_intervention(self.installation).with_context(lang="fr_FR")
        self.assertEqual(fiche._creation_message(), "Fiche d'intervention créée")
        self.assertEqual(self.installation.with_context(lang="fr_FR")._creation_message(), "Installation créée")
        connection = self.env["hvac.connection"].new({}).with_context(lang="fr_FR")
        self.assertEqual(connection._creation_message(), "Connexion créée")
        bodies = " ".join(self.installation.message_ids.mapped(lambda m: str(m.body)))
        self.assertIn("Installation created", bodies, "the chatter logs the installation's own message")
        self.assertNotIn("Refrigerant installation created", bodies)
