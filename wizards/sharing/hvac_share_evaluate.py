from odoo import api, fields, models

from ...models.sharing.hvac_share import LEVELS, ROLES

CONFIRMATION_LINES = 200


class HvacShareEvaluate(models.TransientModel):
    """Approve a share request: the level actually granted, what is shared, under which role."""

    _name = "hvac.share.evaluate"
    _description = "Evaluate a share request"

    share_id = fields.Many2one("hvac.share", required=True, readonly=True)
    level = fields.Selection(LEVELS, "Granted level", required=True)
    partner_ids = fields.Many2many("res.partner", string="Customers")
    site_ids = fields.Many2many("hvac.site", string="Locations")
    installation_ids = fields.Many2many("hvac.installation", string="Installations")
    role = fields.Selection(ROLES, required=True, default="operator")
    our_details_on_documents = fields.Boolean("Our details on their documents")
    operator_only = fields.Boolean(
        compute="_compute_operator_only",
        help="The other company has an operator's account: Operator is the only role offered.",
    )
    confirmation = fields.Text("Will be shared", compute="_compute_shared")
    shared_installation_ids = fields.Many2many("hvac.installation", compute="_compute_shared")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        share = self.env["hvac.share"].browse(values.get("share_id") or self.env.context.get("default_share_id"))
        values.setdefault("level", share.level_requested)
        return values

    @api.depends("share_id")
    def _compute_operator_only(self):
        for wizard in self:
            wizard.operator_only = wizard.share_id.connection_id.peer_account_kind == "operator"

    @api.depends("level", "partner_ids", "site_ids", "installation_ids")
    def _compute_shared(self):
        Installation = self.env["hvac.installation"]
        for wizard in self:
            domain = wizard._shared_domain()
            wizard.shared_installation_ids = Installation.search(domain)
            # The first lines confirm what is shared; the rest is counted: a customer may have
            # tens of thousands of installations, which the form need not hold.
            shown = Installation.search(domain, order="partner_id, site_id, name, id", limit=CONFIRMATION_LINES)
            lines = [f"{i.partner_id.name} / {i.site_id.name} / {i.name}" for i in shown]
            more = len(wizard.shared_installation_ids) - len(shown)
            if more > 0:
                lines.append(self.env._("… and %s more installations.", more))
            wizard.confirmation = "\n".join(lines) or False

    def _shared_domain(self):
        if self.level == "customer":
            return [("partner_id", "in", self.partner_ids.ids)]
        if self.level == "location":
            return [("site_id", "in", self.site_ids.ids)]
        return [("id", "in", self.installation_ids.ids)]

    def action_approve(self):
        self.ensure_one()
        self.share_id._decide(
            "approved",
            {
                "level": self.level,
                "role": self.role,
                "our_details_on_documents": self.our_details_on_documents
                and self.role in ("subcontractor", "borrowed"),
                "installation_ids": [fields.Command.set(self.shared_installation_ids.ids)],
            },
        )
        return {"type": "ir.actions.act_window_close"}
