from dateutil.relativedelta import relativedelta

from odoo import fields, models

# F-gas records are kept at least five years (Regulation (EU) 2024/573 Art. 7).
REGISTER_DEFAULT_YEARS = 5


class HvacInstallation(models.Model):
    """The holder's register: every fiche, leak check, charge and recovery of a period."""

    _inherit = "hvac.installation"
    # Technicians only read installations, yet they send the register and the leak-check notice.
    _mail_post_access = "read"

    def _register_period(self, date_from=None, date_to=None):
        date_to = fields.Date.to_date(date_to) or fields.Date.context_today(self)
        date_from = fields.Date.to_date(date_from) or date_to - relativedelta(years=REGISTER_DEFAULT_YEARS)
        return date_from, date_to

    def _register_fiches(self, date_from, date_to):
        return self.env["hvac.intervention"].search(
            [
                ("installation_id", "=", self.id),
                ("state", "=", "done"),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            order="date, id",
        )

    def _register_totals(self, fiches):
        return {
            "charged": sum(fiches.mapped("charged_total_kg")),
            "recovered": sum(fiches.mapped("recovered_total_kg")),
            "checks": len(fiches.filtered("leak_check")),
            "leaks": len(fiches.filtered("leaks_found")),
        }

    def _report_lang(self):
        """The holder is French: the register prints in French whenever French is installed."""
        return "fr_FR" if self.env["res.lang"]._lang_get("fr_FR") else self.env.lang

    def action_print_register(self):
        """The register of the last five years, or of the period in the context (``date_from``,
        ``date_to``)."""
        report = self.env.ref("hvac_connect.action_report_hvac_installation_register")
        context = self.env.context
        # config=False: printing never stops on Odoo's document-layout dialog (the standard layout
        # is used until the company picks one in Settings).
        if not (context.get("date_from") or context.get("date_to")):
            return report.report_action(self, config=False)
        date_from, date_to = self._register_period(context.get("date_from"), context.get("date_to"))
        # With ``data`` the web client leaves the ids out of the report's URL: they go in it.
        data = {
            "ids": self.ids,
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
        }
        return report.report_action(self, data=data, config=False)

    def action_send_register(self):
        """Open the composer with the register attached, addressed to the holder."""
        return self._hvac_composer(
            "hvac_connect.mail_template_installation_register", self.env._("Send the register to the holder")
        )
