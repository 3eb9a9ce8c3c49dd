from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

from .hvac_intervention_validation import format_kg

# The fluids Article 13 speaks of: fluorinated greenhouse gases (HCFCs have their own ban). Paragraphs
# 4 and 5 name the gases "listed in Annex I": the HFO family (Annex II) stays far below their GWP
# thresholds, so the GWP alone draws the line.
FGAS_FAMILIES = ("hfc", "hfc_hfo", "hfo")
EQUIPMENT = [
    ("any", "Any equipment"),
    ("refrigeration", "Refrigeration"),
    ("air_conditioning", "Air conditioning"),
    ("heat_pump", "Heat pump"),
    ("air_conditioning_heat_pump", "Air conditioning and heat pumps"),
]
# The installations' categories each scope of the regulation covers ("any": all of them).
EQUIPMENT_CATEGORIES = {
    "refrigeration": ("refrigeration",),
    "air_conditioning": ("air_conditioning",),
    "heat_pump": ("heat_pump",),
    "air_conditioning_heat_pump": ("air_conditioning", "heat_pump"),
}
KINDS = ("reclaimed", "recycled")


class HvacServicingBan(models.Model):
    """A ban on using fluorinated gases to service or maintain equipment (Regulation (EU) 2024/573,
    Article 13), as the article words it: from when, above which GWP, on which equipment (chillers
    left out or not), and the exceptions that let a charge through (reclaimed or recycled fluid, until
    a date or for good, military equipment, equipment cooling products below −50 °C or a nuclear power
    station, an exemption authorised under Article 11(5)).

    The rows ship as data with the article's wording; a fiche that charges fluid is checked
    against every active row at validation."""

    _name = "hvac.servicing.ban"
    _description = "Servicing ban (Regulation (EU) 2024/573, Article 13)"
    _order = "date_from, id"

    name = fields.Char("Ban", required=True, translate=True)
    active = fields.Boolean(default=True)
    article = fields.Char(
        required=True, translate=True, help="Where the regulation says it, e.g. Article 13(3), first subparagraph."
    )
    wording = fields.Text("Wording of the article")
    date_from = fields.Date("Applies from", required=True)
    date_to = fields.Date("Applies until", help="The day it stops applying (a later row takes over), if any.")
    gwp_min = fields.Float("GWP of the fluid from", required=True, default=2500.0)
    equipment = fields.Selection(EQUIPMENT, required=True, default="refrigeration")
    exclude_chillers = fields.Boolean(
        "Not for chillers", help="The ban leaves chillers out of its equipment (installations ticked Chiller)."
    )
    min_t_co2e = fields.Float("Charge from (t CO2e)", digits=(10, 2), help="0: whatever the equipment's charge.")
    exempt_military = fields.Boolean("Not for military equipment")
    exempt_below_minus_50 = fields.Boolean("Not for equipment cooling products below −50 °C")
    exempt_nuclear = fields.Boolean("Not for equipment cooling nuclear power stations")
    exempt_authorised = fields.Boolean("Not for equipment with an exemption under Article 11(5)")
    exemption_article = fields.Char("Article of these exceptions", translate=True)
    reclaimed_until = fields.Date(
        "Reclaimed fluid allowed until", help="The day from which reclaimed fluid is banned too."
    )
    reclaimed_without_end = fields.Boolean(
        "Reclaimed fluid allowed with no end date", help="The article lets reclaimed fluid through with no date."
    )
    reclaimed_article = fields.Char("Article allowing reclaimed fluid", translate=True)
    recycled_until = fields.Date(
        "Recycled fluid allowed until",
        help="Until this day, fluid recycled from such equipment by the undertaking that recovered it"
        " (or for which it was recovered) may be used.",
    )
    recycled_without_end = fields.Boolean(
        "Recycled fluid allowed with no end date",
        help="Fluid recycled from such equipment by the undertaking that recovered it (or for which it was"
        " recovered) may be used with no date.",
    )
    recycled_article = fields.Char("Article allowing recycled fluid", translate=True)

    @api.constrains("reclaimed_until", "reclaimed_without_end", "recycled_until", "recycled_without_end")
    def _check_exception_end(self):
        for ban in self:
            if any(ban[f"{kind}_until"] and ban[f"{kind}_without_end"] for kind in KINDS):
                raise ValidationError(
                    self.env._("%s: an exception for fluid ends on a date or has no end date, not both.", ban.name)
                )

    def _covers(self, installation):
        """Whether ``installation`` is equipment this ban speaks of."""
        categories = EQUIPMENT_CATEGORIES.get(self.equipment)
        return (categories is None or installation.category in categories) and not (
            self.exclude_chillers and installation.chiller
        )

    def _applies(self, fiche):
        installation = fiche.installation_id
        return (
            self.date_from <= fiche.date
            and (not self.date_to or fiche.date < self.date_to)
            and fiche.gwp >= self.gwp_min
            and self._covers(installation)
            and fiche.co2_tonnes >= self.min_t_co2e
            and not (self.exempt_military and installation.military_equipment)
            and not (self.exempt_below_minus_50 and installation.below_minus_50)
            and not (self.exempt_nuclear and installation.nuclear_cooling)
            and not (self.exempt_authorised and installation.ban_exemption_ref)
        )

    def _exception_open(self, kind, day):
        """Whether the article still lets reclaimed or recycled fluid through on ``day``."""
        if kind not in KINDS:
            return False
        until = self[f"{kind}_until"]
        return bool(self[f"{kind}_without_end"] or (until and day < until))

    def _allows(self, kind, fiche):
        if kind == "recycled":
            return self._exception_open(kind, fiche.date) and not self._recycled_origin_problem(fiche)
        return self._exception_open(kind, fiche.date)

    def _recycled_origin_problem(self, fiche):
        """Why the recycled fluid charged is not shown to come from such equipment, recovered by us
        (the condition of the recycled-fluid exception), or None."""
        _ = self.env._
        moves = fiche.container_move_ids.filtered(
            lambda m: m.direction == "empty" and m.container_id.state == "recycled"
        )
        if sum(moves.mapped("quantity_kg")) + 0.0005 < fiche.charged_recycled_kg:
            return _("say which recycled-fluid container it was charged from")
        for container in moves.container_id:
            fills = container.move_ids.filtered(lambda m: m.direction == "fill" and m.intervention_id.state == "done")
            if container.initial_weight_kg > 0 or not fills:
                return _("container %s holds fluid whose recovery is not recorded here", container.name)
            foreign = fills.intervention_id.installation_id.filtered(lambda i: not self._covers(i))
            if foreign:
                if self.exclude_chillers and foreign[0].chiller:
                    return _(
                        "container %(container)s holds fluid recovered from %(installation)s, a chiller, which this"
                        " ban leaves out",
                        container=container.name,
                        installation=foreign[0].name,
                    )
                return _(
                    "container %(container)s holds fluid recovered from %(installation)s, which is not %(equipment)s",
                    container=container.name,
                    installation=foreign[0].name,
                    equipment=self._equipment_phrase(),
                )
        return None

    def _equipment_phrase(self):
        _ = self.env._
        return {
            "refrigeration": _("refrigeration equipment"),
            "air_conditioning": _("air-conditioning equipment"),
            "heat_pump": _("a heat pump"),
            "air_conditioning_heat_pump": _("air-conditioning equipment or a heat pump"),
        }.get(self.equipment, "")

    @api.model
    def _fiche_problems(self, fiche):
        """Every charge on ``fiche`` an active ban refuses, as sentences naming the article and the
        exceptions that would let it through."""
        if fiche.charged_total_kg <= 0 or fiche.refrigerant_id.family not in FGAS_FAMILIES:
            return []
        problems = []
        kinds = dict(fiche.env["hvac.container"]._fields["state"]._description_selection(self.env))
        bans = self.search([]).filtered(lambda b: b._applies(fiche))
        for ban in bans:
            for kind in ("virgin", "recycled", "reclaimed"):
                quantity = fiche[f"charged_{kind}_kg"]
                if quantity > 0 and not ban._allows(kind, fiche):
                    problems.append(ban._refusal(fiche, kind, kinds[kind].lower(), quantity, bans))
        return problems

    def _refusal(self, fiche, kind, kind_label, quantity, bans):
        """The sentence refusing ``quantity`` kg of ``kind`` fluid; it offers only the fluids every
        ban in ``bans`` (those applying to the fiche) still lets through."""
        _ = self.env._
        message = _(
            "Charging: %(quantity)s kg of %(kind)s %(fluid)s (GWP %(gwp)s) into %(installation)s is forbidden since"
            " %(since)s by Regulation (EU) 2024/573, %(article)s: %(ban)s.",
            quantity=format_kg(self.env, quantity),
            kind=kind_label,
            fluid=fiche.refrigerant_id.name,
            gwp=format_kg(self.env, fiche.gwp),
            installation=fiche.installation_id.name,
            since=format_date(self.env, self.date_from),
            article=self.article,
            ban=self.name,
        )
        allowed = self._alternatives(fiche, kind, bans)
        exempt = self._exempt_cases()
        if allowed:
            message += " " + _("Allowed: %s.", "; ".join(allowed))
        if exempt:
            message += " " + _(
                "The ban does not apply to %(cases)s (%(article)s): say so on the installation if it is one.",
                cases=", ".join(exempt),
                article=self.exemption_article,
            )
        return message

    def _alternatives(self, fiche, kind, bans):
        """What this ban lets through instead of ``kind`` on the fiche's day: reclaimed or recycled
        fluid, when every ban in ``bans`` lets it through too (recycled fluid already charged comes
        with why its origin falls short)."""
        _ = self.env._
        open_everywhere = {k: all(ban._exception_open(k, fiche.date) for ban in bans) for k in KINDS}
        allowed = []
        if kind != "reclaimed" and open_everywhere["reclaimed"]:
            if self.reclaimed_until:
                allowed.append(
                    _(
                        "reclaimed fluid until %(until)s (%(article)s)",
                        until=format_date(self.env, self.reclaimed_until),
                        article=self.reclaimed_article,
                    )
                )
            else:
                allowed.append(_("reclaimed fluid (%(article)s)", article=self.reclaimed_article))
        if open_everywhere["recycled"]:
            if self.recycled_until:
                text = _(
                    "fluid recycled from such equipment by the undertaking that recovered it, until %(until)s"
                    " (%(article)s)",
                    until=format_date(self.env, self.recycled_until),
                    article=self.recycled_article,
                )
            else:
                text = _(
                    "fluid recycled from such equipment by the undertaking that recovered it (%(article)s)",
                    article=self.recycled_article,
                )
            origin = self._recycled_origin_problem(fiche) if kind == "recycled" else None
            allowed.append(_("%(text)s: %(origin)s", text=text, origin=origin) if origin else text)
        return allowed

    def _exempt_cases(self):
        """The equipment this ban leaves out, as the installation form lets one say it."""
        _ = self.env._
        return [
            label
            for flag, label in (
                (self.exempt_military, _("military equipment")),
                (self.exempt_below_minus_50, _("equipment cooling products below −50 °C")),
                (self.exempt_nuclear, _("equipment cooling nuclear power stations")),
                (self.exclude_chillers, _("chillers")),
                (self.exempt_authorised, _("equipment with an exemption authorised under Article 11(5)")),
            )
            if flag
        ]
