from odoo import fields, models


class HvacConnectionAccept(models.TransientModel):
    """Paste the invitation code another company's administrator gave us."""

    _name = "hvac.connection.accept"
    _description = "Accept a connection invitation"

    code = fields.Char("Invitation code", required=True)

    def action_accept(self):
        self.ensure_one()
        connection = self.env["hvac.connection"]._accept_invitation(self.code)
        return {
            "type": "ir.actions.act_window",
            "res_model": "hvac.connection",
            "res_id": connection.id,
            "view_mode": "form",
        }
