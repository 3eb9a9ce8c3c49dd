from odoo import api, models
from odoo.tools.misc import format_date

# A4 label sheets sold in France (Avery/Herma sizes): columns × rows, label size and the sheet's
# top and left margins and pitches, in millimetres.
LABEL_FORMATS = {
    "L7163": {"name": "Avery L7163 – 2 × 7 (99.1 × 38.1 mm)", "cols": 2, "rows": 7, "width": 99.1,
              "height": 38.1, "top": 15.1, "left": 4.7, "pitch_x": 101.6, "pitch_y": 38.1},
    "L7173": {"name": "Avery L7173 – 2 × 5 (99.1 × 57 mm)", "cols": 2, "rows": 5, "width": 99.1,
              "height": 57.0, "top": 6.0, "left": 4.7, "pitch_x": 101.6, "pitch_y": 57.0},
    "L7165": {"name": "Avery L7165 – 2 × 4 (99.1 × 67.7 mm)", "cols": 2, "rows": 4, "width": 99.1,
              "height": 67.7, "top": 13.1, "left": 4.7, "pitch_x": 101.6, "pitch_y": 67.7},
    "L7160": {"name": "Avery L7160 – 3 × 7 (63.5 × 38.1 mm)", "cols": 3, "rows": 7, "width": 63.5,
              "height": 38.1, "top": 15.1, "left": 7.2, "pitch_x": 66.0, "pitch_y": 38.1},
}  # fmt: skip
DEFAULT_LABEL_FORMAT = "L7163"


class HvacLabelMixin(models.AbstractModel):
    """What a printed label says (name, fluid, charge, t CO2e, next check) and where its QR code
    leads; the sheet lays the labels out on an A4 label format."""

    _name = "hvac.label.mixin"
    _description = "Record printed on a QR label"

    def _label_values(self):
        """``{"title", "lines": [(label, value)], "url"}`` for one record."""
        raise NotImplementedError

    @api.model
    def _label_formats(self):
        return [(code, spec["name"]) for code, spec in LABEL_FORMATS.items()]

    def _label_sheet(self, label_format=None, skip=0):
        """The label format and the pages of labels: ``skip`` cells left blank on the first page
        (a sheet already partly used)."""
        spec = LABEL_FORMATS.get(label_format) or LABEL_FORMATS[DEFAULT_LABEL_FORMAT]
        per_page = spec["cols"] * spec["rows"]
        skip = max(0, min(int(skip or 0), per_page - 1))
        cells = [None] * skip + [record._label_values() for record in self]
        pages = []
        for start in range(0, len(cells), per_page):
            page = []
            for index, label in enumerate(cells[start : start + per_page]):
                if label:
                    row, col = divmod(index, spec["cols"])
                    label = dict(
                        label,
                        top=round(spec["top"] + row * spec["pitch_y"], 2),
                        left=round(spec["left"] + col * spec["pitch_x"], 2),
                    )
                    page.append(label)
            pages.append(page)
        qr_mm = round(min(spec["height"] - 6, spec["width"] / 2.6), 1)
        return {"spec": spec, "pages": pages, "qr_mm": qr_mm}

    def _label_date(self, value):
        return format_date(self.env, value) if value else "–"

    @api.model
    def _label_number(self, value, digits):
        lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
        return lang.format(f"%.{digits}f", value or 0.0, grouping=True)
