"""Each technician's attestation d'aptitude, checked against the work of the fiche they validate
(nature × equipment × fluid), their leak detector, and the reminders before either runs out."""

import xmlrpc.client
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import BaseCase, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ...models.fluids import aptitude
from ..common import HvacConnectCase

DAY = date(2026, 10, 5)


@tagged("standard", "at_install")
class TestAptitudeRules(BaseCase):
    """The categories' scopes (research domain.md §1.4) as plain rules."""

    def test_activities_of_a_fiche(self):
        self.assertEqual(aptitude.activities("periodic_check", True, 0.0, 0.0), ["leak_check"])
        self.assertEqual(aptitude.activities("dismantling", False, 0.0, 3.0), ["recovery"])
        self.assertEqual(aptitude.activities("maintenance", False, 0.0, 0.0), ["servicing"])
        self.assertEqual(aptitude.activities("other", False, 0.0, 0.0), [])

    def test_categories_covering_each_work(self):
        covering = aptitude.covering_categories
        self.assertEqual(covering("servicing", 12.0, False, "fgas"), ["I", "A1"])
        self.assertEqual(covering("servicing", 1.5, False, "fgas"), ["I", "II", "A1", "A2"])
        self.assertEqual(covering("servicing", 5.0, True, "fgas"), ["I", "A1", "A2"], "A2: < 6 kg hermetic")
        self.assertEqual(covering("recovery", 2.5, False, "fgas"), ["I", "A1", "A2", "D"])
        self.assertEqual(covering("leak_check", 80.0, False, "fgas"), ["I", "II", "IV", "A1", "E"])
        self.assertEqual(covering("servicing", 30.0, False, "co2"), ["B"])
        self.assertEqual(covering("servicing", 30.0, False, "nh3"), ["C"])
        self.assertEqual(covering("servicing", 0.3, False, "hc"), ["A1", "A2"])

    def test_natural_fluids_need_the_2025_scheme_from_2027(self):
        self.assertFalse(aptitude.needs_attestation("co2", date(2026, 12, 31)))
        self.assertTrue(aptitude.needs_attestation("co2", date(2027, 1, 1)))
        self.assertTrue(aptitude.needs_attestation("fgas", date(2010, 1, 1)))


