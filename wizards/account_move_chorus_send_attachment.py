from odoo import fields, models

# Chorus' own codes for invoice attachment types are not published (research §3.7); these are
# the portal's labels, and "Doc. Annexe" is what Chorus files an untyped attachment as.
ATTACHMENT_TYPES = [
    ("ANNEXE", "Doc. Annexe"),
    ("BON_COMMANDE", "Purchase order"),
    ("BON_LIVRAISON", "Delivery note"),
    ("DEVIS", "Quotation"),
    ("PV_RECEPTION", "Acceptance report"),
    ("AUTRE", "Other"),
]


class AccountMoveChorusSendAttachment(models.TransientModel):
    _name = "account.move.chorus.send.attachment"
    _description = "Attachment sent to Chorus Pro with an invoice"

    wizard_id = fields.Many2one("account.move.chorus.send", required=True, ondelete="cascade")
    attachment_id = fields.Many2one("ir.attachment", required=True)
    name = fields.Char(related="attachment_id.name")
    file_size = fields.Integer(related="attachment_id.file_size")
    include = fields.Boolean("Send", default=True)
    chorus_type = fields.Selection(ATTACHMENT_TYPES, "Chorus Pro type", default="ANNEXE", required=True)
