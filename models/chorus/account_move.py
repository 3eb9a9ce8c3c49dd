import logging
import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ...clients.chorus_pro import ChorusProError
from ..common.batch import again_soon, take
from ..common.commit import commit
from ..common.send_lock import exclusive_send, local_time, lock_rows, retry_after
from .chorus_errors import chorus_error_message

_logger = logging.getLogger(__name__)
CHORUS_USER = "hvac_connect.group_chorus_user"
SEND_STATES = [("none", "Not sent"), ("sending", "Sending"), ("sent", "Sent"), ("error", "Refused")]
FINAL_STATUSES = {"REJETEE", "MISE_EN_PAIEMENT", "SUPPRIMEE", "ABANDONNEE", "REFUSEE_FOURNISSEUR"}
ALERT_STATUSES = {"REJETEE", "SUSPENDUE", "A_RECYCLER"}
STATUS_LABELS = {
    "DEPOSEE": "Déposée",
    "EN_COURS_ACHEMINEMENT": "En cours d'acheminement",
    "MISE_A_DISPOSITION": "Mise à disposition",
    "PRISE_EN_COMPTE_DESTINATAIRE": "Prise en compte par le destinataire",
    "A_RECYCLER": "À recycler",
    "SUSPENDUE": "Suspendue",
    "COMPLETEE": "Complétée",
    "SERVICE_FAIT": "Service fait",
    "MANDATEE": "Mandatée",
    "MISE_EN_PAIEMENT": "Mise en paiement",
    "REJETEE": "Rejetée",
    "COMPTABILISEE": "Comptabilisée",
}
FRAMES = [
    ("A1_FACTURE_FOURNISSEUR", "A1 - Supplier invoice"),
    ("A2_FACTURE_FOURNISSEUR_DEJA_PAYEE", "A2 - Supplier invoice already paid"),
    ("A9_FACTURE_SOUSTRAITANT", "A9 - Subcontractor invoice"),
    ("A12_FACTURE_COTRAITANT", "A12 - Co-contractor invoice"),
]
# A deposit whose answer was lost may still be running on Chorus Pro: no retry (lookup, then
# deposit) before the remote side has surely given up. Our notes (research/chorus_pro.md) give
# no figure for the PISTE gateway's own cut-off, only clients' 30 s timeouts; we assume two
# minutes, twice the 60 s proxy cut-off documented for Trackdéchets, plus a margin.
CHORUS_CUTOFF = timedelta(seconds=120)
ENGAGEMENT_MAX = 50
FILE_MAX = 10 * 1024 * 1024
TOTAL_MAX = 120 * 1024 * 1024
NAME_MAX = 50
EXTENSIONS = set(
    "bmp gif fax odt ppt tiff xls bz2 gz jpeg p7s rtf txt xml csv gzip jpg pdf svg xhtml xlsx doc htm odp png tgz xlc zip docx html ods pps tif xlm pptx".split()
)


def chorus_filename(name):
    """A file name Chorus accepts: 50 characters at most, extension kept, no odd characters."""
    stem, _dot, extension = name.rpartition(".")
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem or extension)
    return f"{stem[: NAME_MAX - len(extension) - 1]}.{extension}" if stem else name[:NAME_MAX]


