import re
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..fluids.hvac_intervention_validation import KG_TOLERANCE, format_kg
from .hvac_bsff_send import ISSUE_FIELDS

# Trackdéchets' limits on what a BSFF carries (research trackdechets.md §9): 250 characters per
# string, except the ADR mention (750); e-mails in a valid format.
MAX_LENGTH = 250
LONGER = {"adr": 750}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class HvacBsff(models.Model):
    """*Vérifier*: the containers on the slip carry exactly the fluid its fiches recovered."""

    _inherit = "hvac.bsff"

    def action_check(self):
        self._refresh_partner_checks()
        return super().action_check()

    def _refresh_partner_checks(self):
        """Ask Trackdéchets (``companyInfos``) about the destination and the transporter, once a
        day per partner: their profiles and closed establishments are known at *Vérifier*."""
        partners = (
            self.destination_partner_id | self.filtered(lambda b: not b.transporter_is_self).transporter_partner_id
        )
        stale_before = fields.Datetime.now() - timedelta(days=1)
        partners = partners.filtered(
            lambda p: p.siret and (not p.hvac_td_checked_at or p.hvac_td_checked_at < stale_before)
        )
        user = self.env.user.sudo()
        if not partners or user.hvac_trackdechets_token_state != "valid":
            return  # without a token, the last known answer (if any) is used
        client = self.company_id._hvac_trackdechets_client(user.hvac_trackdechets_token.strip())
        for partner in partners:
            try:
                partner._hvac_apply_trackdechets_infos(partner._hvac_fetch_trackdechets_infos(client))
            except UserError:
                continue  # a SIRET of the wrong length, or Trackdéchets out of reach: the check lists the rest

    def _missing_fields(self):
        problems = super()._missing_fields() + self._fluid_problems()
        return problems + self._container_fiche_problems() + self._format_problems()

    def _fluid_problems(self):
        """One BSFF carries one fluid: one waste code, one designation, one ADR line."""
        self.ensure_one()
        _ = self.env._
        if not self.refrigerant_id:
            return [_("Waste: choose the fluid the slip carries.")]
        problems = []
        fiche_fluids = self.fiche_ids.intervention_id.refrigerant_id
        if fiche_fluids - self.refrigerant_id:
            problems.append(
                _(
                    "A BSFF carries one fluid: the fiches recovered %(fluids)s, the slip says %(fluid)s."
                    " Make one BSFF per fluid.",
                    fluids=", ".join(sorted(fiche_fluids.mapped("name"))),
                    fluid=self.refrigerant_id.name,
                )
            )
        for line in self.packaging_ids.filtered(
            lambda p: p.container_id.refrigerant_id and p.container_id.refrigerant_id != self.refrigerant_id
        ):
            problems.append(
                _(
                    "Packaging %(name)s holds %(other)s, not %(fluid)s.",
                    name=line.numero,
                    other=line.container_id.refrigerant_id.name,
                    fluid=self.refrigerant_id.name,
                )
            )
        return problems

    def _format_problems(self):
        """E-mails and lengths of everything sent, as Trackdéchets will judge them."""
        self.ensure_one()
        documents = [((), self._bsff_input())]
        documents += [(("ficheInterventions", line.numero), self._fiche_input(line)) for line in self.fiche_ids]
        problems = []
        for prefix, document in documents:
            for path, value in _strings(document, prefix):
                label = self._format_label(path)
                if path[-1] == "mail" and not EMAIL.match(value.strip()):
                    problems.append(
                        self.env._("%(field)s: “%(value)s” is not a valid e-mail address.", field=label, value=value)
                    )
                limit = LONGER.get(path[-1], MAX_LENGTH)
                if len(value) > limit:
                    problems.append(
                        self.env._(
                            "%(field)s: %(length)s characters, Trackdéchets accepts at most %(limit)s.",
                            field=label,
                            length=len(value),
                            limit=limit,
                        )
                    )
        return problems

    def _format_label(self, path):
        field = next((name for parts, name in ISSUE_FIELDS if tuple(path[: len(parts)]) == parts), None)
        where = self._fields[field].get_description(self.env)["string"] if field else path[0]
        return f"{where} ({'.'.join(str(p) for p in path[1:] if p)})" if len(path) > 1 else where

    def _container_fiche_problems(self):
        self.ensure_one()
        _ = self.env._
        problems = []
        interventions = self.fiche_ids.intervention_id
        fills = interventions.container_move_ids.filtered(lambda m: m.direction == "fill")
        on_slip = self.packaging_ids.container_id
        for container in self.packaging_ids.container_id.filtered(lambda c: c.state == "virgin"):
            problems.append(_("Packaging %(name)s holds virgin fluid: it is no waste packaging.", name=container.name))
        for container in fills.container_id - on_slip:
            problems.append(
                _(
                    "Container %(name)s received fluid of fiche %(fiches)s but is not among the packagings.",
                    name=container.name,
                    fiches=", ".join(
                        fills.filtered(lambda m, c=container: m.container_id == c).intervention_id.mapped("name")
                    ),
                )
            )
        for line in self.packaging_ids.filtered("container_id"):
            recovered = sum(fills.filtered(lambda m, c=line.container_id: m.container_id == c).mapped("quantity_kg"))
            if abs(line.weight_kg - recovered) > KG_TOLERANCE:
                problems.append(
                    _(
                        "Packaging %(name)s: %(weight)s kg on the slip, but its fiches recovered %(recovered)s kg into it.",
                        name=line.numero,
                        weight=format_kg(self.env, line.weight_kg),
                        recovered=format_kg(self.env, recovered),
                    )
                )
        for line in self.fiche_ids.filtered("intervention_id"):
            if abs(line.weight_kg - line.intervention_id.recovered_total_kg) > KG_TOLERANCE:
                problems.append(
                    _(
                        "Fiche %(name)s: %(weight)s kg on the slip, but the fiche recovered %(recovered)s kg.",
                        name=line.numero,
                        weight=format_kg(self.env, line.weight_kg),
                        recovered=format_kg(self.env, line.intervention_id.recovered_total_kg),
                    )
                )
        packed = sum(self.packaging_ids.mapped("weight_kg"))
        declared = sum(self.fiche_ids.mapped("weight_kg"))
        if self.fiche_ids and abs(packed - declared) > KG_TOLERANCE:
            problems.append(
                _(
                    "The packagings hold %(packed)s kg but the fiches recovered %(declared)s kg.",
                    packed=format_kg(self.env, packed),
                    declared=format_kg(self.env, declared),
                )
            )
        return problems


def _strings(value, path=()):
    """Every non-empty string of a payload with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, path)
    elif isinstance(value, str) and value:
        yield path, value
