from odoo import api, fields, models
from odoo.exceptions import AccessError


class AccountMoveLine(models.Model):
    """An invoice line made from a fiche d'intervention knows it (as a sale order line's
    invoice lines know the order line)."""

    _inherit = "account.move.line"

    hvac_intervention_id = fields.Many2one(
        "hvac.intervention", "Fiche d'intervention", readonly=True, copy=False, index="btree_not_null"
    )

    def _copy_data_extend_business_fields(self, values):  # pylint: disable=missing-return  (core's hook returns nothing)
        # A credit note made by reversing the invoice reverses the fiche's lines: it frees the fiche.
        super()._copy_data_extend_business_fields(values)
        values["hvac_intervention_id"] = self.hvac_intervention_id.id

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("hvac_intervention_id") for vals in vals_list):
            self._hvac_check_fiche_link()
        return super().create(vals_list)

    def write(self, vals):
        if "hvac_intervention_id" in vals:
            self._hvac_check_fiche_link()
        return super().write(vals)

    @api.model
    def _hvac_check_fiche_link(self):
        # Whether a fiche is invoiced is read from these links: only the invoicing of fiches and a
        # credit note's reversal set them, never a plain create or write.
        if not self.env["hvac.lifecycle.mixin"]._hvac_trusted():
            raise AccessError(
                self.env._("An invoice line is linked to its fiche d'intervention only by invoicing the fiche.")
            )
