from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class HvacShare(models.Model):
    """Requester side: the mapping confirmed in the processing wizard (``hvac.share.mapping``),
    at every level: a received item joins one of ours, is created, or is left out with
    everything under it. The background import of ``hvac_share_import`` follows it, page by page."""

    _inherit = "hvac.share"

    mapping_ids = fields.One2many("hvac.share.mapping", "share_id", "Where received data goes", readonly=True)

    def action_open_process(self):
        """The processing wizard, its lines made here page by page: opened from a window action,
        the browser would be sent every line of the share at once."""
        self.ensure_one()
        self._check_processable()
        # In the share's company: what is proposed to join is ours there, whatever company the user works in.
        Process = self.env["hvac.share.process"].with_company(self.company_id)
        return Process.create({"share_id": self.id})._reopen()

    def _check_processable(self):
        if self.side != "requester" or self.state != "available" or self.processing_queued:
            raise UserError(
                self.env._("Only an available share we asked for, not being processed yet, can be processed.")
            )
        if len(self.received_page_ids) < self.page_count:
            # Mapped before every page is in, the later pages would be imported unmatched.
            raise UserError(
                self.env._(
                    "The share is still being received (%(have)s of %(total)s pages): try again in a moment.",
                    have=len(self.received_page_ids),
                    total=self.page_count,
                )
            )

    def _set_mapping_from(self, wizard):
        """Replace the mapping by the wizard's lines (processing again after a stop may change it:
        what was imported stays), copied in one statement: a share may have tens of thousands."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(SQL("DELETE FROM hvac_share_mapping WHERE share_id = %s", self.id))
        self.env.cr.execute(
            SQL(
                """INSERT INTO hvac_share_mapping (share_id, company_id, kind, ref, parent_ref, received_name, leave_out, partner_id,
                       site_id, building_id, installation_id, create_uid, create_date, write_uid, write_date)
               SELECT %(share)s, %(company)s, kind, ref, parent_ref, received_name, coalesce(leave_out, false), partner_id,
                      site_id, building_id, installation_id, %(uid)s, %(now)s, %(uid)s, %(now)s
                 FROM hvac_share_process_line WHERE wizard_id = %(wizard)s""",
                share=self.id,
                company=self.company_id.id,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                wizard=wizard.id,
            )
        )
        self.invalidate_recordset(["mapping_ids"])

    def _mapping_plan(self, received):
        return self.env["hvac.share.mapping"].sudo()._plan_for(self, received)

    @staticmethod
    def _left_out(inst, plan):
        # Leaving out a customer leaves out its locations, buildings and installations, and so on.
        keys = (
            ("customer", inst["customer"]["ref"]),
            ("location", inst["site"]["ref"]),
            ("building", inst["building"]["ref"]),
            ("installation", inst["ref"]),
        )
        return any(plan[kind].get(ref) and plan[kind][ref].leave_out for kind, ref in keys)

    def _join_existing(self, joined):
        """Our installation becomes the one the owner shares: no copy, their history joins ours,
        and interventions travel both ways from now on."""
        for inst, ours in joined:
            # The mapping is read as superuser: the installation joined is checked as the user.
            ours = ours.with_env(self.env)
            if ours.company_id != self.company_id:
                raise UserError(self.env._("%s is not an installation of this share's company.", ours.display_name))
            if ours.shared_from_share_id and ours.shared_from_share_id != self:
                raise UserError(
                    self.env._(
                        "%s is already linked to another share: choose another installation or a new one.", ours.name
                    )
                )
            ours.write({"shared_from_share_id": self.id, "shared_from_ref": inst["ref"]})
        self._insert_history((ours.id, inst) for inst, ours in joined)

    @staticmethod
    def _line_target(plan, kind, ref, field):
        line = plan[kind].get(ref)
        return line[field].id if line and line[field] else False

    def _needs_new_site(self, inst, known, plan):
        bref, sref = inst["building"]["ref"], inst["site"]["ref"]
        if bref in known["buildings"] or self._line_target(plan, "building", bref, "building_id"):
            return False
        return sref not in known["sites"] and not self._line_target(plan, "location", sref, "site_id")

    def _partner_of(self, inst, known, plan):
        # A location attached to one of our customers goes under it, else under its customer's mapping.
        return (
            self._line_target(plan, "location", inst["site"]["ref"], "partner_id")
            or self._line_target(plan, "customer", inst["customer"]["ref"], "partner_id")
            or known["partners"].get(inst["customer"]["ref"])
        )

    def _mapped_partners(self, received, known, plan):
        new = {}
        for inst in received:
            if self._needs_new_site(inst, known, plan) and not self._partner_of(inst, known, plan):
                new.setdefault(inst["customer"]["ref"], inst["customer"])
        created = self._create_customers(new.values())
        known["partners"].update(zip(new, created.ids, strict=True))

    def _mapped_sites(self, received, known, plan):
        sites, new = known["sites"], {}
        for inst in received:
            sref = inst["site"]["ref"]
            if sref in sites:
                continue
            if site_id := self._line_target(plan, "location", sref, "site_id"):
                sites[sref] = site_id
            elif self._needs_new_site(inst, known, plan):
                new.setdefault(sref, dict(inst["site"], partner_id=self._partner_of(inst, known, plan)))
        created = self._create_sites(new.values())
        sites.update(zip(new, created.ids, strict=True))

    def _mapped_buildings(self, received, known, plan):
        for inst in received:
            bref = inst["building"]["ref"]
            if bref not in known["buildings"] and (
                building_id := self._line_target(plan, "building", bref, "building_id")
            ):
                known["buildings"][bref] = building_id
        # The rest: copies of theirs, joining a building of the same name in the location.
        self._create_missing_buildings(received, known)

    def _receive_revoke(self):
        # An installation of ours that joined the share was ours before: it stays ours, writable,
        # and no longer linked; only the copies become read-only.
        joined = self.sudo().mapping_ids.installation_id.filtered(lambda i: i.shared_from_share_id == self)
        joined.sudo().write({"shared_from_share_id": False, "shared_from_ref": False})
        return super()._receive_revoke()
