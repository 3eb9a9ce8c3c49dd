from odoo import fields, models


class HvacContainer(models.Model):
    """When a container's initial weight was known: the annual fluid balance counts that weight
    in the stock from this date on, and cannot decide the content of a container before it."""

    _inherit = "hvac.container"

    registered_on = fields.Date(
        "Weighed on",
        default=fields.Date.context_today,
        required=True,
        help="Date of the initial net weight. Movements dated before it leave the container's content unknown.",
    )
