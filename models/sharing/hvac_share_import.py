import json
import logging
import time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..common.batch import Job, again_soon, take
from ..common.commit import commit

_logger = logging.getLogger(__name__)
# Batch imports create no chatter message per record and track nothing: the share's chatter says it.
QUIET = {"mail_create_nolog": True, "tracking_disable": True, "mail_notrack": True, "hvac_no_default_building": True}


class HvacShare(models.Model):
    """Requester side: import a received share in the background, one page per transaction.

    The processing wizard records how the received data maps onto ours (``hvac.share.mapping``,
    see ``hvac_share_processing``); the cron then joins, creates or leaves out customers,
    locations, buildings and installations page by page, with batched ``create`` calls. What it
    created is remembered in ``import_map`` (their reference → our id), so a location spread
    over several pages is created once and an interrupted import resumes where it stopped. Only
    installations keep a link to the owner's (``shared_from_ref``).
    """

    _inherit = "hvac.share"

    import_map = fields.Json(readonly=True, copy=False)
    processing_queued = fields.Boolean(
        "Processing", readonly=True, copy=False, help="The import runs in the background."
    )
    imported_page_count = fields.Integer("Pages imported", readonly=True, copy=False)
    imported_count = fields.Integer("Installations imported", readonly=True, copy=False)

    def _queue_processing(self):
        self.ensure_one()
        # Processing again after a stop resumes: pages and records already imported are kept.
        self.sudo()._hvac_set_protected({"processing_queued": True})
        self.message_post(body=self.env._("Processing started: the import runs in the background."))
        self.env.ref("hvac_connect.ir_cron_hvac_share_process")._trigger()

    @api.model
    def _cron_process(self):
        """Import the queued shares a page per transaction. A share whose row someone holds is
        left to a run a few minutes later; a call past its share of the worker's time stops
        between pages and tells the scheduler what is left, which calls it again."""
        shares = self.sudo().search(
            [("side", "=", "requester"), ("state", "=", "available"), ("processing_queued", "=", True)]
        )
        received = dict(
            self.env["hvac.share.page"].sudo()._read_group([("share_id", "in", shares.ids)], ["share_id"], ["__count"])
        )
        ready = shares.filtered(lambda share: received.get(share, 0) >= share.page_count)
        job = Job(self.env, sum(max(0, share.page_count - share.imported_page_count) for share in ready))
        held = self.browse()
        for share in ready:
            # In the language of whoever asked: the chatter lines and tracked states are for them.
            outcome = share.with_context(lang=share.create_uid.lang or self.env.lang)._import_pages(job)
            if outcome == "held":
                held |= share
            elif outcome == "paused":
                break
        again_soon(self.env, "hvac_connect.ir_cron_hvac_share_process", held)

    def _import_pages(self, job):
        """The pages not imported yet, each taken, imported and committed alone: a worker stopped
        mid-way (killed past its time limit, recycled) loses the page under way only, and the
        next run starts from ``imported_page_count``. Returns "held" when someone holds the
        share's row, "paused" when ``job`` says to stop here, else None."""
        self.ensure_one()
        pages = self.env["hvac.share.page"].search_fetch([("share_id", "=", self.id)], ["number"], order="number")
        if len(pages) < self.page_count:
            return None  # still receiving: the next run goes on
        user = self.create_uid  # the import runs with the rights of whoever asked for the share
        # Only ids and numbers are kept across pages: each page's data is read alone, and the
        # cache is emptied after it, so memory is bounded by one page whatever the share's size.
        for page_id, number in [(p.id, p.number) for p in pages if p.number >= self.imported_page_count]:
            if not take(self):
                return "held"
            began = time.perf_counter()
            received = self.env["hvac.share.page"].browse(page_id).data["installations"]
            try:
                with self.env.cr.savepoint():
                    self.with_user(user).with_company(self.company_id).with_context(**QUIET)._import_page(received)
            except (UserError, ValidationError, AccessError) as error:
                # Nothing of the page is kept; the user fixes the cause and processes again.
                self.env.invalidate_all()
                _logger.warning("Share %s: processing stopped on page %s: %s", self.id, number, error.args[0])
                self._hvac_set_protected({"processing_queued": False})
                self.message_post(body=self.env._("Processing stopped: %s", error.args[0]))
                commit(self.env)
                return None
            self._hvac_set_protected({"imported_page_count": number + 1})
            going_on = job.step(1)  # commits the page
            _logger.info(
                "Share %s: page %s imported (%s installations) in %.3f s",
                self.id,
                number,
                len(received),
                time.perf_counter() - began,
            )
            del received
            self.env.invalidate_all()  # what the page created is in the database, not in memory
            if not going_on:
                return "paused"
        if not take(self):
            return "held"
        self._finish_processing()
        return None

    def _finish_processing(self):
        self._hvac_set_protected({"state": "processed", "processing_queued": False})
        self.received_page_ids.unlink()  # imported: the copies are now our records
        self.message_post(body=self.env._("Processed: %s installations imported.", self.imported_count))
        self.activity_unlink(["mail.mail_activity_data_todo"])
        commit(self.env)

    # --- one page ------------------------------------------------------------------------------------
    def _import_page(self, received):
        """Each received installation joins ours, is left out, or is created under what the
        mapping says (the rest of the mapping in ``hvac_share_processing``)."""
        plan = self._mapping_plan(received)
        done = set(
            self.env["hvac.installation"]
            .search([("shared_from_share_id", "=", self.id), ("shared_from_ref", "in", [i["ref"] for i in received])])
            .mapped("shared_from_ref")
        )
        kept, joined = [], []
        for inst in received:
            if inst["ref"] in done or self._left_out(inst, plan):
                continue
            line = plan["installation"].get(inst["ref"])
            if line and line.installation_id:
                joined.append((inst, line.installation_id))
            else:
                kept.append(inst)
        self._join_existing(joined)
        fluids = self._fluids_for(kept)
        known = {kind: dict((self.import_map or {}).get(kind, {})) for kind in ("partners", "sites", "buildings")}
        buildings = self._buildings_for(kept, known, plan)
        installations = self.env["hvac.installation"].create(
            [self._installation_vals(inst, buildings[inst["ref"]], fluids) for inst in kept]
        )
        self._insert_history(zip(installations.ids, kept, strict=True))
        self._hvac_set_protected(
            {"import_map": known, "imported_count": self.imported_count + len(installations) + len(joined)}
        )

    def _fluids_for(self, received):
        """Our fluid for each received name; checked before anything of the page is created."""
        names = {inst["refrigerant"] for inst in received}
        fluids = {f.name: f.id for f in self.env["hvac.refrigerant"].search([("name", "in", list(names))])}
        unknown = sorted(names - set(fluids))
        if unknown:
            raise UserError(
                self.env._(
                    "These fluids are not in our list of refrigerants: %s. Add them, then process the share again.",
                    ", ".join(unknown),
                )
            )
        return fluids

    def _buildings_for(self, received, known, plan):
        """Our building for each received installation, by the mapping: the building chosen for
        the installation, else the building its building line maps to, else a copy of theirs in
        the location its location line maps to, and so on up to the customer; a copy is created
        (with its location and customer) the first time it is met."""
        chosen = {
            i["ref"]: plan["installation"][i["ref"]].building_id.id
            for i in received
            if i["ref"] in plan["installation"] and plan["installation"][i["ref"]].building_id
        }
        pending = [inst for inst in received if inst["ref"] not in chosen]
        self._mapped_partners(pending, known, plan)
        self._mapped_sites(pending, known, plan)
        self._mapped_buildings(pending, known, plan)
        return {
            inst["ref"]: chosen.get(inst["ref"]) or known["buildings"][inst["building"]["ref"]] for inst in received
        }

    def _create_customers(self, customers):
        """Copies of the received customers (dicts of the page), in one ``create``."""
        return self.env["res.partner"].create(
            [
                {
                    "name": c["name"],
                    "is_company": True,
                    "siret": c["siret"] or False,
                    "street": c["street"],
                    "zip": c["zip"],
                    "city": c["city"],
                    "email": c["email"],
                    "phone": c["phone"],
                }
                for c in customers
            ]
        )

    def _create_sites(self, sites):
        """Copies of the received locations (with the ``partner_id`` chosen), in the share's company."""
        return self.env["hvac.site"].create(
            [
                {
                    "name": s["name"],
                    "partner_id": s["partner_id"],
                    "street": s["street"],
                    "street2": s["street2"],
                    "zip": s["zip"],
                    "city": s["city"],
                    "company_id": self.company_id.id,
                }
                for s in sites
            ]
        )

    def _create_missing_buildings(self, received, known):
        buildings, new = known["buildings"], {}
        wanted = {inst["building"]["ref"]: inst for inst in received if inst["building"]["ref"] not in buildings}
        site_ids = {known["sites"][inst["site"]["ref"]] for inst in wanted.values()}
        existing = {
            (b.site_id.id, b.name): b.id for b in self.env["hvac.building"].search([("site_id", "in", list(site_ids))])
        }
        for ref, inst in wanted.items():
            key = (known["sites"][inst["site"]["ref"]], inst["building"]["name"])
            if key in existing:
                buildings[ref] = existing[key]  # a building of that name already in the location
            else:
                new[ref] = key
        created = self.env["hvac.building"].create(
            [{"site_id": site_id, "name": name} for site_id, name in new.values()]
        )
        buildings.update(zip(new, created.ids, strict=True))

    def _installation_vals(self, inst, building_id, fluids):
        return {
            "name": inst["name"],
            "building_id": building_id,
            "category": inst.get("category") or "other",
            "brand": inst["brand"],
            "model": inst["model"],
            "serial_number": inst["serial_number"],
            "commissioning_date": inst.get("commissioning_date") or False,
            "refrigerant_id": fluids[inst["refrigerant"]],
            "charge_kg": inst["charge_kg"],
            "hermetic": inst["hermetic"],
            "leak_detection_system": inst["leak_detection_system"],
            "shared_from_share_id": self.id,
            "shared_from_ref": inst["ref"],
        }

    def _insert_history(self, pairs):
        """The received interventions of [(our installation id, received installation)], in one
        statement. They are ten times as many as the installations and plain rows (no chatter,
        no field computed from them): through ``create`` they were most of a page's import.
        The page was checked against the protocol's schema when it was received; a key already
        stored (an import resumed) is skipped."""
        rows = [
            {
                "installation_id": installation_id,
                "author_company": fiche.get("author") or self.peer_company_name,
                "number": fiche["number"],
                "date": fiche["date"],
                "nature": fiche.get("nature"),
                "charged_kg": fiche.get("charged_kg", 0.0),
                "recovered_kg": fiche.get("recovered_kg", 0.0),
                "idempotency_key": f"{self.public_id}:{inst['ref']}:{fiche['number']}",
            }
            for installation_id, inst in pairs
            for fiche in inst.get("interventions", [])
        ]
        if not rows:
            return
        self.env["hvac.installation"].flush_model()
        self.env.cr.execute(
            SQL(
                """INSERT INTO hvac_shared_intervention (installation_id, company_id, author_company, number, date, nature,
                       charged_kg, recovered_kg, idempotency_key, connection_id, create_uid, create_date, write_uid, write_date)
               SELECT r.installation_id, i.company_id, r.author_company, r.number, r.date, r.nature, round(r.charged_kg, 3),
                      round(r.recovered_kg, 3), r.idempotency_key, %(connection)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                 FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(installation_id int, author_company varchar, number varchar,
                      date date, nature varchar, charged_kg numeric, recovered_kg numeric, idempotency_key varchar)
                 JOIN hvac_installation i ON i.id = r.installation_id
          ON CONFLICT (connection_id, idempotency_key) DO NOTHING""",
                uid=self.env.uid,
                now=fields.Datetime.now(),
                rows=json.dumps(rows),
                connection=self.connection_id.id,
            )
        )
        self.env["hvac.installation"].invalidate_model(["shared_intervention_ids"])
