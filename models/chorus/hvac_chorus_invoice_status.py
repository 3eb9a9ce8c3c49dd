from odoo import api, fields, models

from .account_move import STATUS_LABELS


class HvacChorusInvoiceStatus(models.Model):
    """One dated status of an invoice on Chorus Pro, with the buyer's comment."""

    _name = "hvac.chorus.invoice.status"
    _description = "Chorus Pro invoice status"
    _order = "move_id, date desc, id desc"

    move_id = fields.Many2one("account.move", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True)
    code = fields.Char("Status", required=True)
    label = fields.Char(compute="_compute_label")
    date = fields.Datetime()
    comment = fields.Text()

    @api.depends("code")
    def _compute_label(self):
        for status in self:
            status.label = STATUS_LABELS.get(status.code, status.code)
