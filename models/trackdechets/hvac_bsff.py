from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..common.hvac_lifecycle_mixin import ALL
from ..fluids.hvac_refrigerant import BSFF_WASTE_CODES

BSFF_TYPES = [
    # Other Trackdéchets types (TRACER_FLUIDE, GROUPEMENT, RECONDITIONNEMENT, REEXPEDITION)
    # fit the same model: they differ by the lists sent (packagings or previous containers).
    ("COLLECTE_PETITES_QUANTITES", "Collection of small quantities by an operator"),
]
STATES = [
    ("draft", "Draft"),
    ("sending", "Sending"),
    ("initial", "On Trackdéchets"),
    ("signed_by_emitter", "Signed by the emitter"),
    ("sent", "Taken over by the transporter"),
    ("received", "Received"),
    ("accepted", "Accepted"),
    ("partially_refused", "Partially refused"),
    ("refused", "Refused"),
    ("intermediately_processed", "Awaiting final processing"),
    ("processed", "Processed"),
]
OPEN_STATES = (
    "initial",
    "signed_by_emitter",
    "sent",
    "received",
    "accepted",
    "partially_refused",
    "intermediately_processed",
)
OPERATION_CODES = [
    ("R1", "R1 - Use as fuel"),
    ("R2", "R2 - Solvent reclamation/regeneration"),
    ("R3", "R3 - Recycling of organic substances"),
    ("R5", "R5 - Recycling of other inorganic materials"),
    ("R12", "R12 - Exchange before R1 to R11"),
    ("R13", "R13 - Storage before R1 to R12"),
    ("D10", "D10 - Incineration on land"),
    ("D13", "D13 - Blending or grouping before D1 to D12"),
    ("D14", "D14 - Repackaging before D1 to D13"),
    ("D15", "D15 - Storage before D1 to D14"),
]
TRANSPORT_MODES = [("ROAD", "Road"), ("RAIL", "Rail"), ("AIR", "Air"), ("RIVER", "River"), ("SEA", "Sea")]
ROAD_WEIGHT_LIMIT_KG = 40000

# What the slip says: sent while unsigned, then frozen by the emitter's signature.
SLIP_FIELDS = {
    "company_id",
    "bsff_type",
    "emitter_contact_id",
    "refrigerant_id",
    "waste_code",
    "waste_description",
    "waste_adr",
    "weight_kg",
    "weight_is_estimate",
    "transporter_is_self",
    "transporter_partner_id",
    "transport_mode",
    "destination_partner_id",
    "destination_cap",
    "destination_operation_code",
    "packaging_ids",
    "fiche_ids",
}
UNSIGNED_STATES = ("draft", "sending")
# Trackdéchets' side of the slip: written by the send and the sync only.
TD_FIELDS = {
    "state",
    "name",
    "td_id",
    "td_updated_at",
    "send_reference",
    "send_started_at",
    "send_create_attempted",
    "send_error",
    "send_queued_by",
    "send_create_attempted_at",
    "emitted_by",
    "emitted_at",
    "transport_taken_over_at",
    "received_at",
    "processed_at",
}


