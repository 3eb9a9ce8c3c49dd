import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from ...models.sharing.hvac_share_mapping import KINDS


def _norm(text):
    """Compare addresses, names, brands and serial numbers as people type them."""
    return re.sub(r"[^0-9a-z]+", "", (text or "").lower())


class HvacShareProcess(models.TransientModel):
    """Process a received share: map what was received onto our records to avoid duplicates
    (seeds 001 and 003), confirm a summary, then import in the background.

    Every received customer, location, building and installation gets a line: it joins one of
    ours (proposed: same SIRET, same address, same building name, same serial number and brand),
    or is created, or is left out with everything under it. The lines confirmed are stored as
    ``hvac.share.mapping``, which the background import reads."""

    _name = "hvac.share.process"
    _description = "Process a received share"

    share_id = fields.Many2one("hvac.share", required=True, readonly=True)
    level = fields.Selection(related="share_id.level")
    step = fields.Selection([("map", "Where it goes"), ("confirm", "Summary")], default="map", required=True)
    line_ids = fields.One2many("hvac.share.process.line", "wizard_id", "What was received")
    summary = fields.Text(compute="_compute_summary")

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard, vals in zip(wizards, vals_list, strict=True):
            if not vals.get("line_ids"):
                wizard._add_received_lines()
        return wizards

    def _add_received_lines(self):
        """A line per received item, made page by page: only the page under way and the
        references already met are in memory, whatever the size of the share."""
        Page, Line = self.env["hvac.share.page"], self.env["hvac.share.process.line"]
        met, proposed_sites = set(), {}
        for page_id in Page.search([("share_id", "=", self.share_id.id)], order="number").ids:
            page = Page.browse(page_id)  # alone: its data must not prefetch the other pages'
            received = [{k: v for k, v in inst.items() if k != "interventions"} for inst in page.data["installations"]]
            Line.create([dict(line, wizard_id=self.id) for line in self._lines(received, met, proposed_sites)])
            del received
            self.env.invalidate_all()  # the lines are in the database, not in memory

    # --- proposals ----------------------------------------------------------------------------------
    def _partners_by_siret(self, received):
        sirets = {inst["customer"]["siret"] for inst in received if inst["customer"]["siret"]}
        # Only ours or shared by every company: a user of several companies reads the others' too,
        # which a line may not join.
        domain = [("siret", "in", list(sirets)), ("company_id", "in", [self.env.company.id, False])]
        partners = self.env["res.partner"].search(domain) if sirets else self.env["res.partner"]
        # Our company's own customer first, then one shared by every company of the database.
        ranked = partners.sorted(lambda p: (p.company_id != self.env.company, p.id))
        found = {}
        for partner in ranked:
            found.setdefault(partner.siret, partner.id)
        return found

    def _sites_by_address(self, received):
        """Our locations by (street, zip): the address is what tells two copies of a site apart."""
        zips = {inst["site"]["zip"] for inst in received if inst["site"]["street"] and inst["site"]["zip"]}
        sites = (
            self.env["hvac.site"].search([("zip", "in", list(zips)), ("company_id", "=", self.env.company.id)])
            if zips
            else []
        )
        return {(_norm(s.street), s.zip): s for s in sites if s.street}

    def _installations_by_serial(self, received):
        """Ours (not copies of someone else's) whose serial number matches one received, as
        people type them ("DK-001" is "DK 001"); the brand is compared per line."""
        Installation = self.env["hvac.installation"]
        serials = list({_norm(inst["serial_number"]) for inst in received if _norm(inst["serial_number"])})
        if not serials:
            return Installation
        self.env.flush_all()
        query = SQL(
            "SELECT id FROM hvac_installation WHERE regexp_replace(lower(serial_number), '[^0-9a-z]+', '', 'g') = ANY(%s)",
            serials,
        )
        self.env.cr.execute(query)
        candidates = Installation.browse([row[0] for row in self.env.cr.fetchall()])
        # Through the ORM again: our company's only, as the user may read them.
        return Installation.search(
            [
                ("id", "in", candidates.ids),
                ("shared_from_share_id", "=", False),
                ("company_id", "=", self.env.company.id),
            ]
        )

    def _lines(self, received, met, proposed_sites):
        """The lines of one page not already ``met`` on an earlier one (customer → location →
        building → installation); ``proposed_sites``: their location ref → our site id proposed."""
        partners, sites = self._partners_by_siret(received), self._sites_by_address(received)
        ours = self._installations_by_serial(received)
        lines = {}
        for inst in received:
            customer, site, building = inst["customer"], inst["site"], inst["building"]
            partner_id = partners.get(customer["siret"])
            if ("customer", customer["ref"]) not in met:
                lines.setdefault(
                    ("customer", customer["ref"]),
                    {
                        "kind": "customer",
                        "ref": customer["ref"],
                        "received_name": customer["name"],
                        "partner_id": partner_id,
                    },
                )
            if ("location", site["ref"]) not in met and ("location", site["ref"]) not in lines:
                lines[("location", site["ref"])] = self._location_line(
                    customer, site, partner_id, sites, proposed_sites
                )
            if ("building", building["ref"]) not in met and ("building", building["ref"]) not in lines:
                our_site = self.env["hvac.site"].browse(proposed_sites.get(site["ref"]) or [])
                same = our_site.building_ids.filtered(lambda b, name=building["name"]: _norm(b.name) == _norm(name))[:1]
                lines[("building", building["ref"])] = {
                    "kind": "building",
                    "ref": building["ref"],
                    "parent_ref": site["ref"],
                    "received_name": f"{site['name']} / {building['name']}",
                    "building_id": same.id,
                }
            if ("installation", inst["ref"]) not in met:
                lines[("installation", inst["ref"])] = self._installation_line(inst, ours)
        met.update(lines)
        order = {kind: n for n, (kind, _label) in enumerate(KINDS)}
        return sorted(lines.values(), key=lambda line: order[line["kind"]])

    @staticmethod
    def _location_line(customer, site, partner_id, sites, proposed_sites):
        our_site = sites.get((_norm(site["street"]), site["zip"])) if site["street"] else None
        if our_site and partner_id and our_site.partner_id.id != partner_id:
            our_site = None  # the same address at another customer of ours is not this site
        proposed_sites[site["ref"]] = our_site.id if our_site else False
        return {
            "kind": "location",
            "ref": site["ref"],
            "parent_ref": customer["ref"],
            "received_name": f"{customer['name']} / {site['name']} ({site['zip']} {site['city']})".strip(),
            "partner_id": partner_id,
            "site_id": our_site.id if our_site else False,
        }

    def _installation_line(self, inst, ours):
        serial, brand = _norm(inst["serial_number"]), _norm(inst["brand"])
        same_serial = ours.filtered(lambda i: serial and _norm(i.serial_number) == serial)
        same = same_serial.filtered(lambda i: _norm(i.brand) == brand)[:1]
        label = f"{inst['customer']['name']} / {inst['site']['name']} / {inst['name']}"
        if inst["serial_number"]:
            label += f" ({inst['brand']} {inst['serial_number']})".replace("( ", "(")
        return {
            "kind": "installation",
            "ref": inst["ref"],
            "parent_ref": inst["building"]["ref"],
            "received_name": label,
            "installation_id": same.id,
            "building_id": same_serial[:1].building_id.id if not same else False,
        }

    # --- summary -------------------------------------------------------------------------------------
    @api.depends(
        "line_ids.leave_out",
        "line_ids.partner_id",
        "line_ids.site_id",
        "line_ids.building_id",
        "line_ids.installation_id",
    )
    def _compute_summary(self):
        for wizard in self:
            counts = _counts(wizard._line_rows())
            wizard.summary = self.env._(
                "%(joined)s installation(s) joined to existing ones, %(new)s new installation(s), %(sites)s new site(s), "
                "%(customers)s new customer(s), %(left_out)s installation(s) left out.",
                **counts,
            )

    def _line_rows(self):
        """The lines as plain tuples: read in one query once saved (a share may have tens of
        thousands), from the form's records while the user edits them."""
        if not isinstance(self.id, int):
            return [
                (
                    line.kind,
                    line.ref,
                    line.parent_ref,
                    line.leave_out,
                    line.partner_id.id,
                    line.site_id.id,
                    line.building_id.id,
                    line.installation_id.id,
                )
                for line in self.line_ids
            ]
        self.env["hvac.share.process.line"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT kind, ref, parent_ref, leave_out, partner_id, site_id, building_id, installation_id"
                " FROM hvac_share_process_line WHERE wizard_id = %s",
                self.id,
            )
        )
        return self.env.cr.fetchall()

    def action_review(self):
        self.ensure_one()
        self.step = "confirm"
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.step = "map"
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Process the share"),
        }

    # --- import --------------------------------------------------------------------------------------
    def _check_targets(self):
        """Each of our records a line joins belongs to the share's company (a partner may be
        common to all companies), and an installation is ours, not a copy: the lines are plain
        records that any caller may write, and the import joins what they name."""
        company = self.share_id.company_id.id
        Line = self.env["hvac.share.process.line"].sudo().with_context(active_test=False)
        wrong = Line.search(
            [("wizard_id", "=", self.id)]
            + expression.OR(
                [
                    [("partner_id.company_id", "not in", [company, False])],
                    [("site_id.company_id", "!=", company)],
                    [("building_id.company_id", "!=", company)],
                    [("installation_id.company_id", "!=", company)],
                    [("installation_id.shared_from_share_id", "not in", [False, self.share_id.id])],
                ]
            ),
            limit=1,
        )
        if wrong:
            raise UserError(
                self.env._(
                    "%s: choose one of this share's company's own records, or none to create it.", wrong.received_name
                )
            )

    def action_process(self):
        self.ensure_one()
        share = self.share_id
        share._check_processable()
        if not all(self.env[model].has_access("create") for model in ("res.partner", "hvac.site", "hvac.installation")):
            raise UserError(
                self.env._(
                    "Processing a share creates customers, locations and installations: it needs the rights Installations: Manager and Contact Creation."
                )
            )
        self._check_targets()
        share._set_mapping_from(self)
        share._queue_processing()
        share.message_post(body=self.env._("Confirmed: %s", self.summary))
        return {"type": "ir.actions.act_window", "res_model": "hvac.share", "res_id": share.id, "view_mode": "form"}


