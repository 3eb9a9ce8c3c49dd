from odoo import fields, models
from odoo.tools import SQL


class HvacShare(models.Model):
    """Owner side: one page of a share's payload, as the requester pulls it.

    A page holds up to ``_page_size`` installations with their customer, location and building (copies
    for the requester) and their done interventions, read with the ORM's prefetch: a handful of
    queries per page, never one per installation.

    Pages are id ranges (keyset paging): when the share is prepared, the first installation id of
    each page is recorded (``page_first_ids``); a page is then read from the share's relation table
    by its index, between its first id and the next page's, whatever its position and the share's
    size. Nothing of the share's other installations is read or kept in memory.
    """

    _inherit = "hvac.share"

    page_first_ids = fields.Json(
        "Page starts", readonly=True, copy=False, prefetch=False, help="First installation id of each page."
    )

    def _prepare_pages(self):
        """Record where each page starts; returns the number of pages (at least one, maybe empty)."""
        self.ensure_one()
        field = self._fields["installation_ids"]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT inst FROM (SELECT %(inst)s AS inst, row_number() OVER (ORDER BY %(inst)s) AS n FROM %(rel)s WHERE %(share)s = %(id)s) AS ranked"
                " WHERE mod(n - 1, %(size)s) = 0 ORDER BY inst",
                inst=SQL.identifier(field.column2),
                rel=SQL.identifier(field.relation),
                share=SQL.identifier(field.column1),
                id=self.id,
                size=self._page_size,
            )
        )
        first_ids = [row[0] for row in self.env.cr.fetchall()]
        self.sudo()._hvac_set_protected({"page_first_ids": first_ids})
        return max(1, len(first_ids))

    def _page_installation_ids(self, number):
        first_ids = self.sudo().page_first_ids
        if not first_ids:
            self._prepare_pages()  # prepared before pages were ranges: once
            first_ids = self.sudo().page_first_ids
        if number >= len(first_ids or []):
            return []
        field = self._fields["installation_ids"]
        upper = (
            SQL(" AND %s < %s", SQL.identifier(field.column2), first_ids[number + 1])
            if number + 1 < len(first_ids)
            else SQL()
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %(inst)s FROM %(rel)s WHERE %(share)s = %(id)s AND %(inst)s >= %(first)s%(upper)s ORDER BY %(inst)s LIMIT %(size)s",
                inst=SQL.identifier(field.column2),
                rel=SQL.identifier(field.relation),
                share=SQL.identifier(field.column1),
                id=self.id,
                first=first_ids[number],
                upper=upper,
                size=self._page_size,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _page(self, number):
        self.ensure_one()
        if number == self.page_count - 1 and not self.transferred_at:
            self.sudo()._hvac_set_protected({"transferred_at": fields.Datetime.now()})
        # A fresh recordset of the page alone: the ORM prefetches only within it.
        installations = self.env["hvac.installation"].sudo().browse(self._page_installation_ids(number))
        fiches = (
            self.env["hvac.intervention"]
            .sudo()
            .search_fetch(
                [("installation_id", "in", installations.ids), ("state", "=", "done")],
                [
                    "installation_id",
                    "name",
                    "date",
                    "nature",
                    "leak_check",
                    "charged_total_kg",
                    "recovered_total_kg",
                    "company_id",
                ],
                order="date, id",
            )
        )
        history = {}
        for fiche in fiches:
            history.setdefault(fiche.installation_id.id, []).append(self._fiche_values(fiche))
        return {
            "number": number,
            "installations": [self._installation_values(inst, history.get(inst.id, [])) for inst in installations],
        }

    def _installation_values(self, inst, interventions):
        customer, site = inst.partner_id, inst.site_id
        return {
            "ref": inst.public_token,
            "name": inst.name,
            "category": inst.category,
            "brand": inst.brand or "",
            "model": inst.model or "",
            "serial_number": inst.serial_number or "",
            "commissioning_date": fields.Date.to_string(inst.commissioning_date) or "",
            "refrigerant": inst.refrigerant_id.name,
            "charge_kg": inst.charge_kg,
            "hermetic": inst.hermetic,
            "leak_detection_system": inst.leak_detection_system,
            "customer": self._customer_values(customer),
            "site": {
                "ref": str(site.id),
                "name": site.name,
                "street": site.street or "",
                "street2": site.street2 or "",
                "zip": site.zip or "",
                "city": site.city or "",
            },
            "building": {"ref": str(inst.building_id.id), "name": inst.building_id.name},
            "interventions": interventions,
        }

    def _customer_values(self, customer):
        """The customer's company number and contact details only in a customer-level share
        (seeds 001/003); below it, the name the requester needs to file what it receives."""
        values = dict.fromkeys(("siret", "street", "zip", "city", "email", "phone"), "")
        if self.level == "customer":
            values.update(
                siret=customer.siret or "",
                street=customer.street or "",
                zip=customer.zip or "",
                city=customer.city or "",
                email=customer.email or "",
                phone=customer.phone or "",
            )
        return dict(values, ref=str(customer.id), name=customer.name)

    def _fiche_values(self, fiche):
        return {
            "number": fiche.name,
            "date": fields.Date.to_string(fiche.date),
            "nature": fiche.nature,
            "leak_check": fiche.leak_check,
            "charged_kg": fiche.charged_total_kg,
            "recovered_kg": fiche.recovered_total_kg,
            "author": fiche.company_id.name,
        }