class HvacBsff(models.Model):
    """A BSFF (bordereau de suivi de fluides frigorigènes), prepared in Odoo, sent to and
    followed on Trackdéchets. Sending and following live in hvac_bsff_send.py and
    hvac_bsff_sync.py."""

    _name = "hvac.bsff"
    _description = "BSFF (refrigerant waste tracking slip)"
    _inherit = ["mail.thread", "mail.activity.mixin", "hvac.lifecycle.mixin"]
    _order = "id desc"
    _check_company_auto = True
    # Once the emitter signed, the slip is Trackdéchets' record: Odoo only follows it.
    _hvac_protected_fields = frozenset(TD_FIELDS)
    _hvac_editable_states = dict.fromkeys((state for state, _label in STATES), ALL)
    _hvac_fixed_fields = {state: SLIP_FIELDS for state, _label in STATES if state not in UNSIGNED_STATES}
    _hvac_deletable_states = {"draft"}

    name = fields.Char("Reference", readonly=True, copy=False, default="/", index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    state = fields.Selection(
        STATES, "Status", default="draft", required=True, readonly=True, copy=False, tracking=True, index=True
    )
    bsff_type = fields.Selection(BSFF_TYPES, "BSFF type", default="COLLECTE_PETITES_QUANTITES", required=True)
    user_id = fields.Many2one("res.users", "Responsible", default=lambda self: self.env.user)
    emitter_contact_id = fields.Many2one(
        "res.users",
        "Trackdéchets contact",
        default=lambda self: self.env.company.hvac_trackdechets_contact_id,
        help="The company's Trackdéchets contact named as emitter contact on the slip.",
    )
    refrigerant_id = fields.Many2one("hvac.refrigerant", "Fluid")
    waste_code = fields.Selection(BSFF_WASTE_CODES, "Waste code", default="14 06 01*")
    waste_description = fields.Char("Waste description", help="The fluid's name, e.g. R410A.")
    waste_adr = fields.Char("ADR mention")
    weight_kg = fields.Float(
        "Total weight (kg)", digits=(10, 3), compute="_compute_weight_kg", store=True, readonly=False
    )
    weight_is_estimate = fields.Boolean("Estimated weight")
    transporter_is_self = fields.Boolean(
        "We carry it ourselves",
        help="Exempt from a transport receipt (récépissé): the company carries its own containers.",
    )
    transporter_partner_id = fields.Many2one("res.partner", "Transporter")
    transport_mode = fields.Selection(TRANSPORT_MODES, default="ROAD")
    transporter_plates = fields.Char("Number plates", tracking=True, help="Up to two plates, separated by a comma.")
    destination_partner_id = fields.Many2one("res.partner", "Destination", domain=[("hvac_fluid_receiver", "=", True)])
    destination_cap = fields.Char("CAP", help="Certificat d'acceptation préalable given by the destination.")
    destination_operation_code = fields.Selection(OPERATION_CODES, "Planned operation")
    packaging_ids = fields.One2many("hvac.bsff.packaging", "bsff_id", "Packagings", copy=True)
    fiche_ids = fields.One2many("hvac.bsff.fiche", "bsff_id", "Fiches d'intervention", copy=True)
    intervention_ids = fields.Many2many(
        "hvac.intervention", compute="_compute_intervention_ids", string="Interventions"
    )
    partner_warning = fields.Char(compute="_compute_partner_warning")
    # Trackdéchets side
    td_id = fields.Char("Trackdéchets id", readonly=True, copy=False, index=True, tracking=True)
    td_updated_at = fields.Char("Updated on Trackdéchets", readonly=True, copy=False)
    send_reference = fields.Char(
        "Send reference",
        readonly=True,
        copy=False,
        help="Sent as the emitter's customInfo: finds the slip again when an answer was lost.",
    )
    send_started_at = fields.Datetime("Send started on", readonly=True, copy=False)
    send_create_attempted = fields.Boolean(readonly=True, copy=False)
    # When the last create was sent: while its answer is unknown, no retry before Trackdéchets' cut-off.
    send_create_attempted_at = fields.Datetime("Slip creation sent on", readonly=True, copy=False)
    send_error = fields.Text("Last send error", readonly=True, copy=False)
    # Whose key and name the background send uses: set by the list's Send, cleared once sent or refused.
    send_queued_by = fields.Many2one("res.users", "Send queued by", readonly=True, copy=False, index="btree_not_null")
    emitted_by = fields.Char("Signed by (emitter)", readonly=True, copy=False)
    emitted_at = fields.Datetime("Signed on (emitter)", readonly=True, copy=False)
    transport_taken_over_at = fields.Datetime("Taken over on", readonly=True, copy=False, tracking=True)
    received_at = fields.Datetime("Received on", readonly=True, copy=False, tracking=True)
    processed_at = fields.Datetime("Processed on", readonly=True, copy=False, tracking=True)

    _sql_constraints = [
        ("td_id_unique", "UNIQUE(td_id)", "This Trackdéchets BSFF is already linked to another record.")
    ]

    @api.depends("fiche_ids.weight_kg", "packaging_ids.weight_kg")
    def _compute_weight_kg(self):
        # The waste is the fluid the fiches recovered, not what the cylinders hold in all
        # (a cylinder may carry fluid of earlier fiches, or be a virgin-fluid one).
        for bsff in self:
            source = bsff.fiche_ids or bsff.packaging_ids
            bsff.weight_kg = sum(source.mapped("weight_kg"))

    @api.depends("fiche_ids.intervention_id")
    def _compute_intervention_ids(self):
        for bsff in self:
            bsff.intervention_ids = bsff.fiche_ids.intervention_id

    @api.depends(
        "transporter_partner_id",
        "transporter_is_self",
        "destination_partner_id",
        "fiche_ids.intervention_id.destination_partner_id",
    )
    def _compute_partner_warning(self):
        for bsff in self:
            warnings = bsff._partner_problems() + bsff._destination_fiche_warnings()
            bsff.partner_warning = "\n".join(warnings) or False

    def _destination_fiche_warnings(self):
        """The slip normally goes where its fiches said the fluid goes (cadre 13). Only a warning:
        when that destination turns out not to take it (not registered on Trackdéchets, closed),
        the slip goes elsewhere while the validated fiches stay as signed."""
        named = self.fiche_ids.intervention_id.destination_partner_id
        if self.destination_partner_id and named and named != self.destination_partner_id:
            return [
                _(
                    "Destination: the fiches send their fluid to %(named)s (cadre 13), the slip to %(chosen)s.",
                    named=", ".join(sorted(named.mapped("display_name"))),
                    chosen=self.destination_partner_id.display_name,
                )
            ]
        return []

    def _partner_problems(self):
        """Profiles Trackdéchets will ask for, from the partners' last check (research §5.3)."""
        problems = []
        transporter = self.transporter_partner_id
        if (
            transporter
            and not self.transporter_is_self
            and transporter.hvac_td_checked_at
            and not transporter.hvac_td_is_transporter()
        ):
            problems.append(_("%s is not registered on Trackdéchets as a transporter.", transporter.name))
        destination = self.destination_partner_id
        if destination and destination.hvac_td_checked_at and not destination.hvac_td_is_destination():
            problems.append(_("%s is not registered on Trackdéchets as a treatment or TTR facility.", destination.name))
        for partner in (transporter | destination).filtered("hvac_td_closed"):
            problems.append(_("%s is a closed establishment.", partner.name))
        return problems

    @api.constrains("refrigerant_id", "fiche_ids")
    def _check_one_fluid(self):
        # One fluid per slip (one waste code, designation and ADR line), whoever writes it.
        for bsff in self:
            fluids = bsff.fiche_ids.intervention_id.refrigerant_id
            if len(fluids) > 1 or (fluids and bsff.refrigerant_id and fluids != bsff.refrigerant_id):
                raise ValidationError(
                    _(
                        "A BSFF carries one fluid: %(bsff)s would carry %(fluids)s. Make one BSFF per fluid.",
                        bsff=bsff.name,
                        fluids=", ".join(sorted((fluids | bsff.refrigerant_id).mapped("name"))),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        bsffs = super().create(vals_list)
        for bsff in bsffs.filtered(lambda b: b.name == "/"):
            bsff._hvac_set_protected({"name": self.env["ir.sequence"].next_by_code("hvac.bsff") or "/"})
        return bsffs

    def _hvac_locked_message(self, state, locked):
        return _("%s is signed on Trackdéchets: what it says can no longer be changed from Odoo.", self.name)

    def _hvac_unlink_refusal(self):
        if self.td_id:
            return _("A BSFF sent to Trackdéchets cannot be deleted in Odoo.")
        return super()._hvac_unlink_refusal()

    @api.onchange("refrigerant_id")
    def _onchange_refrigerant_id(self):
        fluid = self.refrigerant_id
        if fluid:
            self.waste_code = fluid.bsff_waste_code or self.waste_code
            self.waste_description = fluid.name
            self.waste_adr = fluid.adr_mention

    @api.onchange("transporter_is_self")
    def _onchange_transporter_is_self(self):
        if self.transporter_is_self:
            self.transporter_partner_id = self.company_id.partner_id
