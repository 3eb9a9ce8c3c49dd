from odoo import api, fields, models

INTEGRATIONS = [("none", "No connection"), ("complete", "Complete"), ("partial", "Partial")]


class HvacChorusConnectionSheetInterface(models.Model):
    """An interface code on a sheet and how its flows are integrated.

    Complete: one bad invoice rejects the whole flow. Partial: the bad invoice is rejected,
    the others of the flow are integrated (seed 004).
    """

    _name = "hvac.chorus.connection.sheet.interface"
    _inherit = ["hvac.chorus.connection.sheet.part"]
    _description = "Chorus Pro connection sheet interface code"
    _order = "sheet_id, sequence"

    sheet_id = fields.Many2one("hvac.chorus.connection.sheet", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="sheet_id.company_id", store=True)
    code_id = fields.Many2one("hvac.chorus.interface.code", "Interface code", required=True)
    sequence = fields.Integer(related="code_id.sequence", store=True)
    description = fields.Char(related="code_id.description")
    flow = fields.Char(related="code_id.flow")
    file_format = fields.Char(related="code_id.file_format")
    qualification_only = fields.Boolean(related="code_id.qualification_only")
    integration = fields.Selection(INTEGRATIONS, required=True, default="none")

    _sql_constraints = [("code_unique", "UNIQUE(sheet_id, code_id)", "An interface code appears once per sheet.")]

    @api.constrains("integration", "code_id")
    def _check_production_codes(self):
        # A line written on its own is held to the sheet's rule too.
        self.sheet_id._check_production_codes()
