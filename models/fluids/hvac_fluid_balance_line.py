from odoo import fields, models

QUANTITY_FIELDS = (
    "charged_virgin_kg",
    "charged_recycled_kg",
    "charged_reclaimed_kg",
    "recovered_treatment_kg",
    "recovered_reuse_kg",
    "handed_distributor_kg",
    "handed_treatment_kg",
    "stock_start_kg",
    "stock_end_kg",
)


class HvacFluidBalanceLine(models.Model):
    """One fluid of the annual fluid balance; every figure opens the records behind it."""

    _name = "hvac.fluid.balance.line"
    _description = "Annual fluid balance: one fluid"
    _order = "balance_id, refrigerant_name"

    balance_id = fields.Many2one("hvac.fluid.balance", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="balance_id.company_id", store=True)
    refrigerant_id = fields.Many2one("hvac.refrigerant", "Fluid", required=True)
    refrigerant_name = fields.Char(related="refrigerant_id.name", store=True)
    charged_virgin_kg = fields.Float("Charged, virgin (kg)", digits=(12, 3))
    charged_recycled_kg = fields.Float("Charged, recycled (kg)", digits=(12, 3))
    charged_reclaimed_kg = fields.Float("Charged, reclaimed (kg)", digits=(12, 3))
    recovered_treatment_kg = fields.Float("Recovered for treatment (kg)", digits=(12, 3))
    recovered_reuse_kg = fields.Float("Recovered for reuse (kg)", digits=(12, 3))
    handed_distributor_kg = fields.Float("Handed to distributors (kg)", digits=(12, 3))
    handed_treatment_kg = fields.Float("Handed to treatment centres (kg)", digits=(12, 3))
    stock_start_kg = fields.Float("Stock at start of year (kg)", digits=(12, 3))
    stock_end_kg = fields.Float("Stock at end of year (kg)", digits=(12, 3))

    def action_open_fiches(self):
        """The done fiches behind the charged and recovered figures."""
        self.ensure_one()
        self.balance_id._check_manager()
        action = self.env["ir.actions.act_window"]._for_xml_id("hvac_connect.hvac_intervention_action")
        action["domain"] = self.balance_id._fiche_domain() + [("refrigerant_id", "=", self.refrigerant_id.id)]
        action["context"] = {"create": False}
        action["name"] = self.env._(
            "Fiches %(fluid)s %(year)s", fluid=self.refrigerant_id.name, year=self.balance_id.year
        )
        return action

    def action_open_bsff(self):
        """The BSFF behind the handed-over figures."""
        self.ensure_one()
        self.balance_id._check_manager()
        action = self.env["ir.actions.act_window"]._for_xml_id("hvac_connect.hvac_bsff_action")
        action["domain"] = self.balance_id._bsff_domain() + [("refrigerant_id", "=", self.refrigerant_id.id)]
        action["context"] = {"create": False}
        return action

    def action_open_containers(self):
        """The containers behind the stock figures, with their movements."""
        self.ensure_one()
        self.balance_id._check_manager()
        action = self.env["ir.actions.act_window"]._for_xml_id("hvac_connect.hvac_container_action")
        action["domain"] = [
            ("company_id", "=", self.company_id.id),
            ("refrigerant_id", "=", self.refrigerant_id.id),
            "|",
            ("active", "=", True),
            ("active", "=", False),
        ]
        action["context"] = {"create": False}
        return action
