import importlib.util
from datetime import date
from pathlib import Path

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..common import SIGNATURE_PNG, HvacConnectCase


@tagged("post_install", "-at_install")
class TestInterventionValidation(HvacConnectCase):
    """Validation follows the Cerfa 15497*04 for the nature of the intervention."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.installation = cls.make_installation(charge=12.0)  # 25 t CO2e: a check every 12 months
        cls.recovery = cls.env["hvac.container"].create(
            {
                "name": "BT-REC-1",
                "refrigerant_id": cls.fluid.id,
                "capacity_kg": 10.0,
                "state": "recovered",
            }
        )
        cls.virgin = cls.env["hvac.container"].create(
            {
                "name": "BT-NEUF-1",
                "refrigerant_id": cls.fluid.id,
                "capacity_kg": 10.0,
                "initial_weight_kg": 9.0,
                "state": "virgin",
            }
        )

    def assert_refused(self, fiche, *expected):
        with self.assertRaises(UserError) as refused:
            fiche.action_done()
        message = str(refused.exception)
        for text in expected:
            self.assertIn(text, message)
        self.assertEqual(fiche.state, "draft")
        return message

    def test_the_issue_fiche_lists_every_problem_at_once(self):
        """The fiche of the issue: no attestation, no detector, leaks nowhere, recovery with no
        destination, containers (0.8 kg) that do not match A-E (0.3 kg recovered, 0.5 kg charged)."""
        fiche = self.make_intervention(
            self.installation,
            capacity_number=False,
            detector_reference=False,
            leaks_found=True,
            recovered_treatment_kg=0.3,
            charged_virgin_kg=0.5,
            destination_partner_id=False,
            container_move_ids=[(0, 0, {"container_id": self.recovery.id, "direction": "fill", "quantity_kg": 0.8})],
        )
        message = self.assert_refused(
            fiche,
            "attestation de capacité is missing",
            "manual detector used is missing",
            "Leaks found: say where",
            "installation of destination",
            "0.8 kg recovered into containers, but the fiche says 0.3 kg recovered",
        )
        self.assertEqual(message.count("• "), 5, message)

    def test_a_missing_operator_signature_is_in_the_same_refusal(self):
        """One refusal says everything: the operator's signature with the Cerfa's problems, for
        every fiche validated together, not a second refusal once the first is fixed."""
        unsigned = self.make_intervention(self.installation, operator_signature=False, capacity_number=False)
        other = self.make_intervention(self.installation, operator_signature=False)
        with self.assertRaises(UserError) as refused:
            (unsigned | other).action_done()
        message = str(refused.exception)
        self.assertEqual(message.count("operator signs the fiche before it is validated"), 2, message)
        self.assertIn("attestation de capacité is missing", message)
        self.assertEqual(message.count("• "), 3, message)
        self.assertEqual((unsigned | other).mapped("state"), ["draft", "draft"])
        (unsigned | other).write({"operator_signature": SIGNATURE_PNG, "capacity_number": "CAP-2025-0107"})
        (unsigned | other).action_done()
        self.assertEqual((unsigned | other).mapped("state"), ["done", "done"])
        self.assertTrue(all((unsigned | other).mapped("operator_signed_on")), "signed on the day it was validated")

    def test_expired_attestation_refused(self):
        fiche = self.make_intervention(self.installation, date=date(2026, 3, 2), capacity_valid_until=date(2026, 3, 1))
        self.assert_refused(fiche, "expired on 03/01/2026")
        fiche.capacity_valid_until = date(2026, 3, 2)
        fiche.action_done()
        self.assertEqual(fiche.state, "done")

    def test_attestation_category_covers_the_work(self):
        fiche = self.make_intervention(
            self.installation, nature="maintenance", capacity_category="IV", charged_virgin_kg=1.0
        )
        self.assert_refused(fiche, "category IV covers leak checks only")
        fiche.capacity_category = "II"
        self.assert_refused(fiche, "category II covers equipment of less than 2 kg")
        fiche.capacity_category = "I"
        fiche.action_done()
        self.assertEqual(fiche.state, "done")

    def test_detector_needed_for_a_leak_check_only(self):
        check = self.make_intervention(self.installation, nature="periodic_check", detector_reference=False)
        self.assert_refused(check, "manual detector used is missing")
        maintenance = self.make_intervention(self.installation, nature="maintenance", detector_reference=False)
        maintenance.action_done()
        self.assertEqual(maintenance.state, "done")

    def test_detector_checked_over_a_year_ago_refused(self):
        fiche = self.make_intervention(self.installation, date=date(2026, 6, 1), detector_check_date=date(2025, 5, 1))
        self.assert_refused(fiche, "more than a year before")

    def test_detector_comes_from_the_company(self):
        fiche = self.make_intervention(self.installation)
        self.assertEqual(fiche.detector_reference, "Testo 316-3 n° 41022")
        self.assertEqual(fiche.detector_check_date, self.company.hvac_detector_check_date)

    def test_leak_found_needs_location_and_repair_state(self):
        fiche = self.make_intervention(self.installation, leaks_found=True, leak_location_1="Vanne de service BP")
        self.assert_refused(fiche, "Leak 1: say whether it was repaired")
        fiche.leak_repair_1 = "done"
        fiche.action_done()
        self.assertEqual(fiche.state, "done")

    def test_recovery_needs_container_and_destination(self):
        fiche = self.make_intervention(
            self.installation, nature="dismantling", recovered_treatment_kg=2.0, destination_partner_id=False
        )
        self.assert_refused(fiche, "which container it was recovered into", "installation of destination")

    def test_recovered_fluid_goes_to_a_partner_that_receives_it(self):
        """Cadre 13: a treatment or grouping centre, or a distributor; not the holder."""
        move = [(0, 0, {"container_id": self.recovery.id, "direction": "fill", "quantity_kg": 1.5})]
        fiche = self.make_intervention(
            self.installation,
            nature="dismantling",
            recovered_treatment_kg=1.5,
            destination_partner_id=self.customer.id,
            container_move_ids=move,
        )
        self.assertIn("Clinique du Parc does not receive refrigerant", fiche.cerfa_warning, "said on the draft")
        self.assert_refused(fiche, "Clinique du Parc does not receive refrigerant")
        centre = self.cerfa_destination()
        Partner = self.env["res.partner"]
        receivers = Partner.search([("hvac_fluid_receiver", "=", True)])
        self.assertIn(centre, receivers)
        self.assertNotIn(self.customer, receivers)
        distributor = Partner.create({"name": "Climalife Lyon", "is_company": True, "hvac_fluid_distributor": True})
        self.assertIn(distributor, Partner.search([("hvac_fluid_receiver", "=", True)]))
        self.assertNotIn(distributor, Partner.search([("hvac_fluid_receiver", "!=", True)]))
        fiche.destination_partner_id = distributor
        fiche.action_done()
        self.assertEqual(fiche.state, "done")

    def test_upgrade_keeps_the_destinations_already_used(self):
        """18.0.2.0.0: a partner our fiches already sent fluid to is flagged as receiving fluid."""
        used = self.env["res.partner"].create({"name": "Centre Rhône Recyclage", "is_company": True})
        unused = self.env["res.partner"].create({"name": "Garage Martin", "is_company": True})
        self.make_intervention(self.installation, recovered_treatment_kg=0.5, destination_partner_id=used.id)
        self.env.flush_all()
        path = Path(__file__).resolve().parents[2] / "migrations" / "18.0.2.0.0" / "post-fluid_destinations.py"
        spec = importlib.util.spec_from_file_location("hvac_post_fluid_destinations", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertTrue(used.hvac_fluid_treatment)
        self.assertFalse(unused.hvac_fluid_treatment)
        self.assertEqual(
            self.env.ref("hvac_connect.group_trackdechets_export").name,
            "Trackdéchets: Can export BSFF to Trackdéchets",
        )

    def test_destination_proposed_when_fluid_is_recovered(self):
        """The destination the company's last fiche sent fluid to, once a quantity is recovered."""
        done = self.make_intervention(
            self.installation,
            nature="dismantling",
            recovered_treatment_kg=1.0,
            container_move_ids=[(0, 0, {"container_id": self.recovery.id, "direction": "fill", "quantity_kg": 1.0})],
        )
        done.action_done()
        form = Form(self.env["hvac.intervention"].with_user(self.technician))
        form.installation_id = self.installation
        self.assertFalse(form.destination_partner_id, "nothing recovered, nothing proposed")
        form.recovered_treatment_kg = 0.7
        self.assertEqual(form.destination_partner_id, self.cerfa_destination())

    def test_recovered_fluid_never_into_a_virgin_cylinder(self):
        fiche = self.make_intervention(
            self.installation,
            nature="dismantling",
            recovered_treatment_kg=0.5,
            container_move_ids=[
                (0, 0, {"container_id": self.virgin.id, "direction": "fill", "quantity_kg": 0.5}),
            ],
        )
        self.assert_refused(fiche, "BT-NEUF-1 holds virgin fluid")

    def test_charged_quantities_match_per_kind_of_fluid(self):
        fiche = self.make_intervention(
            self.installation,
            nature="maintenance",
            charged_recycled_kg=1.0,
            container_move_ids=[
                (0, 0, {"container_id": self.virgin.id, "direction": "empty", "quantity_kg": 1.0}),
            ],
        )
        self.assert_refused(fiche, "1 kg charged from containers of Virgin fluid, but the fiche says 0 kg")
        fiche.write({"charged_recycled_kg": 0.0, "charged_virgin_kg": 1.0})
        fiche.action_done()
        self.assertAlmostEqual(self.virgin.net_weight_kg, 8.0)

    def test_charged_total_must_match_the_containers(self):
        fiche = self.make_intervention(
            self.installation,
            nature="maintenance",
            charged_virgin_kg=1.5,
            container_move_ids=[
                (0, 0, {"container_id": self.virgin.id, "direction": "empty", "quantity_kg": 1.0}),
            ],
        )
        self.assert_refused(fiche, "1 kg charged from containers, but the fiche says 1.5 kg charged")

    def test_periodic_check_not_required_is_a_warning_only(self):
        small = self.make_installation(charge=1.0)  # 2.1 t CO2e: no periodic check
        fiche = self.make_intervention(small, nature="periodic_check")
        self.assertIn("needs no periodic leak check", fiche.cerfa_warning)
        action = fiche.action_done()
        self.assertEqual(fiche.state, "done")
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("needs no periodic leak check", fiche.message_ids[0].body)

    def test_a_new_fiche_without_installation_warns_of_nothing(self):
        # New opens a periodic check with no installation yet: no warning naming "False".
        form = Form(self.env["hvac.intervention"])
        self.assertEqual(form.nature, "periodic_check")
        self.assertFalse(form.cerfa_warning)
        form.installation_id = self.make_installation(charge=1.0)
        self.assertIn("needs no periodic leak check", form.cerfa_warning)

    def test_message_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        fiche = self.make_intervention(
            self.installation,
            nature="dismantling",
            recovered_treatment_kg=0.3,
            container_move_ids=[
                (0, 0, {"container_id": self.recovery.id, "direction": "fill", "quantity_kg": 0.8}),
            ],
        )
        with self.assertRaises(UserError) as refused:
            fiche.with_context(lang="fr_FR").action_done()
        message = str(refused.exception)
        self.assertIn("ne peut pas être validée", message)
        self.assertIn("0,8 kg", message)

    def test_technician_is_refused_too(self):
        fiche = self.make_intervention(self.installation, detector_reference=False)
        with self.assertRaisesRegex(UserError, "manual detector"):
            self.env["hvac.intervention"].browse(fiche.ids).with_user(self.technician).action_done()
