from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..common.hvac_lifecycle_mixin import ALL
from .hvac_installation import LEAK_CHECK_NATURES

CAPACITY_CATEGORIES = [
    ("I", "I - All operations, all equipment (2008 scheme)"),
    ("II", "II - Maintenance and recovery < 2 kg, leak checks (2008 scheme)"),
    ("III", "III - Recovery < 2 kg (2008 scheme)"),
    ("IV", "IV - Leak checks only (2008 scheme)"),
    ("V", "V - Vehicle air conditioning"),
    ("A1", "A1 - All activities, F-gases and hydrocarbons (2025 scheme)"),
    ("A1FF", "A1 FF - All activities, fluorinated gases only (2025 scheme)"),
    ("A2", "A2 - All activities, equipment < 3 kg (2025 scheme)"),
    ("B", "B - CO2 installations (2025 scheme)"),
    ("C", "C - Ammonia installations (2025 scheme)"),
    ("D", "D - Recovery only < 3 kg (2025 scheme)"),
    ("E", "E - Leak checks only (2025 scheme)"),
]
LEAK_REPAIR = [("done", "Repaired"), ("todo", "To do")]
# Fields that stay writable on a done fiche: its later BSFF link, its portal token, the
# holder's deferred signature (which hvac_intervention_signature lets only the signing methods
# write), and what the fiche bills, which is no part of the Cerfa (hvac_intervention_billing
# locks it once the fiche is invoiced). The chatter always is.
BILLING_FIELDS = {"billing_type", "labour_hours", "travel_billed", "flat_fee_product_id", "line_ids"}
EDITABLE_WHEN_DONE = BILLING_FIELDS | {
    "bsff_number",
    "access_token",
    "holder_signature",
    "holder_signatory",
    "holder_signatory_role",
    "holder_signed_on",
    "holder_signed_at",
    "holder_signed_ip",
    "holder_signature_requested",
}


