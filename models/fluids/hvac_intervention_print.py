from odoo import models

from .fgas import ANNEX1_T_CO2E, ANNEX2_KG, HCFC_KG, band
from .hvac_intervention_validation import format_kg

# Cadre 7 of the Cerfa: the threshold boxes per kind of fluid, and the periods with and
# without a permanent leak detection system (research domain.md §1.5).
PERIODS_WITHOUT = {1: 12, 2: 6, 3: 3}
PERIODS_WITH = {1: 24, 2: 12, 3: 6}
# Cadre 12: flammable fluids travel as UN 3161 (class 2.1), the others as UN 1078 (class 2.2).
FLAMMABLE_CLASSES = ("A2L", "A2", "A3", "B2L", "B2", "B3")


class HvacIntervention(models.Model):
    """What the printed Cerfa shows, in the reader's number format."""

    _inherit = "hvac.intervention"

    def _report_kg(self, value):
        return format_kg(self.env, value)

    def _report_threshold(self):
        """Cadre 7: (basis, threshold text, band 0-3) of the fiche's charge."""
        self.ensure_one()
        fluid = self.refrigerant_id
        charge = self.installation_charge_kg
        if fluid.family == "hcfc":
            return "HCFC", [f"{format_kg(self.env, t)} kg" for t in HCFC_KG], band(charge, HCFC_KG)
        if fluid.family == "hfo":
            annex2 = charge * (fluid.annex2_fraction or 1.0)
            return "HFO", [f"{format_kg(self.env, t)} kg" for t in ANNEX2_KG], band(annex2, ANNEX2_KG)
        t_co2e = charge * (fluid.annex1_gwp or fluid.gwp) / 1000.0
        return "HFC/PFC", [f"{format_kg(self.env, t)} t éq. CO2" for t in ANNEX1_T_CO2E], band(t_co2e, ANNEX1_T_CO2E)

    def _report_threshold_lines(self):
        """Cadre 7 as boxes: [(label, ticked)] for the thresholds, then the frequencies."""
        basis, thresholds, level = self._report_threshold()
        boxes = [(f"{basis} ≥ {text}", level == index) for index, text in enumerate(thresholds, start=1)]
        periods = PERIODS_WITH if self.leak_detection_system else PERIODS_WITHOUT
        frequencies = [(f"{months} mois", level == index) for index, months in periods.items()]
        return boxes, frequencies

    def _report_transport_choice(self):
        """Cadre 12: 'un1078', 'un3161' or 'other', from the fluid's mention or safety class."""
        self.ensure_one()
        mention = (self.transport_mention or self.refrigerant_id.adr_mention or "").upper()
        if "3161" in mention:
            return "un3161"
        if "1078" in mention:
            return "un1078"
        if not mention:
            return "un3161" if self.refrigerant_id.safety_class in FLAMMABLE_CLASSES else "un1078"
        return "other"
