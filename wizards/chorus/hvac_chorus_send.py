import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...clients.chorus_pro import ChorusProError
from ...models.chorus.account_move import EXTENSIONS, FILE_MAX, FRAMES, TOTAL_MAX, chorus_filename
from ...models.chorus.chorus_errors import chorus_error_message
from ...models.common.siret import siret_digits

STEPS = [
    ("info", "1. Information"),
    ("checks", "2. Data checks"),
    ("attachments", "3. Attachments"),
    ("send", "4. Send"),
]
VALIDATED_FRAMES = ("A9_FACTURE_SOUSTRAITANT", "A12_FACTURE_COTRAITANT")
VAT_REGIMES = [
    ("TVA_SUR_DEBIT", "VAT on debits"),
    ("TVA_SUR_ENCAISSEMENT", "VAT on receipts"),
    ("EXONERATION", "VAT exemption"),
    ("SANS_TVA", "Without VAT"),
]


class HvacChorusSend(models.TransientModel):
    """Send one invoice to Chorus Pro in the four steps users know (seed 002)."""

    _name = "hvac.chorus.send"
    _description = "Send an invoice to Chorus Pro"

    move_id = fields.Many2one("account.move", required=True, readonly=True)
    step = fields.Selection(STEPS, default="info", required=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id")
    problems = fields.Text(compute="_compute_problems")
    service_id = fields.Many2one("hvac.chorus.service", "Service", domain="[('partner_id', '=', partner_id)]")
    buyer_reference = fields.Char("Service code")
    purchase_order_reference = fields.Char("Engagement number")
    contact_id = fields.Many2one("res.partner", "Contact", domain="[('parent_id', '=', partner_id)]")
    contact_required = fields.Boolean(related="partner_id.hvac_chorus_contact_required")
    comment = fields.Char("Public comment")
    frame = fields.Selection(FRAMES, "Billing frame", default="A1_FACTURE_FOURNISSEUR", required=True)
    vat_regime = fields.Selection(VAT_REGIMES, "VAT regime", required=True)
    exemption_reason_id = fields.Many2one(
        "hvac.chorus.exemption.reason", "Exemption reason", help="Chorus Pro's own list of reasons."
    )
    # A9/A12: the structure (and service) that validates the invoice before the buyer gets it.
    validator_id = fields.Many2one(
        "res.partner",
        "Validating structure",
        domain="[('is_company', '=', True), ('hvac_chorus_structure_id', '!=', 0)]",
    )
    validator_service_id = fields.Many2one(
        "hvac.chorus.service", "Validating service", domain="[('partner_id', '=', validator_id)]"
    )
    attachment_ids = fields.One2many("hvac.chorus.send.attachment", "wizard_id", "Attachments")
    attachment_problems = fields.Text(compute="_compute_attachment_problems")
    result = fields.Text(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        move = self.env["account.move"].browse(values.get("move_id") or self.env.context.get("default_move_id"))
        if move:
            values.update(self._defaults_from(move))
        return values

    @api.model
    def _defaults_from(self, move):
        exigibility = set(move.line_ids.tax_ids.mapped("tax_exigibility"))
        vat = (
            "SANS_TVA"
            if not move.amount_tax
            else "TVA_SUR_ENCAISSEMENT"
            if exigibility == {"on_payment"}
            else "TVA_SUR_DEBIT"
        )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", move.id), ("id", "!=", move.invoice_pdf_report_id.id)]
        )
        return {
            "contact_id": self._default_contact(move).id,
            "service_id": move.hvac_chorus_service_id.id,
            "buyer_reference": move.buyer_reference,
            "purchase_order_reference": move.purchase_order_reference,
            "frame": move.hvac_chorus_frame or "A1_FACTURE_FOURNISSEUR",
            "vat_regime": vat,
            "exemption_reason_id": move.hvac_chorus_exemption_reason_id.id,
            "attachment_ids": [fields.Command.create({"attachment_id": a.id}) for a in attachments],
        }

    # --- the buyer's contact, when the buyer asks for one (seed 002) ---------------------------
    @api.model
    def _default_contact(self, move):
        buyer = move.commercial_partner_id
        person = move.partner_id
        if buyer.hvac_chorus_contact_required and person != buyer and person.commercial_partner_id == buyer:
            return person  # the invoice is addressed to a person of the buyer: that is its contact
        return self.env["res.partner"]

    def _contact_problems(self):
        if not self.partner_id.hvac_chorus_contact_required:
            return []
        if not self.contact_id:
            return [self.env._("%s asks its invoices to name a contact: choose one.", self.partner_id.name)]
        if not (self.contact_id.email or self.contact_id.phone):
            return [
                self.env._(
                    "The contact %s has neither e-mail nor phone: the buyer could not reach them.", self.contact_id.name
                )
            ]
        return []

    def _contact_text(self):
        """The contact as Chorus Pro's invoice carries it: ``soumettre`` has no contact field,
        only the comment (research chorus_pro.md §3; checked against the Swagger)."""
        contact = self.contact_id
        if not (contact and self.partner_id.hvac_chorus_contact_required):
            return False
        return self.env._("Contact: %s", ", ".join(filter(None, [contact.name, contact.email, contact.phone])))

    @api.onchange("service_id")
    def _onchange_service_id(self):
        if self.service_id:
            self.buyer_reference = self.service_id.code

    @api.depends(
        "move_id",
        "buyer_reference",
        "purchase_order_reference",
        "service_id",
        "vat_regime",
        "exemption_reason_id",
        "frame",
        "validator_id",
        "validator_service_id",
        "contact_id",
    )
    def _compute_problems(self):
        for wizard in self:
            move = wizard.move_id
            if not move:
                wizard.problems = False
                continue
            # Checked on what the wizard will write back, not on the invoice as it was.
            simulated = move.new(
                {
                    "buyer_reference": wizard.buyer_reference,
                    "purchase_order_reference": wizard.purchase_order_reference,
                    "hvac_chorus_service_id": wizard.service_id.id,
                },
                origin=move,
            )
            problems = move._hvac_chorus_base_problems() + simulated._hvac_chorus_routing_problems()
            problems += move._hvac_chorus_frame_problems(wizard.frame)
            if wizard.vat_regime == "EXONERATION" and not wizard.exemption_reason_id:
                problems.append(self.env._("Give the reason of the VAT exemption."))
            problems += wizard._validator_problems()
            problems += wizard._contact_problems()
            wizard.problems = "\n".join(f"• {p}" for p in problems) or False

    def _validator_problems(self):
        _ = self.env._
        if self.frame not in VALIDATED_FRAMES:
            return []
        if not self.validator_id:
            return [_("A subcontractor or co-contractor invoice (A9/A12) names the structure that validates it.")]
        if not self.validator_id.hvac_chorus_structure_id:
            return [
                _(
                    "The validating structure %s is not known on Chorus Pro: use “Rechercher sur Chorus Pro” on it.",
                    self.validator_id.name,
                )
            ]
        return []

    @api.depends("attachment_ids.include", "attachment_ids.attachment_id")
    def _compute_attachment_problems(self):
        for wizard in self:
            wizard.attachment_problems = "\n".join(f"• {p}" for p in wizard._attachment_problems()) or False

    def _attachment_problems(self):
        _ = self.env._
        problems, total = [], 0
        for line in self.attachment_ids.filtered("include"):
            attachment = line.attachment_id
            extension = (attachment.name or "").rpartition(".")[2].lower()
            total += attachment.file_size
            if extension not in EXTENSIONS:
                problems.append(_("%s: Chorus Pro does not accept this kind of file.", attachment.name))
            if not attachment.file_size or attachment.file_size > FILE_MAX:
                problems.append(_("%s: a file must weigh between 1 byte and 10 MB.", attachment.name))
        if total > TOTAL_MAX:
            problems.append(_("All attachments together weigh more than 120 MB."))
        return problems

    # --- navigation --------------------------------------------------------------------------
    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send to Chorus Pro"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_next(self):
        self.ensure_one()
        if self.step == "checks" and self.problems:
            raise UserError(self.env._("Fix these first:\n%s", self.problems))
        if self.step == "checks":
            self._check_engagement_on_chorus()
        if self.step == "attachments" and self.attachment_problems:
            raise UserError(self.env._("These attachments cannot go to Chorus Pro:\n%s", self.attachment_problems))
        order = [key for key, _label in STEPS]
        self.step = order[min(order.index(self.step) + 1, len(order) - 1)]
        self._refresh_chorus_lists()
        return self._reopen()

    def _refresh_chorus_lists(self):
        """Chorus' own lists the next step chooses from, read again when a week old. On *Next*,
        not on opening nor on a change: a slow Chorus then holds a click the user made to go on,
        not the dialog or each field."""
        company = self.move_id.company_id
        if self.step == "checks":
            self.env["hvac.chorus.exemption.reason"]._hvac_refresh(company)
        elif self.step == "attachments" and self.attachment_ids:
            self.env["hvac.chorus.attachment.type"]._hvac_refresh(company)

    def _check_engagement_on_chorus(self):
        company, number = self.move_id.company_id, self.purchase_order_reference
        if not (company.hvac_chorus_check_engagement and number):
            return
        try:
            found = company._hvac_chorus_client().find_engagement(company.hvac_chorus_structure_id, number)
        except ChorusProError as error:
            raise UserError(chorus_error_message(self.env, error)) from None
        if not found:
            raise UserError(
                self.env._(
                    "Chorus Pro does not know the engagement number %s for our company: check it with the buyer.",
                    number,
                )
            )

    def action_previous(self):
        order = [key for key, _label in STEPS]
        self.step = order[max(order.index(self.step) - 1, 0)]
        return self._reopen()

    # --- sending -------------------------------------------------------------------------------
    def action_send(self):
        self.ensure_one()
        move = self.move_id
        move._hvac_chorus_check_right()
        if self.problems or self.attachment_problems:
            raise UserError(
                self.env._("Fix these first:\n%s", "\n".join(filter(None, [self.problems, self.attachment_problems])))
            )
        # What the user completed is written back to the invoice (kept even if Chorus refuses).
        move.sudo().write(
            {
                "buyer_reference": self.buyer_reference,
                "purchase_order_reference": self.purchase_order_reference,
                "hvac_chorus_service_id": self.service_id.id,
                "hvac_chorus_frame": self.frame,
                "hvac_chorus_exemption_reason_id": self.exemption_reason_id.id
                if self.vat_regime == "EXONERATION"
                else move.hvac_chorus_exemption_reason_id.id,
            }
        )
        error = move._hvac_chorus_send(self._payload(), self._files())
        self.result = error or self.env._(
            "Deposited: Chorus Pro id %(id)s, status %(status)s, footprint %(footprint)s.",
            id=move.hvac_chorus_invoice_id,
            status=move.hvac_chorus_status_label,
            footprint=move.hvac_chorus_footprint or "-",
        )
        return self._reopen()

    def _files(self):
        move = self.move_id
        pdf, _format = self.env["ir.actions.report"]._render_qweb_pdf("account.account_invoices", move.ids)
        files = [(chorus_filename(f"{move.name}.pdf"), pdf, "application/pdf", None)]
        for line in self.attachment_ids.filtered("include"):
            attachment = line.attachment_id
            files.append(
                (
                    chorus_filename(attachment.name),
                    base64.b64decode(attachment.datas),
                    attachment.mimetype,
                    line.chorus_type_id.code or "",
                )
            )
        return files

    def _frame_payload(self):
        frame = {"codeCadreFacturation": self.frame}
        if self.frame in VALIDATED_FRAMES:
            # The validator is named like the buyer: its SIRET, and its service code if any.
            frame["codeStructureValideur"] = siret_digits(self.validator_id.siret)
            if self.validator_service_id:
                frame["codeServiceValideur"] = self.validator_service_id.code
        return frame

    def _payload(self):
        move, company = self.move_id, self.move_id.company_id
        comment = " - ".join(filter(None, [self.comment, self._contact_text()]))
        references = {
            "deviseFacture": move.currency_id.name,
            "typeFacture": "AVOIR" if move.move_type == "out_refund" else "FACTURE",
            "typeTva": self.vat_regime,
            "motifExonerationTva": self.exemption_reason_id.code if self.vat_regime == "EXONERATION" else None,
            "numeroMarche": move.contract_reference or None,
            "numeroBonCommande": self.purchase_order_reference or None,
            "numeroFactureOrigine": move.reversed_entry_id.name
            if move.move_type == "out_refund" and move.reversed_entry_id
            else None,
            "modePaiement": "VIREMENT",
        }
        payload = {
            # DEPOT_PDF_API keeps our invoice number and our PDF; SAISIE_API would let Chorus
            # number the invoice (research §3.8).
            "modeDepot": "DEPOT_PDF_API",
            "numeroFactureSaisi": move.name,
            "dateFacture": fields.Date.to_string(move.invoice_date),
            "destinataire": {
                "codeDestinataire": siret_digits(move.commercial_partner_id.siret),
                "codeServiceExecutant": self.buyer_reference or None,
            },
            "fournisseur": {"idFournisseur": company.hvac_chorus_structure_id},
            "cadreDeFacturation": self._frame_payload(),
            "references": {k: v for k, v in references.items() if v is not None},
            "montantTotal": {
                "montantHtTotal": move.amount_untaxed,
                "montantTVA": move.amount_tax,
                "montantTtcTotal": move.amount_total,
                # What payments left to pay: a credit note set against its invoice is not paid.
                "montantAPayer": move._hvac_due_amount(),
            },
            "commentaire": comment or None,
        }
        payload["destinataire"] = {k: v for k, v in payload["destinataire"].items() if v}
        return {k: v for k, v in payload.items() if v is not None}