class HvacIntervention(models.Model):
    """The fiche d'intervention (Cerfa 15497*04): one operation handling refrigerant on an installation.

    A done fiche is locked: it may only be cancelled, and the GWP, charge and
    operator's certificate it was signed with are frozen on it.
    """

    _name = "hvac.intervention"
    _description = "Intervention (fiche d'intervention)"
    _inherit = ["mail.thread", "mail.activity.mixin", "hvac.lifecycle.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # A fiche is a legal record (kept 5 years): once numbered it never disappears, and once
    # done its content never changes; a correction is a new fiche.
    _hvac_protected_fields = frozenset({"state", "name"})
    _hvac_editable_states = {"draft": ALL, "done": EDITABLE_WHEN_DONE, "cancel": frozenset()}

    name = fields.Char("Fiche number", readonly=True, copy=False, default="/", index=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    # Cadre 1 - operator
    technician_id = fields.Many2one("res.users", default=lambda self: self.env.user, tracking=True)
    capacity_number = fields.Char("Attestation de capacité number")
    capacity_category = fields.Selection(CAPACITY_CATEGORIES, "Attestation category")
    capacity_valid_until = fields.Date("Attestation valid until")
    # Cadres 2-3 - holder and equipment
    installation_id = fields.Many2one("hvac.installation", required=True, index=True, check_company=True, tracking=True)
    partner_id = fields.Many2one(related="installation_id.partner_id", store=True, string="Holder (détenteur)")
    site_id = fields.Many2one(related="installation_id.site_id", store=True)
    refrigerant_id = fields.Many2one("hvac.refrigerant", "Fluid", required=True)
    gwp = fields.Float("GWP", help="GWP of the fluid when the fiche was signed.")
    installation_charge_kg = fields.Float("Nominal charge (kg)", digits=(10, 3))
    co2_tonnes = fields.Float("t CO2e", digits=(10, 2), compute="_compute_co2_tonnes", store=True)
    # Cadre 4 - nature
    nature = fields.Selection(
        [
            ("assembly", "Assembly"),
            ("commissioning", "Commissioning"),
            ("modification", "Modification"),
            ("maintenance", "Maintenance"),
            ("periodic_check", "Periodic leak check"),
            ("non_periodic_check", "Non-periodic leak check"),
            ("dismantling", "Dismantling"),
            ("other", "Other"),
        ],
        required=True,
        default="periodic_check",
        tracking=True,
    )
    nature_other = fields.Char("Other nature")
    # Cadres 5-10 - leak check
    leak_check = fields.Boolean("Leak check performed", compute="_compute_leak_check", store=True, readonly=False)
    detector_reference = fields.Char("Manual detector")
    detector_check_date = fields.Date("Detector last checked on")
    leak_detection_system = fields.Boolean("Permanent leak detection system")
    leak_check_period = fields.Integer("Leak-check period (months)")
    leaks_found = fields.Boolean()
    leak_location_1 = fields.Char("Leak 1")
    leak_repair_1 = fields.Selection(LEAK_REPAIR, "Leak 1 repair")
    leak_location_2 = fields.Char("Leak 2")
    leak_repair_2 = fields.Selection(LEAK_REPAIR, "Leak 2 repair")
    leak_location_3 = fields.Char("Leak 3")
    leak_repair_3 = fields.Selection(LEAK_REPAIR, "Leak 3 repair")
    # Cadre 11 - fluid handled
    charged_virgin_kg = fields.Float("Charged, virgin (A)", digits=(10, 3))
    charged_recycled_kg = fields.Float("Charged, recycled (B)", digits=(10, 3))
    charged_reclaimed_kg = fields.Float("Charged, reclaimed (C)", digits=(10, 3))
    charged_total_kg = fields.Float("Total charged", digits=(10, 3), compute="_compute_totals", store=True)
    recovered_treatment_kg = fields.Float("Recovered for treatment (D)", digits=(10, 3))
    recovered_reuse_kg = fields.Float("Recovered for reuse (E)", digits=(10, 3))
    recovered_total_kg = fields.Float("Total recovered (D+E)", digits=(10, 3), compute="_compute_totals", store=True)
    container_move_ids = fields.One2many("hvac.container.move", "intervention_id", "Containers")
    bsff_number = fields.Char("BSFF number", copy=False)
    # Cadres 12-14
    transport_mention = fields.Char(help="ADR mention, e.g. UN 1078, Gaz frigorifique NSA, 2.2.")
    destination_partner_id = fields.Many2one("res.partner", "Destination of recovered fluid")
    observations = fields.Text()
    # Signatures
    operator_signatory = fields.Char("Operator signatory")
    operator_signatory_role = fields.Char("Operator capacity")
    operator_signed_on = fields.Date("Operator signed on")
    holder_signatory = fields.Char("Holder signatory")
    holder_signatory_role = fields.Char("Holder capacity")
    holder_signed_on = fields.Date("Holder signed on")
    # Taken on site (name plate, leak location), optionally annexed to the printed fiche.
    photo_ids = fields.Many2many(
        "ir.attachment",
        "hvac_intervention_photo_rel",
        "intervention_id",
        "attachment_id",
        "Photos and documents",
        help="Name plate, leak location, container labels: pictures are shown in a gallery.",
    )
    annex_photos = fields.Boolean("Annex the photos to the PDF")

    _sql_constraints = [
        (
            "quantities_positive",
            "CHECK(charged_virgin_kg >= 0 AND charged_recycled_kg >= 0 AND charged_reclaimed_kg >= 0"
            " AND recovered_treatment_kg >= 0 AND recovered_reuse_kg >= 0)",
            "Fluid quantities cannot be negative.",
        ),
    ]

    @api.depends("gwp", "installation_charge_kg")
    def _compute_co2_tonnes(self):
        for fiche in self:
            fiche.co2_tonnes = fiche.installation_charge_kg * fiche.gwp / 1000.0

    @api.depends("nature")
    def _compute_leak_check(self):
        for fiche in self:
            fiche.leak_check = fiche.nature in LEAK_CHECK_NATURES

    @api.depends(
        "charged_virgin_kg",
        "charged_recycled_kg",
        "charged_reclaimed_kg",
        "recovered_treatment_kg",
        "recovered_reuse_kg",
    )
    def _compute_totals(self):
        for fiche in self:
            fiche.charged_total_kg = fiche.charged_virgin_kg + fiche.charged_recycled_kg + fiche.charged_reclaimed_kg
            fiche.recovered_total_kg = fiche.recovered_treatment_kg + fiche.recovered_reuse_kg

    @api.onchange("installation_id")
    def _onchange_installation_id(self):
        self.update(self._installation_snapshot(self.installation_id))

    @api.model
    def _installation_snapshot(self, installation):
        """What the fiche copies from the installation and the fluid when it is written."""
        return {
            "refrigerant_id": installation.refrigerant_id.id,
            "gwp": installation.refrigerant_id.gwp,
            "installation_charge_kg": installation.charge_kg,
            "leak_detection_system": installation.leak_detection_system,
            "leak_check_period": installation.leak_check_period,
            "transport_mention": installation.refrigerant_id.adr_mention,
        }

    @api.model
    def _company_snapshot(self, company):
        return {
            "capacity_number": company.hvac_capacity_number,
            "capacity_category": company.hvac_capacity_category,
            "capacity_valid_until": company.hvac_capacity_valid_until,
        }

    @api.constrains("refrigerant_id", "installation_id")
    def _check_refrigerant(self):
        for fiche in self:
            if fiche.refrigerant_id != fiche.installation_id.refrigerant_id:
                raise ValidationError(
                    self.env._(
                        "The fluid %(fluid)s is not the fluid of installation %(installation)s (%(expected)s).",
                        fluid=fiche.refrigerant_id.name,
                        installation=fiche.installation_id.name,
                        expected=fiche.installation_id.refrigerant_id.name,
                    )
                )

    @api.constrains(
        "recovered_treatment_kg",
        "recovered_reuse_kg",
        "installation_charge_kg",
        "charged_virgin_kg",
        "charged_recycled_kg",
        "charged_reclaimed_kg",
    )
    def _check_recovered_quantity(self):
        for fiche in self:
            held = fiche.installation_charge_kg + fiche.charged_total_kg
            if fiche.recovered_total_kg > held + 1e-6:
                raise ValidationError(
                    self.env._(
                        "%(recovered)s kg recovered is more than installation %(installation)s can hold"
                        " (%(held)s kg nominal charge plus what was charged).",
                        recovered=fiche.recovered_total_kg,
                        installation=fiche.installation_id.name,
                        held=held,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        installations = self.env["hvac.installation"].browse(
            [vals["installation_id"] for vals in vals_list if vals.get("installation_id")]
        )
        installations.fetch(["refrigerant_id", "charge_kg", "leak_detection_system", "leak_check_period"])
        for vals in vals_list:
            installation = installations.browse(vals.get("installation_id"))
            snapshot = self._installation_snapshot(installation) if installation else {}
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            snapshot.update(self._company_snapshot(company))
            for key, value in snapshot.items():
                vals.setdefault(key, value)
        return super().create(vals_list)

    def _hvac_unlink_refusal(self):
        if self.name and self.name != "/":
            return self.env._("Fiche %s is numbered: it is kept, cancel it instead.", self.name)
        return super()._hvac_unlink_refusal()

    def action_done(self):
        self.check_access("write")
        for fiche in self.filtered(lambda f: f.state == "draft"):
            vals = {"state": "done"}
            if fiche.name == "/":
                vals["name"] = self.env["ir.sequence"].with_company(fiche.company_id).next_by_code("hvac.intervention")
            fiche._hvac_set_protected(vals)
        self.container_move_ids.container_id._check_capacity()
        return True

    def action_cancel(self):
        self.check_access("write")
        self._hvac_set_protected({"state": "cancel"})
        return True

    def action_draft(self):
        """Only a fiche cancelled before it was ever numbered goes back to draft."""
        self.check_access("write")
        self.filtered(lambda fiche: fiche.state == "cancel" and fiche.name == "/")._hvac_set_protected(
            {"state": "draft"}
        )
        return True

    def _report_lang(self):
        """The Cerfa is a French form: print it in French whenever French is installed."""
        return "fr_FR" if self.env["res.lang"]._lang_get("fr_FR") else self.env.lang

    def action_print(self):
        return self.env.ref("hvac_connect.action_report_hvac_intervention").report_action(self)

    def _report_photos(self):
        """The pictures the printed fiche annexes (documents that are not images stay in Odoo)."""
        self.ensure_one()
        if not self.annex_photos:
            return self.env["ir.attachment"]
        return self.photo_ids.filtered(lambda a: (a.mimetype or "").startswith("image/"))
