from lxml import etree

from odoo import models
from odoo.tools import cleanup_xml_node

from ..common.siret import siret_digits
from .hvac_chorus_edi_xml_cii import _q

# The reform's billing modes (BT-23): goods, services or both, invoice not yet paid.
BILLING_MODES = {"goods": "B1", "services": "S1", "mixed": "M1"}
# The electronic address scheme of the French e-invoicing directory (BT-34 and BT-49).
FR_DIRECTORY = "0225"


class HvacEdiXmlCiiFr(models.AbstractModel):
    """The Factur-X of an invoice between two French companies outside Chorus Pro, as the
    2026-2027 e-invoicing reform reads it (the BR-FR rules, "Flux 2"): the SIREN as legal
    identifier (BT-30, BT-47) and the SIRET as identifier under 0009 (BT-29, BT-46), the
    billing mode (BT-23: B1, S1 or M1), the SIREN as electronic address in the directory (BT-34,
    BT-49), a B2B treatment note and the three mandatory payment notes (PMT, PMD, AAB).
    Everything else is the Chorus flavour's: routing data only as given, the invoice a credit
    note cancels, the reason of an exemption, what was paid."""

    _name = "hvac.edi.xml.cii.fr"
    _inherit = "hvac.chorus.edi.xml.cii"
    _description = "Factur-X (CII) between French companies (e-invoicing reform)"

    def _export_invoice_constraints(self, invoice, vals):
        constraints = super()._export_invoice_constraints(invoice, vals)
        # Chorus Pro's list of reasons may be out of reach of a company outside Chorus: without
        # one chosen, core's text states the exemption (BT-120), which the rules accept.
        constraints.pop("hvac_exemption", None)
        if constraints.get("hvac_chorus_origin"):
            constraints["hvac_chorus_origin"] = self.env._(
                "A credit note names the invoice it cancels: create it with “Credit note” from that invoice."
            )
        return constraints

    def _export_invoice(self, invoice):
        xml, errors = super()._export_invoice(invoice)
        tree = etree.fromstring(xml)
        agreement = tree.find(f".//{_q('ram:ApplicableHeaderTradeAgreement')}")
        self._hvac_identify(agreement.find(_q("ram:SellerTradeParty")), invoice.company_id.siret)
        self._hvac_identify(agreement.find(_q("ram:BuyerTradeParty")), invoice.commercial_partner_id.siret)
        self._hvac_add_notes(tree, invoice)
        return etree.tostring(cleanup_xml_node(tree), xml_declaration=True, encoding="UTF-8"), errors

    @staticmethod
    def _hvac_set_legal_schemes(tree):
        """The parties' identifiers are set by _hvac_identify."""

    @staticmethod
    def _hvac_set_frame(tree, invoice):
        products = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        # A line without a product is a service: what a contractor invoices by hand is work.
        kinds = {"goods" if line.product_id and line.product_id.type != "service" else "services" for line in products}
        mode = BILLING_MODES["mixed" if len(kinds) > 1 else next(iter(kinds), "services")]
        context = tree.find(_q("rsm:ExchangedDocumentContext"))
        process = etree.Element(_q("ram:BusinessProcessSpecifiedDocumentContextParameter"))
        etree.SubElement(process, _q("ram:ID")).text = mode
        context.insert(0, process)

    @staticmethod
    def _hvac_identify(party, siret):
        """SIRET under 0009 (BT-29/BT-46), SIREN as legal identifier under 0002 (BT-30/BT-47)
        and as electronic address in the directory (BT-34/BT-49), in the XSD's order."""
        siret = siret_digits(siret)
        siren = siret[:9]
        global_id = etree.Element(_q("ram:GlobalID"), schemeID="0009")
        global_id.text = siret
        party.insert(party.index(party.find(_q("ram:Name"))), global_id)
        legal = party.find(_q("ram:SpecifiedLegalOrganization"))
        if legal is None:
            legal = etree.Element(_q("ram:SpecifiedLegalOrganization"))
            party.insert(party.index(party.find(_q("ram:Name"))) + 1, legal)
        for old in legal.findall(_q("ram:ID")):
            legal.remove(old)
        etree.SubElement(legal, _q("ram:ID"), schemeID="0002").text = siren
        legal.insert(0, legal[-1])
        address = etree.Element(_q("ram:URIUniversalCommunication"))
        etree.SubElement(address, _q("ram:URIID"), schemeID=FR_DIRECTORY).text = siren
        taxes = party.find(_q("ram:SpecifiedTaxRegistration"))
        if taxes is not None:
            party.insert(party.index(taxes), address)
        else:
            party.append(address)

    def _hvac_add_notes(self, tree, invoice):
        """The treatment (BAR: B2B) and the mentions French law requires on a B2B invoice, each
        under its code: recovery costs (PMT), late payment penalties (PMD), discount (AAB)."""
        _ = self.with_context(lang=invoice.partner_id.lang).env._
        notes = [
            ("BAR", "B2B"),
            ("PMT", _("Fixed compensation for recovery costs in case of late payment: 40 €.")),
            (
                "PMD",
                _(
                    "Late payment penalties: three times the French legal interest rate, due from the day after the due date."
                ),
            ),
            ("AAB", _("No discount for early payment.")),
        ]
        document = tree.find(_q("rsm:ExchangedDocument"))
        for code, text in notes:
            note = etree.SubElement(document, _q("ram:IncludedNote"))
            etree.SubElement(note, _q("ram:Content")).text = text
            etree.SubElement(note, _q("ram:SubjectCode")).text = code
