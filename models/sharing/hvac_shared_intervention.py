import psycopg2

from odoo import api, fields, models
from odoo.tools import mute_logger

from ...clients.share_protocol import ShareProtocolError

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
    # The fiche's natures, in the reader's language: a selection given by a function is not
    # translated by Odoo, so it returns the fiche field's translated labels.
    nature = fields.Selection(
        lambda self: self.env["hvac.intervention"]._fields["nature"]._description_selection(self.env)
    )
    charged_kg = fields.Float("Charged (kg)", digits=(10, 3))
    recovered_kg = fields.Float("Recovered (kg)", digits=(10, 3))
    idempotency_key = fields.Char(required=True, index=True)
    # The key is the peer's: unique per connection, so that one peer's keys never collide with another's.
    connection_id = fields.Many2one(
        "hvac.connection", "Received over", readonly=True, index="btree_not_null", ondelete="set null"
    )

    _sql_constraints = [
        ("key_unique", "UNIQUE(connection_id, idempotency_key)", "This intervention was already received.")
    ]

    @api.model
    def _peer_targets(self, installation):
        """(connection, reference the peer knows the installation by), for each active share."""
        targets = []
        if (
            installation.shared_from_share_id
            and installation.shared_from_share_id.state == "processed"
            and not installation.shared_revoked
        ):
            targets.append((installation.shared_from_share_id.connection_id, installation.shared_from_ref))
        owned = (
            self.env["hvac.share"]
            .sudo()
            .search(
                [("side", "=", "owner"), ("state", "in", SHARED_STATES), ("installation_ids", "in", installation.ids)]
            )
        )
        targets += [(share.connection_id, installation.public_token) for share in owned]
        return [(c, ref) for c, ref in targets if c.state == "active"]

    @api.model
    def _send_done(self, fiches):
        for fiche in fiches:
            for connection, ref in self._peer_targets(fiche.installation_id):
                payload = {
                    "installation": ref,
                    "author": fiche.company_id.name,
                    "number": fiche.name,
                    "date": str(fiche.date),
                    "nature": fiche.nature,
                    "charged_kg": fiche.charged_total_kg,
                    "recovered_kg": fiche.recovered_total_kg,
                }
                self.env["hvac.connection.outbox"].sudo()._queue(connection, INTERVENTION_PATH, payload)

    @api.model
    def _receive(self, connection, payload):
        """Record a peer's intervention (checked by the protocol's schema), only on an installation
        shared over this connection and only as written by the peer's company. Returns the fiche
        number recorded, or None outside the share; the same delivery again (a retry, or several
        at once) is the same intervention."""
        installation = self._shared_installation(connection, payload["installation"])
        if not installation:
            return None
        if payload["author"] != connection.peer_company_name:
            raise ShareProtocolError("bad_author", "an intervention is recorded only by the peer's own company")
        domain = [("connection_id", "=", connection.id), ("idempotency_key", "=", payload["idempotency_key"])]
        if existing := self.sudo().search(domain, limit=1):
            return self._same_delivery(existing.installation_id.id, existing.number, installation)
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                return (
                    self.sudo()
                    .create(
                        {
                            "installation_id": installation.id,
                            "author_company": connection.peer_company_name,
                            "number": payload["number"],
                            "date": payload["date"],
                            "nature": payload["nature"],
                            "charged_kg": payload["charged_kg"],
                            "recovered_kg": payload["recovered_kg"],
                            "idempotency_key": payload["idempotency_key"],
                            "connection_id": connection.id,
                        }
                    )
                    .number
                )
        except psycopg2.errors.UniqueViolation as error:
            if error.diag.constraint_name != "hvac_shared_intervention_key_unique":
                raise
            return self._same_delivery(*self._concurrent_delivery(domain), installation)

    @api.model
    def _same_delivery(self, installation_id, number, installation):
        if installation_id != installation.id:
            raise ShareProtocolError("duplicate", "this key names another intervention")
        return number  # the same call again (a retry after a lost answer, or a delivery at the same time)

    @api.model
    def _concurrent_delivery(self, domain):
        """(installation id, number) of the same delivery stored by a call running at the same
        time: read in this transaction if it sees it, else in a fresh one (it committed after our
        snapshot was taken)."""
        if existing := self.sudo().search(domain, limit=1):
            return existing.installation_id.id, existing.number
        with self.env.registry.cursor() as cr:
            existing = self.with_env(self.env(cr=cr, su=True)).search(domain, limit=1)
            return existing.installation_id.id, existing.number

    @api.model
    def _shared_installation(self, connection, ref):
        """Ours or our copy, shared over this connection and not revoked; else nothing."""
        Installation = self.env["hvac.installation"].sudo()
        installation = Installation.search(
            [
                ("shared_from_ref", "=", ref),
                ("shared_from_share_id.connection_id", "=", connection.id),
                ("shared_revoked", "=", False),
            ],
            limit=1,
        )
        if installation:
            return installation
        owned = (
            self.env["hvac.share"]
            .sudo()
            .search(
                [
                    ("connection_id", "=", connection.id),
                    ("side", "=", "owner"),
                    ("state", "in", SHARED_STATES),
                    ("installation_ids.public_token", "=", ref),
                ]
            )
        )
        return owned.installation_ids.filtered(lambda i: i.public_token == ref)[:1]
