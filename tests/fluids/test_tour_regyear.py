from datetime import date, timedelta

from odoo.tests import HttpCase, tagged

from ..common import HvacConnectCase


@tagged("post_install", "-at_install")
class TestTourRegyear(HvacConnectCase, HttpCase):
    """The planning list as a technician sees it, and the fluid balance computed by a manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.late = cls.make_installation(charge=30.0, name="Groupe froid en retard")
        cls.check = cls.make_intervention(
            cls.late,
            date=date(2025, 3, 14),
            nature="periodic_check",
            charged_virgin_kg=1.5,
        )
        cls.check.action_done()

    def test_planning_list_and_calendar(self):
        self.assertLess(self.late.next_leak_check_date, date.today() + timedelta(days=1), "overdue")
        self.start_tour(
            "/odoo/action-hvac_connect.hvac_installation_action_leak_planning",
            "hvac_connect_leak_planning_tour",
            login=self.technician.login,
        )

    def test_fluid_balance_computed_from_the_form(self):
        self.start_tour(
            "/odoo/action-hvac_connect.hvac_fluid_balance_action",
            "hvac_connect_fluid_balance_tour",
            login=self.manager.login,
        )
        balance = self.env["hvac.fluid.balance"].search([("year", "=", 2025)])
        self.assertEqual(len(balance), 1)
        line = balance.line_ids.filtered(lambda line: line.refrigerant_id == self.fluid)
        self.assertAlmostEqual(line.charged_virgin_kg, 1.5)
