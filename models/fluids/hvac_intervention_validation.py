"""The Cerfa 15497*04 rules checked when a fiche d'intervention is validated (research domain.md §1.2-1.5)."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools.misc import format_date, formatLang

# Quantities are weighed to the gram: below that two figures are the same quantity.
KG_TOLERANCE = 0.0005
# Manual detectors are checked every year (research domain.md §1.2, French additions).
DETECTOR_CHECK_MONTHS = 12
# Categories of the attestation de capacité limited to some operations or charges
# (research domain.md §1.4): the largest charge they may handle fluid on (None: any charge).
LEAK_CHECK_ONLY = ("IV", "E")
RECOVERY_ONLY = {"III": 2.0, "D": 3.0}
SMALL_EQUIPMENT = {"II": 2.0, "A2": 3.0}
# What the fluid charged from a container is, by the container's content (cadre 11 A, B, C).
CHARGED_KIND_BY_STATE = {
    "virgin": "charged_virgin_kg",
    "recycled": "charged_recycled_kg",
    "reclaimed": "charged_reclaimed_kg",
}


def format_kg(env, value):
    """A weight as the user's language writes it (``0,8`` in French), without trailing zeros."""
    text = formatLang(env, value or 0.0, digits=3)
    separator = env["res.lang"]._lang_get(env.lang or "en_US").decimal_point or "."
    if separator in text:
        text = text.rstrip("0").rstrip(separator)
    return text


