from odoo import fields, models

CHORUS_MANAGER = "hvac_connect.group_chorus_manager"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    hvac_chorus_environment = fields.Selection(
        related="company_id.hvac_chorus_environment", readonly=False, groups=CHORUS_MANAGER
    )
    hvac_chorus_piste_client_id = fields.Char(
        related="company_id.hvac_chorus_piste_client_id", readonly=False, groups=CHORUS_MANAGER
    )
    hvac_chorus_piste_client_secret = fields.Char(
        related="company_id.hvac_chorus_piste_client_secret", readonly=False, groups=CHORUS_MANAGER
    )
    hvac_chorus_login = fields.Char(related="company_id.hvac_chorus_login", readonly=False, groups=CHORUS_MANAGER)
    hvac_chorus_password = fields.Char(related="company_id.hvac_chorus_password", readonly=False, groups=CHORUS_MANAGER)
    hvac_chorus_password_expiry = fields.Date(
        related="company_id.hvac_chorus_password_expiry", readonly=False, groups=CHORUS_MANAGER
    )
    hvac_chorus_connection_state = fields.Selection(related="company_id.hvac_chorus_connection_state")
    hvac_chorus_connection_message = fields.Char(related="company_id.hvac_chorus_connection_message")
    hvac_chorus_connection_date = fields.Datetime(related="company_id.hvac_chorus_connection_date")
    hvac_chorus_structure_id = fields.Integer(related="company_id.hvac_chorus_structure_id")

    def action_hvac_chorus_test_connection(self):
        self.execute()  # save what was typed first: the test uses the stored credentials
        self.company_id.action_hvac_chorus_test_connection()
        return {"type": "ir.actions.client", "tag": "reload"}
