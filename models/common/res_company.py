import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class ResCompany(models.Model):
    _inherit = "res.company"

    # Our own SIRET goes on every BSFF and Chorus invoice: the same warning as partners.
    hvac_siret_warning = fields.Char(related="partner_id.hvac_siret_warning")

    @api.model
    def _hvac_demo_siret(self, company_ids, siret):
        """Demo data only: the company's SIRET, also beside OCA's l10n_fr_siret, where it is
        computed from the SIREN and the NIC and read-only on the company."""
        for company in self.browse(company_ids):
            if "siren" in company._fields and "nic" in company._fields:
                company.write({"siren": siret[:9], "nic": siret[9:]})
            else:
                company.siret = siret

    @api.model
    def _hvac_demo_french(self, company_ids):
        """Demo data only: the demo company invoices in euros.

        Odoo refuses a new currency once the company has journal items, and the generic
        accounting demo (US customers, dollars) is loaded before this module's demo. Those
        entries are demo entries: they are removed, then the currency changes. If anything
        refuses, the company keeps its currency (logged) rather than failing the install.
        """
        euro = self.env.ref("base.EUR")
        for company in self.browse(company_ids).filtered(lambda c: c.currency_id != euro):
            try:
                with self.env.cr.savepoint():
                    company._hvac_demo_drop_accounting()
                    euro.active = True
                    company.currency_id = euro
            except Exception as error:  # noqa: BLE001 - demo data must not block the install
                _logger.info("Demo company %s keeps its currency: %s", company.name, error)
        for company in self.browse(company_ids).filtered(lambda c: c.chart_template != "fr"):
            company._hvac_demo_french_chart()

    def _hvac_demo_french_chart(self):
        """Demo data only: the French chart of accounts (plan comptable général, French VAT).

        ``account`` chose the generic chart for the main company when it was installed, before
        the demo made the company French, and loads it once every module is loaded: the French
        chart is loaded now instead, so that the demo invoices that follow have their journal
        and taxes.
        """
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                # _load, not try_loading: the latter warns when called before the registry is
                # loaded, which is when demo data runs (the chart loads the same way).
                self.env["account.chart.template"]._load("fr", self, install_demo=False)
        except Exception as error:  # noqa: BLE001 - demo data must not block the install
            _logger.info("Demo company %s keeps its chart of accounts: %s", self.name, error)
            return
        if self == self.env.company and hasattr(self.env.registry, "_auto_install_template"):
            del self.env.registry._auto_install_template  # the pending generic chart

    def _hvac_demo_drop_accounting(self):
        """Remove the journal entries of the (demo) company: payments, statements, moves."""
        self.ensure_one()
        env = self.env(su=True)
        domain = [("company_id", "=", self.id)]
        moves = env["account.move"].search(domain)
        moves.line_ids.remove_move_reconcile()
        env["account.payment"].search(domain).unlink()
        env["account.bank.statement.line"].search(domain).unlink()
        env["account.bank.statement"].search(domain).unlink()
        moves = moves.exists()
        moves.filtered(lambda m: m.state != "draft").button_draft()
        moves.with_context(force_delete=True).unlink()
