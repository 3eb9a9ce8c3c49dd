from odoo import models


class HvacInstallation(models.Model):
    _name = "hvac.installation"
    _inherit = ["hvac.installation", "hvac.label.mixin"]

    def _label_values(self):
        self.ensure_one()
        _ = self.env._
        next_check = self.next_leak_check_date
        return {
            "title": self.name,
            "subtitle": self.serial_number and _("S/N %s", self.serial_number) or self.site_id.name,
            "lines": [
                (_("Fluid"), self.refrigerant_id.name),
                (_("Charge"), f"{self._label_number(self.charge_kg, 2)} kg"),
                (_("t CO2e"), self._label_number(self.co2_tonnes, 2)),
                (_("Next check"), self._label_date(next_check) if next_check else _("not subject")),
            ],
            "url": self._label_url(),
        }
