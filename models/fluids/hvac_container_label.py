from odoo import models


class HvacContainer(models.Model):
    _name = "hvac.container"
    _inherit = ["hvac.container", "hvac.label.mixin"]

    def _label_values(self):
        self.ensure_one()
        _ = self.env._
        state = dict(self._fields["state"]._description_selection(self.env))[self.state]
        co2 = self.net_weight_kg * self.refrigerant_id.gwp / 1000.0
        return {
            "title": self.name,
            "subtitle": state,
            "lines": [
                (_("Fluid"), self.refrigerant_id.name or "–"),
                (_("Charge"), f"{self._label_number(self.net_weight_kg, 2)} kg"),
                (_("t CO2e"), self._label_number(co2, 2)),
                (_("Maximum fill"), f"{self._label_number(self.capacity_kg, 2)} kg"),
            ],
            "url": self._label_url(),
        }
