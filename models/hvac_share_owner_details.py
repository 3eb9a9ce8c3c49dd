from odoo import fields, models


class HvacShareOwnerDetails(models.Model):
    """ "Our details on their documents" (subcontractor, borrowed): the owner sends its name,
    SIRET, address and attestation de capacité with the approval; the recipient prints them as
    "pour le compte de" on the fiches d'intervention and reports of the installations shared."""

    _inherit = "hvac.share"

    owner_details = fields.Json("Owner's details for our documents", readonly=True, copy=False)

    def _decision_details(self):
        if not self.our_details_on_documents:
            return {}
        company = self.company_id
        return {
            "owner": {
                "name": company.name,
                "siret": company.siret or "",
                "address": ", ".join(
                    filter(
                        None,
                        (
                            line.strip(" ,")
                            for line in company.partner_id._display_address(without_company=True).split("\n")
                        ),
                    )
                ),
                "capacity_number": company.hvac_capacity_number or "",
                "capacity_category": company.hvac_capacity_category or "",
            }
        }

    def _receive_decision(self, payload):
        res = super()._receive_decision(payload)
        owner = payload.get("owner")
        if payload.get("state") == "approved" and payload.get("details") and isinstance(owner, dict):
            keys = ("name", "siret", "address", "capacity_number", "capacity_category")
            self.sudo().owner_details = {key: str(owner.get(key) or "")[:200] for key in keys}
        return res
