from odoo import fields, models


class HvacShareWithdraw(models.TransientModel):
    """Withdraw one or several installations from a share we granted."""

    _name = "hvac.share.withdraw"
    _description = "Withdraw installations from a share"

    share_id = fields.Many2one("hvac.share", required=True, readonly=True)
    available_installation_ids = fields.Many2many(related="share_id.installation_ids", string="Shared installations")
    installation_ids = fields.Many2many(
        "hvac.installation",
        string="Installations to withdraw",
        required=True,
        domain="[('id', 'in', available_installation_ids)]",
    )

    def action_withdraw(self):
        self.ensure_one()
        self.share_id._withdraw_installations(self.installation_ids)
        return {"type": "ir.actions.act_window_close"}
