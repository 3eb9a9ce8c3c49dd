from odoo import _, api, fields, models

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
    ("piste_declared", "PISTE connection declared on Chorus Pro (Raccordements EDI et API)"),
]
# Steps the live connection test proves once it succeeds.
PROVEN_BY_CONNECTION = {"piste_account", "piste_application", "piste_declared", "technical_account"}


class HvacChorusOnboardingStep(models.Model):
    """One step of a company's Chorus Pro API onboarding, ticked with who and when."""

    _name = "hvac.chorus.onboarding.step"
    _description = "Chorus Pro onboarding step"
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
        existing = set(self.search([("company_id", "=", company.id)]).mapped("step"))
        self.create(
            [
                {"company_id": company.id, "step": step, "sequence": index}
                for index, (step, _label) in enumerate(STEPS)
                if step not in existing
            ]
        )

    @api.model
    def action_open(self):
        self._ensure_steps(self.env.company)
        action = self.env["ir.actions.act_window"]._for_xml_id("hvac_connect.hvac_chorus_onboarding_step_action")
        action["domain"] = [("company_id", "=", self.env.company.id)]
        action["display_name"] = _("Chorus Pro onboarding: %s", self.env.company.name)
        return action

    def action_tick(self):
        self.write({"done": True, "done_by": self.env.uid, "done_at": fields.Datetime.now()})

    def action_untick(self):
        self.write({"done": False, "done_by": False, "done_at": False})
