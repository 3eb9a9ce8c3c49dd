from odoo import models


class HvacIntervention(models.Model):
    """The Chorus Pro service and engagement of a fiche's invoice, from where they are known."""

    _inherit = "hvac.intervention"

    def _hvac_chorus_routing(self):
        """(service, engagement): the installation's, else the site's, else the customer's;
        each one on its own (a site's service with the customer's yearly engagement)."""
        self.ensure_one()
        places = (self.installation_id, self.site_id)
        buyer = self.partner_id.commercial_partner_id
        service = next((p.chorus_service_id for p in places if p.chorus_service_id), None)
        engagement = next((p.chorus_engagement for p in places if p.chorus_engagement), None)
        service = service or buyer.hvac_chorus_default_service_id
        # A service of another structure (the customer changed) is no service of this buyer.
        if service and service.partner_id != buyer:
            service = service.browse()
        return service, engagement or buyer.hvac_chorus_default_engagement or False

    def _hvac_invoice_key(self):
        service, engagement = self._hvac_chorus_routing()
        return super()._hvac_invoice_key() + (service.id, engagement)

    def _hvac_invoice_header(self):
        values = super()._hvac_invoice_header()
        service, engagement = self[:1]._hvac_chorus_routing()
        if service or engagement:
            values.update(
                {
                    "hvac_chorus_service_id": service.id,
                    "buyer_reference": service.code or False,
                    "purchase_order_reference": engagement,
                }
            )
        return values
