from odoo import api, fields, models
from odoo.exceptions import UserError

# OCA's l10n_fr_chorus_account, when installed beside us, sends invoices to Chorus Pro its own
# way (Factur-X flows, chorus_flow_id on the invoice). We do not depend on it: its fields and
# methods are looked up by name, and each path refuses an invoice the other one already sent.
OCA_FLOW_FIELD = "chorus_flow_id"
OCA_SEND_METHOD = "_fr_chorus_send"


class AccountMove(models.Model):
    _inherit = "account.move"

    hvac_chorus_oca_path = fields.Boolean(
        "Sent through OCA's Chorus module",
        compute="_compute_hvac_chorus_oca_path",
        help="OCA's Chorus module is installed and this invoice is in one of its flows, or its customer is set "
        "to send invoices by OCA's Chorus (invoice sending method): our Chorus Pro button is hidden.",
    )

    def _hvac_chorus_oca_depends(self):
        # The fields it reads exist only when OCA's module is installed.
        return (OCA_FLOW_FIELD, "invoice_sending_method") if OCA_FLOW_FIELD in self._fields else ()

    @api.depends(lambda self: self._hvac_chorus_oca_depends())
    def _compute_hvac_chorus_oca_path(self):
        oca = OCA_FLOW_FIELD in self._fields
        for move in self:
            move.hvac_chorus_oca_path = oca and bool(move[OCA_FLOW_FIELD] or move.invoice_sending_method == "fr_chorus")

    def _hvac_chorus_oca_flow(self):
        """OCA's flow this invoice was sent in, or None (also when OCA's module is absent)."""
        self.ensure_one()
        return self[OCA_FLOW_FIELD] if OCA_FLOW_FIELD in self._fields and self[OCA_FLOW_FIELD] else None

    def _hvac_chorus_sent_by_us(self):
        self.ensure_one()
        ours = self.hvac_chorus_send_state in ("sending", "sent") or self.hvac_chorus_invoice_id
        return bool(ours or (self.hvac_chorus_flow_id and self.hvac_chorus_flow_id.state not in ("IN_REJETE", "ERROR")))

    def _hvac_chorus_base_problems(self):
        problems = super()._hvac_chorus_base_problems()
        flow = self._hvac_chorus_oca_flow()
        if flow:
            problems.insert(0, self._hvac_chorus_oca_message(flow))
        return problems

    def _hvac_chorus_oca_message(self, flow):
        return self.env._(
            "%(name)s was already sent to Chorus Pro by OCA's Chorus module (flow %(flow)s): it cannot be sent a second time.",
            name=self.name,
            flow=flow.display_name,
        )

    def _hvac_chorus_send_exclusive(self, payload, files):
        # The wizard lists the problem above; this is the check that holds whatever calls us.
        flow = self._hvac_chorus_oca_flow()
        if flow:
            raise UserError(self._hvac_chorus_oca_message(flow))
        return super()._hvac_chorus_send_exclusive(payload, files)

    def _hvac_chorus_refuse_oca_send(self):
        """Called before OCA's send: refuse invoices that went through our path."""
        sent = self.filtered(lambda move: move._hvac_chorus_sent_by_us())
        if sent:
            raise UserError(
                self.env._(
                    "Already sent to Chorus Pro with “Envoyer sur Chorus Pro” (HVAC Connect): %s. It cannot be sent a second time by OCA's Chorus module.",
                    ", ".join(sent.mapped("name")),
                )
            )

    def _register_hook(self):
        """Wrap OCA's send method, when present, with our check. OCA's class may come after
        ours in the model's classes (its module is not one of our dependencies), so an
        override could be bypassed: the wrapper goes on the final class. The registry builds
        new classes on each reload, and this hook runs again then."""
        result = super()._register_hook()
        model_class = type(self)
        original = getattr(model_class, OCA_SEND_METHOD, None)
        if original and not getattr(original, "_hvac_guarded", False):

            def guarded_send(records, *args, **kwargs):
                records._hvac_chorus_refuse_oca_send()
                return original(records, *args, **kwargs)

            guarded_send._hvac_guarded = True
            setattr(model_class, OCA_SEND_METHOD, guarded_send)
        return result
