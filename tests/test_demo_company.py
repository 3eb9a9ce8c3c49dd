import re
from pathlib import Path

from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.convert import convert_file

DEMO = Path(__file__).parent.parent / "demo" / "hvac_company_demo.xml"


def luhn_ok(number):
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def iban_ok(iban):
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


@tagged("post_install", "-at_install")
class TestDemoCompany(TransactionCase):
    """The demo company is a French contractor whose numbers pass the checks of each service."""

    def _demo_values(self):
        values = {}
        for record in etree.parse(str(DEMO)).iter("record"):
            for field in record.iter("field"):
                values[(record.get("id"), field.get("name"))] = field.text
        return values

    def test_company_numbers_are_valid(self):
        values = self._demo_values()
        # Set by a function call: beside OCA's l10n_fr_siret, the company's SIRET is SIREN + NIC.
        call = next(f for f in etree.parse(str(DEMO)).iter("function") if f.get("name") == "_hvac_demo_siret")
        siret = re.search(r"'(\d{14})'", call.get("eval")).group(1)
        self.assertTrue(luhn_ok(siret) and luhn_ok(siret[:9]), siret)
        vat = values[("base.main_company", "vat")]
        siren = int(siret[:9])
        self.assertEqual(vat, f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siren}")
        self.assertTrue(iban_ok(values[("demo_company_bank", "acc_number")]))
        buyer = values[("demo_customer_metropole", "siret")]
        self.assertTrue(buyer.startswith("2") and luhn_ok(buyer), "a public buyer for Chorus Pro")
        self.assertTrue(values[("base.main_company", "hvac_capacity_number")])

    def test_demo_company_moves_to_euros_only_without_journal_items(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        company = self.env["res.company"].create({"name": "Froid Rhône Services", "currency_id": usd.id})
        self.env["res.company"]._hvac_demo_french(company.ids)
        self.assertEqual(company.currency_id, self.env.ref("base.EUR"))


@tagged("post_install", "-at_install")
class TestDemoCompanyFlows(TransactionCase):
    """The demo data loaded as on a demo database: a French company whose flows stop only where
    the network is needed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The test database has no demo data: base's demo user, which the demo files name, is made here.
        if not cls.env.ref("base.user_demo", raise_if_not_found=False):
            user = new_test_user(cls.env, "demo", groups="base.group_user", name="Demo User")
            cls.env["ir.model.data"].create(
                [
                    {"module": "base", "name": "user_demo", "model": "res.users", "res_id": user.id},
                    {"module": "base", "name": "partner_demo", "model": "res.partner", "res_id": user.partner_id.id},
                ]
            )
        # Base's demo portal contact, which the demo files make a holder's contact.
        if not cls.env.ref("base.partner_demo_portal", raise_if_not_found=False):
            portal = cls.env["res.partner"].create({"name": "Joel Willis", "company_name": "YourCompany"})
            cls.env["ir.model.data"].create(
                {"module": "base", "name": "partner_demo_portal", "model": "res.partner", "res_id": portal.id}
            )
        # On install the registry is not ready yet and the demo fiches carry their state: the same here.
        with cls.env["hvac.intervention"]._hvac_protected():
            for name in get_manifest("hvac_connect")["demo"]:
                convert_file(cls.env, "hvac_connect", name, {}, mode="init", kind="demo")
        cls.company = cls.env.ref("base.main_company")

    def test_company_in_euros_a4_with_the_french_chart(self):
        self.assertEqual(self.company.currency_id, self.env.ref("base.EUR"))
        self.assertEqual(self.company.paperformat_id.format, "A4")
        self.assertEqual(self.company.chart_template, "fr")
        receivable = self.env["account.account"].search(
            [("company_ids", "in", self.company.id), ("account_type", "=", "asset_receivable")]
        )
        self.assertIn("411100", receivable.mapped("code"), "the plan comptable général's customer account")

    def test_demo_invoices_in_euros_to_french_customers(self):
        invoices = self.env["account.move"].search(
            [("company_id", "=", self.company.id), ("move_type", "=", "out_invoice")]
        )
        self.assertGreaterEqual(len(invoices), 2)
        for invoice in invoices:
            self.assertEqual(invoice.currency_id.name, "EUR", invoice.name)
            self.assertEqual(invoice.commercial_partner_id.country_id.code, "FR", invoice.name)
            self.assertEqual(invoice.invoice_line_ids.tax_ids.mapped("amount"), [20.0], "French VAT at 20 %")

    def test_public_buyer_and_trackdechets_contact(self):
        buyer = self.env.ref("hvac_connect.demo_customer_metropole")
        self.assertTrue(buyer.siret.startswith("2") and luhn_ok(buyer.siret))
        self.assertFalse(buyer._hvac_siret_error())
        technician = self.env.ref("base.user_demo")
        self.assertTrue(technician.has_group("hvac_connect.group_hvac_user"))
        self.assertEqual(technician.with_company(self.company)._hvac_contact_problems(), [])

    def test_chorus_stops_only_at_the_network(self):
        """The posted demo invoice to the public buyer: only the connection (credentials and
        network) and the buyer's structure (a lookup on Chorus Pro) are missing."""
        invoice = self.env.ref("hvac_connect.demo_invoice_metropole")
        self.assertEqual(invoice.state, "posted")
        _ = self.env._
        network_only = {
            _("The Chorus Pro connection does not work: test it in Chorus Pro › Connection."),
            _(
                "The customer %s is not known on Chorus Pro: use “Rechercher sur Chorus Pro” on the customer.",
                invoice.commercial_partner_id.name,
            ),
        }
        self.assertEqual(set(invoice._hvac_chorus_problems()), network_only)

    def test_done_demo_fiches_stand_as_the_cerfa(self):
        """Every done demo fiche passes the module's own validation: signed, its detector checked,
        recovered fluid in a recovery container and sent to a treatment centre."""
        done = self.env["hvac.intervention"].search([("name", "=like", "FI/DEMO/%"), ("state", "=", "done")])
        self.assertGreaterEqual(len(done), 20)
        for fiche in done:
            self.assertEqual(fiche._cerfa_problems(), [], fiche.name)
            self.assertTrue(fiche.operator_signature and fiche.operator_signed_on, fiche.name)
            self.assertEqual(fiche.operator_signatory, "Julien Moreau")
        recovering = done.filtered("recovered_total_kg")
        self.assertGreaterEqual(len(recovering), 6)
        for fiche in recovering:
            self.assertEqual(fiche.container_move_ids.mapped("direction"), ["fill"], fiche.name)
            self.assertEqual(fiche.container_move_ids.container_id.state, "recovered", fiche.name)

    def test_demo_bsff_stops_only_at_the_network(self):
        """A BSFF the demo technician makes from the demo fiches that recovered R-410A: nothing is
        missing before sending it to Trackdéchets."""
        technician = self.env.ref("base.user_demo")
        fiches = self.env["hvac.intervention"].search(
            [
                ("name", "=like", "FI/DEMO/%"),
                ("state", "=", "done"),
                ("recovered_total_kg", ">", 0),
                ("refrigerant_id", "=", self.env.ref("hvac_connect.refrigerant_r_410a").id),
            ]
        )
        self.assertTrue(fiches)
        wizard = (
            self.env["hvac.intervention.bsff.create"]
            .with_user(technician)
            .create(
                {
                    "intervention_ids": [(6, 0, fiches.ids)],
                    "destination_partner_id": self.env.ref("hvac_connect.demo_td_destination").id,
                    "transporter_partner_id": self.env.ref("hvac_connect.demo_td_transporter").id,
                }
            )
        )
        bsff = self.env["hvac.bsff"].browse(wizard.action_create()["res_id"])
        self.assertAlmostEqual(bsff.weight_kg, sum(fiches.mapped("recovered_total_kg")))
        self.assertEqual(bsff._missing_fields(), [])

    def test_a_believable_french_company(self):
        """Its own administrator, logo and document layout; its technician plans the checks."""
        admin = self.env.ref("base.user_admin")
        self.assertEqual(admin.name, "Sophie Garnier")
        self.assertEqual(admin.partner_id.country_id.code, "FR")
        self.assertTrue(self.company.logo)
        self.assertNotEqual(self.company.logo, self.env["res.company"]._get_logo(), "not Odoo's 'Your logo'")
        self.assertEqual(self.company.external_report_layout_id, self.env.ref("web.external_layout_standard"))
        technician = self.env.ref("base.user_demo")
        installations = self.env["hvac.installation"].search([("company_id", "=", self.company.id)])
        self.assertGreaterEqual(len(installations), 20)
        self.assertEqual(installations.technician_id, technician)
        self.env["hvac.installation"]._cron_plan_leak_checks()
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "hvac.installation"), ("res_id", "in", installations.ids)]
        )
        self.assertTrue(activities)
        self.assertEqual(activities.user_id, technician, "the daily job's activities are his")
        portal = self.env.ref("base.partner_demo_portal")
        self.assertEqual(portal.commercial_partner_id, self.env.ref("hvac_connect.demo_customer_super"))

    def test_no_demo_fiche_waits_for_a_signature_nobody_asked(self):
        fiches = self.env["hvac.intervention"].search([("name", "=like", "FI/DEMO/%")])
        self.assertTrue(fiches)
        self.assertFalse(fiches.filtered("holder_signature_pending"))
