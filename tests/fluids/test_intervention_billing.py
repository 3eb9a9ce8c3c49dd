import importlib.util
from datetime import timedelta
from pathlib import Path

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..billing_common import PRICES, BillingCase

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "18.0.2.0.0" / "post-fiche-billing.py"


@tagged("post_install", "-at_install")
class TestInterventionBilling(BillingCase):
    def test_a_fiche_becomes_invoice_lines_priced_by_its_products(self):
        fiche = self.make_fiche(
            charged_recycled_kg=2.4,
            recovered=1.2,
            line_ids=[Command.create({"product_id": self.products["filter"].id, "quantity": 1.0})],
        )
        self.assertEqual(fiche.invoice_state, "to_invoice")
        invoice = self.invoice(fiche)
        lines = self.product_lines(invoice)
        self.assertRecordValues(
            lines,
            [
                {"product_id": self.products["labour"].id, "quantity": 1.5, "price_unit": PRICES["labour"]},
                {"product_id": self.products["travel"].id, "quantity": 1.0, "price_unit": PRICES["travel"]},
                {"product_id": self.products["recycled"].id, "quantity": 2.4, "price_unit": PRICES["recycled"]},
                {"product_id": self.products["recovery"].id, "quantity": 1.2, "price_unit": PRICES["recovery"]},
                {"product_id": self.products["filter"].id, "quantity": 1.0, "price_unit": PRICES["filter"]},
            ],
        )
        self.assertEqual(lines.hvac_intervention_id, fiche)
        self.assertEqual(lines.tax_ids, self.vat)
        # 1.5 × 62 + 45 + 2.4 × 78 + 1.2 × 8 + 34.50 = 369.30, VAT 20 %.
        self.assertRecordValues(
            invoice,
            [
                {
                    "state": "draft",
                    "move_type": "out_invoice",
                    "partner_id": self.buyer.id,
                    "amount_untaxed": 369.30,
                    "amount_tax": 73.86,
                    "amount_total": 443.16,
                    "invoice_origin": fiche.name,
                    "invoice_user_id": self.accountant.id,
                }
            ],
        )
        for line in lines:
            self.assertIn(fiche.name, line.name)
            self.assertIn("Climatiseur salle informatique", line.name)
        self.assertEqual(fiche.invoice_state, "invoiced")
        self.assertEqual(fiche.with_user(self.accountant).invoice_line_ids, lines)
        self.assertEqual(invoice.with_user(self.accountant).hvac_intervention_ids, fiche)

    def test_a_fiche_is_not_invoiced_twice(self):
        fiche = self.make_fiche()
        invoice = self.invoice(fiche)
        with self.assertRaisesRegex(UserError, "Only done fiches still to invoice"):
            self.invoice(fiche)
        wizard = self.env["hvac.intervention.invoice"].with_user(self.accountant)._hvac_open(fiche)
        form = (
            self.env["hvac.intervention.invoice"]
            .with_user(self.accountant)
            .with_context(**wizard["context"])
            .create({})
        )
        self.assertEqual((form.fiche_count, form.invoice_count), (0, 0))
        self.assertIn("Invoiced", form.skipped)
        with self.assertRaisesRegex(UserError, "None of these fiches"):
            form.action_create_invoices()
        self.assertEqual(
            self.env["account.move"].search([("invoice_line_ids.hvac_intervention_id", "=", fiche.id)]), invoice
        )
        # What an invoiced fiche bills no longer changes, and it is not cancelled under its invoice.
        with self.assertRaisesRegex(UserError, "is invoiced"):
            fiche.with_user(self.technician).labour_hours = 3.0
        with self.assertRaisesRegex(UserError, "is invoiced"):
            self.env["hvac.intervention.line"].with_user(self.technician).create(
                {"intervention_id": fiche.id, "product_id": self.products["filter"].id}
            )
        with self.assertRaisesRegex(UserError, "credit note"):
            fiche.with_user(self.technician).action_cancel()

    def test_a_credit_note_frees_the_fiche(self):
        fiche = self.make_fiche(charged_virgin_kg=0.8)
        invoice = self.invoice(fiche)
        invoice.action_post()
        credit_note = self.refund(invoice, post=False)
        self.assertEqual(self.product_lines(credit_note).hvac_intervention_id, fiche)
        self.assertEqual(fiche.invoice_state, "invoiced", "a draft credit note frees nothing yet")
        credit_note.action_post()
        self.assertEqual(fiche.invoice_state, "to_invoice")
        fiche.with_user(self.technician).labour_hours = 2.0
        again = self.invoice(fiche)
        self.assertNotEqual(again, invoice)
        self.assertEqual(self.product_lines(again)[0].quantity, 2.0)
        self.assertEqual(fiche.invoice_state, "invoiced")
        self.assertEqual(fiche.with_user(self.accountant).invoice_count, 3)

    def test_a_partial_credit_note_does_not_free_the_fiche(self):
        fiche = self.make_fiche(charged_virgin_kg=0.8)
        invoice = self.invoice(fiche)
        invoice.action_post()
        credit_note = self.refund(invoice, post=False)
        # A discount on the fluid only: the fiche stays invoiced.
        credit_note.write(
            {"invoice_line_ids": [Command.unlink(line.id) for line in self.product_lines(credit_note)[:2]]}
        )
        credit_note.action_post()
        self.assertEqual(fiche.invoice_state, "invoiced")

    def test_deleting_or_cancelling_a_draft_invoice_frees_the_fiche(self):
        fiche, other = self.make_fiche(), self.make_fiche()
        self.invoice(fiche).with_user(self.accountant).unlink()
        self.assertEqual(fiche.invoice_state, "to_invoice")
        self.invoice(other).with_user(self.accountant).button_cancel()
        self.assertEqual(other.invoice_state, "to_invoice")

    def test_one_invoice_per_customer_service_and_engagement(self):
        env = self.env
        town_hall = env["hvac.site"].create(
            {"name": "Hôtel de ville", "partner_id": self.buyer.id, "zip": "69001", "city": "Lyon"}
        )
        archives = env["hvac.site"].create(
            {
                "name": "Archives municipales",
                "partner_id": self.buyer.id,
                "zip": "69002",
                "city": "Lyon",
                "chorus_engagement": "EJ-2026-000733",
            }
        )
        # The customer's yearly engagement and service, for its sites that say nothing.
        self.buyer.write(
            {
                "hvac_chorus_default_service_id": self.services["SERV-EJ"].id,
                "hvac_chorus_default_engagement": "EJ-2026-000100",
            }
        )
        # An installation under its own contract overrides its site.
        contract = self.make_installation(self.school, "Chambre froide cuisine", "CF-2231")
        contract.chorus_engagement = "EJ-2026-000999"
        clinic = env["res.partner"].create({"name": "Clinique du Parc", "is_company": True, "city": "Lyon"})
        clinic_site = env["hvac.site"].create({"name": "Clinique", "partner_id": clinic.id, "zip": "69006"})
        school_1, school_2 = self.make_fiche(), self.make_fiche(labour_hours=3.0)
        fiches = (
            school_1
            | school_2
            | self.make_fiche(self.make_installation(town_hall, "PAC hall", "PAC-01"))
            | self.make_fiche(self.make_installation(archives, "Climatiseur réserve", "CL-77"))
            | self.make_fiche(contract)
            | self.make_fiche(self.make_installation(clinic_site, "Groupe froid bloc", "GF-12"))
        )
        invoices = self.invoice(fiches)
        found = {
            (move.partner_id.name, move.buyer_reference or False, move.purchase_order_reference or False): set(
                move.invoice_line_ids.hvac_intervention_id.mapped("installation_id.name")
            )
            for move in invoices
        }
        self.assertEqual(
            found,
            {
                ("Mairie de Lyon", "SERV-TECH", "EJ-2026-000481"): {"Climatiseur salle informatique"},
                ("Mairie de Lyon", "SERV-EJ", "EJ-2026-000100"): {"PAC hall"},
                ("Mairie de Lyon", "SERV-EJ", "EJ-2026-000733"): {"Climatiseur réserve"},
                ("Mairie de Lyon", "SERV-TECH", "EJ-2026-000999"): {"Chambre froide cuisine"},
                ("Clinique du Parc", False, False): {"Groupe froid bloc"},
            },
        )
        school = invoices.filtered(lambda m: m.purchase_order_reference == "EJ-2026-000481")
        self.assertEqual(school.hvac_chorus_service_id, self.services["SERV-TECH"])
        self.assertEqual(school.invoice_line_ids.hvac_intervention_id, school_1 | school_2)
        self.assertEqual(school.invoice_origin, f"{school_1.name}, {school_2.name}")
        self.assertTrue(all(fiches.mapped(lambda f: f.invoice_state == "invoiced")))

    def test_prices_come_from_the_customer_pricelist(self):
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Marché public entretien 2026",
                "currency_id": self.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.products["labour"].id,
                            "compute_price": "fixed",
                            "fixed_price": 55.0,
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.products["recycled"].id,
                            "compute_price": "percentage",
                            "percent_price": 10.0,
                            "min_quantity": 2.0,
                        }
                    ),
                ],
            }
        )
        self.buyer.property_product_pricelist = pricelist
        small, large = self.make_fiche(charged_recycled_kg=1.0), self.make_fiche(charged_recycled_kg=2.4)
        invoice = self.invoice(small | large)
        prices = [(line.product_id, line.quantity, line.price_unit) for line in self.product_lines(invoice)]
        labour, travel, recycled = (self.products[k] for k in ("labour", "travel", "recycled"))
        self.assertEqual(
            prices,
            [
                (labour, 1.5, 55.0),
                (travel, 1.0, 45.0),
                (recycled, 1.0, 78.0),
                (labour, 1.5, 55.0),
                (travel, 1.0, 45.0),
                (recycled, 2.4, 70.2),
            ],
        )

    def test_flat_fee_and_nothing_to_invoice(self):
        flat = self.env["product.product"].create(
            {
                "name": "Forfait entretien annuel climatiseur",
                "list_price": 180.0,
                "taxes_id": [Command.set(self.vat.ids)],
            }
        )
        fiche = self.make_fiche(billing_type="flat", flat_fee_product_id=flat.id, charged_reclaimed_kg=0.5)
        invoice = self.invoice(fiche)
        self.assertEqual(
            [(line.product_id, line.quantity) for line in self.product_lines(invoice)],
            [(flat, 1.0), (self.products["reclaimed"], 0.5)],
        )
        self.assertAlmostEqual(invoice.amount_untaxed, 180.0 + 0.5 * PRICES["reclaimed"])
        warranty = self.make_fiche(billing_type="none")
        self.assertEqual(warranty.invoice_state, "none")
        with self.assertRaisesRegex(UserError, "Nothing to invoice"):
            self.invoice(warranty)

    def test_what_is_missing_is_said_before_anything_is_made(self):
        self.fluid.with_company(self.company).product_reclaimed_id = False
        self.company.hvac_travel_product_id = False
        reclaimed = self.make_fiche(charged_reclaimed_kg=0.6)
        flat = self.make_fiche(billing_type="flat")
        nothing = self.make_fiche(labour_hours=0.0, travel_billed=False)
        with self.assertRaises(UserError) as caught:
            self.invoice(reclaimed | flat | nothing)
        message = str(caught.exception)
        self.assertIn(f"Fiche {reclaimed.name}", message)
        self.assertIn("R-410A (reclaimed) is charged: choose its product on the fluid", message)
        self.assertIn("set the travel product in Settings", message)
        self.assertIn("a flat fee is to be invoiced: choose its product", message)
        self.assertIn("it bills nothing", message)
        self.assertFalse(
            self.env["account.move"].search([("invoice_line_ids.hvac_intervention_id", "in", reclaimed.ids)])
        )
        self.assertEqual(reclaimed.invoice_state, "to_invoice")

    def test_recovered_fluid_billed_per_cylinder(self):
        cylinder = self.env.ref("uom.product_uom_unit")
        self.products["recovery"].write({"uom_id": cylinder.id, "uom_po_id": cylinder.id, "list_price": 25.0})
        fiche = self.make_fiche(recovered=3.2, travel_billed=False, labour_hours=0.0)
        line = self.product_lines(self.invoice(fiche))
        self.assertRecordValues(
            line, [{"product_id": self.products["recovery"].id, "quantity": 1.0, "price_unit": 25.0}]
        )

    def test_billing_figures_are_corrected_until_invoiced(self):
        fiche = self.make_fiche()
        fiche.with_user(self.technician).write({"labour_hours": 2.25, "travel_billed": False})
        fiche.with_user(self.technician).line_ids = [Command.create({"product_id": self.products["filter"].id})]
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            fiche.with_user(self.technician).observations = "Corrigée après coup"
        self.assertEqual(
            [(line.product_id, line.quantity) for line in self.product_lines(self.invoice(fiche))],
            [(self.products["labour"], 2.25), (self.products["filter"], 1.0)],
        )

    def test_monthly_batch_of_contract_customers(self):
        self.buyer.hvac_invoice_monthly = True
        first_of_month = fields.Date.today().replace(day=1)
        last_month = self.make_fiche(date=first_of_month - timedelta(days=12))
        this_month = self.make_fiche(date=first_of_month)
        not_contract = self.make_fiche(
            self.make_installation(
                self.env["hvac.site"].create(
                    {"name": "Clinique", "partner_id": self.env["res.partner"].create({"name": "Clinique du Parc"}).id}
                ),
                "Groupe froid bloc",
                "GF-12",
            ),
            date=first_of_month - timedelta(days=5),
        )
        action = self.env["hvac.intervention"].with_user(self.accountant).browse().action_invoice_contracts()
        wizard = (
            self.env["hvac.intervention.invoice"]
            .with_user(self.accountant)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.intervention_ids, last_month)
        self.assertEqual(wizard.invoice_count, 1)
        self.assertIn("Mairie de Lyon: 1 fiche(s), service SERV-TECH, engagement EJ-2026-000481", wizard.preview)
        wizard.action_create_invoices()
        self.assertEqual(
            (last_month | this_month | not_contract).mapped("invoice_state"), ["invoiced", "to_invoice", "to_invoice"]
        )
        with self.assertRaisesRegex(UserError, "No done fiche of a contract customer"):
            self.env["hvac.intervention"].with_user(self.accountant).browse().action_invoice_contracts()

    def test_chorus_checks_run_when_the_invoice_is_made(self):
        self.fake.structures[self.buyer.siret]["flags"]["numeroEJDoitEtreRenseigne"] = True
        self.buyer.with_user(self.chorus_user).action_hvac_chorus_lookup()
        town_hall = self.env["hvac.site"].create({"name": "Hôtel de ville", "partner_id": self.buyer.id})
        without = self.invoice(self.make_fiche(self.make_installation(town_hall, "PAC hall", "PAC-01")))
        self.assertIn("The customer requires an engagement number", without.hvac_chorus_draft_problems)
        activity = without.activity_ids
        self.assertEqual(activity.user_id, self.accountant)
        self.assertIn("requires an engagement number", activity.note)
        with_engagement = self.invoice(self.make_fiche())
        self.assertEqual(with_engagement.purchase_order_reference, "EJ-2026-000481")
        self.assertFalse(with_engagement.hvac_chorus_draft_problems)
        self.assertFalse(with_engagement.activity_ids)
        # Once posted, the checks are the send wizard's.
        with_engagement.action_post()
        self.assertFalse(with_engagement.hvac_chorus_draft_problems)

    def test_fiche_links_are_set_by_invoicing_only(self):
        fiche = self.make_fiche()
        invoice = self.invoice(fiche)
        line = self.product_lines(invoice)[0]
        with self.assertRaises(AccessError):
            line.with_user(self.accountant).hvac_intervention_id = False
        with self.assertRaises(AccessError):
            invoice.with_user(self.accountant).write(
                {
                    "invoice_line_ids": [
                        Command.create({"name": "Ajout", "price_unit": 1.0, "hvac_intervention_id": fiche.id})
                    ]
                }
            )
        with self.assertRaisesRegex(AccessError, "may invoice"):
            fiche.with_user(self.technician).action_invoice()
        with self.assertRaisesRegex(AccessError, "may invoice"):
            self.make_fiche().with_user(self.technician)._hvac_create_invoices()

    def test_existing_done_fiches_are_not_to_invoice_after_the_upgrade(self):
        done, draft = self.make_fiche(), self.make_fiche(done=False)
        spec = importlib.util.spec_from_file_location("post_fiche_billing", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self.env.flush_all()
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertRecordValues(
            done | draft,
            [
                {"billing_type": "none", "invoice_state": "none"},
                {"billing_type": "time", "invoice_state": "none"},
            ],
        )
        # The office puts one back to invoice: it was not invoiced yet.
        done.billing_type = "time"
        self.assertEqual(done.invoice_state, "to_invoice")

    def test_analytic_distribution_models_still_apply(self):
        without = self.product_lines(self.invoice(self.make_fiche()))
        self.assertFalse(any(without.mapped("analytic_distribution")))
        plan = self.env["account.analytic.plan"].sudo().create({"name": "Chantiers"})
        account = self.env["account.analytic.account"].sudo().create({"name": "Contrats publics", "plan_id": plan.id})
        self.env["account.analytic.distribution.model"].sudo().create(
            {"product_id": self.products["labour"].id, "analytic_distribution": {str(account.id): 100}}
        )
        lines = self.product_lines(self.invoice(self.make_fiche()))
        labour = lines.filtered(lambda line: line.product_id == self.products["labour"])
        self.assertEqual(labour.analytic_distribution, {str(account.id): 100})
        self.assertFalse((lines - labour).mapped("analytic_distribution")[0])