class HvacIntervention(models.Model):
    """What a fiche must say, for its nature, before it is validated and locked."""

    _inherit = "hvac.intervention"

    cerfa_warning = fields.Char(
        "Warning",
        compute="_compute_cerfa_warning",
        help="What does not stop the validation but deserves a look.",
    )

    @api.depends(
        "nature",
        "leak_check_period",
        "state",
        "recovered_treatment_kg",
        "recovered_reuse_kg",
        "destination_partner_id",
    )
    def _compute_cerfa_warning(self):
        # The draft's banner also says, as it is typed, what Valider will refuse about where the
        # recovered fluid goes (the draft stays saveable: the destination may come later).
        for fiche in self:
            destination = fiche._cerfa_destination_problems() if fiche.state == "draft" else []
            fiche.cerfa_warning = "\n".join(fiche._cerfa_warnings() + destination) or False

    @api.model
    def _company_snapshot(self, company):
        # The company's manual detector is the fiche's default one (cadre 5).
        values = super()._company_snapshot(company)
        values.update(
            {
                "detector_reference": company.hvac_detector_reference,
                "detector_check_date": company.hvac_detector_check_date,
            }
        )
        return values

    @api.model
    def default_get(self, fields_list):
        # The form shows (and saves) the company's attestation and detector: without this, the
        # form would send them empty and the snapshot taken at create would be skipped.
        values = super().default_get(fields_list)
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        for name, value in self._company_snapshot(company).items():
            if name in fields_list and not values.get(name):
                values[name] = value
        return values

    # --- rules ---------------------------------------------------------------------------------
    def _cerfa_warnings(self):
        self.ensure_one()
        # A new fiche has no installation yet: there is nothing to say about its leak checks.
        if self.installation_id and self.nature == "periodic_check" and not self.leak_check_period:
            return [
                self.env._(
                    "Installation %(installation)s needs no periodic leak check: check that the nature of the intervention"
                    " is right.",
                    installation=self.installation_id.display_name,
                )
            ]
        return []

    def _cerfa_problems(self):
        """Every reason why this fiche cannot be validated, as sentences for the user."""
        self.ensure_one()
        return (
            self._cerfa_operator_problems()
            + self._cerfa_aptitude_problems()
            + self._cerfa_nature_problems()
            + self._cerfa_leak_problems()
            + self._cerfa_detector_problems()
            + self._cerfa_fluid_problems()
            + self._cerfa_ban_problems()
            + self._cerfa_container_problems()
        )

    def _cerfa_operator_problems(self):
        """Cadre 1: the company's attestation de capacité, valid on the day, covering the work."""
        _ = self.env._
        if not self.capacity_number:
            return [_("Operator: the number of the attestation de capacité is missing.")]
        problems = []
        if not self.capacity_valid_until:
            problems.append(_("Operator: the end of validity of the attestation de capacité is missing."))
        elif self.capacity_valid_until < self.date:
            problems.append(
                _(
                    "Operator: the attestation de capacité %(number)s expired on %(until)s, before the intervention.",
                    number=self.capacity_number,
                    until=self._cerfa_date(self.capacity_valid_until),
                )
            )
        return problems + self._cerfa_category_problems()

    def _cerfa_category_problems(self):
        _ = self.env._
        category = self.capacity_category
        handles_fluid = self.charged_total_kg > 0 or self.recovered_total_kg > 0
        charge = self.installation_charge_kg
        if category in LEAK_CHECK_ONLY and handles_fluid:
            return [
                _(
                    "Operator: an attestation of category %(category)s covers leak checks only, not handling fluid.",
                    category=category,
                )
            ]
        if category in RECOVERY_ONLY:
            if self.charged_total_kg > 0:
                return [
                    _(
                        "Operator: an attestation of category %(category)s covers recovery only, not charging.",
                        category=category,
                    )
                ]
            if handles_fluid and charge >= RECOVERY_ONLY[category]:
                return [
                    _(
                        "Operator: an attestation of category %(category)s covers equipment of less than %(limit)s kg.",
                        category=category,
                        limit=format_kg(self.env, RECOVERY_ONLY[category]),
                    )
                ]
        if category in SMALL_EQUIPMENT and handles_fluid and charge >= SMALL_EQUIPMENT[category]:
            return [
                _(
                    "Operator: an attestation of category %(category)s covers equipment of less than %(limit)s kg.",
                    category=category,
                    limit=format_kg(self.env, SMALL_EQUIPMENT[category]),
                )
            ]
        return []

    def _cerfa_nature_problems(self):
        if self.nature == "other" and not (self.nature_other or "").strip():
            return [self.env._("Nature: say what the “other” intervention was.")]
        return []

    def _cerfa_leak_problems(self):
        """Cadres 5 and 10: the detector of a leak check, and where each leak found is."""
        _ = self.env._
        problems = []
        if self.leak_check:
            if not self.detector_reference:
                problems.append(_("Leak check: the manual detector used is missing."))
            if not self.detector_check_date:
                problems.append(_("Leak check: the date of the detector's last check is missing."))
            elif self.detector_check_date + relativedelta(months=DETECTOR_CHECK_MONTHS) < self.date:
                problems.append(
                    _(
                        "Leak check: the detector was last checked on %(date)s, more than a year before the intervention.",
                        date=self._cerfa_date(self.detector_check_date),
                    )
                )
        leaks = [(self[f"leak_location_{n}"], self[f"leak_repair_{n}"]) for n in (1, 2, 3)]
        if self.leaks_found and not any(location for location, _repair in leaks):
            problems.append(_("Leaks found: say where (at least one leak location)."))
        if not self.leaks_found and any(location for location, _repair in leaks):
            problems.append(_("Leak locations are given but “leaks found” is not ticked."))
        for number, (location, repair) in enumerate(leaks, start=1):
            if location and not repair:
                problems.append(
                    _("Leak %(number)s: say whether it was repaired or is still to be repaired.", number=number)
                )
        return problems

    def _cerfa_fluid_problems(self):
        """Cadres 11 and 13: where recovered fluid went; no HCFC charged (banned since 2015)."""
        _ = self.env._
        problems = []
        if self.charged_total_kg > 0 and self.refrigerant_id.family == "hcfc":
            problems.append(
                _("Charging %(fluid)s is forbidden: HCFCs may no longer be charged.", fluid=self.refrigerant_id.name)
            )
        return problems + self._cerfa_destination_problems()

    def _cerfa_destination_problems(self):
        """Cadre 13: recovered fluid goes to a partner that receives fluid, never to the holder."""
        _ = self.env._
        destination = self.destination_partner_id
        if self.recovered_total_kg > 0 and not destination:
            return [_("Recovered fluid: choose the installation of destination of the fluid (cadre 13).")]
        if destination and not destination._hvac_receives_fluid():
            return [
                _(
                    "Recovered fluid: %(partner)s does not receive refrigerant; choose a treatment or grouping centre"
                    " or a distributor (cadre 13), or tick it as such on its contact form.",
                    partner=destination.display_name,
                )
            ]
        return []

    def _cerfa_container_problems(self):
        """Cadre 11: the containers hold exactly what the fiche says was recovered and charged."""
        _ = self.env._
        fills = self.container_move_ids.filtered(lambda m: m.direction == "fill")
        empties = self.container_move_ids - fills
        problems = []
        if self.recovered_total_kg > 0 and not fills:
            problems.append(_("Recovered fluid: say which container it was recovered into."))
        elif abs(sum(fills.mapped("quantity_kg")) - self.recovered_total_kg) > KG_TOLERANCE:
            problems.append(
                _(
                    "Containers: %(moved)s kg recovered into containers, but the fiche says %(recovered)s kg recovered (D+E).",
                    moved=format_kg(self.env, sum(fills.mapped("quantity_kg"))),
                    recovered=format_kg(self.env, self.recovered_total_kg),
                )
            )
        for container in fills.container_id.filtered(lambda c: c.state == "virgin"):
            problems.append(
                _("Container %(name)s holds virgin fluid: recovered fluid cannot go into it.", name=container.name)
            )
        # Fluid charged from cylinders not followed in Odoo (a distributor's) needs no line;
        # once charging lines are given, they must add up.
        if empties:
            problems += self._cerfa_charged_problems(empties)
        return problems

    def _cerfa_charged_problems(self, empties):
        _ = self.env._
        taken = sum(empties.mapped("quantity_kg"))
        if abs(taken - self.charged_total_kg) > KG_TOLERANCE:
            return [
                _(
                    "Containers: %(moved)s kg charged from containers, but the fiche says %(charged)s kg charged (A+B+C).",
                    moved=format_kg(self.env, taken),
                    charged=format_kg(self.env, self.charged_total_kg),
                )
            ]
        if not all(state in CHARGED_KIND_BY_STATE for state in empties.container_id.mapped("state")):
            return []
        problems = []
        for state, field_name in CHARGED_KIND_BY_STATE.items():
            kind_taken = sum(empties.filtered(lambda m, s=state: m.container_id.state == s).mapped("quantity_kg"))
            if abs(kind_taken - self[field_name]) > KG_TOLERANCE:
                problems.append(
                    _(
                        "Containers: %(moved)s kg charged from containers of %(kind)s, but the fiche says %(charged)s kg (%(label)s).",
                        moved=format_kg(self.env, kind_taken),
                        kind=dict(self.env["hvac.container"]._fields["state"]._description_selection(self.env))[state],
                        charged=format_kg(self.env, self[field_name]),
                        label=self._fields[field_name].get_description(self.env)["string"],
                    )
                )
        return problems

    def _cerfa_date(self, value):
        return format_date(self.env, value)

    # --- validation ----------------------------------------------------------------------------
    def _hvac_done_problems(self):
        return super()._hvac_done_problems() + self._cerfa_problems()

    def _hvac_done_warnings(self):
        return super()._hvac_done_warnings() + self._cerfa_warnings()
