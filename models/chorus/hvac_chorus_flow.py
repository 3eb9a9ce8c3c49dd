import base64
import io
import logging
import tarfile
import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_datetime
from odoo.tools.pdf import DictionaryObject, NameObject, NumberObject, OdooPdfFileReader, OdooPdfFileWriter

from ...clients.chorus_pro import ChorusProError
from ..common.batch import in_batches
from ..common.commit import commit
from ..common.send_lock import retry_after
from .account_move import CHORUS_CUTOFF, chorus_filename
from .chorus_errors import chorus_error_message

_logger = logging.getLogger(__name__)
FINAL_FLOW_STATES = {"IN_REJETE", "IN_INTEGRE", "IN_INTEGRE_PARTIEL"}
FLOW_LABELS = {
    "IN_RECU": "Reçu",
    "IN_TRAITE_SE_CPP": "Arrivé",
    "IN_EN_ATTENTE_TRAITEMENT_CPP": "En attente de traitement",
    "IN_EN_COURS_TRAITEMENT_CPP": "En cours de traitement",
    "IN_EN_ATTENTE_RETRAITEMENT_CPP": "Bloqué, en attente de retraitement",
    "IN_INCIDENTE": "Incident : à renvoyer",
    "IN_REJETE": "Rejeté",
    "IN_INTEGRE": "Intégré",
    "IN_INTEGRE_PARTIEL": "Intégré partiellement",
}
SYNTAX = "IN_DP_E2_CII_FACTURX"
# A deposit without an answer: its state until Chorus' answer, or what Odoo finds, says more.
PENDING_STATES = ("SENDING", "UNKNOWN")
CHORUS_MANAGER = "hvac_connect.group_chorus_manager"
# A flow is integrated asynchronously: its invoices can be found only once Chorus has read it.
# Our notes give no figure for how long that takes; a deposit whose answer was lost is looked
# for at every follow-up after the gateway's cut-off, and its invoices are released for a new
# send only when a day has gone by without any of them appearing (a manager may do it sooner).
LOST_FLOW_RELEASE = timedelta(days=1)


