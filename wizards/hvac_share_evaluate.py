from odoo import api, fields, models

from ..models.hvac_share import LEVELS, ROLES


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
    operator_only = fields.Boolean(compute="_compute_operator_only", help="The other company has an operator's account: Operator is the only role offered.")
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
            if wizard.level == "customer":
                installations = Installation.search([("partner_id", "in", wizard.partner_ids.ids)])
            elif wizard.level == "location":
                installations = Installation.search([("site_id", "in", wizard.site_ids.ids)])
            else:
                installations = wizard.installation_ids
            wizard.shared_installation_ids = installations
            wizard.confirmation = "\n".join(f"{i.partner_id.name} / {i.site_id.name} / {i.name}" for i in installations.sorted(lambda i: (i.partner_id.name or "", i.site_id.name or "", i.name))) or False

    def action_approve(self):
        self.ensure_one()
        self.share_id._decide("approved", {
            "level": self.level, "role": self.role,
            "our_details_on_documents": self.our_details_on_documents and self.role in ("subcontractor", "borrowed"),
            "installation_ids": [fields.Command.set(self.shared_installation_ids.ids)],
        })  # fmt: skip
        return {"type": "ir.actions.act_window_close"}
