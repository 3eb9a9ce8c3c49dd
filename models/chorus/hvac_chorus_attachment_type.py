from odoo import api, models


class HvacChorusAttachmentType(models.Model):
    """Chorus Pro's own codes for the type of an invoice attachment, as its `typespj` service
    lists them (typeObjet FACTURE). They are not published anywhere else (research §3.7), so
    they are read from Chorus and kept per company; an attachment without one is filed by
    Chorus as "Doc. Annexe"."""

    _name = "hvac.chorus.attachment.type"
    _inherit = "hvac.chorus.code.list"
    _description = "Chorus Pro attachment type"

    _sql_constraints = [
        ("code_unique", "UNIQUE(company_id, code)", "A Chorus Pro attachment type appears once per company.")
    ]

    @api.model
    def _hvac_fetch(self, client):
        return client.attachment_types()
