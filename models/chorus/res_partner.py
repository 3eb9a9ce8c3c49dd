import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ...clients.chorus_pro import ChorusProError
from ..common.batch import Job, in_batches
from ..common.siret import siret_digits
from .chorus_errors import chorus_error_message

_logger = logging.getLogger(__name__)

CHORUS_USER = "hvac_connect.group_chorus_user"

CHORUS_REQUIRED = [
    ("none", "Nothing more"),
    ("service", "Service code"),
    ("engagement", "Engagement number"),
    ("service_or_engagement", "Service code or engagement number"),
    ("service_and_engagement", "Service code and engagement number"),
]
# Services reserved to invoicing between public entities: an invoice to them is rejected.
RESERVED_SERVICES = {"FACTURES_PUBLIQUES"}


class ResPartner(models.Model):
    """What Chorus Pro says of a public buyer: its structure, what it requires, its services."""

    _inherit = "res.partner"

    hvac_chorus_structure_id = fields.Integer("Chorus Pro structure id", readonly=True, copy=False)
    hvac_chorus_checked_at = fields.Datetime("Checked on Chorus Pro on", readonly=True, copy=False)
    hvac_chorus_not_found = fields.Boolean("Not a Chorus Pro structure", readonly=True, copy=False)
    hvac_chorus_required = fields.Selection(CHORUS_REQUIRED, "Chorus Pro requires", readonly=True, copy=False)
    hvac_chorus_payment_not_reported = fields.Boolean(
        "Payment status not reported",
        readonly=True,
        copy=False,
        help="This entity does not report the MISE_EN_PAIEMENT status: Odoo does not wait for it.",
    )
    hvac_chorus_service_ids = fields.One2many("hvac.chorus.service", "partner_id", "Chorus Pro services")
    # Chorus publishes no such flag: the buyer says it, and the user records it (seed 002,
    # "le contact si demandé").
    hvac_chorus_contact_required = fields.Boolean(
        "Asks for a contact on its invoices",
        help="This public buyer wants each invoice to name its contact: the Chorus Pro send then requires one, "
        "and sends it.",
    )
    # Proposed on the invoices made from fiches, unless the site or the installation says otherwise.
    hvac_chorus_default_service_id = fields.Many2one(
        "hvac.chorus.service",
        "Default Chorus Pro service",
        domain="[('partner_id', '=', id)]",
        groups="account.group_account_invoice",
        help="Proposed on the invoices made from fiches, unless the site or the installation names another.",
    )
    hvac_chorus_default_engagement = fields.Char(
        "Default engagement number",
        size=50,
        groups="account.group_account_invoice",
        help="Proposed on the invoices made from fiches, unless the site or the installation names another.",
    )

    def _get_edi_builder(self, invoice_edi_format):
        # Core's Factur-X for a Chorus Pro buyer is the Chorus flavour: BT-10/13 only as given,
        # frame, credit note origin, SIRET under 0009. Between French companies outside Chorus,
        # it is the e-invoicing reform's (BR-FR).
        if invoice_edi_format == "facturx" and self.commercial_partner_id.hvac_chorus_structure_id:
            return self.env["hvac.chorus.edi.xml.cii"]
        buyer = self.commercial_partner_id
        if invoice_edi_format == "facturx" and len(buyer) == 1 and buyer._hvac_french_b2b():
            return self.env["hvac.edi.xml.cii.fr"]
        return super()._get_edi_builder(invoice_edi_format)

    def _get_suggested_invoice_edi_format(self):
        # Between French companies the reform's Factur-X goes with every invoice PDF (Send &
        # Print), unless the partner's e-invoicing format says otherwise.
        if len(self.commercial_partner_id) == 1 and self.commercial_partner_id._hvac_french_b2b():
            return "facturx"
        return super()._get_suggested_invoice_edi_format()

    def _hvac_french_b2b(self):
        """Whether an invoice of the current company to this partner is French B2B under the
        reform: both French companies known by a valid SIRET (the reform's identifiers)."""
        self.ensure_one()
        if not self.is_company or self.hvac_chorus_structure_id:
            return False
        return all(
            party.country_id.code == "FR" and party.siret and not party._hvac_siret_error()
            for party in (self, self.env.company.partner_id)
        )

    def _hvac_postal_address_problem(self):
        """What an electronic invoice misses of this buyer's postal address (EN 16931: BR-10, the
        address, and BR-11, its country), or None."""
        self.ensure_one()
        if self.country_id and (self.street or self.zip or self.city):
            return None
        return self.env._(
            "The customer %s has no postal address with its country: an electronic invoice names them (EN 16931, BR-10 and BR-11); complete the address on the customer.",
            self.display_name,
        )

    def action_hvac_chorus_lookup(self):
        # The call spends the company's Chorus credentials: for Chorus users only.
        if not self.env.user.has_group(CHORUS_USER):
            raise AccessError(
                self.env._("Only users with the right Chorus Pro: Send invoices can look customers up on Chorus Pro.")
            )
        client = self.env.company._hvac_chorus_client()
        for partner in self:
            try:
                partner._hvac_chorus_refresh(client)
            except ChorusProError as error:
                raise UserError(chorus_error_message(self.env, error)) from None
        return True

    def _hvac_chorus_refresh(self, client):
        self.ensure_one()
        siret = siret_digits(self.siret)
        if len(siret) != 14:
            raise UserError(self.env._("%s has no SIRET: Chorus Pro finds public buyers by SIRET.", self.display_name))
        if self._hvac_siret_error():
            raise UserError(self._hvac_siret_error())
        # Facts from Chorus Pro, recorded even by users who may not edit partners.
        self.check_access("read")
        partner = self.sudo()
        found = client.find_structure(siret)
        if not found:
            partner.write(
                {
                    "hvac_chorus_not_found": True,
                    "hvac_chorus_structure_id": 0,
                    "hvac_chorus_checked_at": fields.Datetime.now(),
                }
            )
            return
        structure_id = found["idStructureCPP"]
        details = client.structure(structure_id)
        flags = details.get("parametres") or {}
        partner.write(
            {
                "hvac_chorus_not_found": False,
                "hvac_chorus_structure_id": structure_id,
                "hvac_chorus_required": self._required_from_flags(flags),
                "hvac_chorus_payment_not_reported": bool(flags.get("statutMiseEnPaiementNestPasRemonte")),
                "hvac_chorus_checked_at": fields.Datetime.now(),
                **partner._hvac_chorus_address(details.get("adressePostaleDuSiege") or {}),
            }
        )
        partner._sync_services(client, structure_id)

    def _hvac_chorus_address(self, address):
        """The seat's postal address Chorus Pro gives, for a buyer entered without one: an
        invoice names the buyer's address and country (EN 16931, BR-10 and BR-11). An address
        the user entered is kept."""
        self.ensure_one()
        if self.street or self.zip or self.city or not (address.get("adresse") or address.get("ville")):
            return {}
        country = self.country_id
        code = (address.get("pays") or "").strip()
        if not country and len(code) == 2:
            country = self.env["res.country"].search([("code", "=", code.upper())], limit=1)
        elif not country and code:
            country = self.env["res.country"].search([("name", "=ilike", code)], limit=1)
        elif not country:
            country = self.env.ref("base.fr")  # Chorus Pro's public buyers are French
        street2 = " ".join(filter(None, [address.get("complementAdresse1"), address.get("complementAdresse2")]))
        return {
            "street": address.get("adresse") or False,
            "street2": street2 or False,
            "zip": address.get("codePostal") or False,
            "city": address.get("ville") or False,
            "country_id": country.id,
        }

    @api.model
    def _required_from_flags(self, flags):
        if flags.get("gestionNumeroEJOuCodeService"):
            return "service_or_engagement"
        service, engagement = flags.get("codeServiceDoitEtreRenseigne"), flags.get("numeroEJDoitEtreRenseigne")
        return (
            "service_and_engagement"
            if service and engagement
            else "service"
            if service
            else "engagement"
            if engagement
            else "none"
        )

    def _sync_services(self, client, structure_id):
        services = [s for s in client.services(structure_id) if s.get("codeService") not in RESERVED_SERVICES]
        known = {s.chorus_id: s for s in self.with_context(active_test=False).hvac_chorus_service_ids}
        new = []
        for service in services:
            values = {
                "code": service["codeService"],
                "name": service.get("libelleService") or service["codeService"],
                "active": bool(service.get("estActif", True)),
                "engagement_required": bool(
                    (client.service(structure_id, service["idService"]).get("parametres") or {}).get("numeroEngagement")
                ),
            }
            if service["idService"] in known:
                known.pop(service["idService"]).write(values)
            else:
                new.append(dict(values, partner_id=self.id, chorus_id=service["idService"]))
        self.env["hvac.chorus.service"].create(new)
        for gone in known.values():
            gone.active = False

    @api.model
    def _cron_hvac_chorus_refresh(self):
        """Weekly: refresh every known Chorus buyer, per company credentials; log and go on."""
        job = Job(self.env, 0)
        for company in self.env["res.company"].search([("hvac_chorus_connection_state", "=", "ok")]):
            client = company._hvac_chorus_client()
            buyers = self.search([("hvac_chorus_structure_id", "!=", 0), ("company_id", "in", (False, company.id))])
            # A buyer someone is editing is left to next week's refresh: nothing is lost but a week.
            held = in_batches(buyers, lambda batch, client=client: batch._hvac_chorus_refresh_each(client), job=job)
            if held:
                _logger.info("Chorus Pro refresh: %s buyers being edited, left to the next run", len(held))

    def _hvac_chorus_refresh_each(self, client):
        for partner in self:
            try:
                partner._hvac_chorus_refresh(client)
            except (ChorusProError, UserError) as error:
                partner.message_post(body=self.env._("Chorus Pro refresh failed: %s", getattr(error, "code", error)))
