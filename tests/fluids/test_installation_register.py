import json
import re
import subprocess
from datetime import date
from unittest.mock import patch
from urllib.parse import quote

from odoo.tests import Form, HttpCase, tagged

from ..common import HvacConnectCase


def web_client_report_url(action):
    """The URL Odoo 18's web client builds for a report action (getReportUrl in
    web/static/src/webclient/actions/reports/utils.js): with ``data``, no record ids in the path."""
    url = f"/report/pdf/{action['report_name']}"
    context = action.get("context") or {}
    if action.get("data") and json.dumps(action["data"]) != "{}":
        url += f"?options={quote(json.dumps(action['data']))}&context={quote(json.dumps(context))}"
    elif context.get("active_ids"):
        url += "/" + ",".join(str(i) for i in context["active_ids"])
    return url


def pdf_text(pdf):
    return " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60)
        .stdout.decode()
        .split()
    )


@tagged("post_install", "-at_install")
class TestInstallationRegister(HvacConnectCase, HttpCase):
    """An HttpCase: wkhtmltopdf fetches the report's assets from the running test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "technique@clinique-du-parc.fr"
        cls.bottle = cls.env["hvac.container"].create(
            {"name": "BR-410-07", "refrigerant_id": cls.fluid.id, "capacity_kg": 10.0, "state": "recovered"}
        )
        cls.installation = cls.make_installation(
            name="Groupe froid cuisine", serial_number="GF-2291", commissioning_date=date(2021, 4, 1)
        )
        cls.old = cls.make_intervention(
            cls.installation, date=date(2019, 5, 2), nature="maintenance", charged_virgin_kg=9.9
        )
        cls.old.action_done()
        cls.check = cls.make_intervention(
            cls.installation,
            date=date.today(),
            leaks_found=True,
            leak_location_1="Raccord flare détendeur",
            leak_repair_1="done",
            charged_virgin_kg=1.25,
            recovered_treatment_kg=0.5,
            container_move_ids=[(0, 0, {"container_id": cls.bottle.id, "direction": "fill", "quantity_kg": 0.5})],
        )
        cls.check.action_done()

    def test_register_lists_the_period_and_next_due_date(self):
        report = self.env.ref("hvac_connect.action_report_hvac_installation_register")
        data = {"date_from": "2020-01-01", "date_to": date.today().isoformat()}
        html = report._render_qweb_html(report.report_name, self.installation.ids, data=data)[0].decode()
        for expected in (
            "Groupe froid cuisine",
            "GF-2291",
            self.check.name,
            "Raccord flare détendeur",
            "1.250",
            "0.500",
            self.installation.next_leak_check_date.strftime("%d/%m/%Y"),
        ):
            self.assertIn(expected, html)
        self.assertNotIn(self.old.name, html, "a fiche before the period")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, self.installation.ids, data=data
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_send_register_from_the_form(self):
        self.authenticate("hvac_tech", "hvac_tech")
        action = self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {
                "model": "hvac.installation",
                "method": "action_send_register",
                "args": [self.installation.ids],
                "kwargs": {},
            },
        )
        self.assertEqual(action["name"], "Send the register to the holder", "the window is named, not 'Odoo'")
        composer = Form(self.env["mail.compose.message"].with_user(self.technician).with_context(**action["context"]))
        self.assertIn("Registre de l'installation", composer.subject)
        composer.save().action_send_mail()
        message = self.installation.message_ids[0]
        self.assertIn(self.customer, message.partner_ids)
        self.assertEqual(len(message.attachment_ids), 1)
        # Outside force_report_rendering, tests render reports as HTML: the content is the register.
        self.assertIn("Registre Groupe froid cuisine", message.attachment_ids.name)
        self.assertIn(b"Raccord flare", message.attachment_ids.raw)

    def _download_as_web_client(self, action):
        """POST /report/download as downloadReport() does, the action's context in the user's."""
        page = self.url_open("/odoo").text
        csrf = re.search(r'csrf_token: "([^"]+)"', page).group(1)
        url = web_client_report_url(action)
        response = self.url_open(
            "/report/download",
            data={
                "data": json.dumps([url, action["report_type"]]),
                "context": json.dumps({"lang": "en_US", **(action.get("context") or {})}),
                "token": "dummy",
                "csrf_token": csrf,
            },
            timeout=180,  # wkhtmltopdf on a loaded machine
        )
        response.raise_for_status()
        return url, response

    def _button(self, method, context):
        return self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {
                "model": "hvac.installation",
                "method": method,
                "args": [self.installation.ids],
                "kwargs": {"context": context},
            },
        )

    # Over HTTP outside a browser tour, tests render reports as HTML (wkhtmltopdf would wait on the
    # test cursor the download request holds): the document's content is what is checked here, the
    # PDF itself by the tour below.
    def test_register_for_a_period_fetched_as_the_web_client_does(self):
        """A period travels in the action's ``data``: the web client then puts no ids in the URL."""
        self.authenticate("hvac_tech", "hvac_tech")
        action = self._button("action_print_register", {"date_from": "2019-01-01"})
        self.assertEqual(action["type"], "ir.actions.report", "no document-layout dialog on the way")
        url, response = self._download_as_web_client(action)
        self.assertNotRegex(url.split("?")[0], r"/\d+$", "the web client's URL carries no ids")
        document = response.content.decode()
        for expected in ("Groupe froid cuisine", "GF-2291", self.old.name, self.check.name, "Raccord flare détendeur"):
            self.assertIn(expected, document)

    def test_register_of_the_last_five_years_fetched_as_the_web_client_does(self):
        self.authenticate("hvac_tech", "hvac_tech")
        action = self._button("action_print_register", {})
        url, response = self._download_as_web_client(action)
        self.assertTrue(url.endswith(f"/{self.installation.id}"))
        self.assertIn("Registre Groupe froid cuisine", response.headers["Content-Disposition"].replace("%20", " "))
        document = response.content.decode()
        self.assertIn(self.check.name, document)
        self.assertNotIn(self.old.name, document, "a fiche of more than five years")

    def test_print_button_in_the_browser(self):
        """The form's button, clicked in the browser: the PDF the browser receives is the register."""
        report_model = type(self.env["ir.actions.report"])
        rendered = []
        original = report_model._render_qweb_pdf

        def render_and_keep(report, report_ref, res_ids=None, data=None):
            report = report.with_context(force_report_rendering=True)
            pdf, kind = original(report, report_ref, res_ids=res_ids, data=data)
            rendered.append((report._get_report(report_ref).report_name, pdf))
            return pdf, kind

        with patch.object(report_model, "_render_qweb_pdf", render_and_keep):
            self.start_tour(
                f"/odoo/action-hvac_connect.hvac_installation_action/{self.installation.id}",
                "hvac_connect_register_print_tour",
                login="hvac_tech",
                timeout=300,  # wkhtmltopdf on a loaded machine
            )
        self.assertEqual([name for name, _pdf in rendered], ["hvac_connect.report_hvac_installation_register"])
        text = pdf_text(rendered[0][1])
        for expected in ("Registre de l'installation Groupe froid cuisine", "GF-2291", self.check.name):
            self.assertIn(expected, text)
