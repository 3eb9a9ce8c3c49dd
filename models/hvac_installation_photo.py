from odoo import fields, models


class HvacInstallationPhoto(models.Model):
    """Photos and documents of the equipment: name plate, schematics, manufacturer's papers."""

    _inherit = "hvac.installation"

    photo_ids = fields.Many2many(
        "ir.attachment",
        "hvac_installation_photo_rel",
        "installation_id",
        "attachment_id",
        "Photos and documents",
    )
