from odoo import api, fields, models
from odoo.tools.misc import format_date

from .hvac_intervention_validation import format_kg

# The fluids Article 13 speaks of: fluorinated greenhouse gases (HCFCs have their own ban).
FGAS_FAMILIES = ("hfc", "hfc_hfo", "hfo")
EQUIPMENT = [
    ("any", "Any equipment"),
    ("refrigeration", "Refrigeration"),
    ("air_conditioning", "Air conditioning"),
    ("heat_pump", "Heat pump"),
]


class HvacServicingBan(models.Model):
    """A ban on using fluorinated gases to service or maintain equipment (Regulation (EU) 2024/573,
    Article 13), as the article words it: from when, above which GWP, on which equipment, and the
    exceptions that let a charge through (reclaimed or recycled fluid until a date, military
    equipment, equipment cooling products below −50 °C, an exemption authorised under Article 11(5)).

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
    min_t_co2e = fields.Float("Charge from (t CO2e)", digits=(10, 2), help="0: whatever the equipment's charge.")
    exempt_military = fields.Boolean("Not for military equipment")
    exempt_below_minus_50 = fields.Boolean("Not for equipment cooling products below −50 °C")
    exempt_authorised = fields.Boolean("Not for equipment with an exemption under Article 11(5)")
    exemption_article = fields.Char("Article of these exceptions", translate=True)
    reclaimed_until = fields.Date(
        "Reclaimed fluid allowed until", help="The day from which reclaimed fluid is banned too."
    )
    reclaimed_article = fields.Char("Article allowing reclaimed fluid", translate=True)
    recycled_until = fields.Date(
        "Recycled fluid allowed until",
        help="Until this day, fluid recycled from such equipment by the undertaking that recovered it"
        " (or for which it was recovered) may be used.",
    )
    recycled_article = fields.Char("Article allowing recycled fluid", translate=True)

    def _applies(self, fiche):
        installation = fiche.installation_id
        return (
            self.date_from <= fiche.date
            and (not self.date_to or fiche.date < self.date_to)
            and fiche.gwp >= self.gwp_min
            and self.equipment in ("any", installation.category)
            and fiche.co2_tonnes >= self.min_t_co2e
            and not (self.exempt_military and installation.military_equipment)
            and not (self.exempt_below_minus_50 and installation.below_minus_50)
            and not (self.exempt_authorised and installation.ban_exemption_ref)
        )

    def _allows(self, kind, fiche):
        if kind == "reclaimed":
            return bool(self.reclaimed_until and fiche.date < self.reclaimed_until)
        if kind == "recycled":
            return bool(self.recycled_until and fiche.date < self.recycled_until) and not self._recycled_origin_problem(
                fiche
            )
        return False

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
            foreign = fills.intervention_id.installation_id.filtered(
                lambda i: self.equipment != "any" and i.category != self.equipment
            )
            if foreign:
                return _(
                    "container %(container)s holds fluid recovered from %(installation)s, which is not %(equipment)s"
                    " equipment",
                    container=container.name,
                    installation=foreign[0].name,
                    equipment=self._equipment_label().lower(),
                )
        return None

    def _equipment_label(self):
        return dict(self._fields["equipment"]._description_selection(self.env))[self.equipment]

    @api.model
    def _fiche_problems(self, fiche):
        """Every charge on ``fiche`` an active ban refuses, as sentences naming the article and the
        exceptions that would let it through."""
        if fiche.charged_total_kg <= 0 or fiche.refrigerant_id.family not in FGAS_FAMILIES:
            return []
        problems = []
        kinds = dict(fiche.env["hvac.container"]._fields["state"]._description_selection(self.env))
        for ban in self.search([]).filtered(lambda b: b._applies(fiche)):
            for kind in ("virgin", "recycled", "reclaimed"):
                quantity = fiche[f"charged_{kind}_kg"]
                if quantity > 0 and not ban._allows(kind, fiche):
                    problems.append(ban._refusal(fiche, kind, kinds[kind].lower(), quantity))
        return problems

    def _refusal(self, fiche, kind, kind_label, quantity):
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
        allowed = []
        if kind != "reclaimed" and self.reclaimed_until and fiche.date < self.reclaimed_until:
            allowed.append(
                _(
                    "reclaimed fluid until %(until)s (%(article)s)",
                    until=format_date(self.env, self.reclaimed_until),
                    article=self.reclaimed_article,
                )
            )
        if self.recycled_until and fiche.date < self.recycled_until:
            origin = self._recycled_origin_problem(fiche) if kind == "recycled" else None
            text = _(
                "fluid recycled from such equipment by the undertaking that recovered it, until %(until)s (%(article)s)",
                until=format_date(self.env, self.recycled_until),
                article=self.recycled_article,
            )
            allowed.append(_("%(text)s: %(origin)s", text=text, origin=origin) if origin else text)
        exempt = [
            label
            for flag, label in (
                (self.exempt_military, _("military equipment")),
                (self.exempt_below_minus_50, _("equipment cooling products below −50 °C")),
                (self.exempt_authorised, _("equipment with an exemption authorised under Article 11(5)")),
            )
            if flag
        ]
        if allowed:
            message += " " + _("Allowed: %s.", "; ".join(allowed))
        if exempt:
            message += " " + _(
                "The ban does not apply to %(cases)s (%(article)s): say so on the installation if it is one.",
                cases=", ".join(exempt),
                article=self.exemption_article,
            )
        return message
