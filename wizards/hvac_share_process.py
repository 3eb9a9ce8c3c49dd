from odoo import api, fields, models
from odoo.exceptions import UserError


class HvacShareProcess(models.TransientModel):
    """Process a received share: map what was received onto our records to avoid duplicates
    (seeds 001 and 003), then import in the background.

    By the level granted: a customer onto one of ours or a new one; a location onto one of our
    locations, or under one of our customers, or new; an installation into one of our buildings,
    or a new location. Matches are proposed (same SIRET, same serial number)."""

    _name = "hvac.share.process"
    _description = "Process a received share"

    share_id = fields.Many2one("hvac.share", required=True, readonly=True)
    level = fields.Selection(related="share_id.level")
    line_ids = fields.One2many("hvac.share.process.line", "wizard_id", "What was received")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        share = self.env["hvac.share"].browse(values.get("share_id") or self.env.context.get("default_share_id"))
        received = share._received_installations()
        lines = {"customer": self._customer_lines, "location": self._location_lines}.get(share.level, self._installation_lines)(received)
        values["line_ids"] = [fields.Command.create(line) for line in lines]
        return values

    def _partners_by_siret(self, received):
        sirets = {inst["customer"]["siret"] for inst in received if inst["customer"]["siret"]}
        partners = self.env["res.partner"].search([("siret", "in", list(sirets))]) if sirets else self.env["res.partner"]
        # Our company's own customer first, then one shared by every company of the database.
        ranked = partners.sorted(lambda p: (p.company_id != self.env.company, p.id))
        found = {}
        for partner in ranked:
            found.setdefault(partner.siret, partner.id)
        return found

    def _customer_lines(self, received):
        by_siret, lines = self._partners_by_siret(received), {}
        for inst in received:
            customer = inst["customer"]
            lines.setdefault(customer["ref"], {"kind": "customer", "ref": customer["ref"], "received_name": customer["name"], "partner_id": by_siret.get(customer["siret"])})
        return list(lines.values())

    def _location_lines(self, received):
        by_siret, lines = self._partners_by_siret(received), {}
        for inst in received:
            site, customer = inst["site"], inst["customer"]
            label = f"{customer['name']} / {site['name']} ({site['zip']} {site['city']})".strip()
            lines.setdefault(site["ref"], {"kind": "location", "ref": site["ref"], "received_name": label, "partner_id": by_siret.get(customer["siret"])})
        return list(lines.values())

    def _installation_lines(self, received):
        serials = [inst["serial_number"] for inst in received if inst["serial_number"]]
        ours = self.env["hvac.installation"].search([("serial_number", "in", serials), ("shared_from_share_id", "=", False)]) if serials else []
        building_of = {inst.serial_number: inst.building_id.id for inst in ours}
        return [
            {"kind": "installation", "ref": inst["ref"], "received_name": f"{inst['customer']['name']} / {inst['site']['name']} / {inst['name']}", "building_id": building_of.get(inst["serial_number"])}
            for inst in received
        ]  # fmt: skip

    def action_process(self):
        self.ensure_one()
        share = self.share_id
        if share.side != "requester" or share.state != "available" or share.processing_queued:
            raise UserError(self.env._("Only an available share we asked for, not being processed yet, can be processed."))
        if not all(self.env[model].has_access("create") for model in ("res.partner", "hvac.site", "hvac.installation")):
            raise UserError(self.env._("Processing a share creates customers, locations and installations: it needs the rights Installations: Manager and Contact Creation."))
        if len(share.received_page_ids) < share.page_count:
            raise UserError(self.env._("The share is still being received (%(have)s of %(total)s pages): try again in a moment.", have=len(share.received_page_ids), total=share.page_count))
        share._queue_processing(self._mapping())
        return {"type": "ir.actions.act_window", "res_model": "hvac.share", "res_id": share.id, "view_mode": "form"}

    def _mapping(self):
        lines = self.line_ids
        customers = {line.ref: line.partner_id.id for line in lines if line.kind == "customer"}
        if self.level == "installation":
            # No customer to choose at this level: a new location goes under ours of the same SIRET.
            received = self.share_id._received_installations()
            by_siret = self._partners_by_siret(received)
            customers = {inst["customer"]["ref"]: by_siret[inst["customer"]["siret"]] for inst in received if inst["customer"]["siret"] in by_siret}
        return {
            "customers": customers,
            "sites": {line.ref: {"partner_id": line.partner_id.id, "site_id": line.site_id.id} for line in lines if line.kind == "location"},
            "installations": {line.ref: line.building_id.id for line in lines if line.kind == "installation"},
        }


class HvacShareProcessLine(models.TransientModel):
    _name = "hvac.share.process.line"
    _description = "Mapping of received share data"

    wizard_id = fields.Many2one("hvac.share.process", required=True, ondelete="cascade")
    kind = fields.Selection([("customer", "Customer"), ("location", "Location"), ("installation", "Installation")], required=True)
    ref = fields.Char(required=True)
    received_name = fields.Char("Received", required=True)
    partner_id = fields.Many2one("res.partner", "Our customer", help="Empty: a new customer is created.")
    site_id = fields.Many2one("hvac.site", "Our location", domain="[('partner_id', '=?', partner_id)]", help="Empty: a new location is created.")
    building_id = fields.Many2one("hvac.building", "Our building", help="Empty: a new location is created, as theirs.")
