import subprocess

from odoo.tests import HttpCase, tagged

from ..common import HvacConnectCase


@tagged("post_install", "-at_install")
class TestInterventionReport(HvacConnectCase, HttpCase):
    """An HttpCase: wkhtmltopdf fetches the report's assets from the running test server."""

    def test_fiche_pdf_contains_installation_and_quantities(self):
        self.assertEqual(
            self.env["ir.actions.report"].get_wkhtmltopdf_state(),
            "ok",
            "wkhtmltopdf is missing: ./dev setup installs it",
        )
        installation = self.make_installation(charge=12.0, name="Groupe froid Clinique", serial_number="SN-4242")
        bottle = self.env["hvac.container"].create(
            {"name": "BT-REPORT-1", "refrigerant_id": self.fluid.id, "capacity_kg": 10.0}
        )
        fiche = self.make_intervention(
            installation,
            recovered_treatment_kg=3.25,
            charged_virgin_kg=1.5,
            container_move_ids=[
                (0, 0, {"container_id": bottle.id, "direction": "fill", "quantity_kg": 3.25}),
            ],
        )
        fiche.action_done()
        report = self.env.ref("hvac_connect.action_report_hvac_intervention")
        html = report._render_qweb_html(report.report_name, fiche.ids)[0].decode()
        self.assertIn("Groupe froid Clinique", html)
        self.assertIn("Fiche d'intervention", html)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(report.report_name, fiche.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60).stdout.decode()
        self.assertRegex(info, r"Pages:\s+1\b")
        for expected in ("Groupe froid Clinique", "SN-4242", "R-410A", "3.25", "1.5", fiche.name):
            self.assertIn(expected, html)

    def test_printed_fiche_in_french_with_its_cerfa_boxes(self):
        """The PDF's own text (pdftotext): French numbers, cadre 7's band, cadre 11's containers
        with fluid and direction, cadre 12's UN choice, no dangling "contrôlé le"."""
        self.env["res.lang"]._activate_lang("fr_FR")
        installation = self.make_installation(charge=30.0, name="Groupe froid Bloc B")  # 62,6 t éq. CO2: 50-500 band
        bottle = self.env["hvac.container"].create(
            {"name": "BT-PDF-7", "refrigerant_id": self.fluid.id, "capacity_kg": 10.0}
        )
        fiche = self.make_intervention(
            installation,
            recovered_treatment_kg=2.4,
            detector_check_date=False,
            container_move_ids=[
                (0, 0, {"container_id": bottle.id, "direction": "fill", "quantity_kg": 2.4}),
            ],
        )
        report = self.env.ref("hvac_connect.action_report_hvac_intervention")
        html = report._render_qweb_html(report.report_name, fiche.ids)[0].decode()
        self.assertIn("2,4", html)
        self.assertNotIn("contrôlé le", html, "no label without its date")
        self.assertIn("DejaVu Sans", html)
        pdf, _kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(report.report_name, fiche.ids)
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
        ).stdout.decode()
        if not text.strip():
            self.skipTest("this wkhtmltopdf writes no text layer: the HTML above was checked instead")
        flat = " ".join(text.split())
        for expected in (
            "Groupe froid Bloc B",
            "2,4",
            "☒ HFC/PFC ≥ 50 t éq. CO2",
            "☒ 6 mois",
            "BT-PDF-7 – R-410A – fluide récupéré dans le contenant : 2,4 kg",
            "☒ UN 1078",
        ):
            self.assertIn(expected, flat)
