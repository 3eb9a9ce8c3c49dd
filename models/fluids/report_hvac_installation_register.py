from odoo import api, models


class ReportHvacConnectReportHvacInstallationRegister(models.AbstractModel):
    """The register's rendering values. Printed with a period (``data``), the web client asks for
    ``/report/pdf/<report>?options=...`` without the records' ids in the path: they travel in the
    options (``ids``), as Odoo's own wizard reports do."""

    _name = "report.hvac_connect.report_hvac_installation_register"
    _description = "Installation register report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        ids = docids or data.get("ids") or (data.get("context") or {}).get("active_ids") or []
        return {
            "doc_ids": ids,
            "doc_model": "hvac.installation",
            "docs": self.env["hvac.installation"].browse(ids),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
