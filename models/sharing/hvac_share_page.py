from odoo import fields, models


class HvacSharePage(models.Model):
    """A page of a share's payload, as received by the requester before processing."""

    _name = "hvac.share.page"
    _description = "Received share page"
    _order = "share_id, number"

    share_id = fields.Many2one("hvac.share", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="share_id.company_id", store=True)
    number = fields.Integer(required=True)
    # Never prefetched: reading one page must not load the share's other pages.
    data = fields.Json(required=True, prefetch=False)
    size_bytes = fields.Integer("Size (bytes)", help="Size of the page as received (JSON).")

    _sql_constraints = [("page_unique", "UNIQUE(share_id, number)", "A page is received once.")]
