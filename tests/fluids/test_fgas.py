from odoo.tests import BaseCase, tagged

from odoo.addons.hvac_connect.models.fluids.fgas import Charge, leak_check_period


def period(kg, gwp=1000.0, family="hfc", annex2=0.0, **kw):
    return leak_check_period(Charge(charge_kg=kg, family=family, annex1_gwp=gwp, annex2_fraction=annex2, **kw))


@tagged("at_install")
class TestFgasRules(BaseCase):
    """Regulation (EU) 2024/573 Art. 5 thresholds, at and around each limit (GWP 1000: kg = t CO2e)."""

    def test_annex1_thresholds(self):
        cases = [(4.99, 0), (5.0, 12), (49.99, 12), (50.0, 6), (499.99, 6), (500.0, 3), (5000.0, 3)]
        for kg, months in cases:
            with self.subTest(t_co2e=kg):
                self.assertEqual(period(kg), months)

    def test_leak_detection_doubles_the_period(self):
        cases = [(4.99, 0), (5.0, 24), (50.0, 12), (500.0, 6)]
        for kg, months in cases:
            with self.subTest(t_co2e=kg):
                self.assertEqual(period(kg, leak_detection=True), months)

    def test_hermetic_exemption_under_10_t(self):
        self.assertEqual(period(9.99, hermetic=True), 0)
        self.assertEqual(period(10.0, hermetic=True), 12)
        self.assertEqual(period(9.99), 12, "the exemption is for hermetic systems only")

    def test_hfo_kg_thresholds(self):
        cases = [(0.99, 0), (1.0, 12), (9.99, 12), (10.0, 6), (100.0, 3)]
        for kg, months in cases:
            with self.subTest(kg=kg):
                self.assertEqual(period(kg, gwp=0.0, family="hfo", annex2=1.0), months)
        self.assertEqual(period(1.99, gwp=0.0, family="hfo", annex2=1.0, hermetic=True), 0)
        self.assertEqual(period(2.0, gwp=0.0, family="hfo", annex2=1.0, hermetic=True), 12)

    def test_hfc_hfo_blend_strictest_basis_wins(self):
        # R-513A-like: 629.5 GWP, 56 % HFO. 12 kg -> 7.55 t (12 months) but 6.7 kg HFO (12 months);
        # 20 kg -> 12.6 t (12 months) but 11.2 kg HFO (6 months).
        self.assertEqual(period(12.0, gwp=629.5, family="hfc_hfo", annex2=0.56), 12)
        self.assertEqual(period(20.0, gwp=629.5, family="hfc_hfo", annex2=0.56), 6)

    def test_hcfc_kg_thresholds(self):
        cases = [(1.99, 0), (2.0, 12), (30.0, 6), (300.0, 3)]
        for kg, months in cases:
            with self.subTest(kg=kg):
                self.assertEqual(period(kg, gwp=0.0, family="hcfc"), months)

    def test_natural_fluid_needs_no_check(self):
        self.assertEqual(period(500.0, gwp=0.0, family="natural"), 0)
