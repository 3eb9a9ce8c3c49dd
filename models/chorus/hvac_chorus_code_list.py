from datetime import timedelta

from odoo import api, fields, models

from ...clients.chorus_pro import ChorusProError

REFRESH_AFTER = timedelta(days=7)


class HvacChorusCodeList(models.AbstractModel):
    """A list of codes only Chorus Pro publishes (attachment types, VAT-exemption reasons), read
    from Chorus and kept per company; a model of it says which call lists them (``_hvac_fetch``)."""

    _name = "hvac.chorus.code.list"
    _description = "Chorus Pro code list"
    _order = "name"

    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    code = fields.Char(required=True)
    name = fields.Char("Label", required=True)
    active = fields.Boolean(default=True)
    fetched_at = fields.Datetime(readonly=True)

    @api.model
    def _hvac_fetch(self, client):
        """[(code, label)] as Chorus lists them."""
        raise NotImplementedError

    @api.model
    def _hvac_new_values(self, code, label):
        """What a model of the list adds to an entry Chorus lists for the first time."""
        return {}

    @api.model
    def _hvac_refresh(self, company):
        """Read the list again when it is a week old; Chorus unreachable keeps what we have."""
        known = self.sudo().with_context(active_test=False).search([("company_id", "=", company.id)])
        if known and min(known.mapped("fetched_at")) > fields.Datetime.now() - REFRESH_AFTER:
            return
        try:
            listed = self._hvac_fetch(company._hvac_chorus_client())
        except ChorusProError:
            return
        now = fields.Datetime.now()
        by_code = {entry.code: entry for entry in known}
        for code, label in listed:
            if code in by_code:
                by_code.pop(code).write({"name": label, "active": True, "fetched_at": now})
            else:
                self.sudo().create(
                    {
                        "company_id": company.id,
                        "code": code,
                        "name": label,
                        "fetched_at": now,
                        **self._hvac_new_values(code, label),
                    }
                )
        for gone in by_code.values():
            gone.write({"active": False, "fetched_at": now})
