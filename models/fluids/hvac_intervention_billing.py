"""What a fiche d'intervention bills, and the customer invoices made from done fiches.

Products and prices are Odoo's: the labour, travel and fluid-handling products of the company
(Settings), a product per kind of fluid on the refrigerant, parts as product lines; each line
is priced by the customer's pricelist as sale prices an order line. An invoice line knows its
fiche (``account.move.line.hvac_intervention_id``), as a sale order line knows its invoice
lines: a fiche is invoiced while its invoices outnumber, line for line, the posted credit notes
that reverse them.
"""

from collections import defaultdict
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import float_is_zero, format_date

from ..common.hvac_lifecycle_mixin import hvac_protected_path
from .hvac_intervention import BILLING_FIELDS

INVOICING_GROUP = "account.group_account_invoice"
BILLING_TYPES = [("time", "Time spent"), ("flat", "Flat fee"), ("none", "Nothing to invoice")]
INVOICE_STATES = [("none", "Nothing to invoice"), ("to_invoice", "To invoice"), ("invoiced", "Invoiced")]
# Cadre 11 of the Cerfa: the kinds of fluid charged, each billed with its own product.
CHARGED_KINDS = [
    ("virgin", "charged_virgin_kg", "product_virgin_id"),
    ("recycled", "charged_recycled_kg", "product_recycled_id"),
    ("reclaimed", "charged_reclaimed_kg", "product_reclaimed_id"),
]


