from markupsafe import Markup

from odoo import api, fields, models


class AccountMove(models.Model):
    """The pre-send checks of Chorus Pro on a draft invoice: what would stop the deposit shows
    while the invoice is made, not weeks later when it is sent."""

    _inherit = "account.move"

    hvac_chorus_draft_problems = fields.Text(
        "Before sending to Chorus Pro", compute="_compute_hvac_chorus_draft_problems"
    )

    @api.depends(
        "state",
        "move_type",
        "partner_id",
        "buyer_reference",
        "purchase_order_reference",
        "hvac_chorus_service_id",
        "partner_bank_id",
        "invoice_line_ids",
    )
    def _compute_hvac_chorus_draft_problems(self):
        for move in self:
            problems = move._hvac_chorus_draft_problems() if move._hvac_chorus_bound() else []
            move.hvac_chorus_draft_problems = "\n".join(f"• {problem}" for problem in problems) or False

    def _hvac_chorus_bound(self):
        """A draft customer invoice that will go to Chorus Pro: its buyer is a Chorus structure, or
        it already names a Chorus service or engagement."""
        self.ensure_one()
        return (
            self.state == "draft"
            and self.move_type in ("out_invoice", "out_refund")
            and bool(
                self.commercial_partner_id.hvac_chorus_structure_id
                or self.hvac_chorus_service_id
                or self.buyer_reference
                or self.purchase_order_reference
            )
        )

    def _hvac_chorus_draft_problems(self):
        """The pre-send checks, but for being a draft, which posting settles."""
        self.ensure_one()
        draft = self.env._("The invoice is a draft: confirm it first.")
        return [problem for problem in self._hvac_chorus_problems() if problem != draft]

    def _hvac_fiche_invoices_created(self):
        result = super()._hvac_fiche_invoices_created()
        for move in self.filtered(lambda m: m._hvac_chorus_bound()):
            problems = move._hvac_chorus_draft_problems()
            if problems:
                move.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=self.env.uid,
                    summary=self.env._("Chorus Pro: to complete before sending"),
                    note=Markup("<ul>%s</ul>") % Markup().join(Markup("<li>%s</li>") % problem for problem in problems),
                )
        return result
