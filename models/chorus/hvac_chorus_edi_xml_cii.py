from lxml import etree

from odoo import models
from odoo.tools import cleanup_xml_node, float_repr

from ..common.siret import siret_digits
from .account_move import ENGAGEMENT_MAX

# One profile, stated the same in the XML (BT-24) and in the PDF's XMP metadata: core's
# template account_invoice_pdfa_3_facturx_metadata says "EN 16931".
EN16931 = "urn:cen.eu:en16931:2017"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
# Chorus' billing frame (cadre de facturation) as BT-23, the business process: "A1" for
# A1_FACTURE_FOURNISSEUR and so on (Chorus Pro, external specifications, Factur-X annex).
FRAME_CODES = {
    "A1_FACTURE_FOURNISSEUR": "A1",
    "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE": "A2",
    "A9_FACTURE_SOUSTRAITANT": "A9",
    "A12_FACTURE_COTRAITANT": "A12",
}
# Core checks XRechnung's German rules (BR-DE-*) on every CII: they do not apply in France.
# (Its check of our VAT number is EN 16931's own, BR-S-02 and BR-CO-26: it stays.)
GERMAN_RULES = (
    "seller_phone",
    "seller_email",
    "seller_payment_instructions_1",
    "seller_payment_instructions_2",
)


def legal_scheme(identifier):
    """ISO 6523 scheme of a French legal id: 0009 for a SIRET (14 digits), 0002 for a SIREN (9)."""
    return {14: "0009", 9: "0002"}.get(len(siret_digits(identifier)))


NAMESPACES = {"ram": RAM, "rsm": RSM, "qdt": QDT}


def _q(tag):
    prefix, name = tag.split(":")
    return f"{{{NAMESPACES[prefix]}}}{name}"


