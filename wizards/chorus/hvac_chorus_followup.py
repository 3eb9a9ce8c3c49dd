import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...clients.chorus_pro import ChorusProError
from ...models.chorus.account_move import chorus_filename
from ...models.chorus.chorus_errors import chorus_error_message
from ...models.common.siret import siret_digits


class HvacChorusFollowup(models.TransientModel):
    """Answer Chorus Pro about a sent invoice: complete a suspended one, recycle one to re-route."""

    _name = "hvac.chorus.followup"
    _description = "Complete or recycle an invoice on Chorus Pro"

    move_id = fields.Many2one("account.move", required=True, readonly=True)
    action = fields.Selection(
        [("complete", "Complete (suspended invoice)"), ("recycle", "Recycle (invoice to re-route)")],
        required=True,
        readonly=True,
    )
    partner_id = fields.Many2one(related="move_id.commercial_partner_id")
    comment = fields.Char()
    attachment_ids = fields.Many2many(
        "ir.attachment", string="Attachments", domain="[('res_model', '=', 'account.move'), ('res_id', '=', move_id)]"
    )
    chorus_type_id = fields.Many2one(
        "hvac.chorus.attachment.type",
        "Chorus Pro type",
        domain="[('company_id', '=', company_id)]",
        help="Chorus Pro's own list of attachment types. Empty: Chorus files them as “Doc. Annexe”.",
    )
    company_id = fields.Many2one(related="move_id.company_id")
    service_id = fields.Many2one("hvac.chorus.service", "Service", domain="[('partner_id', '=', partner_id)]")
    buyer_reference = fields.Char("Service code")
    purchase_order_reference = fields.Char("Engagement number")

    @api.onchange("service_id")
    def _onchange_service_id(self):
        if self.service_id:
            self.buyer_reference = self.service_id.code

    def action_confirm(self):
        self.ensure_one()
        move = self.move_id
        move._hvac_chorus_check_right()
        expected = {"complete": "SUSPENDUE", "recycle": "A_RECYCLER"}[self.action]
        if move.hvac_chorus_status != expected:
            raise UserError(self.env._("Chorus Pro allows this only for an invoice in status %s.", expected))
        client = move.company_id._hvac_chorus_client()
        try:
            status = self._complete(client) if self.action == "complete" else self._recycle(client)
        except ChorusProError as error:
            raise UserError(chorus_error_message(self.env, error)) from None
        move._hvac_chorus_apply_status(status, [])
        move.activity_unlink(["mail.mail_activity_data_todo"])
        move.message_post(
            body=self.env._(
                "Chorus Pro: %(action)s sent. %(comment)s",
                action=dict(self._fields["action"]._description_selection(self.env))[self.action],
                comment=self.comment or "",
            )
        )
        return {"type": "ir.actions.act_window_close"}

    def _complete(self, client):
        files = [
            (
                client.upload(chorus_filename(a.name), base64.b64decode(a.datas), a.mimetype),
                chorus_filename(a.name),
                self.chorus_type_id.code or "",
            )
            for a in self.attachment_ids
        ]
        client.complete(self.move_id.hvac_chorus_invoice_id, files, self.comment)
        return "COMPLETEE"

    def _recycle(self, client):
        move = self.move_id
        # What the user corrected is kept on the invoice.
        move.sudo().write(
            {
                "buyer_reference": self.buyer_reference or move.buyer_reference,
                "purchase_order_reference": self.purchase_order_reference or move.purchase_order_reference,
                "hvac_chorus_service_id": self.service_id.id or move.hvac_chorus_service_id.id,
            }
        )
        siret = siret_digits(move.commercial_partner_id.siret)
        answer = client.recycle(move.hvac_chorus_invoice_id, siret, move.buyer_reference, move.purchase_order_reference)
        return answer.get("statutFacture") or "EN_COURS_ACHEMINEMENT"
