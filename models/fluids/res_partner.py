from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
    hvac_fluid_treatment = fields.Boolean(
        "Refrigerant treatment or grouping centre",
        help="Receives recovered refrigerant (treatment, regeneration, transit and grouping): offered as the "
        "destination of recovered fluid on fiches d'intervention and BSFF.",
    )
    hvac_fluid_receiver = fields.Boolean(
        "Receives recovered fluid",
        compute="_compute_hvac_fluid_receiver",
        search="_search_hvac_fluid_receiver",
        help="A treatment or grouping centre, a refrigerant distributor, or a company registered on "
        "Trackdéchets as a treatment or TTR facility.",
    )

    @api.depends("hvac_fluid_treatment", "hvac_fluid_distributor")
    def _compute_hvac_fluid_receiver(self):
        for partner in self:
            partner.hvac_fluid_receiver = partner._hvac_receives_fluid()

    def _hvac_receives_fluid(self):
        self.ensure_one()
        return self.hvac_fluid_treatment or self.hvac_fluid_distributor

    @api.model
    def _hvac_fluid_receiver_domain(self):
        return ["|", ("hvac_fluid_treatment", "=", True), ("hvac_fluid_distributor", "=", True)]

    def _search_hvac_fluid_receiver(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on partners receiving recovered fluid."))
        domain = self._hvac_fluid_receiver_domain()
        return domain if (operator == "=") == value else ["!", *domain]
