from odoo import api, models
from odoo.exceptions import UserError


class HvacShareConnectionCheck(models.Model):
    """Nothing is asked over a connection that is not active: the other side would refuse it,
    and the user would only find a request stuck as "requested". We refuse it here, saying why.
    (Revoking stays possible: it takes effect here at once, and reaches the other side when the
    connection is resumed.)"""

    _inherit = "hvac.share"

    @api.model_create_multi
    def create(self, vals_list):
        # Refused before anything is saved: the request would only stay "requested" here.
        connections = self.env["hvac.connection"].browse(
            [
                vals["connection_id"]
                for vals in vals_list
                if vals.get("connection_id") and vals.get("side", "requester") == "requester"
            ]
        )
        self._check_connections_active(connections)
        return super().create(vals_list)

    def _check_connection_active(self):
        self._check_connections_active(self.connection_id)

    @api.model
    def _check_connections_active(self, connections):
        for connection in connections:
            if connection.state == "suspended":
                who = (
                    self.env._("we suspended it")
                    if connection.suspended_by == "us"
                    else self.env._("%s suspended it", connection.peer_company_name)
                )
                raise UserError(
                    self.env._(
                        "The connection with %(company)s is suspended (%(who)s): nothing can be asked or sent over it until it is resumed.",
                        company=connection.peer_company_name,
                        who=who,
                    )
                )
            if connection.state != "active":
                raise UserError(
                    self.env._(
                        "The connection with %s is not active (ended or not yet accepted): nothing can be asked or sent over it.",
                        connection.peer_company_name or connection.name,
                    )
                )

    def action_request(self):
        self._check_connection_active()
        return super().action_request()

    def _decide(self, state, values=None):
        self._check_connection_active()
        role = (values or {}).get("role")
        if state == "approved" and self.connection_id.peer_account_kind == "operator" and role != "operator":
            raise UserError(
                self.env._(
                    "%s has an operator's account: Operator is the only role it can be granted.", self.peer_company_name
                )
            )
        return super()._decide(state, values)

    def action_fetch(self):
        self._check_connection_active()
        return super().action_fetch()

    def action_withdraw_installations(self, installations):
        self._check_connection_active()
        return super().action_withdraw_installations(installations)
