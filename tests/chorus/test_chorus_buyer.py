from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..chorus_common import BUYER_ADDRESS, ChorusCase


@tagged("post_install", "-at_install")
class TestChorusBuyer(ChorusCase):
    def test_lookup_fills_the_address_chorus_has(self):
        # The buyer was entered with a name and a SIRET only (ChorusCase), as users do.
        self.assertRecordValues(
            self.buyer,
            [
                {
                    "street": BUYER_ADDRESS["adresse"],
                    "zip": "69001",
                    "city": "Lyon",
                    "country_id": self.env.ref("base.fr").id,
                }
            ],
        )
        self.assertIsNone(self.buyer._hvac_postal_address_problem())
        self.buyer.write({"street": "Hôtel de Ville, service facturation", "zip": "69205"})
        self.buyer.with_user(self.chorus_user).action_hvac_chorus_lookup()
        self.assertEqual(
            (self.buyer.street, self.buyer.zip),
            ("Hôtel de Ville, service facturation", "69205"),
            "what the user entered stays",
        )

    def test_lookup_keeps_structure_flags_and_every_service(self):
        services = [(f"S{n:03d}", f"Service {n}", n % 3 == 0) for n in range(230)] + [
            ("FACTURES_PUBLIQUES", "Réservé", False)
        ]
        self.fake.add_structure(
            "21380185500015",
            "Département de l'Isère",
            service_required=True,
            engagement_required=True,
            no_payment_status=True,
            services=services,
        )
        partner = self.env["res.partner"].create(
            {"name": "Département de l'Isère", "is_company": True, "siret": "21380185500015"}
        )
        partner.with_user(self.chorus_user).action_hvac_chorus_lookup()
        self.assertRecordValues(
            partner,
            [
                {
                    "hvac_chorus_required": "service_and_engagement",
                    "hvac_chorus_payment_not_reported": True,
                    "hvac_chorus_not_found": False,
                }
            ],
        )
        self.assertTrue(partner.hvac_chorus_structure_id)
        self.assertEqual(
            len(partner.hvac_chorus_service_ids), 230, "every page, without the reserved FACTURES_PUBLIQUES"
        )
        self.assertEqual(len(partner.hvac_chorus_service_ids.filtered("engagement_required")), 77)
        pages = [
            b
            for b in self.fake.calls_to("/cpro/structures/v1/rechercher/services")
            if b["idStructure"] == partner.hvac_chorus_structure_id
        ]
        self.assertEqual(len(pages), 3, "services read in pages of 100")
        self.fake.structures["21380185500015"]["services"] = self.fake.structures["21380185500015"]["services"][:10]
        self.env["res.partner"]._cron_hvac_chorus_refresh()
        self.assertEqual(len(partner.hvac_chorus_service_ids), 10, "services gone from Chorus are archived")

    def test_not_a_chorus_structure_is_said_plainly(self):
        partner = self.env["res.partner"].create({"name": "SARL Privée", "is_company": True, "siret": "44306184100047"})
        partner.with_user(self.chorus_user).action_hvac_chorus_lookup()
        self.assertTrue(partner.hvac_chorus_not_found)
        invoice = self.make_invoice(partner=partner)
        self.assertIn("not known on Chorus Pro", "\n".join(invoice._hvac_chorus_problems()))

    def test_missing_siret(self):
        partner = self.env["res.partner"].create({"name": "Sans SIRET", "is_company": True})
        with self.assertRaisesRegex(UserError, "has no SIRET"):
            partner.with_user(self.chorus_user).action_hvac_chorus_lookup()

    def test_only_chorus_users_look_up(self):
        partner = self.env["res.partner"].create(
            {"name": "Département de l'Isère", "is_company": True, "siret": "21380185500015"}
        )
        clerk = new_test_user(
            self.env, "clerk", groups="base.group_user,account.group_account_invoice", company_id=self.company.id
        )
        calls = len(self.fake.calls)
        with self.assertRaisesRegex(AccessError, "Chorus Pro: Send invoices"):
            partner.with_user(clerk).action_hvac_chorus_lookup()
        self.assertEqual(len(self.fake.calls), calls, "the company's credentials were not used")
