from odoo import fields, models


class HvacSharePayload(models.Model):
    """Owner side: one page of a share's payload, as the requester pulls it.

    A page holds up to ``_page_size`` installations with their customer, location and building (copies
    for the requester) and their done interventions, read with the ORM's prefetch: a handful of
    queries per page, never one per installation.
    """

    _inherit = "hvac.share"

    def _page(self, number):
        self.ensure_one()
        if number == self.page_count - 1 and not self.transferred_at:
            self.sudo()._hvac_set_protected({"transferred_at": fields.Datetime.now()})
        installations = self.installation_ids.sorted("id")[number * self._page_size : (number + 1) * self._page_size]
        fiches = self.env["hvac.intervention"].sudo().search([("installation_id", "in", installations.ids), ("state", "=", "done")], order="date, id")
        history = {}
        for fiche in fiches:
            history.setdefault(fiche.installation_id.id, []).append(self._fiche_values(fiche))
        return {"number": number, "installations": [self._installation_values(inst, history.get(inst.id, [])) for inst in installations]}

    def _installation_values(self, inst, interventions):
        customer, site = inst.partner_id, inst.site_id
        return {
            "ref": inst.public_token, "name": inst.name, "category": inst.category, "brand": inst.brand or "",
            "model": inst.model or "", "serial_number": inst.serial_number or "",
            "commissioning_date": fields.Date.to_string(inst.commissioning_date) or "",
            "refrigerant": inst.refrigerant_id.name, "charge_kg": inst.charge_kg, "hermetic": inst.hermetic,
            "leak_detection_system": inst.leak_detection_system,
            "customer": self._customer_values(customer),
            "site": {"ref": str(site.id), "name": site.name, "street": site.street or "", "street2": site.street2 or "", "zip": site.zip or "", "city": site.city or ""},
            "building": {"ref": str(inst.building_id.id), "name": inst.building_id.name},
            "interventions": interventions,
        }  # fmt: skip

    def _customer_values(self, customer):
        """The customer's company number and contact details only in a customer-level share
        (seeds 001/003); below it, the name the requester needs to file what it receives."""
        values = dict.fromkeys(("siret", "street", "zip", "city", "email", "phone"), "")
        if self.level == "customer":
            values.update(
                siret=customer.siret or "", street=customer.street or "", zip=customer.zip or "",
                city=customer.city or "", email=customer.email or "", phone=customer.phone or "",
            )  # fmt: skip
        return dict(values, ref=str(customer.id), name=customer.name)

    def _fiche_values(self, fiche):
        return {
            "number": fiche.name, "date": fields.Date.to_string(fiche.date), "nature": fiche.nature, "leak_check": fiche.leak_check,
            "charged_kg": fiche.charged_total_kg, "recovered_kg": fiche.recovered_total_kg, "author": fiche.company_id.name,
        }  # fmt: skip
