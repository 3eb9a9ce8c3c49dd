"""Invoicing from fiches, tried over XML-RPC as each user: a technician records what a fiche
bills but does not invoice; invoicing needs Odoo's invoicing right and not the Chorus Pro ones,
which sending still needs; what links an invoice line to its fiche is the server's."""

import xmlrpc.client

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .billing_common import BillingCase


@tagged("post_install", "-at_install")
class TestBillingRightsXmlrpc(HttpCase, BillingCase):
    def _call(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs)

    def _refused(self, user, model, method, *args, **kwargs):
        with (
            mute_logger("odoo.http", "odoo.addons.base.controllers.rpc"),
            self.assertRaises(xmlrpc.client.Fault) as caught,
        ):
            self._call(user, model, method, *args, **kwargs)
        self.assertNotIn("Traceback", caught.exception.faultString.splitlines()[0])
        return caught.exception.faultString

    def test_a_technician_does_not_invoice(self):
        fiche = self.make_fiche()
        self.assertIn("may invoice", self._refused(self.technician, "hvac.intervention", "action_invoice", fiche.ids))
        self._refused(self.technician, "hvac.intervention", "action_invoice_contracts", [])
        self._refused(
            self.technician, "hvac.intervention.invoice", "create", [{"intervention_ids": [(6, 0, fiche.ids)]}]
        )
        self._refused(self.technician, "hvac.intervention", "_hvac_create_invoices", fiche.ids)
        self.assertEqual(fiche.invoice_state, "to_invoice")
        # What the fiche bills is the technician's to record, on the done fiche too.
        self._call(
            self.technician, "hvac.intervention", "write", fiche.ids, {"labour_hours": 2.0, "travel_billed": False}
        )
        self._call(
            self.technician,
            "hvac.intervention.line",
            "create",
            [{"intervention_id": fiche.id, "product_id": self.products["filter"].id, "quantity": 2.0}],
        )
        self.assertRecordValues(fiche, [{"labour_hours": 2.0, "travel_billed": False}])
        self.assertEqual(fiche.line_ids.quantity, 2.0)

    def test_invoicing_needs_the_invoicing_right_not_chorus(self):
        fiche = self.make_fiche(charged_recycled_kg=2.4)
        self.assertFalse(self.accountant.has_group("hvac_connect.group_chorus_user"))
        action = self._call(self.accountant, "hvac.intervention", "action_invoice", fiche.ids)
        self.assertEqual(action["res_model"], "hvac.intervention.invoice")
        wizard = self._call(
            self.accountant, "hvac.intervention.invoice", "create", [{"intervention_ids": [(6, 0, fiche.ids)]}]
        )
        result = self._call(self.accountant, "hvac.intervention.invoice", "action_create_invoices", wizard)
        invoice = self.env["account.move"].browse(result["res_id"])
        self.assertEqual(invoice.invoice_line_ids.hvac_intervention_id, fiche)
        self.assertEqual(invoice.purchase_order_reference, "EJ-2026-000481")
        self._call(self.accountant, "account.move", "action_post", invoice.ids)
        self.assertIn(
            "Chorus Pro: Send invoices",
            self._refused(self.accountant, "account.move", "action_hvac_chorus_send", invoice.ids),
        )
        self.assertEqual(invoice.hvac_chorus_send_state, "none")

    def test_an_invoiced_fiche_and_its_links_stay_as_invoiced(self):
        fiche = self.make_fiche()
        invoice = self.invoice(fiche)
        line = invoice.invoice_line_ids[0]
        for user in (self.technician, self.accountant):
            with self.subTest(user=user.login):
                self._refused(user, "hvac.intervention", "write", fiche.ids, {"labour_hours": 0.5})
                self._refused(user, "hvac.intervention", "write", fiche.ids, {"billing_type": "none"})
                self._refused(
                    user,
                    "hvac.intervention.line",
                    "create",
                    [{"intervention_id": fiche.id, "product_id": self.products["filter"].id}],
                )
                self._refused(user, "hvac.intervention", "action_cancel", fiche.ids)
        self._refused(self.accountant, "account.move.line", "write", line.ids, {"hvac_intervention_id": False})
        other = self.make_fiche()
        self._refused(
            self.accountant,
            "account.move",
            "write",
            invoice.ids,
            {"invoice_line_ids": [(0, 0, {"name": "Ajout", "price_unit": 1.0, "hvac_intervention_id": other.id})]},
        )
        self.assertRecordValues(fiche, [{"labour_hours": 1.5, "state": "done", "invoice_state": "invoiced"}])
        self.assertEqual(line.hvac_intervention_id, fiche)
        self.assertEqual(other.invoice_state, "to_invoice")

    def test_parts_of_another_company_are_out_of_reach(self):
        other = self.env["res.company"].create({"name": "Clim Savoie"})
        other_env = self.env(context=dict(self.env.context, allowed_company_ids=[other.id]))
        site = other_env["hvac.site"].create({"name": "Entrepôt Chambéry", "partner_id": self.buyer.id, "zip": "73000"})
        installation = other_env["hvac.installation"].create(
            {
                "name": "Groupe Savoie",
                "building_id": site.building_ids.id,
                "refrigerant_id": self.fluid.id,
                "charge_kg": 8.0,
            }
        )
        fiche = other_env["hvac.intervention"].create(
            {"installation_id": installation.id, "line_ids": [(0, 0, {"product_id": self.products["filter"].id})]}
        )
        line = fiche.line_ids
        self.assertEqual(line.company_id, other)
        for user in (self.technician, self.accountant):
            with self.subTest(user=user.login):
                self.assertEqual(self._call(user, "hvac.intervention.line", "search", [("id", "=", line.id)]), [])
                self._refused(user, "hvac.intervention.line", "read", line.ids, ["quantity"])
                self._refused(user, "hvac.intervention.line", "write", line.ids, {"quantity": 5.0})
        self.assertEqual(line.quantity, 1.0)
