from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    hvac_leak_check_notify = fields.Boolean(
        "Notify leak checks by e-mail",
        help="The daily job e-mails this customer when a leak check of one of its installations is coming due.",
    )
    hvac_fluid_distributor = fields.Boolean(
        "Refrigerant distributor",
        help="Fluid handed over to this partner counts as returned to a distributor in the annual fluid balance; "
        "to any other destination, as handed to a treatment centre.",
    )
    hvac_invoice_monthly = fields.Boolean(
        "Invoice fiches monthly (contract)",
        help="Its done fiches are invoiced together once a month (Interventions to invoice › Invoice last month's "
        "contracts).",
    )
    hvac_annex_fiches = fields.Boolean(
        "Annex the fiches to invoices",
        help="Invoices made from fiches print them (the Cerfa PDFs) after the invoice, for buyers who ask.",
    )
