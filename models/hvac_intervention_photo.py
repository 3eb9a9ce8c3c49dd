from odoo import fields, models


class HvacInterventionPhoto(models.Model):
    """Photos taken on site (name plate, leak location), optionally annexed to the printed fiche."""

    _inherit = "hvac.intervention"

    photo_ids = fields.Many2many(
        "ir.attachment",
        "hvac_intervention_photo_rel",
        "intervention_id",
        "attachment_id",
        "Photos and documents",
        help="Name plate, leak location, container labels: pictures are shown in a gallery.",
    )
    annex_photos = fields.Boolean("Annex the photos to the PDF")

    def _report_photos(self):
        """The pictures the printed fiche annexes (documents that are not images stay in Odoo)."""
        self.ensure_one()
        if not self.annex_photos:
            return self.env["ir.attachment"]
        return self.photo_ids.filtered(lambda a: (a.mimetype or "").startswith("image/"))