class AccountMove(models.Model):
    """Invoices on Chorus Pro: the id, status and history Chorus gives them; sending itself
    goes through the wizard hvac.chorus.send."""

    _name = "account.move"
    _inherit = ["account.move", "hvac.lifecycle.mixin"]
    # What Chorus Pro said, and where our send stands: only our send and sync methods set them.
    _hvac_protected_fields = frozenset(
        {
            "hvac_chorus_invoice_id",
            "hvac_chorus_status",
            "hvac_chorus_status_date",
            "hvac_chorus_deposit_date",
            "hvac_chorus_footprint",
            "hvac_chorus_send_state",
            "hvac_chorus_send_started_at",
            "hvac_chorus_send_error",
            "hvac_chorus_flow_id",
            "hvac_chorus_status_ids",
            "hvac_chorus_deposit_sent_at",
        }
    )

    hvac_chorus_invoice_id = fields.Integer("ID Chorus Pro", readonly=True, copy=False, index=True)
    hvac_chorus_status = fields.Char("Chorus Pro status", readonly=True, copy=False, tracking=True, index=True)
    hvac_chorus_status_label = fields.Char("Chorus Pro status label", compute="_compute_hvac_chorus_status_label")
    hvac_chorus_status_date = fields.Datetime("Chorus Pro status since", readonly=True, copy=False)
    hvac_chorus_deposit_date = fields.Date("Deposited on Chorus Pro", readonly=True, copy=False)
    hvac_chorus_footprint = fields.Char(
        "Deposit footprint", readonly=True, copy=False, help="Empreinte du certificat de dépôt given by Chorus Pro."
    )
    hvac_chorus_send_state = fields.Selection(
        SEND_STATES, "Chorus Pro sending", default="none", readonly=True, copy=False
    )
    hvac_chorus_send_started_at = fields.Datetime("Chorus Pro sending started on", readonly=True, copy=False)
    hvac_chorus_send_error = fields.Text("Chorus Pro error", readonly=True, copy=False)
    # When the last deposit (soumettre) was sent: while its answer is unknown, no retry before Chorus' cut-off.
    hvac_chorus_deposit_sent_at = fields.Datetime("Chorus Pro deposit sent on", readonly=True, copy=False)
    hvac_chorus_status_ids = fields.One2many(
        "hvac.chorus.invoice.status", "move_id", "Chorus Pro history", readonly=True
    )
    hvac_chorus_flow_id = fields.Many2one(
        "hvac.chorus.flow", "Chorus Pro flow", readonly=True, copy=False, index="btree_not_null"
    )
    hvac_chorus_service_id = fields.Many2one(
        "hvac.chorus.service", "Chorus Pro service", copy=False, domain="[('partner_id', '=', commercial_partner_id)]"
    )
    # Sent as cadreDeFacturation by the API path and as BT-23 in the Factur-X.
    hvac_chorus_frame = fields.Selection(
        FRAMES, "Chorus Pro billing frame", default="A1_FACTURE_FOURNISSEUR", copy=False
    )
    # Sent as motifExonerationTva by the API path; in the Factur-X, its label is BT-120 and
    # its VATEX code BT-121 of the exempt VAT breakdown.
    hvac_chorus_exemption_reason_id = fields.Many2one(
        "hvac.chorus.exemption.reason",
        "VAT exemption reason",
        copy=False,
        domain="[('company_id', '=', company_id)]",
        help="Why the invoice's lines without VAT are exempt, from Chorus Pro's list.",
    )

    @api.depends("hvac_chorus_status")
    def _compute_hvac_chorus_status_label(self):
        for move in self:
            move.hvac_chorus_status_label = STATUS_LABELS.get(move.hvac_chorus_status, move.hvac_chorus_status or False)

    # --- pre-send checks -------------------------------------------------------------------
    def _hvac_chorus_problems(self):
        """What keeps this invoice from Chorus Pro, each with what to fix (French in fr.po)."""
        return (
            self._hvac_chorus_base_problems()
            + self._hvac_chorus_routing_problems()
            + self._hvac_chorus_frame_problems(self.hvac_chorus_frame)
        )

    def _hvac_chorus_base_problems(self):
        self.ensure_one()
        _ = self.env._
        company, buyer = self.company_id, self.commercial_partner_id
        problems = []
        if not company.siret:
            problems.append(_("Our company has no SIRET: set it on the company."))
        elif company.partner_id._hvac_siret_error():
            problems.append(company.partner_id._hvac_siret_error())
        if company.hvac_chorus_connection_state != "ok":
            problems.append(_("The Chorus Pro connection does not work: test it in Chorus Pro › Connection."))
        if self.move_type not in ("out_invoice", "out_refund"):
            problems.append(_("Only customer invoices and credit notes go to Chorus Pro."))
        if self.state != "posted":
            problems.append(_("The invoice is a draft: confirm it first."))
        if not self.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
            problems.append(_("The invoice has no line."))
        if not company.vat:
            problems.append(
                _(
                    "Our company has no VAT number: EN 16931 requires the seller's on an invoice with VAT (BR-S-02); set it on the company."
                )
            )
        if self.partner_id and (address_problem := self.partner_id._hvac_postal_address_problem()):
            problems.append(address_problem)
        if not buyer.siret:
            problems.append(_("The customer %s has no SIRET.", buyer.name))
        elif buyer._hvac_siret_error():
            # Chorus Pro refuses the invoice on a wrong key: say which partner to correct.
            problems.append(buyer._hvac_siret_error())
        elif not buyer.hvac_chorus_structure_id:
            problems.append(
                _(
                    "The customer %s is not known on Chorus Pro: use “Rechercher sur Chorus Pro” on the customer.",
                    buyer.name,
                )
            )
        return problems + self._hvac_chorus_payment_problems()

    def _hvac_chorus_frame_problems(self, frame):
        """A2 says the invoice is already paid: Chorus would route for payment an invoice
        that is not, or the buyer would never pay one that is still due."""
        self.ensure_one()
        if frame != "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE" or self.move_type != "out_invoice":
            return []
        due = self._hvac_due_amount()
        if self.currency_id.is_zero(due):
            return []
        return [
            self.env._(
                "Frame A2 (already paid) is for an invoice paid in full: %(amount)s is still due on %(name)s; record the payment or choose frame A1.",
                amount=self.currency_id.format(due),
                name=self.name,
            )
        ]

    def _hvac_paid_amount(self):
        """What payments (and bank statement lines) settled of this document, in its currency.
        A credit note set against its invoice, or an invoice against a credit note, is not paid:
        core's Factur-X and soumettre's montantAPayer would say so from the residual."""
        self.ensure_one()
        lines = self.line_ids.filtered(
            lambda line: line.account_id.account_type in ("asset_receivable", "liability_payable")
        )
        paid = 0.0
        for partial in lines.matched_debit_ids | lines.matched_credit_ids:
            ours, other = (
                (partial.debit_move_id, partial.credit_move_id)
                if partial.debit_move_id in lines
                else (partial.credit_move_id, partial.debit_move_id)
            )
            if other.move_id.is_invoice(include_receipts=True):
                continue
            paid += partial.debit_amount_currency if ours == partial.debit_move_id else partial.credit_amount_currency
        return self.currency_id.round(paid)

    def _hvac_due_amount(self):
        return self.currency_id.round(self.amount_total - self._hvac_paid_amount())

    def _hvac_exempt_lines(self):
        """Product lines whose taxes are all at 0 %: exempt (VAT category E) in the Factur-X."""
        return self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product" and line.tax_ids and not any(line.tax_ids.mapped("amount"))
        )

    def _hvac_exemption_problems(self, reason):
        """An exempt line needs its reason in the Factur-X: the text (BT-120) and its VATEX code (BT-121)."""
        self.ensure_one()
        _ = self.env._
        if not self._hvac_exempt_lines():
            return []
        if not reason:
            return [
                _(
                    "%s has lines without VAT: choose the VAT exemption reason on the invoice (Other info tab).",
                    self.name,
                )
            ]
        if not reason.vatex_code:
            return [
                _(
                    "The VAT exemption reason “%s” has no VATEX code: a Chorus Pro manager sets it on the reason (open it from the invoice).",
                    reason.name,
                )
            ]
        return []

    def _hvac_chorus_payment_problems(self):
        # Public buyers pay by transfer (modePaiement VIREMENT): Chorus wants the IBAN to pay to;
        # a credit note names the invoice it cancels (numeroFactureOrigine).
        _ = self.env._
        if self.move_type == "out_invoice" and (not self.partner_bank_id or self.partner_bank_id.acc_type != "iban"):
            return [
                _(
                    "Public buyers pay by transfer: set our bank account (IBAN) on the invoice (tab Other info, Recipient bank)."
                )
            ]
        if self.move_type == "out_refund" and not self.reversed_entry_id:
            return [
                _(
                    "A credit note to Chorus Pro names the invoice it cancels: create it with “Credit note” from that invoice."
                )
            ]
        return []

    def _hvac_chorus_routing_problems(self):
        _ = self.env._
        required = self.commercial_partner_id.hvac_chorus_required or "none"
        service, engagement = self.buyer_reference, self.purchase_order_reference
        problems = []
        if required in ("service", "service_and_engagement") and not service:
            problems.append(_("The customer requires a service code (service exécutant)."))
        if required in ("engagement", "service_and_engagement") and not engagement:
            problems.append(_("The customer requires an engagement number (engagement juridique)."))
        if required == "service_or_engagement" and not (service or engagement):
            problems.append(_("The customer requires a service code or an engagement number."))
        if self.hvac_chorus_service_id.engagement_required and not engagement:
            problems.append(_("The service %s requires an engagement number.", self.hvac_chorus_service_id.code))
        if engagement and len(engagement) > ENGAGEMENT_MAX:
            problems.append(_("The engagement number has more than 50 characters."))
        return problems

    def _hvac_chorus_flow_problems(self):
        # A9/A12 need the validating structure, which only the API path sends.
        if self.hvac_chorus_frame in ("A9_FACTURE_SOUSTRAITANT", "A12_FACTURE_COTRAITANT"):
            return [
                self.env._(
                    "A subcontractor or co-contractor invoice (A9/A12) names its validator: send it with “Send to Chorus Pro”, not in a flow."
                )
            ]
        # The flow's Factur-X states the exemption itself; the API path sends the wizard's reason.
        return self._hvac_exemption_problems(self.hvac_chorus_exemption_reason_id)

    @api.onchange("hvac_chorus_service_id")
    def _onchange_hvac_chorus_service_id(self):
        if self.hvac_chorus_service_id:
            self.buyer_reference = self.hvac_chorus_service_id.code

    # --- actions -------------------------------------------------------------------------------
    def action_hvac_chorus_send(self):
        self.ensure_one()
        self._hvac_chorus_check_right()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send to Chorus Pro"),
            "res_model": "hvac.chorus.send",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    def _hvac_chorus_check_right(self):
        if not self.env.user.has_group(CHORUS_USER):
            raise AccessError(self.env._("Only users of the group “Chorus Pro: Send invoices” can send to Chorus Pro."))

    def action_hvac_chorus_send_flow(self):
        """Send the selected invoices to Chorus Pro at once, as one Factur-X flow."""
        self._hvac_chorus_check_right()
        flow = self.env["hvac.chorus.flow"]._send_moves(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "hvac.chorus.flow",
            "res_id": flow.id,
            "view_mode": "form",
        }

    def action_hvac_chorus_complete(self):
        return self._hvac_chorus_followup("complete")

    def action_hvac_chorus_recycle(self):
        return self._hvac_chorus_followup("recycle")

    def _hvac_chorus_followup(self, action):
        self.ensure_one()
        self._hvac_chorus_check_right()
        if action == "complete":
            self.env["hvac.chorus.attachment.type"]._hvac_refresh(self.company_id)
        labels = dict(self.env["hvac.chorus.followup"]._fields["action"]._description_selection(self.env))
        return {
            "type": "ir.actions.act_window",
            "name": labels[action],
            "res_model": "hvac.chorus.followup",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_move_id": self.id,
                "default_action": action,
                "default_service_id": self.hvac_chorus_service_id.id,
                "default_buyer_reference": self.buyer_reference,
                "default_purchase_order_reference": self.purchase_order_reference,
            },
        }

    def action_hvac_chorus_find(self):
        """Look the invoice up on Chorus Pro by its number, and adopt what is found."""
        self.ensure_one()
        self._hvac_chorus_check_right()
        try:
            found = self._hvac_chorus_lookup(self.company_id._hvac_chorus_client())
        except ChorusProError as error:
            raise UserError(chorus_error_message(self.env, error)) from None
        if not found:
            raise UserError(self.env._("Chorus Pro has no invoice %s from us.", self.name))
        return True

    def _hvac_chorus_lookup(self, client):
        found = next(
            iter(
                client.iter_invoices(
                    {"numeroFacture": self.name, "idFournisseur": self.company_id.hvac_chorus_structure_id}
                )
            ),
            None,
        )
        if found:
            self._hvac_set_protected(
                {
                    "hvac_chorus_invoice_id": found["identifiantFactureCPP"],
                    "hvac_chorus_send_state": "sent",
                    "hvac_chorus_send_error": False,
                }
            )
            self._hvac_chorus_apply_status(found["statut"], [])
        return found

    # --- sending ---------------------------------------------------------------------------------
    def _hvac_chorus_lock(self):
        lock_rows(self, self._hvac_chorus_busy_message())

    def _hvac_chorus_busy_message(self):
        return self.env._("%s is being sent to Chorus Pro by someone else right now.", self.name)

    def _hvac_chorus_send(self, payload, files):
        """Deposit the invoice once: ``payload`` is soumettre's body without the attachment
        ids; ``files`` is [(name, content, mimetype, type code or None)], the PDF first.
        Returns None, or the French message of the failure (kept on the invoice)."""
        self.ensure_one()
        with exclusive_send(self, self._hvac_chorus_busy_message()):
            return self._hvac_chorus_send_exclusive(payload, files)

    def _hvac_chorus_send_exclusive(self, payload, files):
        if self.hvac_chorus_send_state == "sent" or self.hvac_chorus_invoice_id:
            raise UserError(
                self.env._(
                    "%(name)s is already on Chorus Pro (id %(id)s).", name=self.name, id=self.hvac_chorus_invoice_id
                )
            )
        if self.hvac_chorus_flow_id and self.hvac_chorus_flow_id.state not in (
            "IN_REJETE",
            "IN_INTEGRE",
            "IN_INTEGRE_PARTIEL",
            "ERROR",
        ):
            raise UserError(
                self.env._(
                    "%(name)s is in Chorus Pro flow %(flow)s, not yet integrated: wait for its result.",
                    name=self.name,
                    flow=self.hvac_chorus_flow_id.name,
                )
            )
        was_sending = self.hvac_chorus_send_state == "sending"
        if self._hvac_chorus_retry_after():
            raise UserError(self._hvac_chorus_retry_message())
        self._hvac_set_protected(
            {
                "hvac_chorus_send_state": "sending",
                "hvac_chorus_send_started_at": fields.Datetime.now(),
                "hvac_chorus_send_error": False,
            }
        )
        commit(self.env)
        client = self.company_id._hvac_chorus_client()
        try:
            if was_sending and self._hvac_chorus_lookup(client):
                return None  # the previous attempt reached Chorus: its answer was lost
            payload = self._hvac_chorus_with_files(client, payload, files)
            # Recorded before the call: if its answer is lost, the next send waits for Chorus' cut-off.
            self._hvac_set_protected({"hvac_chorus_deposit_sent_at": fields.Datetime.now()})
            commit(self.env)
            answer = client.submit(payload)
        except ChorusProError as error:
            message = chorus_error_message(self.env, error)
            self._hvac_set_protected(
                {
                    "hvac_chorus_send_state": "sending" if error.outcome_unknown else "error",
                    "hvac_chorus_send_error": message,
                }
            )
            commit(self.env)
            return message
        self._hvac_chorus_deposited(answer)
        return None

    def _hvac_chorus_retry_after(self):
        """When an invoice whose deposit answer was lost may be looked for; False if it may now."""
        self.ensure_one()
        return self.hvac_chorus_send_state == "sending" and retry_after(self.hvac_chorus_deposit_sent_at, CHORUS_CUTOFF)

    def _hvac_chorus_retry_message(self):
        return self.env._(
            "Chorus Pro may still be recording %(name)s: try again after %(time)s; Odoo will first look for it.",
            name=self.name,
            time=local_time(self, self._hvac_chorus_retry_after()),
        )

    @api.model
    def _hvac_chorus_with_files(self, client, payload, files):
        ids = [(client.upload(name, content, mimetype), name, kind) for name, content, mimetype, kind in files]
        (main_id, main_name, _kind), others = ids[0], ids[1:]
        payload = dict(
            payload,
            pieceJointePrincipale=[{"pieceJointePrincipaleDesignation": main_name, "pieceJointePrincipaleId": main_id}],
        )
        if others:
            payload["pieceJointeComplementaire"] = [
                {
                    "pieceJointeComplementaireDesignation": name,
                    "pieceJointeComplementaireId": file_id,
                    "pieceJointeComplementaireType": kind,
                }
                for file_id, name, kind in others
            ]
        return payload

    def _hvac_chorus_deposited(self, answer):
        self._hvac_set_protected(
            {
                "hvac_chorus_invoice_id": answer["identifiantFactureCPP"],
                "hvac_chorus_send_state": "sent",
                "hvac_chorus_deposit_date": (answer.get("dateDepot") or "")[:10] or fields.Date.context_today(self),
                "hvac_chorus_footprint": answer.get("empreinteCertificatDepot"),
            }
        )
        self._hvac_chorus_apply_status(answer.get("statutFacture") or "DEPOSEE", [])
        # The deposit is a fact on Chorus' side: kept whatever happens to the note below.
        commit(self.env)
        self._hvac_chorus_note(
            self.env._(
                "Deposited on Chorus Pro: id %(id)s, status %(status)s, footprint %(footprint)s.",
                id=self.hvac_chorus_invoice_id,
                status=self.hvac_chorus_status_label,
                footprint=self.hvac_chorus_footprint or "-",
            )
        )

    def _hvac_chorus_note(self, body):
        """A chatter note signed by the sender, or by the company (else OdooBot) when the sender
        has no e-mail address: mail refuses an author without one."""
        author = next(
            (p for p in (self.env.user.partner_id, self.company_id.partner_id) if p.email),
            self.env.ref("base.partner_root"),
        )
        self.message_post(body=body, author_id=author.id)

    # --- statuses ----------------------------------------------------------------------------------
    def _hvac_chorus_apply_status(self, code, history, date=None):
        """Record the current status (reached at ``date``) and, when given, Chorus' whole dated
        history; alert on a rejection, a suspension or an invoice to recycle."""
        self.ensure_one()
        Status = self.env["hvac.chorus.invoice.status"].sudo()  # Chorus' facts, whoever reads them
        lines = [
            {
                "move_id": self.id,
                "code": h["histoStatutCode"],
                "date": _chorus_datetime(h.get("histoStatutDatePassage")),
                "comment": h.get("histoStatutCommentaire"),
            }
            for h in history
        ]
        if lines:
            # Chorus' history is complete: it replaces what Odoo noted at deposit time.
            self.sudo().hvac_chorus_status_ids.unlink()
            Status.create(lines)
        elif code != self.hvac_chorus_status:
            lines = [{"move_id": self.id, "code": code, "date": date or fields.Datetime.now()}]
            Status.create(lines)
        if code == self.hvac_chorus_status:
            return
        self._hvac_set_protected(
            {
                "hvac_chorus_status": code,
                "hvac_chorus_status_date": max(
                    [line["date"] for line in lines if line["date"]], default=fields.Datetime.now()
                ),
            }
        )
        if code in ALERT_STATUSES:
            reason = next((line["comment"] for line in reversed(lines) if line.get("comment")), "")
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.invoice_user_id.id or self.env.uid,
                summary=self.env._("Chorus Pro: invoice %(status)s", status=self.hvac_chorus_status_label),
                note=self.env._("Chorus Pro says: %s", reason or self.hvac_chorus_status_label),
            )

    def _hvac_chorus_is_open(self):
        if self.hvac_chorus_status == "MANDATEE" and self.commercial_partner_id.hvac_chorus_payment_not_reported:
            return False  # this buyer never reports the payment: nothing more will come
        return self.hvac_chorus_status not in FINAL_STATUSES

    @api.model
    def _cron_hvac_chorus_statuses(self):
        """Pull statuses of invoices not final: one search per page of invoices changed since the
        last run, then the history (with the buyer's reason) of those rejected, suspended or to
        recycle only. Logs and goes on when a company fails."""
        companies = self._read_group(
            [("hvac_chorus_invoice_id", "!=", 0), ("hvac_chorus_status", "not in", list(FINAL_STATUSES))],
            ["company_id"],
            ["__count"],
        )
        for company, _count in companies:
            try:
                self.with_company(company)._hvac_chorus_sync_company(company)
            except ChorusProError as error:
                _logger.warning("Chorus Pro status sync of %s skipped: %s", company.name, error.code)
            commit(self.env)  # the invoices taken are held for one company's sync only

    @api.model
    def _hvac_chorus_sync_company(self, company):
        client = company._hvac_chorus_client()
        # A day of overlap: Chorus stamps in Paris time, and re-reading costs no call per invoice.
        last = company.sudo().hvac_chorus_synced_at
        since = fields.Datetime.to_string(last - timedelta(days=1)).replace(" ", "T") if last else "2000-01-01T00:00:00"
        started = fields.Datetime.now()
        changed = {}
        for found in client.iter_invoices(
            {"idFournisseur": company.hvac_chorus_structure_id, "periodeDateHeureEtatCourantDu": since}
        ):
            changed[found["identifiantFactureCPP"]] = found
        ours = self.search([("company_id", "=", company.id), ("hvac_chorus_invoice_id", "in", list(changed))])
        moves = take(ours)
        for move in moves.filtered(
            lambda m: m._hvac_chorus_is_open() and changed[m.hvac_chorus_invoice_id]["statut"] != m.hvac_chorus_status
        ):
            found = changed[move.hvac_chorus_invoice_id]
            if found["statut"] in ALERT_STATUSES:
                # The buyer's reason is only in the history: one more call, for these only.
                history = client.history(move.hvac_chorus_invoice_id)
                move._hvac_chorus_apply_status(
                    history.get("statutCourantCode") or found["statut"],
                    (history.get("historiquesDesStatuts") or {}).get("histoStatut") or [],
                )
            else:
                move._hvac_chorus_apply_status(found["statut"], [], _chorus_datetime(found.get("dateHeureEtatCourant")))
        if held := ours - moves:
            # An invoice someone holds keeps its status for now: the period is read again (the
            # others, already applied, change nothing) within minutes.
            again_soon(self.env, "hvac_connect.ir_cron_chorus_statuses", held)
        else:
            company.sudo().hvac_chorus_synced_at = started
        return client.calls


def _chorus_datetime(value):
    if not value:
        return False
    return fields.Datetime.to_datetime(value.replace("T", " ")[:19])
