"""What the fiche checks beyond the Cerfa's own boxes: the operator's personal attestation
d'aptitude covers the work, the detector is the technician's, and no servicing ban of
Regulation (EU) 2024/573, Article 13, forbids the fluid charged."""

from odoo import api, fields, models

from . import aptitude
from .hvac_intervention_validation import format_kg


class HvacIntervention(models.Model):
    _inherit = "hvac.intervention"

    detector_id = fields.Many2one(
        "hvac.detector",
        "Detector",
        check_company=True,
        help="The manual leak detector used (cadre 5): the technician's own is proposed.",
    )

    # --- the detector --------------------------------------------------------------------------
    @api.model
    def _detector_snapshot(self, detector):
        return {"detector_reference": detector.name, "detector_check_date": detector.last_check_date}

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "detector_id" in fields_list and not values.get("detector_id"):
            company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
            technician = self.env["res.users"].browse(values.get("technician_id"))
            detector = self.env["hvac.detector"]._for_technician(technician, company)
            if detector:
                values["detector_id"] = detector.id
                values.update({k: v for k, v in self._detector_snapshot(detector).items() if k in fields_list})
        return values

    @api.onchange("technician_id")
    def _onchange_technician_detector(self):
        detector = self.env["hvac.detector"]._for_technician(self.technician_id, self.company_id or self.env.company)
        if detector:
            self.detector_id = detector

    @api.onchange("detector_id")
    def _onchange_detector_id(self):
        if self.detector_id:
            self.update(self._detector_snapshot(self.detector_id))

    @api.model_create_multi
    def create(self, vals_list):
        detectors = self.env["hvac.detector"]
        for vals in vals_list:
            detector = detectors.browse(vals.get("detector_id"))
            if not detector and "detector_reference" not in vals:
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                technician = self.env["res.users"].browse(vals.get("technician_id", self.env.uid))
                detector = detectors._for_technician(technician, company)
                if detector:
                    vals["detector_id"] = detector.id
            if detector:
                for key, value in self._detector_snapshot(detector).items():
                    vals.setdefault(key, value)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("detector_id") and "detector_reference" not in vals:
            detector = self.env["hvac.detector"].browse(vals["detector_id"])
            vals = {**self._detector_snapshot(detector), **vals}
        return super().write(vals)

    # --- the checks, called by _cerfa_problems ------------------------------------------------
    def _cerfa_aptitude_problems(self):
        """Cadre 1: the technician's own attestation d'aptitude covers each activity of the fiche
        (nature × equipment × fluid), on the day of the intervention."""
        self.ensure_one()
        _ = self.env._
        fluid = aptitude.fluid_kind(self.refrigerant_id.family, self.refrigerant_id.name)
        work = aptitude.activities(self.nature, self.leak_check, self.charged_total_kg, self.recovered_total_kg)
        if not work or not aptitude.needs_attestation(fluid, self.date):
            return []
        if not self.technician_id:
            return [_("Operator: say which technician did the work (their attestation d'aptitude is checked).")]
        held = self.env["hvac.qualification"]._valid_for(self.technician_id, self.date).get(self.technician_id)
        held_codes = held.mapped("category") if held else []
        charge, hermetic = self.installation_charge_kg, self.installation_id.hermetic
        missing = aptitude.uncovered(held_codes, work, charge, hermetic, fluid)
        if missing and not held_codes and not self._technician_has_attestation():
            # Naming each activity would repeat one fact: nothing of theirs is recorded at all.
            return [
                _(
                    "Operator: %(technician)s has no attestation d'aptitude on record (Technicians › Attestations"
                    " d'aptitude).",
                    technician=self.technician_id.name,
                )
            ]
        labels = {
            aptitude.LEAK_CHECK: _("a leak check"),
            aptitude.RECOVERY: _("recovering fluid"),
            aptitude.SERVICING: _("installing, maintaining or charging"),
        }
        problems = []
        for activity, needed in missing:
            values = {
                "technician": self.technician_id.name,
                "work": labels[activity],
                "charge": format_kg(self.env, charge),
                "fluid": self.refrigerant_id.name,
                "needed": self._aptitude_alternatives(needed),
                "date": self._cerfa_date(self.date),
            }
            if held_codes:
                values["held"] = ", ".join(sorted(set(held_codes)))
                problems.append(
                    _(
                        "Operator: %(technician)s's attestation d'aptitude (category %(held)s) does not cover"
                        " %(work)s on %(charge)s kg of %(fluid)s: category %(needed)s is missing.",
                        **values,
                    )
                )
            else:
                problems.append(
                    _(
                        "Operator: %(technician)s holds no attestation d'aptitude valid on %(date)s: category"
                        " %(needed)s is missing for %(work)s on %(charge)s kg of %(fluid)s.",
                        **values,
                    )
                )
        return problems

    def _technician_has_attestation(self):
        """Whether any attestation d'aptitude of the technician is on record, valid on the day or
        not, in any company (a personal certificate counts whichever company keeps its copy)."""
        qualifications = self.env["hvac.qualification"].sudo()
        return bool(qualifications.search_count([("user_id", "=", self.technician_id.id)], limit=1))

    def _aptitude_alternatives(self, codes):
        if not codes:
            return self.env._("(none exists)")
        if len(codes) == 1:
            return codes[0]
        return self.env._("%(first)s or %(last)s", first=", ".join(codes[:-1]), last=codes[-1])

    def _cerfa_detector_problems(self):
        """Cadre 5: a detector followed in Odoo was checked when its record says, not later."""
        self.ensure_one()
        recorded = self.detector_id.last_check_date
        if self.leak_check and recorded and self.detector_check_date and self.detector_check_date > recorded:
            return [
                self.env._(
                    "Leak check: detector %(detector)s was last checked on %(recorded)s, not on %(date)s.",
                    detector=self.detector_id.name,
                    recorded=self._cerfa_date(recorded),
                    date=self._cerfa_date(self.detector_check_date),
                )
            ]
        return []

    def _cerfa_ban_problems(self):
        """Cadre 11: fluid charged where a servicing ban of Article 13 forbids it."""
        self.ensure_one()
        return self.env["hvac.servicing.ban"].sudo()._fiche_problems(self)
