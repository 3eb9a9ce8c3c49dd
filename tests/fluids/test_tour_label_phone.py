import importlib.util
import re
import subprocess
import tempfile
from pathlib import Path
from unittest.mock import patch
from urllib.parse import urlparse

import zxingcpp
from PIL import Image

from odoo.tests import HttpCase, TransactionCase, tagged

from ..common import HvacConnectCase


def read_qr_codes(pdf):
    """The texts of the QR codes on each page of ``pdf``, as a phone camera would read them."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", "200", "-png", "-", f"{folder}/page"], input=pdf, check=True, timeout=120)
        pages = sorted(Path(folder).glob("page*.png"))
        return [code.text for page in pages for code in zxingcpp.read_barcodes(Image.open(page).convert("L"))]


@tagged("post_install", "-at_install")
class TestTourLabelPhone(HvacConnectCase, HttpCase):
    """A label printed from a phone, its QR code read back from the PDF, then opened by a
    technician (the installation in Odoo) and by a stranger (the label's public page)."""

    browser_size = "390x844"

    def test_label_printed_and_its_qr_code_opened(self):
        self.assertEqual(
            self.env["ir.actions.report"].get_wkhtmltopdf_state(), "ok", "./dev setup installs wkhtmltopdf"
        )
        installation = self.make_installation(
            charge=7.5,
            fluid=self.env.ref("hvac_connect.refrigerant_r_404a"),
            name="Chambre froide n° 2",
            serial_number="CF-2208-B",
            category="refrigeration",
        )
        report_model = type(self.env["ir.actions.report"])
        rendered = []
        original = report_model._render_qweb_pdf

        def render_and_keep(report, report_ref, res_ids=None, data=None):
            # Rendered as outside tests (where Odoo falls back to HTML): wkhtmltopdf, as in production.
            report = report.with_context(force_report_rendering=True)
            pdf, kind = original(report, report_ref, res_ids=res_ids, data=data)
            rendered.append((report._get_report(report_ref).report_name, list(res_ids or []), pdf, data))
            return pdf, kind

        with patch.object(report_model, "_render_qweb_pdf", render_and_keep):
            self.start_tour(
                f"/odoo/action-hvac_connect.hvac_installation_action/{installation.id}",
                "hvac_connect_label_print_tour",
                login=self.technician.login,
            )
        self.assertEqual(len(rendered), 1, "one PDF, for the one click on Print")
        report_name, _res_ids, pdf, data = rendered[0]
        self.assertEqual(report_name, "hvac_connect.report_hvac_label")
        # From the wizard the records travel in the request's context, the sheet's options in data.
        self.assertEqual((data["label_format"], data["skip"]), ("L7163", 0))
        text = " ".join(
            subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60)
            .stdout.decode()
            .split()
        )
        for expected in ("Chambre froide n° 2", "CF-2208-B", "R-404A", "7.50 kg", "29.41"):
            self.assertIn(expected, text)
        self.assertNotIn("Clinique du Parc", text, "the holder's name is not on the label")

        codes = read_qr_codes(pdf)
        self.assertEqual(codes, [installation._label_url()])
        path = urlparse(codes[0]).path
        self.assertEqual(path, f"/hvac/i/{installation.public_token}")

        self.start_tour(path, "hvac_connect_label_staff_tour", login=self.technician.login)
        self.start_tour(path, "hvac_connect_label_public_tour", login=None)
        self.assertNotIn("Clinique du Parc", self.url_open(path).text, "a stranger does not learn who holds it")

    def test_container_label_and_other_formats(self):
        cylinder = self.env["hvac.container"].create(
            {"name": "BT-REC-0917", "refrigerant_id": self.fluid.id, "capacity_kg": 12.0, "initial_weight_kg": 4.0}
        )
        installations = self.make_installation(name="Toiture 1") | self.make_installation(name="Toiture 2")
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, _kind = report._render_qweb_pdf(
            "hvac_connect.action_report_hvac_installation_label",
            installations.ids,
            data={"label_format": "L7160", "skip": 4},
        )
        self.assertEqual(sorted(read_qr_codes(pdf)), sorted(i._label_url() for i in installations))
        self.assertNotEqual(installations[0].public_token, installations[1].public_token)
        pdf, _kind = report._render_qweb_pdf("hvac_connect.action_report_hvac_container_label", cylinder.ids)
        self.assertEqual(read_qr_codes(pdf), [cylinder._label_url()])
        page = self.url_open(urlparse(cylinder._label_url()).path).text
        self.assertIn("BT-REC-0917", page)
        self.assertIn("4.00 kg", page)
        self.assertEqual(self.url_open("/hvac/c/0123456789abcdef0123456789abcdef").status_code, 404)
        self.assertEqual(self.url_open("/hvac/i/not-a-token").status_code, 404)


@tagged("post_install", "-at_install")
class TestContainerTokenMigration(TransactionCase):
    """Containers made before 18.0.2.0.0 get a token each (one default for all would break uniqueness)."""

    def test_pre_migration_gives_each_container_its_token(self):
        containers = self.env["hvac.container"].create(
            [{"name": f"BT-ANCIENNE-{n}", "capacity_kg": 10.0} for n in range(3)]
        )
        self.env.cr.execute("UPDATE hvac_container SET public_token = NULL WHERE id IN %s", [tuple(containers.ids)])
        path = Path(__file__).resolve().parents[2] / "migrations" / "18.0.2.0.0" / "pre-container-public-token.py"
        spec = importlib.util.spec_from_file_location("pre_container_public_token", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "18.0.1.0.0")
        containers.invalidate_recordset(["public_token"])
        tokens = containers.mapped("public_token")
        self.assertEqual(len(set(tokens)), 3)
        self.assertTrue(all(re.fullmatch(r"[0-9a-f]{32}", token) for token in tokens), tokens)
