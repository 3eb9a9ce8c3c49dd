"""Set-up shared by the Chorus Pro tests: the fake PISTE/Chorus, our company, a public buyer."""

import unittest
from unittest.mock import patch

from odoo.tests import new_test_user
from odoo.tools import config

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .chorus_fake import SWAGGER_DIR, FakeChorus, swagger_available
from .common import set_siret

OUR_SIRET = "85200000900013"
OUR_VAT = "FR84852000009"
BUYER_SIRET = "21690123100011"
# Where Chorus Pro places the buyer's seat (consulter: adressePostaleDuSiege).
BUYER_ADDRESS = {"adresse": "1 place de la Comédie", "codePostal": "69001", "ville": "Lyon", "pays": "FR"}


def start_fake_chorus(case_class):
    if not swagger_available():
        raise unittest.SkipTest(
            f"Chorus Pro Swagger files not found in {SWAGGER_DIR} (../shared/reference/chorus_pro, or what ./dev setup fetches)"
        )
    fake = FakeChorus().start()
    case_class.addClassCleanup(fake.stop)
    return fake


def core_makes_facturx():
    """Core's invoice sending embeds the Factur-X XML in the PDF except on a server started
    with --test-enable (it leaves a plain PDF): the flow tests run core's real path."""
    return patch.dict(config.options, {"test_enable": False})


def point_odoo_at(env, fake):
    params = env["ir.config_parameter"].sudo()
    params.set_param("hvac_connect.chorus_token_url", f"{fake.url}/api/oauth/token")
    params.set_param("hvac_connect.chorus_api_url", fake.url)


class ChorusCase(AccountTestInvoicingCommon):
    """A French company (French chart and VAT, address, VAT number) invoicing a public buyer
    entered with a name and a SIRET only, as users do: the Chorus Pro lookup completes it."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = start_fake_chorus(cls)
        point_odoo_at(cls.env, cls.fake)
        cls.company = cls.env.company
        cls.company.write(
            {
                "street": "12 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "vat": OUR_VAT,
                "phone": "+33 4 72 00 00 00",
                "email": "facturation@froid-lyonnais.fr",
            }
        )
        set_siret(cls.company, OUR_SIRET)
        cls.iban = cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR7630006000011234567890189",
                "partner_id": cls.company.partner_id.id,
                "allow_out_payment": True,
            }
        )
        cls.chorus_manager = new_test_user(
            cls.env,
            "chorus_admin",
            groups="base.group_user,account.group_account_manager,hvac_connect.group_chorus_manager",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.chorus_user = new_test_user(
            cls.env,
            "chorus_sender",
            groups="base.group_user,hvac_connect.group_chorus_user",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.company.with_user(cls.chorus_manager).write(
            {
                "hvac_chorus_environment": "qualification",
                "hvac_chorus_piste_client_id": "piste-id",
                "hvac_chorus_piste_client_secret": "piste-secret",
                "hvac_chorus_login": "TECH_hvac@cpro.fr",
                "hvac_chorus_password": "Pass-1234",
            }
        )
        cls.company.with_user(cls.chorus_manager).action_hvac_chorus_test_connection()
        cls.buyer = cls.env["res.partner"].create({"name": "Mairie de Lyon", "is_company": True, "siret": BUYER_SIRET})
        cls.fake.add_structure(
            BUYER_SIRET,
            "Mairie de Lyon",
            services=[("SERV-TECH", "Services techniques", False), ("SERV-EJ", "Achats", True)],
            address=BUYER_ADDRESS,
        )
        cls.buyer.with_user(cls.chorus_user).action_hvac_chorus_lookup()
        cls.fake.snapshot()

    def setUp(self):
        super().setUp()
        self.addCleanup(self.fake.restore)

    def make_invoice(self, partner=None, amount=1000.0, **vals):
        invoice = self.init_invoice(
            "out_invoice", partner=partner or self.buyer, amounts=[amount], taxes=self.tax_sale_a, post=False
        )
        invoice.write(dict({"partner_bank_id": self.iban.id}, **vals))
        invoice.action_post()
        return invoice

    def send(self, invoice, user=None, **values):
        wizard = (
            self.env["hvac.chorus.send"]
            .with_user(user or self.chorus_user)
            .with_context(default_move_id=invoice.id)
            .create(values)
        )
        for _step in range(3):
            wizard.action_next()
        wizard.action_send()
        return wizard

    def tearDown(self):
        self.assertEqual(self.fake.violations, [], "every request and answer must match the official Swagger")
        super().tearDown()
