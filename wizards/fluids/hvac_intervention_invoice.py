from odoo import api, fields, models
from odoo.exceptions import UserError


class HvacInterventionInvoice(models.TransientModel):
    """Facturer: draft customer invoices from done fiches, grouped as they will be made."""

    _name = "hvac.intervention.invoice"
    _description = "Invoice fiches d'intervention"

    intervention_ids = fields.Many2many(
        "hvac.intervention", string="Fiches", required=True, domain="[('invoice_state', '=', 'to_invoice')]"
    )
    fiche_count = fields.Integer("Fiches to invoice", compute="_compute_preview")
    invoice_count = fields.Integer("Invoices to make", compute="_compute_preview")
    preview = fields.Text("Invoices", compute="_compute_preview")
    skipped = fields.Text("Not invoiced", compute="_compute_preview")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "hvac.intervention" and "intervention_ids" not in values:
            values["intervention_ids"] = [fields.Command.set(self.env.context.get("active_ids") or [])]
        return values

    @api.model
    def _hvac_open(self, fiches):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoice the fiches"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {"default_intervention_ids": [fields.Command.set(fiches.ids)]},
        }

    @api.depends("intervention_ids")
    def _compute_preview(self):
        labels = dict(self.env["hvac.intervention"]._fields["invoice_state"]._description_selection(self.env))
        for wizard in self:
            fiches = wizard.intervention_ids.filtered(lambda f: f.invoice_state == "to_invoice")
            others = wizard.intervention_ids - fiches
            groups = fiches._hvac_invoice_groups()
            wizard.fiche_count = len(fiches)
            wizard.invoice_count = len(groups)
            wizard.preview = "\n".join(wizard._preview_line(group) for group in groups.values()) or False
            wizard.skipped = (
                "\n".join(f"{fiche.display_name}: {labels[fiche.invoice_state]}" for fiche in others) or False
            )

    def _preview_line(self, fiches):
        header = fiches._hvac_invoice_header()
        partner = self.env["res.partner"].browse(header["partner_id"])
        parts = [self.env._("%(customer)s: %(count)s fiche(s)", customer=partner.display_name, count=len(fiches))]
        if header.get("buyer_reference"):
            parts.append(self.env._("service %s", header["buyer_reference"]))
        if header.get("purchase_order_reference"):
            parts.append(self.env._("engagement %s", header["purchase_order_reference"]))
        return ", ".join(parts)

    def action_create_invoices(self):
        """Make the draft invoices of the fiches still to invoice, and open them."""
        self.ensure_one()
        fiches = self.intervention_ids.filtered(lambda fiche: fiche.invoice_state == "to_invoice")
        if not fiches:
            raise UserError(self.env._("None of these fiches is left to invoice."))
        invoices = fiches._hvac_create_invoices()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        if len(invoices) == 1:
            action.update(views=[(False, "form")], res_id=invoices.id)
        else:
            action["domain"] = [("id", "in", invoices.ids)]
        return action
