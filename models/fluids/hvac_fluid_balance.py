import io
from collections import defaultdict
from datetime import date, datetime, time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date, xlsxwriter

from .hvac_fluid_balance_line import QUANTITY_FIELDS

MANAGER = "hvac_connect.group_hvac_manager"
FICHE_FIELDS = (
    "charged_virgin_kg",
    "charged_recycled_kg",
    "charged_reclaimed_kg",
    "recovered_treatment_kg",
    "recovered_reuse_kg",
)


class HvacFluidBalance(models.Model):
    """The annual fluid balance an operator declares to the body that issued its attestation de
    capacité (Code de l'environnement R. 543-82, arrêté du 30 juin 2008; due by 31 January).

    Every figure comes from done fiches, container movements and BSFF, aggregated in SQL
    (``_read_group``): nothing is typed in. What the data cannot decide is listed as things to fix.
    """

    _name = "hvac.fluid.balance"
    _description = "Annual fluid balance"
    _inherit = ["mail.thread"]
    _order = "year desc, id desc"
    _check_company_auto = True

    # The name, not the year, is tracked: the chatter writes integers with a thousands separator.
    name = fields.Char(compute="_compute_name", store=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    # A year is no quantity: neither summed in groups nor written "2 025" (views: enable_formatting).
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year - 1, aggregator=None)
    capacity_number = fields.Char(
        "Attestation de capacité",
        default=lambda self: self.env.company.hvac_capacity_number,
        tracking=True,
        help="Only the fiches signed under this attestation count. Empty: every fiche of the company.",
    )
    date_from = fields.Date(compute="_compute_dates")
    date_to = fields.Date(compute="_compute_dates")
    line_ids = fields.One2many("hvac.fluid.balance.line", "balance_id", "Fluids", readonly=True)
    issue_container_ids = fields.Many2many(
        "hvac.container", string="Containers to fix", readonly=True, check_company=True
    )
    issues = fields.Text("Things to fix", readonly=True)
    computed_at = fields.Datetime("Computed on", readonly=True)

    _sql_constraints = [
        ("year_valid", "CHECK(year > 1990 AND year < 3000)", "The year of a fluid balance is not valid.")
    ]

    @api.depends("year", "company_id", "capacity_number")
    def _compute_name(self):
        for balance in self:
            balance.name = self.env._(
                "Fluid balance %(year)s – %(company)s", year=balance.year, company=balance.company_id.name
            )

    @api.depends("year")
    def _compute_dates(self):
        for balance in self:
            balance.date_from = date(balance.year, 1, 1) if balance.year else False
            balance.date_to = date(balance.year, 12, 31) if balance.year else False

    def _check_manager(self):
        # The balance is a declaration of the company: managers only, whatever the caller.
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only installation managers may read or compute the annual fluid balance."))

    # --- domains of the records behind the figures
    def _fiche_domain(self):
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "done"),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
        ]
        if self.capacity_number:
            domain.append(("capacity_number", "=", self.capacity_number))
        return domain

    def _bsff_domain(self):
        # Handed over when the transporter took the containers over (signature TRANSPORT).
        start = datetime.combine(self.date_from, time.min)
        end = datetime.combine(date(self.year + 1, 1, 1), time.min)
        return [
            ("company_id", "=", self.company_id.id),
            ("transport_taken_over_at", ">=", start),
            ("transport_taken_over_at", "<", end),
        ]

    # --- computation
    def action_compute(self):
        self._check_manager()
        for balance in self:
            balance._compute_balance()
        return True

    def _compute_balance(self):
        figures = defaultdict(lambda: dict.fromkeys(QUANTITY_FIELDS, 0.0))
        issues = []
        self._add_fiche_figures(figures)
        self._add_bsff_figures(figures, issues)
        containers_to_fix = self._add_stock_figures(figures, issues)
        self.line_ids.unlink()
        self.write(
            {
                "line_ids": [
                    fields.Command.create({"refrigerant_id": fluid_id, **values})
                    for fluid_id, values in sorted(figures.items())
                    if any(values.values())
                ],
                "issue_container_ids": [fields.Command.set(containers_to_fix)],
                "issues": "\n".join(issues) or False,
                "computed_at": fields.Datetime.now(),
            }
        )

    def _add_fiche_figures(self, figures):
        groups = self.env["hvac.intervention"]._read_group(
            self._fiche_domain(), ["refrigerant_id"], [f"{name}:sum" for name in FICHE_FIELDS]
        )
        for fluid, *sums in groups:
            for name, value in zip(FICHE_FIELDS, sums, strict=True):
                figures[fluid.id][name] += value or 0.0

    def _add_bsff_figures(self, figures, issues):
        groups = self.env["hvac.bsff"]._read_group(
            self._bsff_domain(), ["refrigerant_id", "destination_partner_id"], ["weight_kg:sum", "id:array_agg"]
        )
        distributors = (
            self.env["res.partner"].browse({p.id for _f, p, _w, _i in groups if p}).filtered("hvac_fluid_distributor")
        )
        for fluid, destination, weight, ids in groups:
            if not fluid:
                names = self.env["hvac.bsff"].browse(ids).mapped("name")
                issues.append(self.env._("BSFF without fluid, not counted: %s", ", ".join(names)))
                continue
            key = "handed_distributor_kg" if destination in distributors else "handed_treatment_kg"
            figures[fluid.id][key] += weight or 0.0

    def _add_stock_figures(self, figures, issues):
        """Stock in our containers on 1 January of the year and of the next one: initial weight
        (once weighed) + recovered into − charged from (done fiches) − handed over on a BSFF."""
        start, end = self.date_from, date(self.year + 1, 1, 1)
        containers = (
            self.env["hvac.container"]
            .with_context(active_test=False)
            .search_read(
                [("company_id", "=", self.company_id.id)],
                ["refrigerant_id", "initial_weight_kg", "registered_on", "name"],
                load=None,
            )
        )
        moves_start, moves_end = self._container_moves_before(start), self._container_moves_before(end)
        handed_start, handed_end = self._container_handed_before(start), self._container_handed_before(end)
        first_moves = self._container_first_move_dates()
        to_fix = []
        for container in containers:
            cid, fluid_id = container["id"], container["refrigerant_id"]
            registered = container["registered_on"]
            first = first_moves.get(cid)
            moved = first is not None
            if not fluid_id and (container["initial_weight_kg"] or moved):
                to_fix.append(cid)
                issues.append(
                    self.env._("Container %s holds fluid but has no fluid set: not counted.", container["name"])
                )
                continue
            if first and registered and first < registered and first < end and registered > start:
                # Fluid moved before the container was weighed: its content on 1 January is unknown.
                to_fix.append(cid)
                issues.append(
                    self.env._(
                        "Container %(name)s: movements on %(first)s before it was weighed on %(registered)s; its stock at the"
                        " start of the year is unknown, not counted.",
                        name=container["name"],
                        first=format_date(self.env, first),
                        registered=format_date(self.env, registered),
                    )
                )
                continue
            if not fluid_id:
                continue
            for date_limit, moves, handed, key in (
                (start, moves_start, handed_start, "stock_start_kg"),
                (end, moves_end, handed_end, "stock_end_kg"),
            ):
                initial = container["initial_weight_kg"] if registered and registered < date_limit else 0.0
                figures[fluid_id][key] += initial + moves.get(cid, 0.0) - handed.get(cid, 0.0)
        return to_fix

    def _container_moves_before(self, date_limit):
        """Net fluid put into each container by done fiches dated before ``date_limit``."""
        net = defaultdict(float)
        for container, direction, quantity in self.env["hvac.container.move"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("intervention_id.state", "=", "done"),
                ("intervention_id.date", "<", date_limit),
            ],
            ["container_id", "direction"],
            ["quantity_kg:sum"],
        ):
            net[container.id] += quantity if direction == "fill" else -quantity
        return net

    def _container_handed_before(self, date_limit):
        rows = self.env["hvac.bsff.packaging"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("container_id", "!=", False),
                ("bsff_id.transport_taken_over_at", "<", datetime.combine(date_limit, time.min)),
            ],
            ["container_id"],
            ["weight_kg:sum"],
        )
        return {container.id: weight for container, weight in rows}

    def _container_first_move_dates(self):
        self.env["hvac.container.move"].flush_model()
        self.env["hvac.intervention"].flush_model(["date", "state"])
        self.env.cr.execute(
            """SELECT m.container_id, MIN(i.date) FROM hvac_container_move m
               JOIN hvac_intervention i ON i.id = m.intervention_id
               WHERE m.company_id = %s AND i.state = 'done' GROUP BY m.container_id""",
            [self.company_id.id],
        )
        return dict(self.env.cr.fetchall())

    def _report_lang(self):
        """Declared to a French body: printed in French whenever French is installed."""
        return "fr_FR" if self.env["res.lang"]._lang_get("fr_FR") else self.env.lang

    # --- drill-down and exports
    def action_open_issue_containers(self):
        self.ensure_one()
        self._check_manager()
        action = self.env["ir.actions.act_window"]._for_xml_id("hvac_connect.hvac_container_action")
        action["domain"] = [
            ("id", "in", self.issue_container_ids.ids),
            "|",
            ("active", "=", True),
            ("active", "=", False),
        ]
        return action

    def action_print(self):
        self._check_manager()
        return self.env.ref("hvac_connect.action_report_hvac_fluid_balance").report_action(self, config=False)

    def action_export_xlsx(self):
        self.ensure_one()
        self._check_manager()
        if not self.computed_at:
            raise UserError(self.env._("Compute the balance before exporting it."))
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"bilan_fluides_{self.year}_{self.company_id.name}.xlsx".replace(" ", "_"),
                "raw": self._xlsx_content(),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    def _xlsx_headers(self):
        return [
            "Fluide",
            "Stock au 1er janvier (kg)",
            "Chargé – vierge (kg)",
            "Chargé – recyclé (kg)",
            "Chargé – régénéré (kg)",
            "Récupéré pour traitement (kg)",
            "Récupéré pour réutilisation (kg)",
            "Remis aux distributeurs (kg)",
            "Remis aux centres de traitement (kg)",
            "Stock au 31 décembre (kg)",
        ]

    def _xlsx_rows(self):
        keys = (
            "stock_start_kg",
            "charged_virgin_kg",
            "charged_recycled_kg",
            "charged_reclaimed_kg",
            "recovered_treatment_kg",
            "recovered_reuse_kg",
            "handed_distributor_kg",
            "handed_treatment_kg",
            "stock_end_kg",
        )
        return [[line.refrigerant_id.name] + [line[key] for key in keys] for line in self.line_ids]

    def _xlsx_content(self):
        """French sheet, as the certifying bodies ask: one row per fluid, quantities in kg."""
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet("Bilan")
        bold = workbook.add_format({"bold": True})
        header = workbook.add_format({"bold": True, "text_wrap": True, "border": 1, "bg_color": "#D9E1F2"})
        number = workbook.add_format({"num_format": "0.000", "border": 1})
        sheet.write(0, 0, f"Bilan annuel des fluides frigorigènes {self.year}", bold)
        sheet.write(1, 0, f"Opérateur : {self.company_id.name} – SIRET {self.company_id.siret or ''}")
        sheet.write(2, 0, f"Attestation de capacité : {self.capacity_number or ''}")
        for col, title in enumerate(self._xlsx_headers()):
            sheet.write(4, col, title, header)
        sheet.set_column(0, 0, 16)
        sheet.set_column(1, 9, 16)
        for row, values in enumerate(self._xlsx_rows(), start=5):
            sheet.write(row, 0, values[0], number)
            for col, value in enumerate(values[1:], start=1):
                sheet.write_number(row, col, value, number)
        if self.issues:
            issue_row = 6 + len(self.line_ids)
            sheet.write(issue_row, 0, "À corriger", bold)
            for offset, text in enumerate(self.issues.splitlines(), start=1):
                sheet.write(issue_row + offset, 0, text)
        workbook.close()
        return output.getvalue()
