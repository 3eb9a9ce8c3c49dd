from odoo import api, fields, models
from odoo.exceptions import UserError

from ...models.fluids.hvac_label_mixin import DEFAULT_LABEL_FORMAT, LABEL_FORMATS

REPORTS = {
    "hvac.installation": "hvac_connect.action_report_hvac_installation_label",
    "hvac.container": "hvac_connect.action_report_hvac_container_label",
}


class HvacLabelPrint(models.TransientModel):
    """Print the QR labels of the selected installations or containers on an A4 label sheet."""

    _name = "hvac.label.print"
    _description = "Print QR labels"

    label_format = fields.Selection(
        [(code, spec["name"]) for code, spec in LABEL_FORMATS.items()],
        "Label sheet",
        required=True,
        default=DEFAULT_LABEL_FORMAT,
    )
    skip = fields.Integer("Labels already used", help="Start after this many labels of a sheet already partly used.")
    installation_ids = fields.Many2many("hvac.installation", string="Installations")
    container_ids = fields.Many2many("hvac.container", string="Containers")
    count = fields.Integer("Labels", compute="_compute_count")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model, ids = self.env.context.get("active_model"), self.env.context.get("active_ids") or []
        if model == "hvac.installation" and "installation_ids" in fields_list:
            values["installation_ids"] = [(6, 0, ids)]
        elif model == "hvac.container" and "container_ids" in fields_list:
            values["container_ids"] = [(6, 0, ids)]
        return values

    @api.depends("installation_ids", "container_ids")
    def _compute_count(self):
        for wizard in self:
            wizard.count = len(wizard.installation_ids) + len(wizard.container_ids)

    def action_print(self):
        self.ensure_one()
        records = self.installation_ids or self.container_ids
        if not records:
            raise UserError(self.env._("Select the installations or the containers to label."))
        report = self.env.ref(REPORTS[records._name])
        return report.report_action(records, data={"label_format": self.label_format, "skip": self.skip})
