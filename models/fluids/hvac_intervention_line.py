from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..common.hvac_lifecycle_mixin import ALL


class HvacInterventionLine(models.Model):
    """A part or consumable used during an intervention, billed with the fiche at the price the
    customer's pricelist gives its product."""

    _name = "hvac.intervention.line"
    _description = "Part or consumable of an intervention"
    _inherit = ["hvac.lifecycle.mixin"]
    _order = "intervention_id, sequence, id"
    _check_company_auto = True
    # Billing, not the Cerfa: editable on a draft or done fiche until the fiche is invoiced
    # (hvac_intervention_billing refuses any change then).
    _hvac_parent_field = "intervention_id"
    _hvac_editable_states = {"draft": ALL, "done": ALL}
    _hvac_deletable_states = {"draft", "done"}

    intervention_id = fields.Many2one("hvac.intervention", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="intervention_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", required=True, check_company=True, domain=[("sale_ok", "=", True)])
    name = fields.Char("Description", help="Printed on the invoice; the product's name when left empty.")
    quantity = fields.Float(digits="Product Unit of Measure", default=1.0, required=True)
    product_uom_id = fields.Many2one(
        "uom.uom",
        "Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "A part or consumable is used in a quantity above 0."),
    ]

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            if line.product_id and line.product_uom_id.category_id != line.product_id.uom_id.category_id:
                line.product_uom_id = line.product_id.uom_id

    @api.constrains("product_id", "product_uom_id")
    def _check_uom(self):
        for line in self:
            if line.product_uom_id and line.product_uom_id.category_id != line.product_id.uom_id.category_id:
                raise ValidationError(
                    self.env._(
                        "%(product)s is counted in %(unit)s, not in %(other)s.",
                        product=line.product_id.display_name,
                        unit=line.product_id.uom_id.name,
                        other=line.product_uom_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.intervention_id._hvac_check_billing_open()
        return lines

    def write(self, vals):
        self.intervention_id._hvac_check_billing_open()
        result = super().write(vals)
        if "intervention_id" in vals:
            self.intervention_id._hvac_check_billing_open()
        return result

    def unlink(self):
        self.intervention_id._hvac_check_billing_open()
        return super().unlink()
