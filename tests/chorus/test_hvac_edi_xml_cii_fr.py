from lxml import etree

from odoo.tests import HttpCase, tagged

from .. import schematron
from ..chorus_common import BUYER_SIRET, OUR_SIRET, ChorusCase, core_makes_facturx
from ..chorus_fake import facturx_problems, facturx_xml

CUSTOMER_SIRET = "44306184100104"
ALL_RULES = ("en16931", "facturx", "br-fr")


@tagged("post_install", "-at_install")
class TestHvacEdiXmlCiiFr(HttpCase, ChorusCase):
    """An invoice to a French company outside Chorus Pro: Send & Print gives Odoo's PDF with
    the reform's Factur-X in it (BR-FR rules), as a receiving platform reads it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Boulangerie Martin SARL",
                "is_company": True,
                "siret": CUSTOMER_SIRET,
                "vat": "FR64443061841",
                "street": "8 rue Mercière",
                "zip": "69002",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "email": "compta@boulangerie-martin.fr",
            }
        )

    def send_and_print(self, move):
        """Core's Send & Print, as its button calls it; the PDF really made (wkhtmltopdf)."""
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"move_id": move.id, "sending_methods": ["manual"]})
        )
        self.assertEqual(wizard.invoice_edi_format, "facturx", "the reform's format, suggested for a French company")
        with core_makes_facturx():
            wizard.with_context(force_report_rendering=True).action_send_and_print()
        return move.invoice_pdf_report_id.raw

    def test_french_b2b_invoice_passes_the_reform_rules(self):
        invoice = self.make_invoice(partner=self.customer, amount=1250.0)
        pdf = self.send_and_print(invoice)
        self.assertEqual(facturx_problems(pdf, ALL_RULES), [], "XSD, EN 16931 (CEN), Factur-X EN 16931 and BR-FR")
        self.assertIn(b"pdfaid:part", pdf, "a PDF/A-3, as Factur-X requires")
        xml = etree.fromstring(facturx_xml(pdf))
        self.assertEqual(etree.tostring(xml), etree.tostring(etree.fromstring(invoice.ubl_cii_xml_id.raw)))
        seller = xml.find(".//{*}SellerTradeParty")
        buyer = xml.find(".//{*}BuyerTradeParty")
        for party, siret in ((seller, OUR_SIRET), (buyer, CUSTOMER_SIRET)):
            self.assertEqual(party.find("{*}GlobalID").attrib, {"schemeID": "0009"})
            self.assertEqual(party.findtext("{*}GlobalID"), siret, "BT-29/BT-46: the SIRET under 0009")
            self.assertEqual(party.find("{*}SpecifiedLegalOrganization/{*}ID").get("schemeID"), "0002")
            self.assertEqual(party.findtext("{*}SpecifiedLegalOrganization/{*}ID"), siret[:9], "BT-30/BT-47: SIREN")
            address = party.find("{*}URIUniversalCommunication/{*}URIID")
            self.assertEqual((address.text, address.get("schemeID")), (siret[:9], "0225"), "BT-34/BT-49")
        self.assertEqual(xml.findtext(".//{*}BusinessProcessSpecifiedDocumentContextParameter/{*}ID"), "S1")
        notes = {note.findtext("{*}SubjectCode"): note.findtext("{*}Content") for note in xml.iter("{*}IncludedNote")}
        self.assertEqual(notes["BAR"], "B2B")
        self.assertIn("40 €", notes["PMT"])
        self.assertIn("Late payment penalties", notes["PMD"])
        self.assertEqual(notes["AAB"], "No discount for early payment.")

    def test_french_b2b_credit_note_names_its_invoice(self):
        invoice = self.make_invoice(partner=self.customer, amount=480.0)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Remise commerciale"})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        credit_note.action_post()
        pdf = self.send_and_print(credit_note)
        self.assertEqual(facturx_problems(pdf, ALL_RULES), [])
        xml = etree.fromstring(facturx_xml(pdf))
        self.assertEqual(xml.findtext(".//{*}InvoiceReferencedDocument/{*}IssuerAssignedID"), invoice.name)
        self.assertEqual(xml.findtext(".//{*}DuePayableAmount"), xml.findtext(".//{*}GrandTotalAmount"))

    def test_chorus_buyers_keep_the_chorus_flavour(self):
        """The reform's identifiers and codes are not what Chorus Pro reads: its buyers' Factur-X
        stays as Chorus flows carry it (SIRET as legal identifier, billing frame A1)."""
        self.assertEqual(self.buyer._get_edi_builder("facturx")._name, "hvac.chorus.edi.xml.cii")
        self.assertEqual(self.customer._get_edi_builder("facturx")._name, "hvac.edi.xml.cii.fr")
        xml, errors = self.buyer._get_edi_builder("facturx")._export_invoice(self.make_invoice())
        self.assertFalse(errors)
        tree = etree.fromstring(xml)
        self.assertEqual(tree.findtext(".//{*}BusinessProcessSpecifiedDocumentContextParameter/{*}ID"), "A1")
        self.assertEqual(tree.findtext(".//{*}BuyerTradeParty/{*}SpecifiedLegalOrganization/{*}ID"), BUYER_SIRET)
        self.assertIsNone(tree.find(".//{*}BuyerTradeParty/{*}GlobalID"))
        self.assertEqual(schematron.errors(xml), [], "and passes EN 16931 (CEN and Factur-X)")
        # A company without SIRET, or abroad, keeps core's Factur-X.
        stranger = self.env["res.partner"].create(
            {"name": "Bäckerei Schmidt GmbH", "is_company": True, "country_id": self.env.ref("base.de").id}
        )
        self.assertEqual(stranger._get_edi_builder("facturx")._name, "account.edi.xml.cii")
