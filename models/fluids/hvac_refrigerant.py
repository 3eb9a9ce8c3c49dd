from odoo import api, fields, models
from odoo.exceptions import UserError

BSFF_WASTE_CODES = [
    ("14 06 01*", "14 06 01* - Chlorofluorocarbons, HCFC, HFC"),
    ("14 06 02*", "14 06 02* - Other halogenated solvents and solvent mixtures"),
    ("14 06 03*", "14 06 03* - Other solvents and solvent mixtures"),
    ("16 05 04*", "16 05 04* - Gases in pressure containers containing hazardous substances"),
    ("13 03 10*", "13 03 10* - Other insulating and heat transmission oils"),
]


class HvacRefrigerant(models.Model):
    """A refrigerant (fluide frigorigène) and what Regulation (EU) 2024/573 derives from it.

    The 40 reference fluids ship as data (``is_reference``); users may add
    others, but only managers may change a shipped value.
    """

    _name = "hvac.refrigerant"
    _description = "Refrigerant"
    _order = "name"

    name = fields.Char("ASHRAE name", required=True, help="ASHRAE 34 / ISO 817 designation, e.g. R-410A.")
    active = fields.Boolean(default=True)
    family = fields.Selection(
        [
            ("hcfc", "HCFC (ozone-depleting)"),
            ("hfc", "HFC / PFC (Annex I)"),
            ("hfc_hfo", "HFC/HFO blend (Annex I and II)"),
            ("hfo", "HFO / HCFO (Annex II)"),
            ("natural", "Natural fluid"),
        ],
        required=True,
        default="hfc",
    )
    type_label = fields.Char("Type")
    composition = fields.Char(help="Nominal mass composition, in %.")
    safety_class = fields.Selection(
        [(c, c) for c in ("A1", "A2L", "A2", "A3", "B1", "B2L", "B2", "B3")],
        help="ASHRAE 34 / ISO 817 safety group.",
    )
    gwp = fields.Float("GWP", required=True, help="100-year global warming potential under Regulation (EU) 2024/573.")
    gwp_517_2014 = fields.Float("GWP (517/2014)", help="Former value, for comparison.")
    annex1_gwp = fields.Float(
        "GWP counted for Annex I",
        help="Part of the GWP due to Annex I gases (HFC, PFC): the basis of the t CO2e leak-check thresholds.",
    )
    annex2_fraction = fields.Float(
        "Annex II mass fraction",
        digits=(4, 4),
        help="Mass fraction of Annex II section 1 gases (HFO, HCFO): the basis of the kg leak-check thresholds.",
    )
    leak_check_basis = fields.Char()
    bsff_waste_code = fields.Selection(BSFF_WASTE_CODES, "Default BSFF waste code", default="14 06 01*")
    un_number = fields.Char("UN number")
    adr_mention = fields.Char("ADR mention", help="Transport mention written on the BSFF and the fiche d'intervention.")
    is_reference = fields.Boolean("Shipped reference", readonly=True, copy=False)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A refrigerant with this name already exists."),
        ("gwp_positive", "CHECK(gwp >= 0)", "The GWP cannot be negative."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._default_threshold_basis(vals)
        return super().create(vals_list)

    @api.model
    def _default_threshold_basis(self, vals):
        """A user-added fluid counts wholly towards its own family's thresholds."""
        family = vals.get("family", "hfc")
        if "annex1_gwp" not in vals and family in ("hfc", "hfc_hfo"):
            vals["annex1_gwp"] = vals.get("gwp", 0.0)
        if "annex2_fraction" not in vals and family == "hfo":
            vals["annex2_fraction"] = 1.0

    def write(self, vals):
        if (
            self.filtered("is_reference")
            and not self.env.su
            and not self.env.user.has_group("hvac_connect.group_hvac_manager")
        ):
            raise UserError(
                self.env._(
                    "Only an installations manager can change a shipped refrigerant (%(names)s).",
                    names=", ".join(self.filtered("is_reference").mapped("name")),
                )
            )
        return super().write(vals)
