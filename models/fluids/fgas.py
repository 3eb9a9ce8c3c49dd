"""Leak-check rules of Regulation (EU) 2024/573 Art. 5 and French R. 543-79, as plain functions.

Thresholds are inclusive lower bounds (5 <= t CO2e < 50 is the first band). Each
basis gives a band 0-3; the strictest band wins, as the UBA FAQ says for HFC/HFO
blends. A working leak detection system doubles the period.
"""

from dataclasses import dataclass

ANNEX1_T_CO2E = (5.0, 50.0, 500.0)
ANNEX2_KG = (1.0, 10.0, 100.0)
HCFC_KG = (2.0, 30.0, 300.0)
HERMETIC_ANNEX1_T_CO2E = 10.0
HERMETIC_ANNEX2_KG = 2.0
PERIOD_MONTHS = {1: 12, 2: 6, 3: 3}


@dataclass(frozen=True)
class Charge:
    charge_kg: float
    family: str
    annex1_gwp: float
    annex2_fraction: float
    hermetic: bool = False
    leak_detection: bool = False

    @property
    def annex1_t_co2e(self):
        return self.charge_kg * self.annex1_gwp / 1000.0

    @property
    def annex2_kg(self):
        return self.charge_kg * self.annex2_fraction


def band(value, thresholds):
    """0 below the first threshold, else 1, 2 or 3."""
    return sum(1 for threshold in thresholds if value >= threshold)


def check_band(charge):
    annex1 = band(charge.annex1_t_co2e, ANNEX1_T_CO2E)
    if charge.hermetic and charge.annex1_t_co2e < HERMETIC_ANNEX1_T_CO2E:
        annex1 = 0
    annex2 = band(charge.annex2_kg, ANNEX2_KG)
    if charge.hermetic and charge.annex2_kg < HERMETIC_ANNEX2_KG:
        annex2 = 0
    hcfc = band(charge.charge_kg, HCFC_KG) if charge.family == "hcfc" else 0
    return max(annex1, annex2, hcfc)


def leak_check_period(charge):
    """Months between two leak checks, or 0 when no periodic check is required."""
    months = PERIOD_MONTHS.get(check_band(charge), 0)
    return months * 2 if months and charge.leak_detection else months
