from odoo import fields, models

CHORUS_MANAGER = "hvac_connect.group_chorus_manager"

CHORUS_ENVIRONMENTS = [
    ("production", "Production"),
    ("qualification", "Qualification (sandbox)"),
]

CHORUS_CONNECTION_STATES = [
    ("untested", "Not tested"),
    ("ok", "Connected"),
    ("error", "Connection failed"),
]


class ResCompany(models.Model):
    """Chorus Pro credentials: one PISTE application and one technical account per company.

    Secrets carry ``groups`` so that only Chorus managers can read them, whatever the view.
    """

    _inherit = "res.company"

    hvac_chorus_environment = fields.Selection(CHORUS_ENVIRONMENTS, "Chorus Pro environment", default="production", required=True, groups=CHORUS_MANAGER)
    hvac_chorus_piste_client_id = fields.Char("PISTE client id", groups=CHORUS_MANAGER, copy=False)
    hvac_chorus_piste_client_secret = fields.Char("PISTE client secret", groups=CHORUS_MANAGER, copy=False)
    hvac_chorus_login = fields.Char("Chorus Pro technical account login", groups=CHORUS_MANAGER, copy=False)
    hvac_chorus_password = fields.Char("Chorus Pro technical account password", groups=CHORUS_MANAGER, copy=False)
    hvac_chorus_password_expiry = fields.Date("Technical password expires on", groups=CHORUS_MANAGER, copy=False)
    hvac_chorus_connection_state = fields.Selection(CHORUS_CONNECTION_STATES, "Chorus Pro connection", default="untested", readonly=True, copy=False)
    hvac_chorus_connection_message = fields.Char("Chorus Pro connection message", readonly=True, copy=False)
    hvac_chorus_connection_date = fields.Datetime("Chorus Pro connection checked on", readonly=True, copy=False)
    hvac_chorus_structure_id = fields.Integer("Chorus Pro structure id", readonly=True, copy=False, help="Our own structure's technical id on Chorus Pro, fetched by the connection test.")