class HvacChorusFlow(models.Model):
    """Invoices deposited together on Chorus Pro as one Factur-X flow, followed until Chorus
    integrates or rejects it (research §3.9-3.11)."""

    _name = "hvac.chorus.flow"
    _description = "Chorus Pro flow"
    _inherit = ["mail.thread", "hvac.lifecycle.mixin"]
    _order = "id desc"
    # What was deposited and what Chorus said: set by the sending and follow-up methods only.
    _hvac_protected_fields = frozenset(
        {
            "name",
            "reference",
            "company_id",
            "move_ids",
            "syntax",
            "state",
            "file",
            "filename",
            "deposit_date",
            "deposit_sent_at",
            "errors",
        }
    )

    name = fields.Char("Flow number", readonly=True, copy=False, default="/")
    reference = fields.Char(readonly=True, copy=False, required=True, default=lambda self: _new_reference())
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company, index=True
    )
    move_ids = fields.Many2many("account.move", string="Invoices", readonly=True)
    syntax = fields.Char(readonly=True, default=SYNTAX)
    state = fields.Char("Chorus Pro flow status", readonly=True, default="SENDING", tracking=True)
    state_label = fields.Char("Flow status", compute="_compute_state_label")
    file = fields.Binary("Sent file", attachment=True, readonly=True)
    filename = fields.Char(readonly=True)
    deposit_date = fields.Date(readonly=True)
    # When the deposit was sent: while its answer is unknown, nothing is looked for before Chorus' cut-off.
    deposit_sent_at = fields.Datetime("Deposit sent on", readonly=True, copy=False)
    errors = fields.Text(readonly=True)

    @api.depends("state")
    def _compute_state_label(self):
        for flow in self:
            flow.state_label = FLOW_LABELS.get(flow.state, flow.state)

    # --- building and sending ----------------------------------------------------------------
    @api.model
    def _facturx_xml(self, move):
        """The Chorus flavour of core's CII; core's export errors stop the sending, shown."""
        xml, errors = self.env["hvac.chorus.edi.xml.cii"]._export_invoice(move)
        if errors:
            raise UserError(
                self.env._(
                    "The Factur-X of %(name)s cannot be made:\n%(errors)s",
                    name=move.display_name,
                    errors="\n".join(sorted(errors)),
                )
            )
        return xml

    @api.model
    def _facturx_pdf(self, move):
        """The invoice PDF made a Factur-X by core's own step of invoice sending
        (account.move.send embeds the XML), fed with our Chorus XML the way ir.actions.report
        feeds it for custom templates; then made a PDF/A-3 if core left it out."""
        xml = self._facturx_xml(move)
        pdf = self.env["ir.actions.report"]._render_qweb_pdf("account.account_invoices", move.ids)[0]
        invoice_data = {
            "pdf_attachment_values": {"raw": pdf},
            "ubl_cii_xml_options": {"ubl_cii_format": "facturx", "builder": self.env["hvac.chorus.edi.xml.cii"]},
            "ubl_cii_xml_attachment_values": {"raw": xml},
        }
        self.env["account.move.send"].with_context(
            custom_template_facturx=True
        )._hook_invoice_document_after_pdf_report_render(move, invoice_data)
        pdf = invoice_data["pdf_attachment_values"]["raw"]
        if not embeds_facturx(pdf):
            # Core skips the embedding on a server started with --test-enable: such a PDF
            # would be refused by Chorus, so it is not sent.
            raise UserError(
                self.env._("The Factur-X of %s could not be made: the XML is not in the PDF.", move.display_name)
            )
        return pdf if b"pdfaid:part" in pdf else self._pdfa(move, pdf)

    @api.model
    def _pdfa(self, move, pdf):
        """Core's own PDF/A-3 conversion and Factur-X XMP metadata (which state EN 16931, the
        profile of our XML). Core skips them when the PDF's second line looks like a PDF/A
        marker (``OdooPdfFileWriter.is_pdfa``), which wkhtmltopdf's binary comment always
        does: Chorus would get a Factur-X that is not a PDF/A-3."""
        writer = OdooPdfFileWriter()
        writer.cloneReaderDocumentRoot(OdooPdfFileReader(io.BytesIO(pdf), strict=False))
        if "/Outlines" not in writer._root_object:
            # convert_to_pdfa expects an outline tree; wkhtmltopdf may leave it out.
            outlines = writer._addObject(
                DictionaryObject({NameObject("/Type"): NameObject("/Outlines"), NameObject("/Count"): NumberObject(0)})
            )
            writer._root_object[NameObject("/Outlines")] = outlines
        writer.convert_to_pdfa()
        metadata = self.env["ir.qweb"]._render(
            "account_edi_ubl_cii.account_invoice_pdfa_3_facturx_metadata",
            {"title": move.name, "date": fields.Date.context_today(self)},
        )
        writer.add_file_metadata(metadata.encode())
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    @api.model
    def _pack(self, moves, reference):
        """One Factur-X PDF, or a .tar.gz of several (one flow, research §3.9), named after
        the flow's own reference so that each flow's file has its own name."""
        files = [(chorus_filename(f"{move.name}.pdf"), self._facturx_pdf(move)) for move in moves]
        if len(files) == 1:
            return files[0]
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            for name, content in files:
                info = tarfile.TarInfo(name)
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
        return f"FLUX_{reference}.tar.gz", buffer.getvalue()

    @api.model
    def _send_moves(self, moves):
        problems = {
            move.display_name: move._hvac_chorus_problems() + move._hvac_chorus_flow_problems() for move in moves
        }
        blocking = [f"{name}: {'; '.join(found)}" for name, found in problems.items() if found]
        taken = moves.filtered(lambda m: m.hvac_chorus_send_state in ("sending", "sent"))
        blocking += [self.env._("%s is already sent or being sent to Chorus Pro.", m.display_name) for m in taken]
        if blocking:
            raise UserError(self.env._("These invoices cannot go to Chorus Pro:\n%s", "\n".join(blocking)))
        if len(moves.company_id) > 1:
            raise UserError(self.env._("A flow holds the invoices of one company."))
        for move in moves:
            move._hvac_chorus_lock()
        # Built before the flow exists, under the reference it will have: an invoice whose
        # Factur-X cannot be made leaves no flow behind.
        reference = _new_reference()
        filename, content = self._pack(moves, reference)
        # Stored as sent: a Binary field takes base64.
        flow = self._hvac_create_protected(
            {
                "reference": reference,
                "company_id": moves.company_id.id,
                "move_ids": [fields.Command.set(moves.ids)],
                "file": base64.b64encode(content),
                "filename": filename,
                "deposit_sent_at": fields.Datetime.now(),
            }
        )
        moves._hvac_set_protected(
            {
                "hvac_chorus_send_state": "sending",
                "hvac_chorus_flow_id": flow.id,
                "hvac_chorus_send_started_at": fields.Datetime.now(),
                "hvac_chorus_send_error": False,
            }
        )
        commit(self.env)
        flow._deposit(filename, content)
        return flow

    def _deposit(self, filename, content):
        try:
            answer = self.company_id._hvac_chorus_client().deposit_flow(filename, content, self.syntax)
        except ChorusProError as error:
            message = chorus_error_message(self.env, error)
            # Lost answer: the invoices stay "sending" and the follow-up looks for them after the cut-off.
            self._hvac_set_protected({"state": "UNKNOWN" if error.outcome_unknown else "ERROR", "errors": message})
            if not error.outcome_unknown:
                self.move_ids._hvac_set_protected(
                    {"hvac_chorus_send_state": "error", "hvac_chorus_send_error": message, "hvac_chorus_flow_id": False}
                )
            return
        self._hvac_set_protected(
            {
                "name": answer["numeroFluxDepot"],
                "state": "IN_RECU",
                "deposit_date": (answer.get("dateDepot") or "")[:10] or fields.Date.context_today(self),
            }
        )
        commit(self.env)  # the deposit is a fact on Chorus' side, whatever happens to the notes
        for move in self.move_ids:
            move._hvac_chorus_note(self.env._("Sent to Chorus Pro in Factur-X flow %s.", self.name))

    # --- follow-up ---------------------------------------------------------------------------------
    @api.model
    def _cron_follow(self):
        """Flows not final: their report; integrated ones: the invoices' Chorus ids; a deposit
        without an answer: its invoices looked for. A company whose Chorus fails is logged and
        the next flow goes on."""
        flows = self.search([("state", "not in", list(FINAL_FLOW_STATES | {"ERROR"}))])
        # A flow a user is sending or following by hand is left to the next run.
        in_batches(flows, lambda batch: batch._follow_each(), size=1)

    def _follow_each(self):
        for flow in self:
            try:
                flow._follow()
            except ChorusProError as error:
                _logger.warning("Chorus Pro flow %s not followed: %s", flow.name, error.code)

    def action_follow(self):
        for flow in self:
            try:
                flow._follow()
            except ChorusProError as error:
                raise UserError(chorus_error_message(self.env, error)) from None
        return True

    def _follow(self):
        self.ensure_one()
        if self.state in PENDING_STATES:
            self._follow_lost_deposit()
            return
        client = self.company_id._hvac_chorus_client()
        report = client.flow_report(self.name)
        state = report.get("etatCourantDepotFlux") or self.state
        errors = [f"{e.get('numeroDP')}: {e.get('libelleErreurDP')}" for e in report.get("listeErreurDP") or []]
        errors += [f"{e.get('codeErreur')}: {e.get('libelleErreur')}" for e in report.get("listeErreurTechnique") or []]
        self._hvac_set_protected({"state": state, "errors": "\n".join(errors) or False})
        if state in ("IN_INTEGRE", "IN_INTEGRE_PARTIEL"):
            self._adopt_invoices(client, report)
        elif state == "IN_REJETE":
            self.move_ids._hvac_set_protected(
                {
                    "hvac_chorus_send_state": "error",
                    "hvac_chorus_send_error": self.errors or self.state_label,
                    "hvac_chorus_flow_id": False,
                }
            )

    def _follow_lost_deposit(self):
        """A deposit whose answer never came: its flow number is unknown, so its invoices are
        looked for by their numbers once Chorus has surely given up on the call. What is found
        is adopted; when none turns up for a day, the invoices are released to be sent again."""
        sent_at = self.deposit_sent_at or self.create_date
        if retry_after(sent_at, CHORUS_CUTOFF):
            return  # Chorus may still be recording it: a lookup now could miss it
        waiting = self.move_ids.filtered(lambda m: m.hvac_chorus_send_state == "sending")
        if not waiting:
            # Each found since (Rechercher sur Chorus Pro on the invoice): nothing is left to look for.
            self._hvac_set_protected({"state": "IN_INTEGRE", "errors": False})
            return
        client = self.company_id._hvac_chorus_client()
        found = [invoice for move in waiting if (invoice := move._hvac_chorus_lookup(client))]
        if found:
            # Integrated: the invoices not found were refused inside the flow.
            self._hvac_set_protected(
                {
                    "name": found[0].get("numeroFluxDepot") or self.name,
                    "state": "IN_INTEGRE" if len(found) == len(waiting) else "IN_INTEGRE_PARTIEL",
                    "errors": False,
                }
            )
            self._release(
                self.move_ids.filtered(lambda m: m.hvac_chorus_send_state == "sending"),
                self.env._("not integrated by Chorus Pro"),
            )
        elif sent_at + LOST_FLOW_RELEASE < fields.Datetime.now():
            self._release_lost(
                self.env._(
                    "Chorus Pro still has none of the invoices of this deposit a day after it was sent: it did not reach "
                    "Chorus Pro. The invoices are released: send them again."
                )
            )

    def _release(self, moves, reason):
        """Detach ``moves`` from the flow, refused with ``reason``, so that they can be sent again."""
        moves._hvac_set_protected(
            {"hvac_chorus_send_state": "error", "hvac_chorus_send_error": reason, "hvac_chorus_flow_id": False}
        )
        for move in moves:
            move.message_post(
                body=self.env._(
                    "Chorus Pro did not integrate this invoice from flow %(flow)s: %(reason)s",
                    flow=self.name if self.name != "/" else self.reference,
                    reason=reason,
                )
            )

    def _release_lost(self, reason):
        self._hvac_set_protected({"state": "ERROR", "errors": reason})
        self.message_post(body=reason)
        self._release(self.move_ids.filtered(lambda m: m.hvac_chorus_send_state == "sending"), reason)

    def action_release(self):
        """A Chorus manager gives up on a deposit that got no answer: its invoices can be sent
        again. Only the manager knows whether Chorus shows the flow (on its portal): the trace
        says who decided it and when."""
        if not self.env.user.has_group(CHORUS_MANAGER):
            raise AccessError(self.env._("Only Chorus Pro managers can release the invoices of a flow."))
        self.check_access("write")
        for flow in self:
            if flow.state not in PENDING_STATES:
                raise UserError(
                    self.env._(
                        "Only a flow whose deposit got no answer can be released: %s has one.", flow.display_name
                    )
                )
            flow._release_lost(
                self.env._(
                    "Released by %(user)s on %(date)s: the deposit got no answer and its invoices can be sent again.",
                    user=self.env.user.name,
                    date=format_datetime(self.env, fields.Datetime.now()),
                )
            )
        return True

    def _adopt_invoices(self, client, report):
        rejected = {e.get("numeroDP"): e.get("libelleErreurDP") for e in report.get("listeErreurDP") or []}
        found = {i["numeroFacture"]: i for i in client.iter_invoices({"numeroFluxDepot": self.name})}
        for move in self.move_ids:
            if move.name in found:
                invoice = found[move.name]
                move._hvac_set_protected(
                    {
                        "hvac_chorus_invoice_id": invoice["identifiantFactureCPP"],
                        "hvac_chorus_send_state": "sent",
                        "hvac_chorus_deposit_date": self.deposit_date,
                    }
                )
                move._hvac_chorus_apply_status(invoice["statut"], [])
            else:
                # Rejected inside the flow: detached so that it can be fixed and sent again.
                self._release(move, rejected.get(move.name) or self.env._("not integrated by Chorus Pro"))


def embeds_facturx(pdf):
    try:
        return any(
            name == "factur-x.xml"
            for name, _content in OdooPdfFileReader(io.BytesIO(pdf), strict=False).getAttachments()
        )
    except Exception:  # noqa: BLE001 - an unreadable PDF embeds nothing
        return False


def _new_reference():
    return uuid.uuid4().hex[:16]
