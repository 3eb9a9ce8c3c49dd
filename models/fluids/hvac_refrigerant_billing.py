from odoo import fields, models


class HvacRefrigerant(models.Model):
    """The products a fluid charged into an installation is billed with, one per kind (cadre 11
    of the Cerfa), each company its own (its products and prices are its own)."""

    _inherit = "hvac.refrigerant"

    product_virgin_id = fields.Many2one(
        "product.product",
        "Product, virgin fluid",
        company_dependent=True,
        domain=[("sale_ok", "=", True)],
        help="Billed per kg of virgin fluid charged (A).",
    )
    product_recycled_id = fields.Many2one(
        "product.product",
        "Product, recycled fluid",
        company_dependent=True,
        domain=[("sale_ok", "=", True)],
        help="Billed per kg of recycled fluid charged (B).",
    )
    product_reclaimed_id = fields.Many2one(
        "product.product",
        "Product, reclaimed fluid",
        company_dependent=True,
        domain=[("sale_ok", "=", True)],
        help="Billed per kg of reclaimed fluid charged (C).",
    )
