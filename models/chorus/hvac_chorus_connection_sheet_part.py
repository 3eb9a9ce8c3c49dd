from odoo import api, models


class HvacChorusConnectionSheetPart(models.AbstractModel):
    """A certificate or an interface line of a connection sheet. Changed on its own, it follows
    the sheet's state as a change to the sheet does: refused once sent, an update ("Envoyée MAJ")
    once activated. Writes through the sheet itself are checked there once."""

    _name = "hvac.chorus.connection.sheet.part"
    _description = "Part of a Chorus Pro connection sheet"
    _inherit = ["hvac.lifecycle.mixin"]
    _follow_up_fields = frozenset()  # written by reminders, not by the user: no state change

    @api.model_create_multi
    def create(self, vals_list):
        parts = super().create(vals_list)
        parts.sheet_id._content_changed()
        return parts

    def write(self, vals):
        if set(vals) - self._follow_up_fields:
            self.sheet_id._content_changed()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_sheet_editable(self):
        self.sheet_id._content_changed()
