from odoo import fields, models

from .hvac_intervention import CAPACITY_CATEGORIES


class ResCompany(models.Model):
    _inherit = "res.company"

    hvac_capacity_number = fields.Char(
        "Attestation de capacité", help="Number of the company's refrigerant handling certificate."
    )
    hvac_capacity_category = fields.Selection(CAPACITY_CATEGORIES, "Attestation category")
    hvac_capacity_valid_until = fields.Date("Attestation valid until")
    # The manual leak detector (cadre 5) every fiche of the company starts with.
    hvac_detector_reference = fields.Char(
        "Manual leak detector", help="Brand, model and serial number of the detector."
    )
    hvac_detector_check_date = fields.Date("Detector last checked on", help="Detectors are checked every year.")
    hvac_leak_check_notice_days = fields.Integer(
        "Plan leak checks (days ahead)",
        default=30,
        help="The daily job creates the technician's activity, and sends the holder's notice, this many days "
        "before an installation's leak check is due.",
    )
    # What a fiche bills besides its fluid and parts (hvac_intervention_billing).
    hvac_labour_product_id = fields.Many2one(
        "product.product", "Labour product", help="Billed per hour on site; sold by time (hours)."
    )
    hvac_travel_product_id = fields.Many2one(
        "product.product", "Travel product", help="Billed once per fiche whose travel is billed (forfait déplacement)."
    )
    hvac_recovery_product_id = fields.Many2one(
        "product.product",
        "Recovered fluid product",
        help="The handling of the recovered fluid taken back: per kg when sold by weight, per cylinder when sold "
        "by unit. Left empty, it is not billed.",
    )
