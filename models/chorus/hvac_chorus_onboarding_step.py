from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Seed 002, API mode: what must exist before Odoo can talk to Chorus Pro through PISTE.
STEPS = [
    ("chorus_account", "Chorus Pro account created for the structure"),
    ("main_manager", "Main manager (gestionnaire principal) of the structure designated"),
    ("technical_account", "Technical account created by the main manager, login and password kept"),
    ("piste_account", "PISTE account created"),
    (
        "piste_application",
        "PISTE production application created, the five APIs subscribed (Transverses, Structures, Utilisateurs, Engagements, Factures)",
    ),
    # Seed 004: the space where connections are declared exists only once a manager enabled it
    # and attached a user to it.
    (
        "connection_space",
        "Raccordement EDI et API space enabled on the structure by its main or secondary manager (Activités du gestionnaire)",
    ),
    (
        "connection_space_user",
        "A user attached to the Raccordement EDI et API space (Consultation or Modification), the request validated by a manager",
    ),
    ("piste_declared", "PISTE connection declared on Chorus Pro (Raccordements EDI et API)"),
]
# Steps the live connection test proves once it succeeds: the PISTE connection it uses was
# declared in the connection space, which therefore was enabled, with a user attached.
PROVEN_BY_CONNECTION = {
    "piste_account",
    "piste_application",
    "connection_space",
    "connection_space_user",
    "piste_declared",
    "technical_account",
}


class HvacChorusOnboardingStep(models.Model):
    """One step of a company's Chorus Pro API onboarding, ticked with who and when."""

    _name = "hvac.chorus.onboarding.step"
    _description = "Chorus Pro onboarding step"
    _inherit = ["hvac.lifecycle.mixin"]
    # Ticked with who and when by its buttons only: a write cannot forge them, nor skip what
    # ticking a step checks.
    _hvac_protected_fields = frozenset({"step", "sequence", "done", "done_by", "done_at"})
    _order = "company_id, sequence"
    _rec_name = "step"

    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    step = fields.Selection(STEPS, required=True, readonly=True)
    sequence = fields.Integer(readonly=True)
    done = fields.Boolean(readonly=True)
    done_by = fields.Many2one("res.users", readonly=True)
    done_at = fields.Datetime("Done on", readonly=True)
    note = fields.Char()
    connection_state = fields.Selection(related="company_id.hvac_chorus_connection_state", string="Live connection")
    proven = fields.Boolean("Confirmed by the connection test", compute="_compute_proven")

    _sql_constraints = [("step_unique", "UNIQUE(company_id, step)", "Each step appears once per company.")]

    @api.depends("step", "connection_state")
    def _compute_proven(self):
        for record in self:
            record.proven = record.step in PROVEN_BY_CONNECTION and record.connection_state == "ok"

    @api.model
    def _ensure_steps(self, company):
        existing = {record.step: record for record in self.search([("company_id", "=", company.id)])}
        self._hvac_create_protected(
            [
                {"company_id": company.id, "step": step, "sequence": index}
                for index, (step, _label) in enumerate(STEPS)
                if step not in existing
            ]
        )
        # A checklist begun with an earlier list of steps takes the new ones in their place.
        for index, (step, _label) in enumerate(STEPS):
            if step in existing and existing[step].sequence != index:
                existing[step]._hvac_set_protected({"sequence": index})

    @api.model
    def action_open(self):
        self._ensure_steps(self.env.company)
        action = self.env["ir.actions.act_window"]._for_xml_id("hvac_connect.hvac_chorus_onboarding_step_action")
        action["domain"] = [("company_id", "=", self.env.company.id)]
        action["display_name"] = _("Chorus Pro onboarding: %s", self.env.company.name)
        return action

    def action_tick(self):
        for record in self.filtered(lambda r: r.step == "piste_declared"):
            # What was declared is what Chorus Pro's support asks about later: recorded first.
            missing = record.company_id._hvac_chorus_missing_declaration()
            if missing:
                raise UserError(
                    self.env._(
                        "Record what the PISTE connection was declared with first (Chorus Pro › Connection): %s.",
                        ", ".join(missing),
                    )
                )
        self._hvac_set_protected({"done": True, "done_by": self.env.uid, "done_at": fields.Datetime.now()})

    def action_untick(self):
        self._hvac_set_protected({"done": False, "done_by": False, "done_at": False})
