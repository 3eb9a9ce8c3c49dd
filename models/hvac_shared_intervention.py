from odoo import api, fields, models

SHARED_STATES = ("available", "processed")
INTERVENTION_PATH = "/hvac/share/v1/share/intervention"


class HvacSharedIntervention(models.Model):
    """An intervention another company recorded on an installation we share with it."""

    _name = "hvac.shared.intervention"
    _description = "Intervention recorded by a sharing partner"
    _order = "date desc, id desc"

    installation_id = fields.Many2one("hvac.installation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="installation_id.company_id", store=True)
    author_company = fields.Char("Recorded by", required=True)
    number = fields.Char("Fiche number", required=True)
    date = fields.Date(required=True)
    nature = fields.Selection(lambda self: self.env["hvac.intervention"]._fields["nature"].selection)
    charged_kg = fields.Float("Charged (kg)", digits=(10, 3))
    recovered_kg = fields.Float("Recovered (kg)", digits=(10, 3))
    idempotency_key = fields.Char(required=True, index=True)

    _sql_constraints = [("key_unique", "UNIQUE(idempotency_key)", "This intervention was already received.")]

    @api.model
    def _peer_targets(self, installation):
        """(connection, reference the peer knows the installation by), for each active share."""
        targets = []
        if installation.shared_from_share_id and installation.shared_from_share_id.state == "processed" and not installation.shared_revoked:
            targets.append((installation.shared_from_share_id.connection_id, installation.shared_from_ref))
        owned = self.env["hvac.share"].sudo().search([("side", "=", "owner"), ("state", "in", SHARED_STATES), ("installation_ids", "in", installation.ids)])
        targets += [(share.connection_id, installation.public_token) for share in owned]
        return [(c, ref) for c, ref in targets if c.state == "active"]

    @api.model
    def _send_done(self, fiches):
        for fiche in fiches:
            for connection, ref in self._peer_targets(fiche.installation_id):
                payload = {
                    "installation": ref, "author": fiche.company_id.name, "number": fiche.name, "date": str(fiche.date),
                    "nature": fiche.nature, "charged_kg": fiche.charged_total_kg, "recovered_kg": fiche.recovered_total_kg,
                }  # fmt: skip
                self.env["hvac.connection.outbox"].sudo()._queue(connection, INTERVENTION_PATH, payload)

    @api.model
    def _receive(self, connection, payload):
        """Record a peer's intervention, only on an installation shared over this connection."""
        Installation = self.env["hvac.installation"].sudo()
        installation = Installation.search([("shared_from_ref", "=", payload["installation"]), ("shared_from_share_id.connection_id", "=", connection.id), ("shared_revoked", "=", False)], limit=1)
        if not installation:
            owned = self.env["hvac.share"].sudo().search([("connection_id", "=", connection.id), ("side", "=", "owner"), ("state", "in", SHARED_STATES)])
            installation = owned.installation_ids.filtered(lambda i: i.public_token == payload["installation"])[:1]
        if not installation:
            return None
        key = payload.get("idempotency_key")
        existing = self.sudo().search([("idempotency_key", "=", key)], limit=1)
        return existing or self.sudo().create({
            "installation_id": installation.id, "author_company": payload["author"], "number": payload["number"], "date": payload["date"],
            "nature": payload.get("nature"), "charged_kg": payload.get("charged_kg", 0.0), "recovered_kg": payload.get("recovered_kg", 0.0),
            "idempotency_key": key,
        })  # fmt: skip


class HvacInterventionShared(models.Model):
    _inherit = "hvac.intervention"

    def action_done(self):
        drafts = self.filtered(lambda f: f.state == "draft")
        res = super().action_done()
        # Interventions on a shared installation reach the other side (research domain.md §4.7).
        self.env["hvac.shared.intervention"]._send_done(drafts)
        return res
