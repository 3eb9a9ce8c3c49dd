from odoo import fields, models

from ...clients.share_schema import InvalidInput
from .hvac_share_resharing import GRANTED_STATES

PROPERTIES_PATH = "/hvac/share/v1/share/installation"
# What describes the equipment itself, which its owner keeps up to date for every recipient.
# Where it stands (customer, location, building) is each side's own: it does not travel.
SYNCED_FIELDS = (
    "name",
    "category",
    "brand",
    "model",
    "serial_number",
    "commissioning_date",
    "refrigerant_id",
    "charge_kg",
    "hermetic",
    "leak_detection_system",
)


ACTIVE_STATES = ("available", "processed")


class HvacInstallation(models.Model):
    """The owner's edits of an installation's properties reach every company it is shared with,
    while the share is active, through the outbox (kept while the peer is down, sent once)."""

    _inherit = "hvac.installation"

    def _hvac_on_behalf(self):
        """The details of the company we work for on this installation, when its share says so:
        only while the access lasts (a revoked share no longer lends its name)."""
        self.ensure_one()
        share = self.sudo().shared_from_share_id
        if not share or self.shared_revoked or share.state not in ACTIVE_STATES or not share.our_details_on_documents:
            return False
        return share.owner_details or {"name": share.peer_company_name, "siret": share.connection_id.peer_siret or ""}

    def write(self, vals):
        res = super().write(vals)
        if any(name in vals for name in SYNCED_FIELDS):
            self._send_properties()
        return res

    def _share_properties(self):
        self.ensure_one()
        return {
            "name": self.name,
            "category": self.category,
            "brand": self.brand or "",
            "model": self.model or "",
            "serial_number": self.serial_number or "",
            "commissioning_date": fields.Date.to_string(self.commissioning_date) or "",
            "refrigerant": self.refrigerant_id.name,
            "charge_kg": self.charge_kg,
            "hermetic": self.hermetic,
            "leak_detection_system": self.leak_detection_system,
        }

    def _send_properties(self):
        owned = (
            self.env["hvac.share"]
            .sudo()
            .search([("side", "=", "owner"), ("state", "in", GRANTED_STATES), ("installation_ids", "in", self.ids)])
        )
        for share in owned.filtered(lambda s: s.connection_id.state == "active"):
            for installation in self & share.installation_ids:
                payload = {
                    "share": share.peer_share_id,
                    "installation": installation.public_token,
                    "values": installation._share_properties(),
                }
                self.env["hvac.connection.outbox"].sudo()._queue(share.connection_id, PROPERTIES_PATH, payload)

    def _receive_properties(self, values):
        """Requester side: apply the owner's values (the same values twice change nothing). A fluid
        we do not know refuses the whole edit: half of it applied would leave the copy's charge
        beside the wrong fluid."""
        fluid = self.env["hvac.refrigerant"].sudo().search([("name", "=", values.get("refrigerant"))], limit=1)
        if not fluid:
            raise InvalidInput("values.refrigerant", "unknown refrigerant")
        update = {name: values[name] for name in SYNCED_FIELDS if name in values and name != "refrigerant_id"}
        update["commissioning_date"] = update.get("commissioning_date") or False
        update["refrigerant_id"] = fluid.id
        current = self._share_properties()
        changed = {
            name: value
            for name, value in update.items()
            if (current.get(name) if name != "refrigerant_id" else self.refrigerant_id.id) != value
        }
        if changed:
            self.sudo().write(changed)
        return changed
