from datetime import date

from odoo.tests import Form, HttpCase, tagged

from ..common import HvacConnectCase


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
        composer = Form(self.env["mail.compose.message"].with_user(self.technician).with_context(**action["context"]))
        self.assertIn("Registre de l'installation", composer.subject)
        composer.save().action_send_mail()
        message = self.installation.message_ids[0]
        self.assertIn(self.customer, message.partner_ids)
        self.assertEqual(len(message.attachment_ids), 1)
        # Outside force_report_rendering, tests render reports as HTML: the content is the register.
        self.assertIn("Registre Groupe froid cuisine", message.attachment_ids.name)
        self.assertIn(b"Raccord flare", message.attachment_ids.raw)
