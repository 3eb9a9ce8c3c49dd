"""Which attestation d'aptitude covers which work (arrêté du 29 février 2016 and the 2008
scheme's categories I to V; the 2025 scheme's A1 to E, aligned on Implementing Regulation (EU)
2024/2215; research domain.md §1.4), as plain functions.

An attestation covers an activity on an equipment when its category allows the activity, the
equipment's charge is below the category's limit (a larger limit for hermetically sealed
equipment) and the fluid is of a kind the category covers. Each activity of a fiche must be
covered by one of the operator's valid attestations.
"""

from dataclasses import dataclass
from datetime import date

LEAK_CHECK = "leak_check"
RECOVERY = "recovery"
SERVICING = "servicing"
ACTIVITIES = (LEAK_CHECK, RECOVERY, SERVICING)
# Natural fluids entered the French certification with the 2025 scheme, mandatory from this day.
NATURAL_FLUIDS_FROM = date(2027, 1, 1)
# Natures of intervention that open the circuit (installing, modifying or maintaining it).
SERVICING_NATURES = ("assembly", "commissioning", "modification", "maintenance")


@dataclass(frozen=True)
class Scope:
    """What a category allows: per activity, the charge (kg) it must stay under (None: any),
    the limit for hermetically sealed equipment, and the kinds of fluid."""

    limits: dict
    fluids: frozenset
    hermetic_limit: float | None = None

    def covers(self, activity, charge_kg, hermetic, fluid):
        if activity not in self.limits or fluid not in self.fluids:
            return False
        limit = self.limits[activity]
        if limit is None:
            return True
        if hermetic and self.hermetic_limit:
            limit = self.hermetic_limit
        return charge_kg < limit


FGAS = frozenset({"fgas"})
ALL_ACTIVITIES = dict.fromkeys(ACTIVITIES)
SCOPES = {
    "I": Scope(ALL_ACTIVITIES, FGAS),
    "II": Scope({LEAK_CHECK: None, RECOVERY: 2.0, SERVICING: 2.0}, FGAS),
    "III": Scope({RECOVERY: 2.0}, FGAS),
    "IV": Scope({LEAK_CHECK: None}, FGAS),
    # Vehicle air conditioning: never a stationary installation.
    "V": Scope({}, FGAS),
    "A1": Scope(ALL_ACTIVITIES, frozenset({"fgas", "hc"})),
    "A2": Scope(dict.fromkeys(ACTIVITIES, 3.0), frozenset({"fgas", "hc"}), hermetic_limit=6.0),
    "B": Scope(ALL_ACTIVITIES, frozenset({"co2"})),
    "C": Scope(ALL_ACTIVITIES, frozenset({"nh3"})),
    "D": Scope({RECOVERY: 3.0}, FGAS, hermetic_limit=6.0),
    "E": Scope({LEAK_CHECK: None}, FGAS),
}


def fluid_kind(family, name):
    """``fgas``, ``co2``, ``nh3`` or ``hc`` (hydrocarbons) for a refrigerant."""
    if family != "natural":
        return "fgas"
    return {"R-744": "co2", "R-717": "nh3"}.get((name or "").upper(), "hc")


def activities(nature, leak_check, charged_kg, recovered_kg):
    """The activities of a fiche that need an attestation d'aptitude, in a stable order."""
    done = set()
    if leak_check:
        done.add(LEAK_CHECK)
    if recovered_kg > 0:
        done.add(RECOVERY)
    if charged_kg > 0 or nature in SERVICING_NATURES:
        done.add(SERVICING)
    return [activity for activity in ACTIVITIES if activity in done]


def needs_attestation(fluid, on_date):
    return fluid == "fgas" or on_date >= NATURAL_FLUIDS_FROM


def covering_categories(activity, charge_kg, hermetic, fluid):
    """Every category that would cover ``activity`` on this equipment, in the schemes' order."""
    return [code for code, scope in SCOPES.items() if scope.covers(activity, charge_kg, hermetic, fluid)]


def uncovered(held, work_activities, charge_kg, hermetic, fluid):
    """``[(activity, categories that would cover it)]`` for each activity none of ``held`` covers."""
    missing = []
    for activity in work_activities:
        needed = covering_categories(activity, charge_kg, hermetic, fluid)
        if not set(needed) & set(held):
            missing.append((activity, needed))
    return missing
