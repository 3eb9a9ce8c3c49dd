"""Set-up shared by the tests of invoicing from fiches: a public buyer known on the fake Chorus
Pro, a school of its, the contractor's products at French prices (VAT 20 %), users by role."""

from odoo import Command
from odoo.tests import new_test_user

from .chorus_common import ChorusCase
from .common import SIGNED, HvacConnectCase

# What the contractor charges, in euros excluding VAT.
PRICES = {
    "labour": 62.0,  # per hour
    "travel": 45.0,  # per trip
    "recovery": 8.0,  # per kg of recovered fluid taken back
    "virgin": 96.0,  # per kg of R-410A
    "recycled": 78.0,
    "reclaimed": 84.0,
    "filter": 34.5,  # a filter drier
}


class BillingCase(ChorusCase):
    # A French company: euros, the French chart of accounts.
    country_code = "FR"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # The invoicing tests' own user also manages installations (sites, fluids' products).
        env.user.sudo().groups_id += env.ref("hvac_connect.group_hvac_manager")
        cls.company.write(
            {"hvac_capacity_number": "CAP-2024-0042", "hvac_capacity_category": "I"}
            | HvacConnectCase.cerfa_company_values()
        )
        cls.fluid = env.ref("hvac_connect.refrigerant_r_410a")
        cls.vat = env["account.tax"].create(
            {"name": "TVA collectée 20 %", "amount": 20.0, "type_tax_use": "sale", "company_id": cls.company.id}
        )
        hour, kg, unit = (env.ref(x) for x in ("uom.product_uom_hour", "uom.product_uom_kgm", "uom.product_uom_unit"))
        cls.products = {
            key: env["product.product"].create(
                {
                    "name": name,
                    "type": kind,
                    "uom_id": uom.id,
                    "uom_po_id": uom.id,
                    "list_price": PRICES[key],
                    "taxes_id": [Command.set(cls.vat.ids)],
                }
            )
            for key, name, kind, uom in (
                ("labour", "Main d'œuvre frigoriste", "service", hour),
                ("travel", "Forfait déplacement", "service", unit),
                ("recovery", "Reprise de fluide récupéré", "service", kg),
                ("virgin", "R-410A vierge", "consu", kg),
                ("recycled", "R-410A recyclé", "consu", kg),
                ("reclaimed", "R-410A régénéré", "consu", kg),
                ("filter", "Filtre déshydrateur 3/8", "consu", unit),
            )
        }
        cls.company.write(
            {
                "hvac_labour_product_id": cls.products["labour"].id,
                "hvac_travel_product_id": cls.products["travel"].id,
                "hvac_recovery_product_id": cls.products["recovery"].id,
            }
        )
        cls.fluid.with_company(cls.company).write(
            {
                "product_virgin_id": cls.products["virgin"].id,
                "product_recycled_id": cls.products["recycled"].id,
                "product_reclaimed_id": cls.products["reclaimed"].id,
            }
        )
        cls.technician = new_test_user(
            env,
            "bill_tech",
            name="Julien Martin",
            groups="base.group_user,hvac_connect.group_hvac_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        # The office: invoices, and sends to Chorus Pro; the accountant invoices without Chorus rights.
        cls.office = new_test_user(
            env,
            "bill_office",
            name="Sophie Garnier",
            email="sophie.garnier@froid-rhone.fr",
            groups="base.group_user,hvac_connect.group_hvac_user,hvac_connect.group_chorus_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.accountant = new_test_user(
            env,
            "bill_accountant",
            name="Marc Roux",
            groups="base.group_user,hvac_connect.group_hvac_user,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        # Whoever validates a fiche in these tests holds a category I attestation d'aptitude.
        HvacConnectCase.attest.__func__(cls, env.user | cls.technician | cls.office | cls.accountant)
        cls.services = {service.code: service for service in cls.buyer.hvac_chorus_service_ids}
        cls.school = env["hvac.site"].create(
            {
                "name": "Groupe scolaire Jean Macé",
                "partner_id": cls.buyer.id,
                "street": "12 rue Jean Macé",
                "zip": "69007",
                "city": "Lyon",
                "chorus_service_id": cls.services["SERV-TECH"].id,
                "chorus_engagement": "EJ-2026-000481",
            }
        )
        cls.installation = cls.make_installation(cls.school, "Climatiseur salle informatique", "DK-7781")
        cls.destination = env["res.partner"].create(
            {
                "name": "Climalife Dehon Service",
                "is_company": True,
                "hvac_fluid_treatment": True,
                "street": "26 avenue du Petit Parc",
                "zip": "94300",
                "city": "Vincennes",
            }
        )
        cls.bottle = env["hvac.container"].create(
            {"name": "BT-REC-01", "refrigerant_id": cls.fluid.id, "capacity_kg": 20.0}
        )

    @classmethod
    def make_installation(cls, site, name, serial, charge=12.0):
        return cls.env["hvac.installation"].create(
            {
                "name": name,
                "building_id": site.building_ids[:1].id,
                "refrigerant_id": cls.fluid.id,
                "charge_kg": charge,
                "serial_number": serial,
            }
        )

    @classmethod
    def make_fiche(cls, installation=None, recovered=0.0, done=True, **vals):
        """A fiche as a technician validates it; ``recovered`` kg go into the recovery cylinder."""
        values = {
            "installation_id": (installation or cls.installation).id,
            "nature": "maintenance",
            "labour_hours": 1.5,
            **SIGNED,
            **vals,
        }
        if recovered:
            values.setdefault("recovered_treatment_kg", recovered)
            values.update(
                destination_partner_id=cls.destination.id,
                container_move_ids=[
                    Command.create({"container_id": cls.bottle.id, "direction": "fill", "quantity_kg": recovered})
                ],
            )
        fiche = cls.env["hvac.intervention"].create(values)
        if done:
            fiche.action_done()
        return fiche

    def invoice(self, fiches, user=None):
        return fiches.with_user(user or self.accountant)._hvac_create_invoices()

    def product_lines(self, invoice):
        return invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")

    def refund(self, invoice, post=True):
        """A credit note as the user makes it: Credit note on the invoice, the whole invoice reversed."""
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Erreur de facturation", "journal_id": invoice.journal_id.id})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        if post:
            credit_note.action_post()
        return credit_note
