from odoo import models

ACTIVE_STATES = ("available", "processed")


class HvacInstallationOnBehalf(models.Model):
    _inherit = "hvac.installation"

    def _hvac_on_behalf(self):
        """The details of the company we work for on this installation, when its share says so:
        only while the access lasts (a revoked share no longer lends its name)."""
        self.ensure_one()
        share = self.sudo().shared_from_share_id
        if not share or self.shared_revoked or share.state not in ACTIVE_STATES or not share.our_details_on_documents:
            return False
        return share.owner_details or {"name": share.peer_company_name, "siret": share.connection_id.peer_siret or ""}
