from odoo import api, fields, models

from ..common.hvac_lifecycle_mixin import hvac_protected_path


class AccountMove(models.Model):
    """Invoices made from fiches d'intervention: the fiches they bill, printed after the invoice
    when the buyer asks."""

    _inherit = "account.move"

    hvac_intervention_ids = fields.Many2many(
        "hvac.intervention",
        string="Fiches d'intervention",
        compute="_compute_hvac_intervention_ids",
        groups="hvac_connect.group_hvac_user",
    )
    hvac_intervention_count = fields.Integer(
        "Fiches", compute="_compute_hvac_intervention_ids", groups="hvac_connect.group_hvac_user"
    )
    hvac_annex_fiches = fields.Boolean(
        "Annex the fiches",
        copy=False,
        help="The printed invoice (and the PDF sent to Chorus Pro) carries the fiches d'intervention it bills "
        "after the invoice.",
    )

    @api.depends("invoice_line_ids.hvac_intervention_id")
    def _compute_hvac_intervention_ids(self):
        for move in self:
            move.hvac_intervention_ids = move.invoice_line_ids.hvac_intervention_id
            move.hvac_intervention_count = len(move.hvac_intervention_ids)

    def _hvac_annexed_fiches(self):
        """The fiches printed after this invoice, in their order on it."""
        self.ensure_one()
        if not self.hvac_annex_fiches:
            return self.env["hvac.intervention"]
        return self.sudo().invoice_line_ids.hvac_intervention_id.sorted(lambda f: (f.date, f.name))

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # The credit note's lines keep their fiche (_copy_data_extend_business_fields), a link
        # only the module's own paths may write.
        with hvac_protected_path():
            return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    def _hvac_fiche_invoices_created(self):
        """Called on the invoices just made from fiches (the Chorus area checks them)."""

    def action_view_hvac_interventions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("hvac_connect.hvac_intervention_action")
        action["domain"] = [("id", "in", self.hvac_intervention_ids.ids)]
        action["context"] = {"create": False}
        return action