class HvacChorusEdiXmlCii(models.AbstractModel):
    """Core's Factur-X (CII) as Chorus Pro reads it: routing data only as the user gave it
    (BT-10 service, BT-13 engagement), the billing frame (BT-23), the invoice a credit note
    cancels (BT-25/BT-26), SIRETs under scheme 0009, one profile (EN 16931)."""

    _name = "hvac.chorus.edi.xml.cii"
    _inherit = "account.edi.xml.cii"
    _description = "Factur-X (CII) for Chorus Pro"

    def _export_invoice_vals(self, invoice):
        vals = super()._export_invoice_vals(invoice)
        self._hvac_set_exemption(vals, invoice)
        # Core falls back to the customer's ref (BT-10) and to the invoice ref or number
        # (BT-13): a public buyer would route or check the invoice on data nobody gave.
        vals["buyer_reference"] = invoice.buyer_reference or ""
        vals["purchase_order_reference"] = invoice.purchase_order_reference or ""
        vals["document_context_id"] = EN16931
        vals["seller_specified_legal_organization"] = (
            siret_digits(invoice.company_id.siret) or vals["seller_specified_legal_organization"]
        )
        vals["buyer_specified_legal_organization"] = (
            siret_digits(invoice.commercial_partner_id.siret) or vals["buyer_specified_legal_organization"]
        )
        return vals

    def _export_invoice_constraints(self, invoice, vals):
        constraints = super()._export_invoice_constraints(invoice, vals)
        for rule in GERMAN_RULES:
            constraints.pop(rule, None)
        _ = self.env._
        if len(siret_digits(invoice.company_id.siret)) != 14:
            constraints["hvac_chorus_seller_siret"] = _("Our company has no SIRET: set it on the company.")
        if len(siret_digits(invoice.commercial_partner_id.siret)) != 14:
            constraints["hvac_chorus_buyer_siret"] = _(
                "The customer %s has no SIRET.", invoice.commercial_partner_id.name
            )
        if len(invoice.purchase_order_reference or "") > ENGAGEMENT_MAX:
            constraints["hvac_chorus_engagement"] = _("The engagement number has more than 50 characters.")
        if invoice.move_type == "out_refund" and not invoice.reversed_entry_id:
            constraints["hvac_chorus_origin"] = _(
                "A credit note to Chorus Pro names the invoice it cancels: create it with “Credit note” from that invoice."
            )
        constraints["hvac_buyer_address"] = invoice.partner_id._hvac_postal_address_problem()
        constraints["hvac_exemption"] = "\n".join(
            invoice._hvac_exemption_problems(invoice.hvac_chorus_exemption_reason_id)
        )
        return constraints

    def _export_invoice(self, invoice):
        xml, errors = super()._export_invoice(invoice)
        tree = etree.fromstring(xml)
        self._hvac_set_legal_schemes(tree)
        self._hvac_name_lines(tree)
        self._hvac_set_frame(tree, invoice)
        self._hvac_set_origin(tree, invoice)
        self._hvac_drop_ship_to_contact(tree)
        self._hvac_set_paid(tree, invoice)
        return etree.tostring(cleanup_xml_node(tree), xml_declaration=True, encoding="UTF-8"), errors

    # --- what core's template cannot say ------------------------------------------------------
    @staticmethod
    def _hvac_set_exemption(vals, invoice):
        # Core states every exemption with one generic text and no code: the reason chosen on
        # the invoice (Chorus' list) is the text (BT-120), its VATEX code the code (BT-121).
        reason = invoice.hvac_chorus_exemption_reason_id
        if not reason:
            return
        for tax in vals["tax_details"]["tax_details"].values():
            if tax.get("tax_category_code") == "E":
                tax["tax_exemption_reason"] = reason.name
                tax["tax_exemption_reason_code"] = reason.vatex_code or None

    @staticmethod
    def _hvac_drop_ship_to_contact(tree):
        # Core names a contact in the delivery party; the Factur-X EN 16931 profile has no
        # such element there and a strict intake refuses it.
        for party in tree.iter(_q("ram:ShipToTradeParty")):
            for contact in party.findall(_q("ram:DefinedTradeContact")):
                party.remove(contact)

    @staticmethod
    def _hvac_set_paid(tree, invoice):
        # Core states total minus residual as paid (BT-113): a credit note set against the
        # invoice it cancels would say it was refunded, and nothing would be due (BT-115).
        summation = tree.find(f".//{_q('ram:SpecifiedTradeSettlementHeaderMonetarySummation')}")
        paid, due = summation.find(_q("ram:TotalPrepaidAmount")), summation.find(_q("ram:DuePayableAmount"))
        amount = invoice._hvac_paid_amount()
        if paid is not None:
            paid.text = float_repr(amount, 2)
        if due is not None:
            due.text = float_repr(invoice._hvac_due_amount(), 2)

    @staticmethod
    def _hvac_set_legal_schemes(tree):
        # Core's template writes every legal id under 0002 (SIREN); a SIRET is 0009.
        for node in tree.iter(_q("ram:SpecifiedLegalOrganization")):
            identifier = node.find(_q("ram:ID"))
            scheme = identifier is not None and legal_scheme(identifier.text)
            if scheme:
                identifier.set("schemeID", scheme)

    @staticmethod
    def _hvac_name_lines(tree):
        # BT-153 (item name) is mandatory; core names the item after its product only, so a
        # line without product would have none: its label becomes the name.
        for product in tree.iter(_q("ram:SpecifiedTradeProduct")):
            description = product.find(_q("ram:Description"))
            if product.find(_q("ram:Name")) is None and description is not None:
                description.tag = _q("ram:Name")

    @staticmethod
    def _hvac_set_frame(tree, invoice):
        code = FRAME_CODES.get(invoice.hvac_chorus_frame or "A1_FACTURE_FOURNISSEUR")
        context = tree.find(_q("rsm:ExchangedDocumentContext"))
        process = etree.Element(_q("ram:BusinessProcessSpecifiedDocumentContextParameter"))
        etree.SubElement(process, _q("ram:ID")).text = code
        # XSD order: TestIndicator?, BusinessProcess…, Guideline…
        context.insert(0, process)

    @staticmethod
    def _hvac_set_origin(tree, invoice):
        origin = invoice.reversed_entry_id
        if invoice.move_type != "out_refund" or not origin:
            return
        settlement = tree.find(f"{_q('rsm:SupplyChainTradeTransaction')}/{_q('ram:ApplicableHeaderTradeSettlement')}")
        referenced = etree.Element(_q("ram:InvoiceReferencedDocument"))
        etree.SubElement(referenced, _q("ram:IssuerAssignedID")).text = origin.name
        if origin.invoice_date:
            issued = etree.SubElement(referenced, _q("ram:FormattedIssueDateTime"))
            date = etree.SubElement(issued, _q("qdt:DateTimeString"), format="102")
            date.text = origin.invoice_date.strftime("%Y%m%d")
        # XSD order: … SpecifiedTradeSettlementHeaderMonetarySummation, InvoiceReferencedDocument, …
        summation = settlement.find(_q("ram:SpecifiedTradeSettlementHeaderMonetarySummation"))
        settlement.insert(settlement.index(summation) + 1, referenced)
