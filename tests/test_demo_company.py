from pathlib import Path

from lxml import etree

from odoo.tests import TransactionCase, tagged

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
        siret = values[("base.main_company", "siret")]
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
