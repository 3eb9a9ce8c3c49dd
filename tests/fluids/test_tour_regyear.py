import subprocess
from datetime import date, timedelta
from unittest.mock import patch

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
        self.assertLess(self.late.next_leak_check_date, date.today() - timedelta(days=31), "overdue months ago")
        # Through the menu, as a technician opens it: the menu computes where the calendar opens.
        menu = self.env.ref("hvac_connect.menu_hvac_leak_planning")
        self.start_tour(f"/odoo/{menu.action.path}", "hvac_connect_leak_planning_tour", login=self.technician.login)

    def test_fluid_balance_computed_from_the_form(self):
        """As the administrator, whose company never chose a document layout: the first print goes
        straight to the PDF, whose year reads 2025."""
        self.env.company.external_report_layout_id = False
        report_model = type(self.env["ir.actions.report"])
        rendered = []
        original = report_model._render_qweb_pdf

        def render_and_keep(report, report_ref, res_ids=None, data=None):
            report = report.with_context(force_report_rendering=True)
            pdf, kind = original(report, report_ref, res_ids=res_ids, data=data)
            rendered.append(pdf)
            return pdf, kind

        with patch.object(report_model, "_render_qweb_pdf", render_and_keep):
            self.start_tour(
                "/odoo/action-hvac_connect.hvac_fluid_balance_action",
                "hvac_connect_fluid_balance_tour",
                login="admin",
                timeout=300,  # wkhtmltopdf on a loaded machine
            )
        balance = self.env["hvac.fluid.balance"].search([("year", "=", 2025)])
        self.assertEqual(len(balance), 1)
        line = balance.line_ids.filtered(lambda line: line.refrigerant_id == self.fluid)
        self.assertAlmostEqual(line.charged_virgin_kg, 1.5)
        self.assertEqual(len(rendered), 1)
        text = " ".join(
            subprocess.run(["pdftotext", "-", "-"], input=rendered[0], capture_output=True, check=True, timeout=60)
            .stdout.decode()
            .split()
        )
        self.assertIn("Bilan annuel des fluides frigorigènes – année 2025", text)
