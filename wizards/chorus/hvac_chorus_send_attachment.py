from odoo import fields, models


class HvacChorusSendAttachment(models.TransientModel):
    _name = "hvac.chorus.send.attachment"
    _description = "Attachment sent to Chorus Pro with an invoice"

    wizard_id = fields.Many2one("hvac.chorus.send", required=True, ondelete="cascade")
    attachment_id = fields.Many2one("ir.attachment", required=True)
    name = fields.Char(related="attachment_id.name")
    file_size = fields.Integer(related="attachment_id.file_size")
    include = fields.Boolean("Send", default=True)
    chorus_type_id = fields.Many2one(
        "hvac.chorus.attachment.type",
        "Chorus Pro type",
        domain="[('company_id', '=', company_id)]",
        help="Chorus Pro's own list of attachment types. Empty: Chorus files it as “Doc. Annexe”.",
    )
    company_id = fields.Many2one(related="wizard_id.move_id.company_id")
