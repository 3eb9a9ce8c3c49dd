from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_date

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
# Nothing of a done fiche that the Cerfa prints is written by a user: its holder's deferred
# signature, its BSFF number and the rest are written by the module's own paths only
# (hvac_intervention_signature, the BSFF). What the fiche bills is no part of the Cerfa
# (hvac_intervention_billing locks it once the fiche is invoiced). The chatter always is.
BILLING_FIELDS = {"billing_type", "labour_hours", "travel_billed", "flat_fee_product_id", "line_ids"}
EDITABLE_WHEN_DONE = frozenset(BILLING_FIELDS)
# Set by the module's own actions only: the number and state, the BSFF's number (printed on the
# Cerfa and the register), and the portal's access token, which a fiche never uses (the holder
# signs with a single-use link, see hvac.intervention.sign.request).
PROTECTED_FIELDS = frozenset({"state", "name", "bsff_number", "access_token"})


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
    _hvac_protected_fields = PROTECTED_FIELDS
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
    leak_check_period = fields.Integer("Leak-check period (months)", aggregator=None)
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
    bsff_number = fields.Char("BSFF number", copy=False, readonly=True)
    # Cadres 12-14
    transport_mention = fields.Char(help="ADR mention, e.g. UN 1078, Gaz frigorifique NSA, 2.2.")
    destination_partner_id = fields.Many2one(
        "res.partner",
        "Destination of recovered fluid",
        domain=[("hvac_fluid_receiver", "=", True)],
        help="The treatment or grouping centre, or the distributor, receiving the recovered fluid (cadre 13).",
    )
    observations = fields.Text()
    # Signatures
    operator_signatory = fields.Char("Operator signatory")
    operator_signatory_role = fields.Char("Operator capacity")
    operator_signed_on = fields.Date("Operator signed on")
    holder_signatory = fields.Char("Holder signatory")
    holder_signatory_role = fields.Char("Holder capacity")
    holder_signed_on = fields.Date("Holder signed on", copy=False)
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

    @api.depends("name", "installation_id.name", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # A draft has no number yet ("/"): it reads as a draft of its installation and day.
        for fiche in self:
            if fiche.name and fiche.name != "/":
                fiche.display_name = fiche.name
            else:
                fiche.display_name = self.env._(
                    "Draft fiche – %(installation)s, %(date)s",
                    installation=fiche.installation_id.name or "…",
                    date=format_date(self.env, fiche.date) if fiche.date else "…",
                )

    def _creation_message(self):
        # Odoo's "%s created" reads "Intervention (fiche d'intervention) créé" in French.
        return self.env._("Fiche d'intervention created")

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

    @api.onchange("recovered_treatment_kg", "recovered_reuse_kg")
    def _onchange_recovered_destination(self):
        # Recovered fluid needs its destination: the one the company's last fiche sent fluid to.
        if self.recovered_treatment_kg + self.recovered_reuse_kg > 0 and not self.destination_partner_id:
            self.destination_partner_id = self._last_destination()

    def _last_destination(self):
        last = self.search(
            [
                ("company_id", "=", (self.company_id or self.env.company).id),
                ("destination_partner_id", "!=", False),
                ("state", "=", "done"),
            ],
            order="date desc, id desc",
            limit=1,
        )
        destination = last.destination_partner_id
        return destination if destination and destination._hvac_receives_fluid() else self.env["res.partner"]

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
        fiches = super().create(vals_list)
        fiches.filtered(lambda fiche: fiche.state == "done")._hvac_recompute_done_totals()
        return fiches

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals:
            self._hvac_recompute_done_totals()
        return res

    def unlink(self):
        done = self.filtered(lambda fiche: fiche.state == "done")
        installations, containers = done.installation_id, done.container_move_ids.container_id
        res = super().unlink()
        self._hvac_recompute_done_totals(installations.exists(), containers.exists())
        return res

    def _hvac_recompute_done_totals(self, installations=None, containers=None):
        """What only done fiches make (an installation's last leak check and repair, hence its
        next check; a container's net weight), recomputed for these fiches' records: called when
        fiches enter or leave the done state, never for a draft's edits."""
        installations = self.installation_id if installations is None else installations
        containers = self.container_move_ids.container_id if containers is None else containers
        for records, names in (
            (installations, ("last_leak_check_date", "last_leak_repair_date")),
            (containers, ("net_weight_kg",)),
        ):
            if records:
                for name in names:
                    self.env.add_to_compute(records._fields[name], records)
                records.modified(names)

    def _hvac_unlink_refusal(self):
        if self.name and self.name != "/":
            return self.env._("Fiche %s is numbered: it is kept, cancel it instead.", self.name)
        return super()._hvac_unlink_refusal()

    # --- validation: one flow, extended through its hooks -------------------------------------
    def action_done(self):
        """Validate the draft fiches: refused at once with every problem of every fiche, or all
        numbered and locked; what only deserves a look is posted and shown."""
        self.check_access("write")
        drafts = self.filtered(lambda f: f.state == "draft")
        drafts._hvac_check_done()
        warnings = [(fiche, fiche._hvac_done_warnings()) for fiche in drafts]
        for fiche in drafts:
            fiche._hvac_set_protected(fiche._hvac_done_values())
        self.container_move_ids.container_id._check_capacity()
        drafts._hvac_after_done()
        return self._hvac_done_notification(warnings)

    def _hvac_done_problems(self):
        """Every reason why this draft fiche cannot be validated, as sentences for the user.
        The list to extend: an override adds its problems to ``super()``'s."""
        self.ensure_one()
        return []

    def _hvac_done_warnings(self):
        """What does not stop the validation but is posted on the fiche and shown; extend like
        ``_hvac_done_problems``."""
        self.ensure_one()
        return []

    def _hvac_done_values(self):
        """What validating this fiche writes; an override adds its values to ``super()``'s."""
        self.ensure_one()
        vals = {"state": "done"}
        if self.name == "/":
            vals["name"] = self.env["ir.sequence"].with_company(self.company_id).next_by_code("hvac.intervention")
        return vals

    def _hvac_after_done(self):
        """What follows the validation of these fiches (another area's override)."""

    def _hvac_check_done(self):
        """Refuse the validation with one message listing every problem of every fiche."""
        blocks = []
        for fiche in self:
            problems = fiche._hvac_done_problems()
            if problems:
                label = fiche.name if fiche.name != "/" else fiche.installation_id.display_name
                blocks.append(self.env._("Fiche %(fiche)s:", fiche=label) + "\n• " + "\n• ".join(problems))
        if blocks:
            raise UserError(
                self.env._("The fiche d'intervention cannot be validated; the Cerfa 15497*04 requires:")
                + "\n\n"
                + "\n\n".join(blocks)
            )

    def _hvac_done_notification(self, warnings):
        messages = []
        for fiche, fiche_warnings in warnings:
            for warning in fiche_warnings:
                fiche.message_post(body=warning)
                messages.append(warning)
        if not messages:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "message": "\n".join(messages),
                "title": self.env._("Validated, with a warning"),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_cancel(self):
        """A draft is dropped by whoever may edit it; a validated fiche is a legal record: only a
        manager cancels it, and only while nothing rests on it (then a correcting fiche is the way)."""
        self.check_access("write")
        done = self.filtered(lambda f: f.state == "done")
        if done and not self.env.user.has_group("hvac_connect.group_hvac_manager"):
            raise AccessError(
                self.env._(
                    "Only an HVAC manager cancels a validated fiche d'intervention (%(names)s).",
                    names=", ".join(done.mapped("display_name")),
                )
            )
        refusals = done._hvac_cancel_refusals()
        if refusals:
            raise UserError(
                self.env._(
                    "%(reasons)s\n\nA validated fiche that is wrong stays as it is: write a new fiche d'intervention"
                    " that corrects it, and say in its observations which fiche it corrects.",
                    reasons="\n".join(refusals),
                )
            )
        self._hvac_set_protected({"state": "cancel"})
        return True

    def _hvac_cancel_refusals(self):
        """Why these validated fiches can no longer be cancelled: one sentence each (none: they can)."""
        return []

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
        return self.env.ref("hvac_connect.action_report_hvac_intervention").report_action(self, config=False)

    def _report_photos(self):
        """The pictures the printed fiche annexes (documents that are not images stay in Odoo)."""
        self.ensure_one()
        if not self.annex_photos:
            return self.env["ir.attachment"]
        return self.photo_ids.filtered(lambda a: (a.mimetype or "").startswith("image/"))
