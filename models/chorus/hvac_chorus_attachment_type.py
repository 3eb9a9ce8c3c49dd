from datetime import timedelta

from odoo import api, fields, models

from ...clients.chorus_pro import ChorusProError

REFRESH_AFTER = timedelta(days=7)


class HvacChorusAttachmentType(models.Model):
    """Chorus Pro's own codes for the type of an invoice attachment, as its `typespj` service
    lists them (typeObjet FACTURE). They are not published anywhere else (research §3.7), so
    they are read from Chorus and kept per company; an attachment without one is filed by
    Chorus as "Doc. Annexe"."""

    _name = "hvac.chorus.attachment.type"
    _description = "Chorus Pro attachment type"
    _order = "name"

    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    code = fields.Char(required=True)
    name = fields.Char("Label", required=True)
    active = fields.Boolean(default=True)
    fetched_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(company_id, code)", "A Chorus Pro attachment type appears once per company.")
    ]

    @api.model
    def _hvac_refresh(self, company):
        """Read the list again when it is a week old; Chorus unreachable keeps what we have."""
        types = self.sudo().with_context(active_test=False).search([("company_id", "=", company.id)])
        if types and min(types.mapped("fetched_at")) > fields.Datetime.now() - REFRESH_AFTER:
            return
        try:
            listed = company._hvac_chorus_client().attachment_types()
        except ChorusProError:
            return
        now = fields.Datetime.now()
        by_code = {t.code: t for t in types}
        for code, label in listed:
            if code in by_code:
                by_code.pop(code).write({"name": label, "active": True, "fetched_at": now})
            else:
                self.sudo().create({"company_id": company.id, "code": code, "name": label, "fetched_at": now})
        for gone in by_code.values():
            gone.write({"active": False, "fetched_at": now})
