from odoo import api, fields, models
from odoo.osv import expression

KINDS = [("customer", "Customer"), ("location", "Location"), ("building", "Building"), ("installation", "Installation")]


class HvacShareMapping(models.Model):
    """Requester side: where one received customer, location, building or installation goes in
    our records, as confirmed in the processing wizard. The background import reads these lines
    (page after page, and again when it resumes), so the choice outlives the wizard.

    A line with one of our records set joins it; a line without creates a copy of theirs; a line
    left out is not imported, nor is anything under it."""

    _name = "hvac.share.mapping"
    _description = "Where received share data goes"
    _order = "share_id, id"

    share_id = fields.Many2one("hvac.share", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="share_id.company_id", store=True)
    kind = fields.Selection(KINDS, required=True)
    ref = fields.Char("Their reference", required=True)
    parent_ref = fields.Char(
        "Their parent reference",
        help="The customer of a location, the location of a building, the building of an installation.",
    )
    received_name = fields.Char("Received", required=True)
    leave_out = fields.Boolean("Leave out")
    partner_id = fields.Many2one("res.partner", "Our customer")
    site_id = fields.Many2one("hvac.site", "Our location")
    building_id = fields.Many2one("hvac.building", "Our building")
    installation_id = fields.Many2one("hvac.installation", "Our installation")

    _sql_constraints = [("ref_unique", "UNIQUE(share_id, kind, ref)", "A received item is mapped once.")]

    @api.model
    def _plan_for(self, share, received):
        """{kind: {their ref: line}} for the received installations and what they are under, and
        nothing else: a page's worth of lines, whatever the size of the share."""
        refs = {
            "customer": {inst["customer"]["ref"] for inst in received},
            "location": {inst["site"]["ref"] for inst in received},
            "building": {inst["building"]["ref"] for inst in received},
            "installation": {inst["ref"] for inst in received},
        }
        # One (share, kind, ref) lookup per kind: the unique constraint's index answers each.
        by_kind = expression.OR(
            [[("kind", "=", kind), ("ref", "in", list(kind_refs))] for kind, kind_refs in refs.items()]
        )
        found = {kind: {} for kind, _label in KINDS}
        for line in self.search(expression.AND([[("share_id", "=", share.id)], by_kind])):
            found[line.kind][line.ref] = line
        return found
