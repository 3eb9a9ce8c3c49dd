from odoo import api, fields, models

from ...models.sharing.hvac_share_mapping import KINDS


class HvacShareProcessLine(models.TransientModel):
    _name = "hvac.share.process.line"
    _description = "Mapping of received share data"
    _order = "rank, id"

    wizard_id = fields.Many2one("hvac.share.process", required=True, ondelete="cascade")
    kind = fields.Selection(KINDS, "Level", required=True)
    rank = fields.Integer(
        compute="_compute_rank", store=True, help="Customers first, then locations, buildings, installations."
    )
    ref = fields.Char(required=True)
    parent_ref = fields.Char()
    received_name = fields.Char("Received", required=True)
    leave_out = fields.Boolean("Leave out", help="Not imported, nor anything under it.")
    partner_id = fields.Many2one("res.partner", "Our customer", help="Empty: a new customer is created.")
    site_id = fields.Many2one(
        "hvac.site",
        "Our location",
        domain="[('partner_id', '=?', partner_id)]",
        help="Empty: a new location is created.",
    )
    building_id = fields.Many2one("hvac.building", "Our building", help="Empty: a new building is created, as theirs.")
    installation_id = fields.Many2one(
        "hvac.installation",
        "Our installation",
        domain="[('shared_from_share_id', '=', False)]",
        help="Empty: a new installation is created.",
    )

    @api.depends("kind")
    def _compute_rank(self):
        order = {kind: n for n, (kind, _label) in enumerate(KINDS)}
        for line in self:
            line.rank = order.get(line.kind, len(order))