def _counts(rows):
    """What the import will do, by the same rules as the import (for the summary); ``rows``: the
    lines as (kind, ref, parent_ref, leave_out, partner, site, building, installation)."""
    by_kind = {kind: {} for kind, _label in KINDS}
    for row in rows:
        by_kind[row[0]][row[1]] = row
    parent_kinds = {"installation": "building", "building": "location", "location": "customer"}

    def lineage(row):
        while row:
            yield row
            parent_kind = parent_kinds.get(row[0])
            row = by_kind[parent_kind].get(row[2]) if parent_kind else None

    counts = dict.fromkeys(("joined", "new", "sites", "customers", "left_out"), 0)
    new_sites, new_customers = set(), set()
    for row in by_kind["installation"].values():
        chain = list(lineage(row))
        if any(item[3] for item in chain):
            counts["left_out"] += 1
        elif row[7]:
            counts["joined"] += 1
        else:
            counts["new"] += 1
            building, site, customer = (chain[1:] + [None, None, None])[:3]
            if row[6] or (building and building[6]) or (site and site[5]):
                continue
            if site:
                new_sites.add(site[1])
            if not (site and site[4]) and not (customer and customer[4]) and customer:
                new_customers.add(customer[1])
    counts.update(sites=len(new_sites), customers=len(new_customers))
    return counts