@tagged("post_install", "-at_install")
class TestQualification(HvacConnectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.installation = cls.make_installation(charge=12.0, name="Groupe d'eau glacée")  # R-410A, 25 t CO2e
        cls.julien = new_test_user(
            cls.env, "julien.martin", name="Julien Martin", groups="base.group_user,hvac_connect.group_hvac_user"
        )

    def fiche(self, technician, **vals):
        vals.setdefault("nature", "maintenance")
        return self.make_intervention(self.installation, technician_id=technician.id, date=DAY, **vals)

    def refused(self, fiche, *expected):
        with self.assertRaises(UserError) as refused:
            fiche.action_done()
        for text in expected:
            self.assertIn(text, str(refused.exception))
        self.assertEqual(fiche.state, "draft")

    def test_apprentice_without_attestation_refused(self):
        """Nothing on record: one line, whatever the work (here a check, a recovery and a charge)."""
        with self.assertRaises(UserError) as refused:
            self.fiche(
                self.julien, nature="non_periodic_check", charged_virgin_kg=1.0, recovered_treatment_kg=0.5
            ).action_done()
        message = str(refused.exception)
        self.assertIn(
            "• Operator: Julien Martin has no attestation d'aptitude on record (Technicians › Attestations"
            " d'aptitude).",
            message,
        )
        self.assertEqual(message.count("Julien Martin"), 1, message)

    def test_category_that_does_not_cover_the_charge(self):
        self.attest(self.julien, "II")
        self.refused(
            self.fiche(self.julien, charged_virgin_kg=1.0),
            "Julien Martin's attestation d'aptitude (category II) does not cover installing, maintaining or charging"
            " on 12 kg of R-410A: category I or A1 is missing.",
        )
        small = self.make_installation(charge=1.5, name="Split bureau")
        fiche = self.make_intervention(small, technician_id=self.julien.id, date=DAY, nature="maintenance")
        fiche.action_done()
        self.assertEqual(fiche.state, "done")

    def test_leak_check_only_category(self):
        self.attest(self.julien, "IV")
        check = self.fiche(self.julien, nature="periodic_check")
        check.action_done()
        self.assertEqual(check.state, "done")
        recovery = self.fiche(self.julien, nature="periodic_check", recovered_treatment_kg=1.0)
        self.refused(recovery, "does not cover recovering fluid on 12 kg of R-410A: category I or A1 is missing")

    def test_attestations_add_up(self):
        """A leak check by a IV holder who also holds D recovers fluid from small equipment."""
        self.attest(self.julien, "IV")
        self.attest(self.julien, "D")
        small = self.make_installation(charge=2.5, name="Armoire froide")
        recovery = self.env["hvac.container"].create(
            {"name": "BT-REC-77", "refrigerant_id": self.fluid.id, "capacity_kg": 10.0, "state": "recovered"}
        )
        fiche = self.make_intervention(
            small,
            technician_id=self.julien.id,
            date=DAY,
            nature="non_periodic_check",
            recovered_treatment_kg=0.5,
            container_move_ids=[(0, 0, {"container_id": recovery.id, "direction": "fill", "quantity_kg": 0.5})],
        )
        fiche.action_done()
        self.assertEqual(fiche.state, "done")

    def test_expired_attestation_refused(self):
        """One on record but none valid on the day: each activity says which category it needs."""
        self.attest(self.julien, "A1", date_issued=date(2019, 1, 1), date_expiry=date(2026, 10, 4))
        self.refused(
            self.fiche(self.julien, charged_virgin_kg=1.0),
            "Julien Martin holds no attestation d'aptitude valid on 10/05/2026: category I or A1 is missing for"
            " installing, maintaining or charging on 12 kg of R-410A.",
        )
        self.attest(self.julien, "A1", name="APT-A1-RENEWED", date_issued=date(2026, 10, 5))
        fiche = self.fiche(self.julien)
        fiche.action_done()
        self.assertEqual(fiche.state, "done")

    def test_hermetic_equipment_larger_limit(self):
        self.attest(self.julien, "A2")
        unit = self.make_installation(charge=5.0, name="Monobloc", hermetic=True)
        fiche = self.make_intervention(unit, technician_id=self.julien.id, date=DAY, nature="maintenance")
        fiche.action_done()
        self.assertEqual(fiche.state, "done")
        unit.hermetic = False
        other = self.make_intervention(unit, technician_id=self.julien.id, date=DAY, nature="maintenance")
        self.refused(other, "(category A2) does not cover installing, maintaining or charging on 5 kg of R-410A")

    def test_co2_installation_needs_category_b_from_2027(self):
        co2 = self.make_installation(
            charge=40.0, fluid=self.env.ref("hvac_connect.refrigerant_r_744"), name="Centrale CO2 transcritique"
        )
        self.attest(self.julien, "I")
        fiche = self.make_intervention(co2, technician_id=self.julien.id, date=date(2027, 2, 1), nature="maintenance")
        self.refused(
            fiche, "(category I) does not cover installing, maintaining or charging on 40 kg of R-744: category B"
        )

    def test_scope_shows_who_may_do_what(self):
        qualification = self.attest(self.julien, "II")
        self.assertEqual(
            qualification.scope,
            "leak checks, recovery below 2 kg, installation, maintenance and charging below 2 kg"
            " (fluorinated fluids)",
        )

    def test_technician_reads_only_their_own(self):
        mine = self.attest(self.julien, "I")
        theirs = self.env["hvac.qualification"].search([("user_id", "=", self.technician.id)])
        as_julien = self.env["hvac.qualification"].with_user(self.julien)
        self.assertEqual(as_julien.search([]), mine)
        self.assertFalse(as_julien.browse(theirs.ids).has_access("read"))
        self.assertIn(mine, self.env["hvac.qualification"].with_user(self.manager).search([]))

    def test_expiry_reminder_activity(self):
        today = fields.Date.context_today(self.env["hvac.qualification"])
        soon = self.attest(
            self.julien, "A1", date_issued=today - relativedelta(years=6), date_expiry=today + relativedelta(days=40)
        )
        later = self.attest(self.julien, "A2", date_issued=today, date_expiry=today + relativedelta(years=7))
        self.env["hvac.qualification"]._cron_compliance_reminders()
        self.assertEqual(len(soon.activity_ids), 1)
        self.assertEqual(soon.activity_ids.user_id, self.julien)
        self.assertIn("ends on", soon.activity_ids.summary)
        self.assertFalse(later.activity_ids)
        self.env["hvac.qualification"]._cron_compliance_reminders()
        self.assertEqual(len(soon.activity_ids), 1, "planned once")


@tagged("post_install", "-at_install")
class TestDetector(HvacConnectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.installation = cls.make_installation(charge=12.0)
        cls.detector = cls.env["hvac.detector"].create(
            {
                "brand": "Testo",
                "model": "316-4",
                "serial_number": "61425",
                "user_id": cls.technician.id,
                "vehicle": "Kangoo GH-418-PK",
                "last_check_date": date(2025, 9, 1),
            }
        )

    def test_fiche_proposes_the_technicians_detector(self):
        fiche = self.make_intervention(self.installation, technician_id=self.technician.id, date=date(2026, 8, 20))
        self.assertEqual(fiche.detector_id, self.detector)
        self.assertEqual(fiche.detector_reference, "Testo 316-4 n° 61425")
        self.assertEqual(fiche.detector_check_date, date(2025, 9, 1))
        fiche.action_done()
        self.assertEqual(fiche.state, "done")
        other = self.make_intervention(self.installation, technician_id=self.manager.id)
        self.assertFalse(other.detector_id, "the manager has no detector: the company's is kept")
        self.assertEqual(other.detector_reference, "Testo 316-3 n° 41022")

    def test_detector_past_its_yearly_check_refused(self):
        fiche = self.make_intervention(self.installation, technician_id=self.technician.id, date=date(2026, 9, 2))
        with self.assertRaises(UserError) as refused:
            fiche.action_done()
        self.assertIn("the detector was last checked on 09/01/2025, more than a year before", str(refused.exception))
        self.detector.last_check_date = date(2026, 8, 28)
        fiche.detector_id = self.detector
        self.assertEqual(fiche.detector_check_date, date(2026, 8, 28))
        fiche.action_done()
        self.assertEqual(fiche.state, "done")

    def test_check_reminder_activity(self):
        today = fields.Date.context_today(self.detector)
        self.detector.last_check_date = today - relativedelta(months=11)
        self.env["hvac.qualification"]._cron_compliance_reminders()
        self.assertEqual(self.detector.activity_ids.user_id, self.technician)
        self.assertEqual(self.detector.activity_ids.date_deadline, today + relativedelta(months=1))


@tagged("post_install", "-at_install")
class TestComplianceRightsXmlrpc(HvacConnectCase, HttpCase):
    """The rules above tried over XML-RPC as a technician: what a view hides is not what stops them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.apprentice = new_test_user(
            cls.env, "apprenti", name="Lucas Bernard", groups="base.group_user,hvac_connect.group_hvac_user"
        )
        cls.own = cls.env["hvac.qualification"].search([("user_id", "=", cls.technician.id)])
        cls.others = cls.env["hvac.qualification"].search([("user_id", "=", cls.manager.id)])
        cls.installation = cls.make_installation(charge=12.0, category="refrigeration")
        cls.detector = cls.env["hvac.detector"].create(
            {"brand": "Testo", "serial_number": "61425", "user_id": cls.technician.id, "last_check_date": DAY}
        )

    def call(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs)

    def refused(self, user, model, method, *args, **kwargs):
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as caught:
            self.call(user, model, method, *args, **kwargs)
        return caught.exception.faultString

    def test_technician_reads_own_attestation_only(self):
        self.assertEqual(self.call(self.technician, "hvac.qualification", "search", []), self.own.ids)
        self.refused(self.technician, "hvac.qualification", "read", self.others.ids, ["certificate"])
        self.assertIn(self.others.id, self.call(self.manager, "hvac.qualification", "search", []))

    def test_technician_cannot_give_themselves_a_category(self):
        values = {
            "user_id": self.apprentice.id,
            "category": "I",
            "name": "FAUX-1",
            "issuer": "X",
            "date_issued": "2020-01-01",
        }
        self.refused(self.apprentice, "hvac.qualification", "create", values)
        self.refused(self.technician, "hvac.qualification", "write", self.own.ids, {"category": "A1"})
        self.refused(self.technician, "hvac.detector", "write", self.detector.ids, {"last_check_date": "2026-12-01"})
        for flag in ("military_equipment", "nuclear_cooling", "chiller"):
            self.refused(self.technician, "hvac.installation", "write", self.installation.ids, {flag: True})
        ban = self.env.ref("hvac_connect.servicing_ban_13_3_any")
        self.refused(self.technician, "hvac.servicing.ban", "write", ban.ids, {"active": False})

    def test_validation_refused_on_the_server(self):
        fiche = self.make_intervention(self.installation, technician_id=self.apprentice.id, nature="maintenance")
        fault = self.refused(self.apprentice, "hvac.intervention", "action_done", fiche.ids)
        self.assertIn("Lucas Bernard has no attestation d'aptitude on record", fault)
        self.assertEqual(fiche.state, "draft")

    def test_detector_check_date_cannot_be_made_up(self):
        fiche = self.make_intervention(
            self.installation, technician_id=self.technician.id, date=DAY, nature="periodic_check"
        )
        self.assertEqual(fiche.detector_id, self.detector)
        self.call(self.technician, "hvac.intervention", "write", fiche.ids, {"detector_check_date": "2026-11-30"})
        fault = self.refused(self.technician, "hvac.intervention", "action_done", fiche.ids)
        self.assertIn("was last checked on 10/05/2026, not on 11/30/2026", fault)
