import base64
from datetime import timedelta
from unittest.mock import patch

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.hvac_connect.models.chorus.account_move import CHORUS_CUTOFF
from odoo.addons.hvac_connect.models.chorus.hvac_chorus_flow import LOST_FLOW_RELEASE
from odoo.addons.hvac_connect.models.common.send_lock import RETRY_MARGIN

from .. import schematron
from ..chorus_common import BUYER_SIRET, OUR_SIRET, ChorusCase, core_makes_facturx
from ..chorus_fake import check_xsd, facturx_number, facturx_xml, flow_documents

DEPOSIT = "/cpro/factures/v1/deposer/flux"
SEARCH = "/cpro/factures/v1/rechercher/fournisseur"


@tagged("post_install", "-at_install")
class TestChorusFlow(HttpCase, ChorusCase):
    """Factur-X flows need real PDFs: an HttpCase, so that wkhtmltopdf can load the assets."""

    def send_flow(self, moves):
        with core_makes_facturx():
            action = (
                moves.with_user(self.chorus_user)
                .with_context(force_report_rendering=True)
                .action_hvac_chorus_send_flow()
            )
        return self.env["hvac.chorus.flow"].browse(action["res_id"])

    def pay(self, invoice):
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {}
        )._create_payments()

    def credit_note_of(self, invoice, reason="Erreur de quantité sur la ligne 1 du devis signé"):
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": reason})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        credit_note.action_post()
        return credit_note

    def test_many_invoices_in_one_facturx_flow_followed_until_integrated(self):
        moves = self.make_invoice(amount=100.0) | self.make_invoice(amount=200.0) | self.make_invoice(amount=300.0)
        flow = self.send_flow(moves)
        self.assertEqual(flow.state, "IN_RECU")
        self.assertEqual(flow.filename, f"FLUX_{flow.reference}.tar.gz", "named after its flow")
        deposited = self.fake.flows[flow.name]
        self.assertEqual(deposited["syntaxeFlux"], "IN_DP_E2_CII_FACTURX")
        self.assertEqual(
            base64.b64decode(flow.file),
            deposited["content"],
            "the flow's file is stored byte for byte as Chorus received it",
        )
        documents = flow_documents(deposited["nomFichier"], deposited["content"])
        self.assertEqual(
            sorted(facturx_number(pdf) for pdf in documents),
            sorted(moves.mapped("name")),
            "each document is a Factur-X of our invoice",
        )
        self.assertTrue(all(b"pdfaid:part" in pdf for pdf in documents), "and a PDF/A-3, as Factur-X requires")
        for pdf in documents:
            self.assertTrue(check_xsd(facturx_xml(pdf), "en16931"), "valid against the Factur-X EN 16931 XSD")
        self.assertEqual(set(moves.mapped("hvac_chorus_send_state")), {"sending"})
        with self.assertRaisesRegex(UserError, "already sent or being sent"):
            moves[:1].with_user(self.chorus_user).action_hvac_chorus_send_flow()
        with self.assertRaisesRegex(UserError, "not yet integrated"):
            self.send(moves[:1])
        self.fake.integrate_flow(flow.name, rejected=(moves[2].name,))
        self.env["hvac.chorus.flow"].sudo()._cron_follow()  # crons run as the superuser
        self.assertEqual(flow.state, "IN_INTEGRE_PARTIEL")
        self.assertEqual(moves[:2].mapped("hvac_chorus_status"), ["DEPOSEE", "DEPOSEE"])
        self.assertTrue(all(moves[:2].mapped("hvac_chorus_invoice_id")))
        self.assertRecordValues(
            moves[2],
            [
                {
                    "hvac_chorus_send_state": "error",
                    "hvac_chorus_send_error": "SIRET destinataire inconnu",
                    "hvac_chorus_flow_id": False,
                }
            ],
        )
        self.send(moves[2])  # detached: it can be fixed and sent again
        self.assertEqual(moves[2].hvac_chorus_status, "DEPOSEE")
        other = self.send_flow(self.make_invoice(amount=50.0) | self.make_invoice(amount=60.0))
        self.assertNotEqual(other.filename, flow.filename, "each flow has its own file name")

    def _past_cutoff(self, flow, earlier=timedelta(0)):
        """As if the deposit had been sent before Chorus' cut-off (and ``earlier`` still)."""
        flow.sudo()._hvac_set_protected(
            {"deposit_sent_at": flow.deposit_sent_at - CHORUS_CUTOFF - RETRY_MARGIN - earlier}
        )

    def lookups(self):
        """The invoices looked for by number (the connection test searches without one)."""
        return [body["numeroFacture"] for body in self.fake.calls_to(SEARCH) if body.get("numeroFacture")]

    def test_a_deposit_that_never_reached_chorus_is_looked_for_then_released(self):
        moves = self.make_invoice(amount=100.0) | self.make_invoice(amount=200.0)
        self.fake.fail_next(DEPOSIT, applied=False)
        flow = self.send_flow(moves)
        self.assertEqual(flow.state, "UNKNOWN")
        self.assertFalse(self.fake.flows, "the deposit never reached Chorus")
        self.assertEqual(set(moves.mapped("hvac_chorus_send_state")), {"sending"})
        cron = self.env["hvac.chorus.flow"].sudo()._cron_follow
        cron()
        self.assertFalse(self.lookups(), "before Chorus' cut-off nothing is looked for")
        self._past_cutoff(flow)
        cron()
        self.assertEqual(sorted(self.lookups()), sorted(moves.mapped("name")), "after it, each invoice is looked for")
        self.assertEqual(flow.state, "UNKNOWN", "not found yet: Chorus may not have read the flow")
        self.assertEqual(set(moves.mapped("hvac_chorus_send_state")), {"sending"})
        self._past_cutoff(flow, LOST_FLOW_RELEASE)
        cron()
        self.assertEqual(flow.state, "ERROR")
        self.assertIn("did not reach Chorus Pro", flow.errors)
        for move in moves:
            self.assertEqual(move.hvac_chorus_send_state, "error")
            self.assertFalse(move.hvac_chorus_flow_id, "released from the lost flow")
            self.assertIn("did not reach Chorus Pro", move.hvac_chorus_send_error)
        searches = len(self.lookups())
        cron()
        self.assertEqual(len(self.lookups()), searches, "a released flow is not looked for again")
        again = self.send_flow(moves)
        self.assertEqual(again.state, "IN_RECU", "released invoices go in a new flow")

    def test_a_deposit_whose_answer_was_lost_is_found_after_the_cutoff(self):
        moves = self.make_invoice(amount=100.0) | self.make_invoice(amount=200.0)
        self.fake.fail_next(DEPOSIT)
        flow = self.send_flow(moves)
        self.assertEqual(flow.state, "UNKNOWN")
        number = next(iter(self.fake.flows))
        self.fake.integrate_flow(number, rejected=(moves[1].name,))
        self._past_cutoff(flow)
        self.env["hvac.chorus.flow"].sudo()._cron_follow()
        self.assertRecordValues(flow, [{"state": "IN_INTEGRE_PARTIEL", "name": number}])
        self.assertEqual(moves[0].hvac_chorus_send_state, "sent")
        self.assertTrue(moves[0].hvac_chorus_invoice_id)
        self.assertRecordValues(moves[1], [{"hvac_chorus_send_state": "error", "hvac_chorus_flow_id": False}])
        searches = len(self.fake.calls_to(SEARCH))
        self.env["hvac.chorus.flow"].sudo()._cron_follow()
        self.assertEqual(len(self.fake.calls_to(SEARCH)), searches, "a flow found is final: no more calls")

    def test_a_lost_deposit_whose_invoice_was_found_by_hand_is_closed(self):
        move = self.make_invoice(amount=100.0)
        self.fake.fail_next(DEPOSIT)
        flow = self.send_flow(move)
        self.fake.integrate_flow(next(iter(self.fake.flows)))
        move.with_user(self.chorus_user).action_hvac_chorus_find()
        self.assertEqual(move.hvac_chorus_send_state, "sent")
        self._past_cutoff(flow)
        self.env["hvac.chorus.flow"].sudo()._cron_follow()
        self.assertEqual(flow.state, "IN_INTEGRE", "nothing left to look for")

    def test_a_manager_releases_a_flow_without_answer_with_a_trace(self):
        moves = self.make_invoice(amount=100.0)
        self.fake.fail_next(DEPOSIT, applied=False)
        flow = self.send_flow(moves)
        with self.assertRaises(AccessError):
            flow.with_user(self.chorus_user).action_release()
        self.assertEqual(flow.state, "UNKNOWN")
        flow.with_user(self.chorus_manager).action_release()
        self.assertEqual(flow.state, "ERROR")
        self.assertEqual(moves.hvac_chorus_send_state, "error")
        self.assertFalse(moves.hvac_chorus_flow_id)
        trace = flow.message_ids.filtered(lambda m: "Released by" in (m.body or ""))
        self.assertEqual(trace.author_id, self.chorus_manager.partner_id, "who released it")
        self.assertIn(self.chorus_manager.name, trace.body)
        self.assertIn("Released by", moves.hvac_chorus_send_error)
        with self.assertRaisesRegex(UserError, "Only a flow whose deposit got no answer"):
            flow.with_user(self.chorus_manager).action_release()
        self.send(moves)
        self.assertEqual(moves.hvac_chorus_status, "DEPOSEE", "sent again, alone")

    def test_credit_note_in_a_flow_names_its_invoice_and_only_what_was_given(self):
        invoice = self.make_invoice(amount=400.0)
        credit_note = self.credit_note_of(invoice)
        flow = self.send_flow(credit_note)
        deposited = self.fake.flows[flow.name]
        self.assertEqual(flow.filename, credit_note.name.replace("/", "_") + ".pdf")
        self.assertEqual(base64.b64decode(flow.file), deposited["content"])
        xml = etree.fromstring(facturx_xml(deposited["content"]))
        ns = {
            "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
            "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
        }
        self.assertEqual(xml.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=ns), "381")
        self.assertEqual(
            xml.findtext(".//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", namespaces=ns),
            "urn:cen.eu:en16931:2017",
        )
        self.assertEqual(
            xml.findtext(".//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", namespaces=ns),
            "A1",
            "BT-23: the billing frame",
        )
        self.assertEqual(
            xml.findtext(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=ns), invoice.name, "BT-25"
        )
        self.assertEqual(
            xml.findtext(".//ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/*", namespaces=ns),
            invoice.invoice_date.strftime("%Y%m%d"),
            "BT-26",
        )
        self.assertIsNone(xml.find(".//ram:BuyerReference", namespaces=ns), "BT-10: no service chosen, none sent")
        self.assertIsNone(
            xml.find(".//ram:BuyerOrderReferencedDocument", namespaces=ns),
            "BT-13: no engagement entered, none sent (not the reversal's reference)",
        )
        schemes = {
            node.text: node.get("schemeID")
            for node in xml.iterfind(".//ram:SpecifiedLegalOrganization/ram:ID", namespaces=ns)
        }
        self.assertEqual(schemes, {OUR_SIRET: "0009", BUYER_SIRET: "0009"}, "a SIRET is scheme 0009")
        self.assertTrue(credit_note.amount_residual == 0.0 and invoice.amount_residual == 0.0, "set against each other")
        total = xml.findtext(".//ram:GrandTotalAmount", namespaces=ns)
        self.assertEqual(
            (
                xml.findtext(".//ram:TotalPrepaidAmount", namespaces=ns),
                xml.findtext(".//ram:DuePayableAmount", namespaces=ns),
            ),
            ("0.00", total),
            "set against its invoice, the credit note is not paid: its whole amount is due",
        )
        check_xsd(etree.tostring(xml), "en16931")
        self.assertEqual(schematron.errors(etree.tostring(xml)), [], "EN 16931 (CEN) and Factur-X EN 16931 rules")

    def test_service_engagement_and_frame_as_given(self):
        service = self.buyer.hvac_chorus_service_ids.filtered(lambda s: s.code == "SERV-TECH")
        invoice = self.make_invoice(
            hvac_chorus_service_id=service.id,
            buyer_reference="SERV-TECH",
            purchase_order_reference="EJ-2026-0042",
            hvac_chorus_frame="A2_FACTURE_FOURNISSEUR_DEJA_PAYEE",
        )
        with self.assertRaisesRegex(UserError, r"Frame A2 \(already paid\) is for an invoice paid in full"):
            self.send_flow(invoice)
        self.assertFalse(self.fake.flows, "an unpaid invoice does not go as already paid")
        self.pay(invoice)
        flow = self.send_flow(invoice)
        xml = etree.fromstring(facturx_xml(self.fake.flows[flow.name]["content"]))
        self.assertEqual(xml.findtext(".//{*}BuyerReference"), "SERV-TECH")
        self.assertEqual(xml.findtext(".//{*}BuyerOrderReferencedDocument/{*}IssuerAssignedID"), "EJ-2026-0042")
        self.assertEqual(xml.findtext(".//{*}BusinessProcessSpecifiedDocumentContextParameter/{*}ID"), "A2")
        self.assertEqual(xml.findtext(".//{*}TotalPrepaidAmount"), xml.findtext(".//{*}GrandTotalAmount"))
        self.assertEqual(xml.findtext(".//{*}DuePayableAmount"), "0.00", "paid by a payment: nothing due")

    def test_subcontractor_frame_goes_through_the_api_only(self):
        invoice = self.make_invoice(hvac_chorus_frame="A9_FACTURE_SOUSTRAITANT")
        with self.assertRaisesRegex(UserError, "A9/A12"):
            self.send_flow(invoice)
        self.assertFalse(self.fake.flows)

    def test_export_errors_are_shown(self):
        invoice = self.init_invoice("out_invoice", partner=self.buyer, amounts=[100.0], post=False)
        invoice.write({"partner_bank_id": self.iban.id})
        invoice.invoice_line_ids.tax_ids = False
        invoice.action_post()
        with self.assertRaisesRegex(UserError, "(?s)cannot be made:.*at least one tax per invoice line"):
            self.send_flow(invoice)
        self.assertFalse(self.fake.flows)
        self.assertFalse(self.env["hvac.chorus.flow"].search([]), "no flow left behind")

    def test_flow_blocked_by_an_invoice_not_ready(self):
        ready = self.make_invoice()
        stranger = self.env["res.partner"].create({"name": "Sans SIRET", "is_company": True})
        not_ready = self.make_invoice(partner=stranger)
        with self.assertRaisesRegex(UserError, "has no SIRET"):
            (ready | not_ready).with_user(self.chorus_user).action_hvac_chorus_send_flow()
        self.assertFalse(self.fake.flows)
        draft = self.init_invoice("out_invoice", partner=self.buyer, amounts=[100.0])
        with self.assertRaisesRegex(UserError, r"These invoices cannot go to Chorus Pro:\nDraft Invoice"):
            draft.with_user(self.chorus_user).action_hvac_chorus_send_flow()

    def test_every_document_passes_a_strict_intake(self):
        """The fake checks each Factur-X as a strict intake: XSD, then the CEN's EN 16931 rules
        and the Factur-X EN 16931 profile's (schematrons run by Saxon-HE); a break is refused."""
        invoice = self.make_invoice(amount=250.0)
        flow = self.send_flow(invoice)
        self.assertEqual(self.fake.violations, [], "seller VAT number, buyer address, no contact where none goes")
        xml = etree.fromstring(facturx_xml(self.fake.flows[flow.name]["content"]))
        self.assertIsNone(xml.find(".//{*}ShipToTradeParty/{*}DefinedTradeContact"), "no contact in the delivery party")
        self.assertEqual(xml.findtext(".//{*}BuyerTradeParty/{*}PostalTradeAddress/{*}CountryID"), "FR")
        self.assertEqual(xml.findtext(".//{*}SellerTradeParty/{*}SpecifiedTaxRegistration/{*}ID"), "FR84852000009")
        # Core's own document, contact in the delivery party, is refused by name.
        other = self.make_invoice(amount=80.0)
        with patch.object(
            type(self.env["hvac.chorus.edi.xml.cii"]), "_hvac_drop_ship_to_contact", staticmethod(lambda tree: None)
        ):
            refused = self.send_flow(other)
        self.assertTrue(
            any("ram:DefinedTradeContact' is marked as not used" in v for v in self.fake.violations),
            self.fake.violations,
        )
        self.fake.violations.clear()  # expected here: the rest of the test reads the refusal
        self.fake.integrate_flow(refused.name)
        self.env["hvac.chorus.flow"].sudo()._cron_follow()
        self.assertEqual(refused.state, "IN_REJETE")
        self.assertEqual(other.hvac_chorus_send_state, "error")
        self.assertIn("DefinedTradeContact", other.hvac_chorus_send_error, "the refusal names the rule")

    def test_a_buyer_without_address_is_not_invoiced(self):
        self.fake.add_structure("21130055300107", "Ville de Marseille")  # Chorus has no address for it
        marseille = self.env["res.partner"].create(
            {"name": "Ville de Marseille", "is_company": True, "siret": "21130055300107"}
        )
        marseille.with_user(self.chorus_user).action_hvac_chorus_lookup()
        self.assertTrue(marseille.hvac_chorus_structure_id)
        self.assertFalse(marseille.street or marseille.city, "nothing to fill it with")
        invoice = self.make_invoice(partner=marseille)
        with self.assertRaisesRegex(UserError, "Ville de Marseille has no postal address with its country"):
            self.send_flow(invoice)
        self.assertFalse(self.fake.flows)
        marseille.write(
            {"street": "Quai du Port", "zip": "13002", "city": "Marseille", "country_id": self.env.ref("base.fr").id}
        )
        flow = self.send_flow(invoice)
        self.assertEqual((flow.state, self.fake.violations), ("IN_RECU", []))

    def test_exempt_lines_state_the_reason_chosen(self):
        exempt = self.env["account.tax"].create(
            {"name": "TVA non applicable", "amount": 0.0, "type_tax_use": "sale", "company_id": self.company.id}
        )
        invoice = self.init_invoice("out_invoice", partner=self.buyer, amounts=[600.0], taxes=exempt, post=False)
        invoice.write({"partner_bank_id": self.iban.id})
        invoice.action_post()
        with self.assertRaisesRegex(UserError, "lines without VAT: choose the VAT exemption reason"):
            self.send_flow(invoice)
        self.env["hvac.chorus.exemption.reason"]._hvac_refresh(self.company)
        reasons = self.env["hvac.chorus.exemption.reason"].sudo().search([("company_id", "=", self.company.id)])
        franchise = reasons.filtered(lambda r: r.code == "EXO_293B")
        self.assertEqual(franchise.vatex_code, "VATEX-FR-FRANCHISE", "a label naming art. 293 B gets its code")
        other = reasons.filtered(lambda r: r.code == "EXO_261")
        self.assertFalse(other.vatex_code, "no guess for the others")
        invoice.hvac_chorus_exemption_reason_id = other
        with self.assertRaisesRegex(UserError, "has no VATEX code"):
            self.send_flow(invoice)
        invoice.hvac_chorus_exemption_reason_id = franchise
        flow = self.send_flow(invoice)
        xml = etree.fromstring(facturx_xml(self.fake.flows[flow.name]["content"]))
        breakdown = xml.find(".//{*}ApplicableHeaderTradeSettlement/{*}ApplicableTradeTax")
        self.assertEqual(breakdown.findtext("{*}CategoryCode"), "E")
        self.assertEqual(breakdown.findtext("{*}ExemptionReason"), franchise.name, "BT-120: the reason chosen")
        self.assertEqual(breakdown.findtext("{*}ExemptionReasonCode"), "VATEX-FR-FRANCHISE", "BT-121")
