import subprocess
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from ..common import HvacConnectCase


@tagged("post_install", "-at_install")
class TestTourFicheValidatePrint(HvacConnectCase, HttpCase):
    """A fiche refused, corrected and validated from its form, then printed from the form: the PDF
    the browser received is the fiche, in French."""

    def test_fiche_validated_from_the_form_then_printed(self):
        self.assertEqual(
            self.env["ir.actions.report"].get_wkhtmltopdf_state(),
            "ok",
            "wkhtmltopdf is missing: ./dev setup installs it",
        )
        self.env["res.lang"]._activate_lang("fr_FR")
        self.company.name = "Froid Rhône Services"
        installation = self.make_installation(charge=12.0, name="Climatiseur salle serveur", serial_number="DK-7781")
        bottle = self.env["hvac.container"].create(
            {"name": "BT-TOUR-24", "refrigerant_id": self.fluid.id, "capacity_kg": 10.0}
        )
        fiche = self.make_intervention(
            installation,
            nature="periodic_check",
            detector_reference=False,
            recovered_treatment_kg=2.4,
            container_move_ids=[
                (0, 0, {"container_id": bottle.id, "direction": "fill", "quantity_kg": 2.4}),
            ],
        )

        # The PDF rendered for the browser's download request, kept to read its text.
        report_model = type(self.env["ir.actions.report"])
        rendered = []
        original = report_model._render_qweb_pdf

        def render_and_keep(report, report_ref, res_ids=None, data=None):
            # Rendered as outside tests (where Odoo falls back to HTML): wkhtmltopdf, as in production.
            report = report.with_context(force_report_rendering=True)
            pdf, kind = original(report, report_ref, res_ids=res_ids, data=data)
            rendered.append((report._get_report(report_ref).report_name, list(res_ids or []), pdf, kind))
            return pdf, kind

        with patch.object(report_model, "_render_qweb_pdf", render_and_keep):
            self.start_tour(
                f"/odoo/action-hvac_connect.hvac_intervention_action/{fiche.id}",
                "hvac_connect_fiche_validate_print_tour",
                login=self.technician.login,
                timeout=300,  # wkhtmltopdf on a loaded machine
            )
        self.assertEqual(fiche.state, "done")
        self.assertEqual(fiche.detector_reference, "Testo 316-4 n° 61425")
        self.assertEqual(len(rendered), 1, "one PDF, for the one click on Print")
        report_name, res_ids, pdf, kind = rendered[0]
        self.assertEqual((report_name, res_ids, kind), ("hvac_connect.report_hvac_intervention", fiche.ids, "pdf"))
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
        ).stdout.decode()
        flat = " ".join(text.split())
        for expected in (
            fiche.name,
            "Froid Rhône Services",
            "Climatiseur salle serveur",
            "Testo 316-4 n° 61425",
            "BT-TOUR-24 – R-410A – fluide récupéré dans le contenant : 2,4 kg",
        ):
            self.assertIn(expected, flat)
        self.assertNotIn("2.4 kg", flat, "French decimal comma")
