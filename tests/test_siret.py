from odoo.exceptions import UserError
from odoo.tests import BaseCase, tagged

from odoo.addons.hvac_connect.clients.trackdechets import TrackdechetsClient, TrackdechetsError
from odoo.addons.hvac_connect.models.common.siret import siret_is_valid, siret_problem

from .chorus_common import ChorusCase
from .trackdechets_common import OUR_SIRET, TrackdechetsCase, start_fake

# 44306184100047 with its last digit changed: 14 digits, wrong key.
BAD_KEY_SIRET = "44306184100048"


def force_siret(partner, siret):
    """A SIRET typed before its key was checked: OCA's l10n_fr_siret, when installed, refuses
    to write it through the ORM, so it goes in the way old data would be found."""
    partner.env.flush_all()
    partner.env.cr.execute("UPDATE res_partner SET siret = %s WHERE id = %s", (siret, partner.id))
    partner.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestSiretKey(BaseCase):
    def test_luhn_key(self):
        for valid in ("73282932000074", "55208131766522", "44306184100047", "732 829 320 00074"):
            self.assertTrue(siret_is_valid(valid), valid)
        for invalid in (
            "73282932000075",
            "44306184100048",
            "4430618410004",
            "443061841000470",
            "4430618410004A",
            "",
            None,
        ):
            self.assertFalse(siret_is_valid(invalid), invalid)

    def test_the_siren_key_counts_too(self):
        # The 14 digits pass the Luhn key, the SIREN (first 9) does not: INSEE never issues it.
        self.assertFalse(siret_is_valid("12345678000006"))

    def test_la_poste_establishments_sum_to_a_multiple_of_five(self):
        self.assertTrue(siret_is_valid("35600000000048"), "the head office follows the Luhn key")
        self.assertTrue(siret_is_valid("35600000049837"), "an establishment: digits sum to 45")
        self.assertFalse(siret_is_valid("35600000049838"), "sum 46")
        self.assertFalse(siret_is_valid("35600000000049"))

    def test_problem_names_the_reason(self):
        self.assertEqual(siret_problem(False), "missing")
        self.assertEqual(siret_problem("1234"), "length")
        self.assertEqual(siret_problem(BAD_KEY_SIRET), "key")
        self.assertIsNone(siret_problem("44306184100047"))


@tagged("post_install", "-at_install")
class TestSiretFakes(BaseCase):
    """The fakes refuse a wrong key, as Trackdéchets and Chorus Pro do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = start_fake(cls)
        cls.fake.add_user("token", "a@example.com", [OUR_SIRET])

    def test_trackdechets_refuses_a_wrong_key(self):
        client = TrackdechetsClient("token", url=self.fake.url)
        with self.assertRaisesRegex(TrackdechetsError, "SIRET"):
            client.company_infos(BAD_KEY_SIRET)
        self.assertFalse(client.company_infos("44306184100047")["isRegistered"])

    def test_chorus_refuses_a_wrong_key(self):
        from .chorus_fake import FakeChorus

        fake = FakeChorus()
        answer = fake.search_structure(
            {"structure": {"identifiantStructure": BAD_KEY_SIRET, "typeIdentifiantStructure": "SIRET"}}
        )
        self.assertEqual(answer["codeRetour"], 20003)
        body = {"numeroFactureSaisi": "F1", "destinataire": {"codeDestinataire": BAD_KEY_SIRET}}
        self.assertIn("n'est pas un SIRET valide", fake.submit(body)["libelle"])


@tagged("post_install", "-at_install")
class TestSiretWarning(TrackdechetsCase):
    def test_partner_and_company_forms_warn(self):
        partner = self.env["res.partner"].create({"name": "Froid Express", "is_company": True})
        self.assertFalse(partner.hvac_siret_warning, "no SIRET yet: nothing to say")
        force_siret(partner, BAD_KEY_SIRET)
        self.assertIn("Froid Express", partner.hvac_siret_warning)
        self.assertIn("check digit", partner.hvac_siret_warning)
        force_siret(partner, "44306184100047")
        self.assertFalse(partner.hvac_siret_warning)
        self.assertFalse(self.company.hvac_siret_warning)
        force_siret(self.company.partner_id, BAD_KEY_SIRET)
        self.assertIn(self.company.partner_id.name, self.company.hvac_siret_warning)
        for model in ("res.partner", "res.company"):
            arch = self.env[model].get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertIn('name="hvac_siret_warning"', arch, model)

    def test_bsff_send_names_the_partner(self):
        bsff = self.make_bsff()
        force_siret(self.destination, BAD_KEY_SIRET)
        with self.assertRaisesRegex(
            UserError, "Destination: The SIRET 44306184100048 of Régénération Rhône is not valid"
        ):
            bsff.action_send()
        self.assertEqual(
            self.fake.requests_for("CreateBsff") + self.fake.requests_for("CreateDraftBsff"), [], "nothing sent"
        )

    def test_holder_checked_too(self):
        bsff = self.make_bsff()
        force_siret(self.customer, BAD_KEY_SIRET)
        with self.assertRaisesRegex(UserError, "Clinique du Parc is not valid"):
            bsff.action_check()

    def test_partner_check_refused_before_asking(self):
        force_siret(self.transporter, BAD_KEY_SIRET)
        with self.assertRaisesRegex(UserError, "Transports Alpes is not valid"):
            self.transporter.with_user(self.exporter).action_hvac_check_trackdechets()


@tagged("post_install", "-at_install")
class TestSiretChorus(ChorusCase):
    def test_chorus_send_names_the_buyer(self):
        invoice = self.make_invoice()
        force_siret(self.buyer, BAD_KEY_SIRET)
        self.assertIn(
            "The SIRET 44306184100048 of Mairie de Lyon is not valid", "\n".join(invoice._hvac_chorus_problems())
        )
        with self.assertRaisesRegex(UserError, "Mairie de Lyon is not valid"):
            self.send(invoice)
        self.assertEqual(self.fake.invoices, {}, "nothing deposited")
        with self.assertRaisesRegex(UserError, "Mairie de Lyon is not valid"):
            self.buyer.with_user(self.chorus_user).action_hvac_chorus_lookup()

    def test_our_own_siret_checked(self):
        invoice = self.make_invoice()
        force_siret(self.company.partner_id, BAD_KEY_SIRET)
        self.assertIn(f"of {self.company.partner_id.name} is not valid", "\n".join(invoice._hvac_chorus_problems()))