class HvacIntervention(models.Model):
    _inherit = "hvac.intervention"

    billing_type = fields.Selection(
        BILLING_TYPES,
        "Invoicing",
        default="time",
        required=True,
        tracking=True,
        help="Time spent: time on site and travel. Flat fee: one product instead. Either way the fluid charged, "
        "the recovered fluid taken back and the parts are billed too. Nothing to invoice: under warranty, "
        "included in a contract, or invoiced outside Odoo.",
    )
    labour_hours = fields.Float("Time on site (h)", digits=(10, 2))
    travel_billed = fields.Boolean(
        "Travel", default=True, help="One trip, at the price of the travel product of Settings › HVAC Connect."
    )
    flat_fee_product_id = fields.Many2one(
        "product.product", "Flat fee", check_company=True, domain=[("sale_ok", "=", True)]
    )
    line_ids = fields.One2many("hvac.intervention.line", "intervention_id", "Parts and consumables", copy=True)
    invoice_line_ids = fields.One2many(
        "account.move.line", "hvac_intervention_id", "Invoice lines", readonly=True, groups=INVOICING_GROUP
    )
    invoice_state = fields.Selection(
        INVOICE_STATES, "Invoice status", compute="_compute_invoice_state", store=True, index=True, copy=False
    )
    invoice_count = fields.Integer("Invoices", compute="_compute_invoice_count", groups=INVOICING_GROUP)

    _sql_constraints = [
        ("labour_hours_positive", "CHECK(labour_hours >= 0)", "The time on site cannot be negative."),
    ]

    @api.depends(
        "state",
        "billing_type",
        "invoice_line_ids.display_type",
        "invoice_line_ids.move_id.state",
        "invoice_line_ids.move_id.move_type",
    )
    def _compute_invoice_state(self):
        balance = self._hvac_invoiced_balance()
        for fiche in self:
            if balance[fiche.id] > 0:
                fiche.invoice_state = "invoiced"
            elif fiche.state == "done" and fiche.billing_type != "none":
                fiche.invoice_state = "to_invoice"
            else:
                fiche.invoice_state = "none"

    def _hvac_invoiced_balance(self):
        """Per fiche: its product lines on invoices not cancelled, less those on posted credit notes.
        A credit note frees the fiche only once posted, and only when it reverses every line."""
        balance = defaultdict(int)
        for line in self.sudo().invoice_line_ids:
            move = line.move_id
            if line.display_type != "product":
                continue
            if move.move_type == "out_invoice" and move.state != "cancel":
                balance[line.hvac_intervention_id.id] += 1
            elif move.move_type == "out_refund" and move.state == "posted":
                balance[line.hvac_intervention_id.id] -= 1
        return balance

    def _compute_invoice_count(self):
        for fiche in self:
            fiche.invoice_count = len(fiche.invoice_line_ids.move_id)

    # --- locks -------------------------------------------------------------------------------
    def write(self, vals):
        if BILLING_FIELDS & set(vals):
            self._hvac_check_billing_open()
        return super().write(vals)

    def _hvac_check_billing_open(self):
        """An invoiced fiche bills what its invoice says: a credit note frees it first."""
        if self._hvac_trusted():
            return
        invoiced = self.filtered(lambda fiche: fiche.invoice_state == "invoiced")
        if invoiced:
            raise UserError(
                self.env._(
                    "%(fiches)s is invoiced: what it bills can no longer change (a credit note reversing its"
                    " invoice frees it).",
                    fiches=", ".join(invoiced.mapped("display_name")),
                )
            )

    def action_cancel(self):
        invoiced = self.filtered(lambda fiche: fiche.invoice_state == "invoiced")
        if invoiced:
            raise UserError(
                self.env._(
                    "%(fiches)s is invoiced: reverse its invoice with a credit note before cancelling it.",
                    fiches=", ".join(invoiced.mapped("display_name")),
                )
            )
        return super().action_cancel()

    # --- actions -------------------------------------------------------------------------------
    def _hvac_check_invoicing_right(self):
        if not self.env.user.has_group(INVOICING_GROUP):
            raise AccessError(self.env._("Only users who may invoice (Accounting: Invoicing) invoice fiches."))

    def action_invoice(self):
        """Open the invoicing of these fiches (Facturer)."""
        self._hvac_check_invoicing_right()
        return self.env["hvac.intervention.invoice"]._hvac_open(self)

    def action_invoice_contracts(self):
        """The monthly batch: every done fiche to invoice of a contract customer, up to the end of
        last month (a list button shown without a selection: the records it is called on do not count)."""
        self._hvac_check_invoicing_right()
        end = fields.Date.context_today(self).replace(day=1) - timedelta(days=1)
        fiches = self.browse().search(
            [
                ("invoice_state", "=", "to_invoice"),
                ("date", "<=", end),
                ("partner_id.commercial_partner_id.hvac_invoice_monthly", "=", True),
            ]
        )
        if not fiches:
            raise UserError(
                self.env._(
                    "No done fiche of a contract customer is left to invoice up to %(date)s.",
                    date=format_date(self.env, end),
                )
            )
        return self.env["hvac.intervention.invoice"]._hvac_open(fiches)

    def action_view_invoices(self):
        self.ensure_one()
        invoices = self.invoice_line_ids.move_id
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"create": False}
        if len(invoices) == 1:
            action.update(views=[(False, "form")], res_id=invoices.id)
        return action

    # --- invoicing -----------------------------------------------------------------------------
    def _hvac_lock_for_invoicing(self):
        """Row locks, then the state read again: two offices invoicing the same fiche at once
        make one invoice, and the second is told why."""
        if not self:
            return
        # Read before: once the lock is refused, the transaction answers no more query.
        refusal = self.env._("These fiches are being invoiced by someone else right now: try again in a moment.")
        try:
            # A refusal, not a bad query: no ERROR line in the log.
            self.env.cr.execute(
                "SELECT id FROM hvac_intervention WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                [tuple(self.ids)],
                log_exceptions=False,
            )
        except pg_errors.LockNotAvailable:
            raise UserError(refusal) from None
        self.invalidate_recordset(["invoice_state"])
        not_to_invoice = self.filtered(lambda fiche: fiche.invoice_state != "to_invoice")
        if not_to_invoice:
            labels = dict(self._fields["invoice_state"]._description_selection(self.env))
            raise UserError(
                self.env._("Only done fiches still to invoice can be invoiced:")
                + "\n• "
                + "\n• ".join(f"{fiche.display_name}: {labels[fiche.invoice_state]}" for fiche in not_to_invoice)
            )

    def _hvac_invoice_key(self):
        """Fiches of one key go on one invoice: same company and customer (the Chorus area adds
        the service and the engagement)."""
        self.ensure_one()
        return (self.company_id.id, self.partner_id.commercial_partner_id.id)

    def _hvac_invoice_groups(self):
        """{key: fiches} of the invoices these fiches make, fiches in date order."""
        groups = defaultdict(lambda: self.browse())
        for fiche in self.sorted(lambda f: (f.date, f.name, f.id)):
            groups[fiche._hvac_invoice_key()] |= fiche
        return groups

    def _hvac_invoice_header(self):
        """The invoice of these fiches (one key), without its lines."""
        first = self[:1]
        buyer = first.partner_id.commercial_partner_id
        return {
            "move_type": "out_invoice",
            "company_id": first.company_id.id,
            "partner_id": buyer.address_get(["invoice"])["invoice"],
            "invoice_origin": ", ".join(self.sorted(lambda f: (f.date, f.name)).mapped("name"))[:2000],
            "invoice_user_id": self.env.uid,
            "hvac_annex_fiches": buyer.hvac_annex_fiches,
        }

    @api.model
    def _hvac_billing_setup(self, company):
        """What every fiche of ``company`` is billed with: its products, and the units and unit
        categories they are checked against (resolved once, not per fiche)."""
        ref = self.env.ref
        return {
            "labour": company.hvac_labour_product_id,
            "travel": company.hvac_travel_product_id,
            "recovery": company.hvac_recovery_product_id,
            "hour": ref("uom.product_uom_hour"),
            "kg": ref("uom.product_uom_kgm"),
            "time": ref("uom.uom_categ_wtime"),
            "weight": ref("uom.product_uom_categ_kgm"),
            "unit": ref("uom.product_uom_categ_unit"),
        }

    def _hvac_billed_items(self, setup):
        """[(product, quantity, unit, description)] this fiche bills, and the problems that stop it;
        ``setup`` is its company's ``_hvac_billing_setup``."""
        self.ensure_one()
        _ = self.env._
        labour, travel = setup["labour"], setup["travel"]
        items, problems = [], []
        if self.billing_type == "none":
            return items, problems
        if self.billing_type == "flat":
            if self.flat_fee_product_id:
                items.append((self.flat_fee_product_id, 1.0, self.flat_fee_product_id.uom_id, None))
            else:
                problems.append(_("a flat fee is to be invoiced: choose its product (tab Invoicing)."))
        else:
            if not float_is_zero(self.labour_hours, precision_digits=2):
                if self._hvac_uom_fits(labour, setup["time"], _("Labour product"), problems):
                    items.append((labour, self.labour_hours, setup["hour"], None))
            if self.travel_billed:
                if travel:
                    items.append((travel, 1.0, travel.uom_id, None))
                else:
                    problems.append(_("travel is billed: set the travel product in Settings › HVAC Connect."))
        fluid = self.refrigerant_id.with_company(self.company_id)
        kinds = {"virgin": _("virgin"), "recycled": _("recycled"), "reclaimed": _("reclaimed")}
        for kind, quantity_field, product_field in CHARGED_KINDS:
            quantity = self[quantity_field]
            if float_is_zero(quantity, precision_digits=3):
                continue
            product = fluid[product_field]
            if not product:
                problems.append(
                    _(
                        "%(fluid)s (%(kind)s) is charged: choose its product on the fluid (Configuration › Refrigerants,"
                        " tab Invoicing).",
                        kind=kinds[kind],
                        fluid=fluid.name,
                    )
                )
            elif self._hvac_uom_fits(product, setup["weight"], product.display_name, problems):
                items.append((product, quantity, setup["kg"], None))
        items += self._hvac_recovery_item(setup, problems)
        items += [(line.product_id, line.quantity, line.product_uom_id, line.name) for line in self.line_ids]
        return items, problems

    def _hvac_recovery_item(self, setup, problems):
        """The handling of the fluid taken back: per kg, or per cylinder when its product is
        counted in units; not billed when the company has no such product."""
        recovery = setup["recovery"]
        if not recovery or float_is_zero(self.recovered_total_kg, precision_digits=3):
            return []
        if recovery.uom_id.category_id == setup["weight"]:
            return [(recovery, self.recovered_total_kg, setup["kg"], None)]
        cylinders = self.container_move_ids.filtered(lambda move: move.direction == "fill").container_id
        if recovery.uom_id.category_id == setup["unit"]:
            return [(recovery, float(len(cylinders) or 1), recovery.uom_id, None)]
        problems.append(
            self.env._(
                "the recovery product %(product)s is counted neither by weight nor by unit (cylinders).",
                product=recovery.display_name,
            )
        )
        return []

    def _hvac_uom_fits(self, product, category, label, problems):
        """Whether ``product`` can bill a quantity of that unit category (else a problem is noted)."""
        _ = self.env._
        if not product:
            problems.append(_("%(label)s: set it in Settings › HVAC Connect.", label=label))
            return False
        if product.uom_id.category_id != category:
            problems.append(
                _(
                    "%(product)s is sold in %(unit)s, which cannot count this quantity.",
                    product=product.display_name,
                    unit=product.uom_id.name,
                )
            )
            return False
        return True

    def _hvac_line_label(self, product, description):
        """What the invoice line says: the product (or the technician's description), then the
        fiche and the installation it comes from."""
        self.ensure_one()
        first = description or product.get_product_multiline_description_sale()
        return "\n".join(
            [
                first,
                self.env._(
                    "Fiche %(fiche)s of %(date)s – %(installation)s",
                    fiche=self.name,
                    date=format_date(self.env, self.date),
                    installation=self.installation_id.display_name,
                ),
            ]
        )

    @api.model
    def _hvac_prices(self, pricelist, items, currency, date):
        """Unit prices of [(product, quantity, unit)], as sale prices an order line
        (the pricelist's rule, then the rule's price), the pricelist's rules read once for all."""
        Rule = self.env["product.pricelist.item"]
        products = self.env["product.product"].union(*(product for product, _qty, _uom in items))
        rules = pricelist._get_applicable_rules(products, date) if pricelist else Rule
        prices = []
        for product, quantity, uom in items:
            in_product_uom = uom._compute_quantity(quantity, product.uom_id, raise_if_failure=False)
            rule = next((r for r in rules if r._is_applicable_for(product, in_product_uom)), Rule)
            prices.append(rule._compute_price(product, quantity, uom, date, currency=currency))
        return prices

    def _hvac_invoice_values(self):
        """One vals dict per invoice to create, fiches grouped by ``_hvac_invoice_key``; one
        UserError listing every problem of every fiche otherwise."""
        groups = self._hvac_invoice_groups()
        today = fields.Date.context_today(self)
        # one read for every fiche's parts, not one per invoice
        self.line_ids.mapped("product_uom_id")
        headers = {key: fiches._hvac_invoice_header() for key, fiches in groups.items()}
        setups, pricelists = {}, {}
        for company in self.company_id:
            setups[company] = self._hvac_billing_setup(company)
            # Odoo looks for analytic distribution models once per new invoice line: where the
            # company has none, the lines' distribution is known to be empty beforehand.
            setups[company]["analytic"] = bool(
                self.env["account.analytic.distribution.model"]
                .sudo()
                .search_count([("company_id", "in", (False, company.id))], limit=1)
            )
            # One computation of the customers' pricelists per company, not one per invoice.
            buyers = self.env["res.partner"].browse(
                {h["partner_id"] for h in headers.values() if h["company_id"] == company.id}
            )
            pricelists.update({(company, p.id): p.property_product_pricelist for p in buyers.with_company(company)})
        invoices, blocks = [], []
        for key, fiches in groups.items():
            company, header = fiches.company_id, headers[key]
            partner = self.env["res.partner"].browse(header["partner_id"]).with_company(company)
            pricelist = pricelists[company, partner.id]
            currency = pricelist.currency_id or company.currency_id
            fiscal_position = self.env["account.fiscal.position"].with_company(company)._get_fiscal_position(partner)
            billed = []
            for fiche in fiches:
                items, problems = fiche._hvac_billed_items(setups[company])
                if not items and not problems:
                    problems = [self.env._("it bills nothing (no time, travel, fluid or part).")]
                if problems:
                    blocks.append(
                        self.env._("Fiche %(fiche)s:", fiche=fiche.display_name) + "\n• " + "\n• ".join(problems)
                    )
                billed += [(fiche, item) for item in items]
            if blocks:
                continue
            prices = self._hvac_prices(pricelist, [item[:3] for _fiche, item in billed], currency, today)
            lines = []
            for (fiche, (product, quantity, uom, description)), price in zip(billed, prices, strict=True):
                taxes = product.taxes_id._filter_taxes_by_company(company)
                line = {
                    "product_id": product.id,
                    "name": fiche._hvac_line_label(product, description),
                    "quantity": quantity,
                    "product_uom_id": uom.id,
                    "price_unit": product._get_tax_included_unit_price_from_price(
                        price, taxes, fiscal_position=fiscal_position
                    ),
                    "hvac_intervention_id": fiche.id,
                }
                if not setups[company]["analytic"]:
                    line["analytic_distribution"] = False
                lines.append(Command.create(line))
            invoices.append(
                dict(
                    header,
                    currency_id=currency.id,
                    fiscal_position_id=fiscal_position.id,
                    invoice_line_ids=lines,
                )
            )
        if blocks:
            raise UserError(self.env._("These fiches cannot be invoiced yet:") + "\n\n" + "\n\n".join(blocks))
        return invoices

    def _hvac_create_invoices(self):
        """Draft customer invoices for these done fiches, one per customer (and per Chorus service
        and engagement), each line naming its fiche and installation."""
        self._hvac_check_invoicing_right()
        self.check_access("read")
        self._hvac_lock_for_invoicing()
        invoices = self.env["account.move"]
        values = self._hvac_invoice_values()
        by_company = defaultdict(list)
        for vals in values:
            by_company[vals["company_id"]].append(vals)
        # The fiche link on invoice lines is set only here and by a credit note's reversal.
        with hvac_protected_path():
            for company_id, vals_list in by_company.items():
                invoices |= self.env["account.move"].with_company(company_id).create(vals_list)
        invoices._hvac_fiche_invoices_created()
        return invoices
