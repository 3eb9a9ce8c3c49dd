from odoo import api, fields, models
from odoo.exceptions import UserError


class HvacShareProcess(models.TransientModel):
    """Process a received share: each customer onto an existing customer or a new one; sites
    and installations are created under it. Only installations stay linked to the owner's."""

    _name = "hvac.share.process"
    _description = "Process a received share"

    share_id = fields.Many2one("hvac.share", required=True, readonly=True)
    line_ids = fields.One2many("hvac.share.process.line", "wizard_id", "Customers")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        share = self.env["hvac.share"].browse(values.get("share_id") or self.env.context.get("default_share_id"))
        customers = {}
        for inst in share._received_installations():
            customers.setdefault(inst["customer"]["ref"], inst["customer"])
        lines = []
        for ref, customer in customers.items():
            # Proposed match: the same SIRET among our customers.
            match = customer["siret"] and self.env["res.partner"].search([("siret", "=", customer["siret"])], limit=1)
            lines.append(fields.Command.create({"customer_ref": ref, "customer_name": customer["name"], "partner_id": match.id if match else False}))
        values["line_ids"] = lines
        return values

    def action_process(self):
        self.ensure_one()
        share = self.share_id
        if share.side != "requester" or share.state != "available":
            raise UserError(self.env._("Only an available share we asked for can be processed."))
        partners = {line.customer_ref: line._partner() for line in self.line_ids}
        sites, created = {}, self.env["hvac.installation"]
        fluids = {f.name: f for f in self.env["hvac.refrigerant"].search([])}
        for inst in share._received_installations():
            site = sites.get(inst["site"]["ref"])
            if not site:
                site = sites[inst["site"]["ref"]] = self.env["hvac.site"].create({
                    "name": inst["site"]["name"], "partner_id": partners[inst["customer"]["ref"]].id,
                    "street": inst["site"]["street"], "zip": inst["site"]["zip"], "city": inst["site"]["city"],
                })  # fmt: skip
            created |= self.env["hvac.installation"].create({
                "name": inst["name"], "building_id": site.building_ids[:1].id, "brand": inst["brand"], "model": inst["model"],
                "serial_number": inst["serial_number"], "refrigerant_id": fluids[inst["refrigerant"]].id, "charge_kg": inst["charge_kg"],
                "hermetic": inst["hermetic"], "leak_detection_system": inst["leak_detection_system"],
                "shared_from_share_id": share.id, "shared_from_ref": inst["ref"],
            })  # fmt: skip
        share.sudo().state = "processed"
        share.message_post(body=self.env._("Processed: %s installations imported.", len(created)))
        return {"type": "ir.actions.act_window", "res_model": "hvac.installation", "view_mode": "list,form", "domain": [("id", "in", created.ids)]}


class HvacShareProcessLine(models.TransientModel):
    _name = "hvac.share.process.line"
    _description = "Customer mapping of a received share"

    wizard_id = fields.Many2one("hvac.share.process", required=True, ondelete="cascade")
    customer_ref = fields.Char(required=True)
    customer_name = fields.Char("Their customer", required=True)
    partner_id = fields.Many2one("res.partner", "Our customer", help="Empty: a new customer is created.")

    def _partner(self):
        return self.partner_id or self.env["res.partner"].create({"name": self.customer_name, "is_company": True})
