from odoo import fields, models


class HvacChorusInterfaceCode(models.Model):
    """A Chorus Pro EDI flow (code interface) a connection sheet can subscribe to (seed 004)."""

    _name = "hvac.chorus.interface.code"
    _description = "Chorus Pro interface code"
    _order = "sequence, code"
    _rec_name = "code"

    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    description = fields.Char(required=True, translate=True)
    flow = fields.Char(help="Flow family: E1 structured, E2 mixed, E3 justice expense reports, R life cycle, S pivot.")
    file_format = fields.Char("Format")
    qualification_only = fields.Boolean(help="Offered on the qualification platform only, not in production.")
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_unique", "UNIQUE(code)", "This interface code already exists.")]

    def _compute_display_name(self):
        for code in self:
            code.display_name = f"{code.code} - {code.description}"
