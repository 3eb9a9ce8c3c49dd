import uuid

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HvacContainer(models.Model):
    """A refrigerant cylinder (bouteille): its net weight follows the done interventions
    that filled or emptied it."""

    _name = "hvac.container"
    _description = "Refrigerant container"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char("Serial number", required=True, tracking=True)
    public_token = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: uuid.uuid4().hex,
        help="Unique identifier of this container, printed in the QR code of its label.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    refrigerant_id = fields.Many2one("hvac.refrigerant", "Fluid", tracking=True)
    volume_l = fields.Float("Volume (L)", digits=(10, 1))
    capacity_kg = fields.Float(
        "Maximum fill (kg)",
        digits=(10, 3),
        required=True,
        help="Maximum weight of fluid the cylinder may hold, as stamped on it.",
    )
    tare_kg = fields.Float("Tare (kg)", digits=(10, 3))
    initial_weight_kg = fields.Float("Initial net weight (kg)", digits=(10, 3), help="Fluid in it when registered.")
    state = fields.Selection(
        [
            ("virgin", "Virgin fluid"),
            ("recovered", "Recovered fluid"),
            ("recycled", "Recycled fluid"),
            ("reclaimed", "Reclaimed fluid"),
            ("empty", "Empty"),
        ],
        default="empty",
        required=True,
        tracking=True,
    )
    net_weight_kg = fields.Float("Net weight (kg)", digits=(10, 3), compute="_compute_net_weight_kg", store=True)
    gross_weight_kg = fields.Float("Gross weight (kg)", digits=(10, 3), compute="_compute_net_weight_kg", store=True)
    location = fields.Selection(
        [("stock", "Our stock"), ("customer_site", "Customer site"), ("treatment_centre", "Treatment centre")],
        default="stock",
        required=True,
        tracking=True,
    )
    site_id = fields.Many2one("hvac.site", "Customer site", check_company=True)
    treatment_partner_id = fields.Many2one("res.partner", "Treatment centre")
    move_ids = fields.One2many("hvac.container.move", "container_id", "Fluid movements")
    # The annual fluid balance counts the initial weight in the stock from this date on, and
    # cannot decide the content of a container before it.
    registered_on = fields.Date(
        "Weighed on",
        default=fields.Date.context_today,
        required=True,
        help="Date of the initial net weight. Movements dated before it leave the container's content unknown.",
    )

    _sql_constraints = [
        ("public_token_uniq", "unique(public_token)", "The public token of a container must be unique."),
        ("name_company_uniq", "unique(name, company_id)", "A container with this serial number already exists."),
        ("capacity_positive", "CHECK(capacity_kg > 0)", "The maximum fill of a container must be greater than 0 kg."),
    ]

    # Only the moves of done fiches count: recomputed when a fiche enters or leaves the done state
    # and when a done fiche's moves are written (history), never for a draft's (see the
    # installation's last leak check for why).
    @api.depends("initial_weight_kg", "tare_kg")
    def _compute_net_weight_kg(self):
        moved = {
            (container.id, direction): quantity
            for container, direction, quantity in self.env["hvac.container.move"]._read_group(
                [("container_id", "in", self.ids), ("intervention_id.state", "=", "done")],
                ["container_id", "direction"],
                ["quantity_kg:sum"],
            )
        }
        for container in self:
            filled = moved.get((container.id, "fill"), 0.0)
            emptied = moved.get((container.id, "empty"), 0.0)
            container.net_weight_kg = container.initial_weight_kg + filled - emptied
            container.gross_weight_kg = container.tare_kg + container.net_weight_kg

    def _check_capacity(self, pending_kg=None):
        """Refuse a net weight above the maximum fill or below zero; ``pending_kg`` maps a
        container to what draft interventions are about to add (negative: take)."""
        pending_kg = pending_kg or {}
        for container in self:
            net = container.net_weight_kg + pending_kg.get(container, 0.0)
            if net > container.capacity_kg + 1e-6:
                raise ValidationError(
                    self.env._(
                        "Container %(name)s would hold %(net)s kg, more than its maximum fill of %(max)s kg.",
                        name=container.name,
                        net=round(net, 3),
                        max=container.capacity_kg,
                    )
                )
            if net < -1e-6:
                raise ValidationError(
                    self.env._(
                        "Container %(name)s would hold %(net)s kg: more fluid was taken from it than it held.",
                        name=container.name,
                        net=round(net, 3),
                    )
                )

    def _label_url(self):
        """What the QR code on the container's label opens (see controllers/label.py)."""
        self.ensure_one()
        return f"{self.get_base_url()}/hvac/c/{self.public_token}"

    @api.constrains("initial_weight_kg", "capacity_kg")
    def _check_initial_weight(self):
        self._check_capacity()
