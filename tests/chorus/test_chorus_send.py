import base64
import importlib.util
from pathlib import Path
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.hvac_connect.models.chorus.account_move import CHORUS_CUTOFF, chorus_filename
from odoo.addons.hvac_connect.models.common.send_lock import RETRY_MARGIN

from ..chorus_common import ChorusCase
from ..common import set_siret
from ..other_session import sending_elsewhere

SEND_WIZARD = "odoo.addons.hvac_connect.wizards.chorus.hvac_chorus_send"


@tagged("post_install", "-at_install")
class TestChorusSend(ChorusCase):
    def _attach(self, invoice, name, content=b"%PDF-1.4 annex"):
        return self.env["ir.attachment"].create(
            {"name": name, "res_model": "account.move", "res_id": invoice.id, "datas": base64.b64encode(content)}
        )

    def test_preconditions_each_say_what_to_fix(self):
        draft = self.init_invoice("out_invoice", partner=self.buyer, amounts=[100.0])
        self.assertIn("The invoice is a draft: confirm it first.", draft._hvac_chorus_problems())
        set_siret(self.company, False)
        invoice = self.make_invoice()
        self.assertIn("Our company has no SIRET: set it on the company.", invoice._hvac_chorus_problems())
        set_siret(self.company, "85200000900013")
        self.assertIn(
            "The Chorus Pro connection does not work: test it in Chorus Pro › Connection.",
            invoice._hvac_chorus_problems(),
            "our structure is the one with our SIRET: a new SIRET is tested again",
        )
        self.company.with_user(self.chorus_manager).action_hvac_chorus_test_connection()
        self.fake.structures[self.buyer.siret]["flags"].update(
            codeServiceDoitEtreRenseigne=True, numeroEJDoitEtreRenseigne=True
        )
        self.buyer.with_user(self.chorus_user).action_hvac_chorus_lookup()
        problems = invoice._hvac_chorus_problems()
        self.assertIn("The customer requires a service code (service exécutant).", problems)
        self.assertIn("The customer requires an engagement number (engagement juridique).", problems)
        invoice.write({"buyer_reference": "SERV-TECH", "purchase_order_reference": "EJ" * 26})
        self.assertEqual(invoice._hvac_chorus_problems(), ["The engagement number has more than 50 characters."])

    def test_our_vat_number_is_required(self):
        invoice = self.make_invoice()
        self.assertEqual(invoice._hvac_chorus_problems(), [])
        self.company.vat = False
        self.assertIn(
            "Our company has no VAT number: EN 16931 requires the seller's on an invoice with VAT (BR-S-02); set it on the company.",
            invoice._hvac_chorus_problems(),
        )
        xml, errors = self.env["hvac.chorus.edi.xml.cii"]._export_invoice(invoice)
        self.assertTrue(errors, "nor is the Factur-X made without it")

    def test_the_wizards_open_under_their_title(self):
        invoice = self.make_invoice().with_user(self.chorus_user)
        self.assertEqual(invoice.action_hvac_chorus_send()["name"], "Send to Chorus Pro")
        wizard = (
            self.env["hvac.chorus.send"].with_user(self.chorus_user).with_context(default_move_id=invoice.id).create({})
        )
        self.assertEqual(wizard.action_next()["name"], "Send to Chorus Pro", "each step reopens under the same title")
        self.assertEqual(invoice.action_hvac_chorus_complete()["name"], "Complete (suspended invoice)")

    def test_engagement_checked_on_chorus_when_the_company_asks(self):
        invoice = self.make_invoice(purchase_order_reference="EJ-INCONNU")
        wizard = (
            self.env["hvac.chorus.send"].with_user(self.chorus_user).with_context(default_move_id=invoice.id).create({})
        )
        wizard.action_next()
        wizard.action_next()
        self.assertEqual(wizard.step, "attachments", "not checked unless the company asks")
        self.company.with_user(self.chorus_manager).hvac_chorus_check_engagement = True
        wizard.step = "checks"
        with self.assertRaisesRegex(UserError, "does not know the engagement number EJ-INCONNU"):
            wizard.action_next()
        self.fake.engagements.add((str(self.company.hvac_chorus_structure_id), "EJ-INCONNU"))
        wizard.action_next()
        self.assertEqual(wizard.step, "attachments")

    def test_payment_and_credit_note_checks(self):
        invoice = self.make_invoice(partner_bank_id=False)
        self.assertIn(
            "Public buyers pay by transfer: set our bank account (IBAN)", "\n".join(invoice._hvac_chorus_problems())
        )
        invoice.button_draft()
        invoice.write({"partner_bank_id": self.iban.id})
        invoice.action_post()
        self.assertEqual(invoice._hvac_chorus_problems(), [])
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Erreur de quantité"})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        credit_note.action_post()
        self.assertEqual(credit_note._hvac_chorus_problems(), [], "a credit note of an invoice: nothing more to say")
        loose = self.init_invoice("out_refund", partner=self.buyer, amounts=[50.0], taxes=self.tax_sale_a, post=True)
        self.assertIn("names the invoice it cancels", "\n".join(loose._hvac_chorus_problems()))

    def test_four_steps_deposit_keeps_our_number_and_attachments(self):
        invoice = self.make_invoice()
        self._attach(invoice, "bon_de_commande.pdf")
        self._attach(invoice, "photos_chantier.pdf")
        service = self.buyer.hvac_chorus_service_ids.filtered(lambda s: s.code == "SERV-EJ")
        wizard = (
            self.env["hvac.chorus.send"].with_user(self.chorus_user).with_context(default_move_id=invoice.id).create({})
        )
        self.assertEqual(wizard.step, "info")
        self.assertEqual(len(wizard.attachment_ids), 2)
        wizard.action_next()
        wizard.service_id = service
        wizard._onchange_service_id()
        self.assertIn("requires an engagement number", wizard.problems, "the service's own engagement flag counts")
        with self.assertRaisesRegex(UserError, "Fix these first"):
            wizard.action_next()
        wizard.write(
            {
                "purchase_order_reference": "EJ-2026-0042",
                "comment": "Contrat d'entretien 2026",
                "frame": "A1_FACTURE_FOURNISSEUR",
            }
        )
        wizard.action_next()
        types = self.env["hvac.chorus.attachment.type"].with_user(self.chorus_user).search([])
        self.assertEqual(sorted(types.mapped("code")), ["AUT", "BDC"], "Chorus' own list, read when the wizard opened")
        plan = self._attach(invoice, "plan.pdf")
        wizard.attachment_ids[1].include = False
        wizard.attachment_ids[0].chorus_type_id = types.filtered(lambda t: t.code == "BDC")
        wizard.write({"attachment_ids": [(0, 0, {"attachment_id": plan.id})]})
        wizard.action_next()
        self.assertEqual(wizard.step, "send")
        wizard.action_send()
        self.assertIn("Deposited", wizard.result)
        self.assertRecordValues(
            invoice,
            [
                {
                    "hvac_chorus_send_state": "sent",
                    "hvac_chorus_status": "DEPOSEE",
                    "hvac_chorus_status_label": "Déposée",
                    "purchase_order_reference": "EJ-2026-0042",
                    "buyer_reference": "SERV-EJ",
                }
            ],
        )
        self.assertTrue(invoice.hvac_chorus_invoice_id and invoice.hvac_chorus_footprint)
        payload = self.fake.invoices[invoice.hvac_chorus_invoice_id]["payload"]
        self.assertEqual(payload["numeroFactureSaisi"], invoice.name, "our invoice number is kept")
        self.assertEqual(payload["modeDepot"], "DEPOT_PDF_API")
        self.assertEqual(payload["references"]["numeroBonCommande"], "EJ-2026-0042")
        self.assertEqual(
            payload["destinataire"], {"codeDestinataire": "21690123100011", "codeServiceExecutant": "SERV-EJ"}
        )
        main = self.fake.files[payload["pieceJointePrincipale"][0]["pieceJointePrincipaleId"]]
        self.assertEqual(main["name"], invoice.name.replace("/", "_") + ".pdf")
        self.assertEqual(
            [a["pieceJointeComplementaireType"] for a in payload["pieceJointeComplementaire"]],
            ["BDC", ""],
            "no type: Doc. Annexe",
        )
        self.assertIn("Deposited on Chorus Pro", invoice.message_ids[0].body)

    def test_attachment_limits(self):
        invoice = self.make_invoice()
        self._attach(invoice, "virus.exe")
        self._attach(invoice, "un_nom_de_fichier_beaucoup_trop_long_pour_chorus_pro_vraiment.pdf")
        self._attach(invoice, "vide.pdf", content=b"")
        wizard = (
            self.env["hvac.chorus.send"].with_user(self.chorus_user).with_context(default_move_id=invoice.id).create({})
        )
        problems = wizard.attachment_problems
        self.assertIn("virus.exe: Chorus Pro does not accept this kind of file.", problems)
        self.assertIn("vide.pdf: a file must weigh between 1 byte and 10 MB.", problems)
        wizard.write({"step": "attachments"})
        with self.assertRaisesRegex(UserError, "cannot go to Chorus Pro"):
            wizard.action_next()
        sent_name = chorus_filename("un_nom_de_fichier_beaucoup_trop_long_pour_chorus_pro_vraiment.pdf")
        self.assertEqual(
            (len(sent_name), sent_name[-4:]),
            (50, ".pdf"),
            "a long name is shortened to Chorus' 50 characters, extension kept",
        )
        wizard.attachment_ids.filtered(lambda line: line.name in ("virus.exe", "vide.pdf")).include = False
        self.assertFalse(wizard._attachment_problems(), "the PDF left (14 bytes) is within the limits")
        with patch(f"{SEND_WIZARD}.FILE_MAX", 10):
            self.assertEqual(
                wizard._attachment_problems(),
                [
                    "un_nom_de_fichier_beaucoup_trop_long_pour_chorus_pro_vraiment.pdf: a file must weigh between 1 byte and 10 MB."
                ],
            )
        with patch(f"{SEND_WIZARD}.TOTAL_MAX", 10):
            self.assertEqual(wizard._attachment_problems(), ["All attachments together weigh more than 120 MB."])

    def test_a_send_under_way_elsewhere_is_refused(self):
        invoice = self.make_invoice()
        with sending_elsewhere(invoice), self.assertRaisesRegex(UserError, "being sent to Chorus Pro by someone else"):
            self.send(invoice)
        self.assertFalse(self.fake.invoices, "nothing deposited")
        self.send(invoice)
        self.assertEqual(len(self.fake.invoices), 1)

    def _after_the_wait(self, invoice):
        # As if Chorus' cut-off and the margin had passed since the lost deposit.
        invoice._hvac_set_protected(
            {"hvac_chorus_deposit_sent_at": invoice.hvac_chorus_deposit_sent_at - CHORUS_CUTOFF - RETRY_MARGIN}
        )

    def test_lost_answer_then_nothing_found_deposits_after_the_wait(self):
        invoice = self.make_invoice()
        self.fake.fail_next("/cpro/factures/v1/soumettre")
        self.send(invoice)
        self.fake.invoices.clear()  # the lost deposit never reached Chorus after all
        self._after_the_wait(invoice)
        self.send(invoice)
        self.assertTrue(self.fake.calls_to("/cpro/factures/v1/rechercher/fournisseur"), "looked up first")
        self.assertEqual(
            len(self.fake.calls_to("/cpro/factures/v1/soumettre")), 2, "nothing found: deposited after the wait"
        )
        self.assertRecordValues(
            invoice, [{"hvac_chorus_send_state": "sent", "hvac_chorus_invoice_id": next(iter(self.fake.invoices))}]
        )

    def test_lost_answer_then_retry_never_deposits_twice(self):
        invoice = self.make_invoice()
        self.fake.fail_next("/cpro/factures/v1/soumettre")
        wizard = self.send(invoice)
        self.assertIn("did not answer in time", wizard.result)
        self.assertEqual(invoice.hvac_chorus_send_state, "sending")
        self.assertEqual(len(self.fake.invoices), 1, "Chorus got it although the answer was lost")
        # Chorus may still be recording it until its cut-off: no retry, no lookup, before then.
        wizard = (
            self.env["hvac.chorus.send"].with_user(self.chorus_user).with_context(default_move_id=invoice.id).create({})
        )
        for _step in range(3):
            wizard.action_next()
        calls = len(self.fake.calls)
        with self.assertRaisesRegex(
            UserError, r"may still be recording .*: try again after \d\d:\d\d:\d\d; Odoo will first look for it"
        ):
            wizard.action_send()
        self.assertEqual(len(self.fake.calls), calls, "nothing sent inside the wait")
        self._after_the_wait(invoice)
        self.send(invoice)
        self.assertEqual(len(self.fake.invoices), 1, "the retry found it by number instead of depositing again")
        self.assertEqual(len(self.fake.calls_to("/cpro/factures/v1/soumettre")), 1)
        self.assertRecordValues(
            invoice, [{"hvac_chorus_send_state": "sent", "hvac_chorus_invoice_id": next(iter(self.fake.invoices))}]
        )
        with self.assertRaisesRegex(UserError, "already on Chorus Pro"):
            self.send(invoice)
        self.assertEqual(len(self.fake.invoices), 1, "a second click is refused")

    def test_chorus_refusal_is_kept_and_shown(self):
        self.fake.structures[self.buyer.siret]["flags"]["codeServiceDoitEtreRenseigne"] = (
            True  # changed since the lookup
        )
        invoice = self.make_invoice()
        wizard = self.send(invoice)
        self.assertIn("Le code service est obligatoire", wizard.result)
        self.assertRecordValues(invoice, [{"hvac_chorus_send_state": "error", "hvac_chorus_invoice_id": 0}])
        self.assertIn("20100", invoice.hvac_chorus_send_error)

    def test_find_an_invoice_on_chorus(self):
        invoice = self.make_invoice()
        self.fake.fail_next("/cpro/factures/v1/soumettre")
        self.send(invoice)
        invoice.with_user(self.chorus_user).action_hvac_chorus_find()
        self.assertEqual(invoice.hvac_chorus_send_state, "sent")

    def test_only_chorus_users_send(self):
        invoice = self.make_invoice()
        accountant = new_test_user(
            self.env,
            "accountant",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        with self.assertRaises(AccessError):
            invoice.with_user(accountant).action_hvac_chorus_send()
        with self.assertRaises(AccessError):
            self.send(invoice, user=accountant)
        self.assertFalse(self.fake.invoices)


@tagged("post_install", "-at_install")
class TestChorusSendFrames(ChorusCase):
    """What the API path sends for a credit note, a subcontractor's invoice, an exemption."""

    def test_credit_note_names_the_invoice_it_cancels(self):
        invoice = self.make_invoice(amount=400.0)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Erreur de quantité"})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        credit_note.action_post()
        self.send(credit_note)
        payload = self.fake.invoices[credit_note.hvac_chorus_invoice_id]["payload"]
        self.assertEqual(payload["references"]["typeFacture"], "AVOIR")
        self.assertEqual(payload["references"]["numeroFactureOrigine"], invoice.name)
        self.assertNotIn("numeroBonCommande", payload["references"], "no engagement entered, none sent")
        self.assertNotIn("codeServiceExecutant", payload["destinataire"], "no service chosen, none sent")

    def test_credit_note_set_against_its_invoice_is_still_to_pay(self):
        invoice = self.make_invoice(amount=400.0)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Erreur de quantité"})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        credit_note.action_post()
        self.assertEqual(credit_note.amount_residual, 0.0, "Odoo set it against the invoice")
        self.send(credit_note)
        amounts = self.fake.invoices[credit_note.hvac_chorus_invoice_id]["payload"]["montantTotal"]
        self.assertEqual(amounts["montantAPayer"], credit_note.amount_total, "nothing was paid: all of it is due")

    def test_frame_a2_only_for_an_invoice_paid_in_full(self):
        invoice = self.make_invoice(amount=300.0)
        wizard = (
            self.env["hvac.chorus.send"]
            .with_user(self.chorus_user)
            .with_context(default_move_id=invoice.id)
            .create({"frame": "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE"})
        )
        self.assertIn("Frame A2 (already paid) is for an invoice paid in full", wizard.problems)
        with self.assertRaisesRegex(UserError, "Fix these first"):
            wizard.action_send()
        self.assertFalse(self.fake.invoices)
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {}
        )._create_payments()
        wizard.invalidate_recordset(["problems"])
        self.assertFalse(wizard.problems)
        for _step in range(3):
            wizard.action_next()
        wizard.action_send()
        payload = self.fake.invoices[invoice.hvac_chorus_invoice_id]["payload"]
        self.assertEqual(payload["cadreDeFacturation"]["codeCadreFacturation"], "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE")
        self.assertEqual(payload["montantTotal"]["montantAPayer"], 0.0)

    def test_subcontractor_invoice_names_its_validator(self):
        self.fake.add_structure(
            "73282932000074",
            "Rhône Bâtiment Entreprise Générale",
            services=[("MOE-LYON", "Maîtrise d'œuvre Lyon", False)],
        )
        validator = self.env["res.partner"].create(
            {"name": "Rhône Bâtiment Entreprise Générale", "is_company": True, "siret": "73282932000074"}
        )
        invoice = self.make_invoice()
        wizard = (
            self.env["hvac.chorus.send"]
            .with_user(self.chorus_user)
            .with_context(default_move_id=invoice.id)
            .create({"frame": "A9_FACTURE_SOUSTRAITANT"})
        )
        self.assertIn("names the structure that validates it", wizard.problems)
        wizard.validator_id = validator
        self.assertIn("is not known on Chorus Pro", wizard.problems, "looked up like the buyer")
        validator.with_user(self.chorus_user).action_hvac_chorus_lookup()
        wizard.validator_service_id = validator.hvac_chorus_service_ids
        self.assertFalse(wizard.problems)
        for _step in range(3):
            wizard.action_next()
        wizard.action_send()
        payload = self.fake.invoices[invoice.hvac_chorus_invoice_id]["payload"]
        self.assertEqual(
            payload["cadreDeFacturation"],
            {
                "codeCadreFacturation": "A9_FACTURE_SOUSTRAITANT",
                "codeStructureValideur": "73282932000074",
                "codeServiceValideur": "MOE-LYON",
            },
        )
        self.assertEqual(invoice.hvac_chorus_frame, "A9_FACTURE_SOUSTRAITANT", "kept on the invoice")

    def test_exemption_reason_from_chorus_list(self):
        invoice = self.make_invoice()
        self.env["ir.attachment"].create(
            {"name": "PV réception.pdf", "res_model": "account.move", "res_id": invoice.id, "datas": "JVBERi0xLjQ="}
        )
        calls = len(self.fake.calls)
        Send = self.env["hvac.chorus.send"].with_user(self.chorus_user).with_context(default_move_id=invoice.id)
        Send.default_get(list(Send._fields))  # what the dialog asks for when it opens
        wizard = Send.create({"vat_regime": "EXONERATION"})
        self.assertIn("Give the reason of the VAT exemption.", wizard.problems)
        self.assertEqual(len(self.fake.calls), calls, "opening the wizard calls nothing")
        wizard.action_next()  # to the step where the reason is chosen: Chorus' list is read now
        self.assertEqual([path.rsplit("/", 1)[1] for path, _body in self.fake.calls[calls:]], ["exonerationtva"])
        reasons = self.env["hvac.chorus.exemption.reason"].with_user(self.chorus_user).search([])
        self.assertEqual(sorted(reasons.mapped("code")), ["EXO_261", "EXO_293B"], "Chorus' own list")
        wizard.exemption_reason_id = reasons.filtered(lambda r: r.code == "EXO_293B")
        wizard.action_next()  # to the attachments: their types are read now
        self.assertEqual(self.fake.calls[-1][0], "/cpro/transverses/v1/recuperer/typespj")
        types = self.env["hvac.chorus.attachment.type"].with_user(self.chorus_user).search([])
        self.assertEqual(sorted(types.mapped("code")), ["AUT", "BDC"])
        wizard.action_next()
        wizard.action_send()
        references = self.fake.invoices[invoice.hvac_chorus_invoice_id]["payload"]["references"]
        self.assertEqual((references["typeTva"], references["motifExonerationTva"]), ("EXONERATION", "EXO_293B"))

    def test_upgrade_gives_older_reasons_the_vatex_code_their_label_names(self):
        path = Path(__file__).resolve().parents[2] / "migrations" / "18.0.2.0.0" / "post-chorus-vatex.py"
        spec = importlib.util.spec_from_file_location("hvac_post_chorus_vatex", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        reasons = (
            self.env["hvac.chorus.exemption.reason"]
            .sudo()
            .create(
                [
                    {
                        "company_id": self.company.id,
                        "code": "EXO_293B",
                        "name": "TVA non applicable, art. 293 B du CGI",
                    },
                    {"company_id": self.company.id, "code": "EXO_261", "name": "Exonération, art. 261 du CGI"},
                ]
            )
        )
        self.assertEqual(reasons.mapped("vatex_code"), [False, False], "as 18.0.1 left them")
        migration.migrate(self.env.cr, "18.0.1.0.0")
        reasons.invalidate_recordset(["vatex_code"])
        self.assertEqual(reasons.mapped("vatex_code"), ["VATEX-FR-FRANCHISE", False])

    def test_a_sender_without_email_still_gets_the_deposit_recorded(self):
        self.chorus_user.partner_id.email = False
        invoice = self.make_invoice()
        wizard = self.send(invoice)
        self.assertIn("Deposited", wizard.result)
        self.assertRecordValues(invoice, [{"hvac_chorus_send_state": "sent", "hvac_chorus_status": "DEPOSEE"}])
        note = invoice.message_ids[0]
        self.assertIn("Deposited on Chorus Pro", note.body)
        self.assertNotEqual(
            note.author_id, self.chorus_user.partner_id, "signed by the company or OdooBot, which have an address"
        )

    # --- the buyer's contact: sent when the buyer asks for it (seed 002) ------------------------
    def _buyer_contact(self, **vals):
        return self.env["res.partner"].create(
            {"name": "Sophie Lambert", "parent_id": self.buyer.id, "email": "sophie.lambert@mairie-lyon.fr", **vals}
        )

    def test_the_contact_goes_only_to_a_buyer_that_asks_for_it(self):
        sophie = self._buyer_contact()
        invoice = self.make_invoice()
        self.send(invoice, contact_id=sophie.id, comment="Entretien annuel")
        payload = self.fake.invoices[invoice.hvac_chorus_invoice_id]["payload"]
        self.assertEqual(payload["commentaire"], "Entretien annuel", "this buyer asked for no contact")

    def test_a_buyer_that_asks_for_a_contact_gets_it_and_no_invoice_without(self):
        self.buyer.hvac_chorus_contact_required = True
        invoice = self.make_invoice()
        with self.assertRaisesRegex(UserError, "Mairie de Lyon asks its invoices to name a contact"):
            self.send(invoice)
        unreachable = self._buyer_contact(name="Paul Durand", email=False)
        with self.assertRaisesRegex(UserError, "Paul Durand has neither e-mail nor phone"):
            self.send(invoice, contact_id=unreachable.id)
        self.assertFalse(self.fake.invoices, "nothing deposited")
        # Addressed to a person of the buyer: that person is proposed.
        sophie = self._buyer_contact()
        addressed = self.make_invoice(partner=sophie)
        wizard = self.send(addressed)
        self.assertEqual(wizard.contact_id, sophie)
        payload = self.fake.invoices[addressed.hvac_chorus_invoice_id]["payload"]
        self.assertEqual(payload["commentaire"], "Contact: Sophie Lambert, sophie.lambert@mairie-lyon.fr")
