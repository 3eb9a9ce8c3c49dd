import uuid

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .fgas import Charge, leak_check_period

LEAK_CHECK_NATURES = ("commissioning", "periodic_check", "non_periodic_check")


class HvacInstallation(models.Model):
    """Equipment holding refrigerant (climatisation, froid, pompe à chaleur) at a customer's building."""

    _name = "hvac.installation"
    _description = "Refrigerant installation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "next_leak_check_date, name"
    _check_company_auto = True
    _parent_store = True

    # --- identification
    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    # The building's company; until a building is chosen, the user's current company, so that
    # a new installation offers that company's buildings (a related field offered none).
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
    )
    building_id = fields.Many2one(
        "hvac.building", required=True, index=True, tracking=True, check_company=True, ondelete="restrict"
    )
    site_id = fields.Many2one(related="building_id.site_id", store=True, index=True)
    partner_id = fields.Many2one(related="building_id.site_id.partner_id", store=True, index=True, string="Customer")
    category = fields.Selection(
        [
            ("air_conditioning", "Air conditioning"),
            ("refrigeration", "Refrigeration"),
            ("heat_pump", "Heat pump"),
            ("other", "Other"),
        ],
        default="air_conditioning",
        required=True,
    )
    brand = fields.Char()
    model = fields.Char()
    serial_number = fields.Char(tracking=True, copy=False)
    public_token = fields.Char(
        "Sharing reference",
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: uuid.uuid4().hex,
        help="Identifies this installation to the companies it is shared with, and on a label; set once, never"
        " changes. Nothing to do with it by hand.",
    )
    commissioning_date = fields.Date(tracking=True)
    parent_id = fields.Many2one("hvac.installation", "Part of", index=True, check_company=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("hvac.installation", "parent_id", "Components")
    # --- fluid and F-gas figures
    refrigerant_id = fields.Many2one("hvac.refrigerant", "Refrigerant", required=True, tracking=True)
    charge_kg = fields.Float("Nominal charge (kg)", digits=(10, 3), required=True, tracking=True)
    co2_tonnes = fields.Float(
        "t CO2e",
        digits=(10, 2),
        compute="_compute_co2_tonnes",
        store=True,
        help="Nominal charge × GWP of the fluid / 1000.",
    )
    hermetic = fields.Boolean("Hermetically sealed", tracking=True)
    # The equipment cases the servicing bans of Regulation (EU) 2024/573, Article 13, leave out.
    military_equipment = fields.Boolean(tracking=True)
    below_minus_50 = fields.Boolean(
        "Cools products below −50 °C", tracking=True, help="Equipment intended to cool products below −50 °C."
    )
    nuclear_cooling = fields.Boolean(
        "Cools a nuclear power station",
        tracking=True,
        help="Equipment intended to cool a nuclear power station (Article 13(5) leaves it out).",
    )
    chiller = fields.Boolean(
        tracking=True,
        help="A single system whose primary function is to cool a heat transfer fluid (water, glycol, brine,"
        " CO2), as Regulation (EU) 2024/573, Article 3(44), defines it; Article 13(5) leaves chillers out.",
    )
    ban_exemption_ref = fields.Char(
        "Exemption under Article 11(5)",
        tracking=True,
        help="Reference of the exemption the Commission authorised for this equipment, if any.",
    )
    leak_detection_system = fields.Boolean(tracking=True, help="A working leak detection system doubles the period.")
    leak_check_period = fields.Integer(
        "Leak-check period (months)",
        compute="_compute_leak_check_period",
        store=True,
        aggregator=None,  # a period is not summed (a month's group read "18")
        help="0 when no periodic leak check is required.",
    )
    leak_check_period_label = fields.Char("Leak-check period", compute="_compute_leak_check_period_label")
    last_leak_check_date = fields.Date(compute="_compute_last_leak_check_date", store=True)
    next_leak_check_date = fields.Date(compute="_compute_next_leak_check_date", store=True, index=True)
    leak_check_overdue = fields.Boolean(compute="_compute_leak_check_overdue", search="_search_leak_check_overdue")
    # --- history
    intervention_ids = fields.One2many("hvac.intervention", "installation_id", "Interventions")
    shared_from_share_id = fields.Many2one(
        "hvac.share", "Received through share", readonly=True, copy=False, index="btree_not_null"
    )
    shared_from_ref = fields.Char("Owner's installation reference", readonly=True, copy=False, index="btree_not_null")
    shared_intervention_ids = fields.One2many(
        "hvac.shared.intervention", "installation_id", "Interventions by sharing partners"
    )
    shared_revoked = fields.Boolean(
        "Share revoked", readonly=True, copy=False, help="The owner revoked the share: read only."
    )
    intervention_count = fields.Integer(compute="_compute_intervention_count")
    note = fields.Html()
    # Name plate, schematics, manufacturer's papers.
    photo_ids = fields.Many2many(
        "ir.attachment",
        "hvac_installation_photo_rel",
        "installation_id",
        "attachment_id",
        "Photos and documents",
    )

    _sql_constraints = [
        ("public_token_uniq", "unique(public_token)", "The public token of an installation must be unique."),
        ("charge_positive", "CHECK(charge_kg > 0)", "The nominal charge must be greater than 0 kg."),
    ]

    def _creation_message(self):
        # Odoo's "%s created" reads "Installation frigorifique créé" in French.
        return self.env._("Installation created")

    @api.depends("building_id.company_id")
    def _compute_company_id(self):
        for installation in self:
            if installation.building_id:
                installation.company_id = installation.building_id.company_id
            elif not installation.company_id:
                installation.company_id = self.env.company

    @api.depends("charge_kg", "refrigerant_id.gwp")
    def _compute_co2_tonnes(self):
        for installation in self:
            installation.co2_tonnes = installation.charge_kg * installation.refrigerant_id.gwp / 1000.0

    @api.depends(
        "charge_kg",
        "hermetic",
        "leak_detection_system",
        "refrigerant_id.family",
        "refrigerant_id.annex1_gwp",
        "refrigerant_id.annex2_fraction",
    )
    def _compute_leak_check_period(self):
        for installation in self:
            installation.leak_check_period = leak_check_period(installation._fgas_charge())

    @api.depends("leak_check_period")
    def _compute_leak_check_period_label(self):
        # "0" read as a period; an installation without periodic check is "not subject".
        for installation in self:
            months = installation.leak_check_period
            installation.leak_check_period_label = (
                self.env._("every %s months", months) if months else self.env._("not subject")
            )

    def _fgas_charge(self):
        fluid = self.refrigerant_id
        return Charge(
            charge_kg=self.charge_kg,
            family=fluid.family or "hfc",
            annex1_gwp=fluid.annex1_gwp,
            annex2_fraction=fluid.annex2_fraction,
            hermetic=self.hermetic,
            leak_detection=self.leak_detection_system,
        )

    # Only done fiches count, and a fiche enters or leaves the done state only through its own
    # actions, which recompute this (hvac.intervention._hvac_recompute_done_totals): a dependency
    # on intervention_ids would make every draft fiche rewrite its installation's row, and two
    # technicians working on one installation would wait for each other.
    @api.depends()
    def _compute_last_leak_check_date(self):
        last_dates = dict(
            self.env["hvac.intervention"]._read_group(
                [("installation_id", "in", self.ids), ("state", "=", "done"), ("leak_check", "=", True)],
                ["installation_id"],
                ["date:max"],
            )
        )
        for installation in self:
            installation.last_leak_check_date = last_dates.get(installation)

    @api.depends("last_leak_check_date", "commissioning_date", "leak_check_period")
    def _compute_next_leak_check_date(self):
        for installation in self:
            start = installation.last_leak_check_date or installation.commissioning_date
            months = installation.leak_check_period
            installation.next_leak_check_date = start + relativedelta(months=months) if start and months else False

    def _compute_leak_check_overdue(self):
        today = fields.Date.context_today(self)
        for installation in self:
            due = installation.next_leak_check_date
            installation.leak_check_overdue = bool(due and due < today)

    def _search_leak_check_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on overdue leak checks."))
        today = fields.Date.context_today(self)
        overdue = [("next_leak_check_date", "<", today)]
        return overdue if (operator == "=") == value else ["!", *overdue]

    def _compute_intervention_count(self):
        counts = dict(
            self.env["hvac.intervention"]._read_group(
                [("installation_id", "in", self.ids)], ["installation_id"], ["__count"]
            )
        )
        for installation in self:
            installation.intervention_count = counts.get(installation, 0)

    def _label_url(self):
        """What the QR code on the installation's label opens (see controllers/label.py)."""
        self.ensure_one()
        return f"{self.get_base_url()}/hvac/i/{self.public_token}"

    def action_view_interventions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("hvac_connect.hvac_intervention_action")
        action["domain"] = [("installation_id", "=", self.id)]
        action["context"] = {"default_installation_id": self.id}
        return action

    def write(self, vals):
        if not self.env.su:
            self._check_shared_copy_write(vals)
        return super().write(vals)

    def _check_shared_copy_write(self, vals):
        # What a recipient may change on an installation shared with it (research domain.md §4.7):
        # its properties, not where it stands (customer, location and building are its own copies).
        # After the owner revoked the share, it keeps reading what it had, nothing more.
        if any(self.mapped("shared_revoked")):
            raise UserError(
                self.env._(
                    "%s came from a share its owner revoked: it can be read, not changed.",
                    self.filtered("shared_revoked")[0].name,
                )
            )
        received = self.filtered("shared_from_share_id")
        if received and "building_id" in vals and any(inst.building_id.id != vals["building_id"] for inst in received):
            raise UserError(
                self.env._("%s was shared with us: it stays in the building it was received in.", received[0].name)
            )
