import time
import xmlrpc.client
from datetime import date
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.hvac_connect.models.common import batch

from ..common import SIGNED, set_siret
from ..worker_commits import WorkerKilled, committing_worker
from .test_share_connection import ShareCase


@tagged("post_install", "-at_install")
class TestShareProcessing(ShareCase):
    """Processing by level (mapping onto our records), the background import in pages, re-sharing
    by role, the revocation cascade and what the recipient may edit; two companies of one database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fluid = cls.env.ref("hvac_connect.refrigerant_r_410a")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Hôpital Nord",
                "is_company": True,
                "siret": "26690027300019",
                "city": "Lyon",
                "company_id": cls.froid.id,
            }
        )
        Site = cls.env["hvac.site"].with_company(cls.froid)
        cls.site_a = Site.create(
            {
                "name": "Bâtiment A",
                "partner_id": cls.customer.id,
                "zip": "69004",
                "city": "Lyon",
                "company_id": cls.froid.id,
            }
        )
        cls.site_b = Site.create(
            {
                "name": "Bâtiment B",
                "partner_id": cls.customer.id,
                "zip": "69004",
                "city": "Lyon",
                "company_id": cls.froid.id,
            }
        )
        cls.installations = cls.env["hvac.installation"].create(
            [
                {
                    "name": f"Groupe {n}",
                    "building_id": site.building_ids.id,
                    "refrigerant_id": cls.fluid.id,
                    "charge_kg": 6.0,
                    "serial_number": f"SN-{n}",
                    "brand": "Daikin",
                }
                for n, site in enumerate([cls.site_a, cls.site_a, cls.site_b])
            ]
        )
        fiches = (
            cls.env["hvac.intervention"]
            .with_company(cls.froid)
            .create(
                [
                    {
                        **SIGNED,
                        "installation_id": cls.installations[0].id,
                        "company_id": cls.froid.id,
                        "date": f"2026-0{month}-15",
                        "nature": "periodic_check",
                        "charged_virgin_kg": 0.5,
                    }
                    for month in (3, 9)
                ]
            )
        )
        fiches.action_done()

    def _grant(
        self, level, selection, role="subcontractor", owner_conn=None, requester_conn=None, owner=None, requester=None
    ):
        """A request from the requester's side, approved on the owner's, prepared and received."""
        request = (
            self.env["hvac.share"]
            .with_user(requester or self.admin_clim)
            .create({"name": f"Partage {level}", "connection_id": requester_conn.id, "level_requested": level})
        )
        self.deliver()
        owned = (
            self.env["hvac.share"]
            .sudo()
            .search([("connection_id", "=", owner_conn.id), ("peer_share_id", "=", request.public_id)])
        )
        self.env["hvac.share.evaluate"].with_user(owner or self.admin_froid).with_context(
            default_share_id=owned.id
        ).create(dict(selection, level=level, role=role)).action_approve()
        self.deliver()
        self.env["hvac.share"]._cron_prepare()
        self.deliver()
        return owned, request

    def _wizard(self, request, user=None):
        # As the Process button does: the wizard is made on the server, its lines page by page.
        action = request.with_user(user or self.admin_clim).action_open_process()
        return self.env["hvac.share.process"].with_user(user or self.admin_clim).browse(action["res_id"])

    def _copies(self, request):
        return self.env["hvac.installation"].search([("shared_from_share_id", "=", request.id)], order="serial_number")

    def test_customer_level_copies_locations_buildings_and_history(self):
        inviter, invitee, _code = self._pair()
        _owned, request = self._grant(
            "customer", {"partner_ids": [(6, 0, self.customer.ids)]}, owner_conn=inviter, requester_conn=invitee
        )
        wizard = self._wizard(request)
        self.assertRecordValues(
            wizard.line_ids.filtered(lambda line: line.kind == "customer"),
            [{"kind": "customer", "received_name": "Hôpital Nord", "partner_id": False}],
        )
        wizard.action_process()
        self.assertEqual(request.state, "available", "nothing imported before the background job")
        self.deliver()
        copies = self._copies(request)
        self.assertEqual(copies.mapped("serial_number"), ["SN-0", "SN-1", "SN-2"])
        self.assertEqual(len(copies.partner_id), 1)
        self.assertRecordValues(
            copies.partner_id, [{"name": "Hôpital Nord", "siret": "26690027300019", "city": "Lyon"}]
        )
        self.assertNotEqual(copies.partner_id, self.customer, "a new customer: none of ours had that SIRET")
        self.assertEqual(
            sorted(copies.site_id.mapped("name")), ["Bâtiment A", "Bâtiment B"], "one copy of each location"
        )
        self.assertEqual(copies.company_id, self.clim)
        self.assertEqual(
            copies[0].shared_intervention_ids.mapped("author_company"),
            ["Froid Lyonnais"] * 2,
            "the owner's history comes along",
        )
        self.assertEqual(
            sorted(copies[0].shared_intervention_ids.mapped("number")),
            sorted(self.installations[0].intervention_ids.mapped("name")),
        )
        self.assertRecordValues(request, [{"state": "processed", "imported_count": 3, "processing_queued": False}])
        self.assertFalse(request.received_page_ids, "imported pages are not kept")

    def test_location_level_onto_our_location_or_under_our_customer(self):
        inviter, invitee, _code = self._pair()
        ours = self.env["res.partner"].create(
            {"name": "CH Nord", "is_company": True, "siret": "26690027300019", "company_id": self.clim.id}
        )
        our_site = (
            self.env["hvac.site"].with_user(self.admin_clim).create({"name": "CH Nord - A", "partner_id": ours.id})
        )
        _owned, request = self._grant(
            "location",
            {"site_ids": [(6, 0, (self.site_a | self.site_b).ids)]},
            owner_conn=inviter,
            requester_conn=invitee,
        )
        wizard = self._wizard(request)
        locations = wizard.line_ids.filtered(lambda line: line.kind == "location")
        self.assertEqual(len(locations), 2)
        # A location-level share carries no SIRET (customer level only): the user says whose it is.
        self.assertFalse(locations.partner_id, "nothing to propose a customer by")
        locations.partner_id = ours
        locations.filtered(lambda line: "Bâtiment A" in line.received_name).site_id = our_site
        wizard.action_process()
        self.deliver()
        copies = self._copies(request)
        self.assertEqual(
            copies[:2].building_id, our_site.building_ids, "joined our location's building of the same name"
        )
        self.assertRecordValues(
            copies[2].site_id, [{"name": "Bâtiment B", "partner_id": ours.id, "company_id": self.clim.id}]
        )
        self.assertEqual(self.env["res.partner"].search_count([("siret", "=", "26690027300019")]), 2, "no new customer")

    def test_installation_level_into_our_building_by_serial_number(self):
        inviter, invitee, _code = self._pair()
        ours = self.env["res.partner"].create(
            {"name": "CH Nord", "is_company": True, "siret": "26690027300019", "company_id": self.clim.id}
        )
        our_site = (
            self.env["hvac.site"]
            .with_user(self.admin_clim)
            .create({"name": "CH Nord - local technique", "partner_id": ours.id})
        )
        self.env["hvac.installation"].with_user(self.admin_clim).create(
            {
                "name": "Notre groupe",
                "building_id": our_site.building_ids.id,
                "refrigerant_id": self.fluid.id,
                "charge_kg": 6.0,
                "serial_number": "SN-0",
            }
        )
        _owned, request = self._grant(
            "installation",
            {"installation_ids": [(6, 0, self.installations[0].ids + self.installations[2].ids)]},
            owner_conn=inviter,
            requester_conn=invitee,
        )
        wizard = self._wizard(request)
        installation_lines = wizard.line_ids.filtered(lambda line: line.kind == "installation")
        self.assertEqual(
            installation_lines.mapped("building_id"),
            our_site.building_ids,
            "proposed where our installation of that serial number is",
        )
        self.assertEqual(len(installation_lines), 2)
        wizard.action_process()
        self.deliver()
        sn0, sn2 = self._copies(request)
        self.assertEqual(sn0.building_id, our_site.building_ids)
        # No SIRET below customer level: the new location goes under a new customer of that name.
        self.assertRecordValues(sn2.site_id, [{"name": "Bâtiment B"}])
        self.assertRecordValues(sn2.partner_id, [{"name": "Hôpital Nord", "siret": False}])

    def test_import_in_pages_resumes_without_duplicates(self):
        inviter, invitee, _code = self._pair()
        more = self.env["hvac.installation"].create(
            [
                {
                    "name": f"Split {n}",
                    "building_id": self.site_a.building_ids.id,
                    "refrigerant_id": self.fluid.id,
                    "charge_kg": 2.0,
                    "serial_number": f"SP-{n}",
                }
                for n in range(3)
            ]
        )
        with patch.object(type(self.env["hvac.share"]), "_page_size", 2):
            _owned, request = self._grant(
                "installation",
                {"installation_ids": [(6, 0, (self.installations[:2] | more).ids)]},
                owner_conn=inviter,
                requester_conn=invitee,
            )
        self.assertEqual((request.page_count, len(request.received_page_ids)), (3, 3))
        self.assertTrue(all(page.size_bytes > 100 for page in request.received_page_ids))
        self._wizard(request).action_process()
        request.sudo()._import_page(request.received_page_ids[0].data["installations"])  # a crash right after page 1
        request._hvac_set_protected({"imported_page_count": 0})  # ... before its progress was saved
        self.deliver()
        copies = self._copies(request)
        self.assertEqual(len(copies), 5, "no installation imported twice")
        self.assertEqual(len(copies.site_id), 1, "the location spread over three pages was created once")
        self.assertEqual(len(copies.building_id), 1)
        self.assertRecordValues(request, [{"state": "processed", "imported_count": 5}])
        history = copies.shared_intervention_ids
        self.assertEqual(len(history), 2, "the history of the page imported twice is there once")
        self.assertRecordValues(
            history.sorted("date"),
            [
                {
                    "date": date(2026, month, 15),
                    "nature": "periodic_check",
                    "charged_kg": 0.5,
                    "company_id": self.clim.id,
                    "author_company": "Froid Lyonnais",
                    "create_uid": self.admin_clim.id,
                }
                for month in (3, 9)
            ],
        )

    def test_import_killed_after_a_page_resumes_on_the_next_run(self):
        """A worker killed (time limit) or recycled in the middle of an import keeps the pages it
        committed; the next run starts at the next page; a call past its time stops between two
        pages and tells the scheduler what is left; a share someone holds is left for minutes."""
        inviter, invitee, _code = self._pair()
        more = self.env["hvac.installation"].create(
            [
                {
                    "name": f"Split {n}",
                    "building_id": self.site_a.building_ids.id,
                    "refrigerant_id": self.fluid.id,
                    "charge_kg": 2.0,
                    "serial_number": f"SP-{n}",
                }
                for n in range(5)
            ]
        )
        with patch.object(type(self.env["hvac.share"]), "_page_size", 2):
            _owned, request = self._grant(
                "installation",
                {"installation_ids": [(6, 0, (self.installations[:1] | more).ids)]},
                owner_conn=inviter,
                requester_conn=invitee,
            )
        self.assertEqual(request.page_count, 3)
        self._wizard(request).action_process()
        Share = type(self.env["hvac.share"])
        import_page = Share._import_page
        imported = []

        def dying_on_the_second_page(share, received):
            if imported:
                import_page(share, received)  # the page's records are written, not yet committed
                raise WorkerKilled
            imported.append(sorted(inst["ref"] for inst in received))
            return import_page(share, received)

        with committing_worker(self.env) as worker:
            with patch.object(Share, "_import_page", dying_on_the_second_page):
                self.assertTrue(worker.run(self.env["hvac.share"]._cron_process), "the worker died")
        self.assertEqual(worker.commits, 1, "the first page was committed")
        self.assertRecordValues(
            request, [{"state": "available", "processing_queued": True, "imported_page_count": 1, "imported_count": 2}]
        )
        self.assertEqual(len(self._copies(request)), 2, "what the second page wrote died with the worker")

        # Someone holds the share's row (a user saving it): the job leaves it and comes back soon.
        cron = self.env.ref("hvac_connect.ir_cron_hvac_share_process")
        triggers = self.env["ir.cron.trigger"].sudo().search([("cron_id", "=", cron.id)])
        with patch.object(batch, "_lock_free", lambda cr, table, ids: set()):
            self.env["hvac.share"]._cron_process()
        self.assertEqual(request.imported_page_count, 1)
        self.assertEqual(len(self.env["ir.cron.trigger"].sudo().search([("cron_id", "=", cron.id)]) - triggers), 1)

        # The next runs, as the scheduler calls them, each call past its time after one page.
        progress_seen = []
        with (
            patch.object(
                Share,
                "_import_page",
                lambda share, received: imported.append(sorted(inst["ref"] for inst in received))
                or import_page(share, received),
            ),
            patch.object(batch, "_deadline", lambda env: time.monotonic()),
        ):
            for _call in range(3):
                _cron, progress = cron.sudo()._add_progress()
                self.env["hvac.share"].with_context(ir_cron_progress_id=progress.id)._cron_process()
                progress_seen.append((progress.done, progress.remaining))
                if not progress.remaining:
                    break
        self.assertEqual(progress_seen, [(1, 1), (1, 0)])
        self.assertEqual(len(imported), 3, "each page imported once")
        refs = [ref for page in imported for ref in page]
        self.assertEqual(len(refs), len(set(refs)))
        copies = self._copies(request)
        self.assertEqual(len(copies), 6, "nothing lost, nothing twice")
        self.assertEqual(len(copies.site_id), 1)
        self.assertRecordValues(request, [{"state": "processed", "imported_count": 6, "processing_queued": False}])
        self.assertEqual(len(copies.shared_intervention_ids), 2)

    def test_a_page_reads_only_its_own_mapping_lines(self):
        inviter, invitee, _code = self._pair()
        more = self.env["hvac.installation"].create(
            [
                {
                    "name": f"Split {n}",
                    "building_id": self.site_b.building_ids.id,
                    "refrigerant_id": self.fluid.id,
                    "charge_kg": 2.0,
                    "serial_number": f"SP-{n}",
                }
                for n in range(3)
            ]
        )
        with patch.object(type(self.env["hvac.share"]), "_page_size", 2):
            _owned, request = self._grant(
                "customer", {"partner_ids": [(6, 0, self.customer.ids)]}, owner_conn=inviter, requester_conn=invitee
            )
        wizard = self._wizard(request)
        # One line per received item, whatever the page it came on: the location of three pages once.
        self.assertEqual(
            wizard.line_ids.mapped("kind"), ["customer"] + ["location"] * 2 + ["building"] * 2 + ["installation"] * 6
        )
        wizard.action_process()
        self.assertEqual(len(request.sudo().mapping_ids), 11, "the confirmed lines became the share's mapping")
        with self.assertRaisesRegex(UserError, "not being processed yet"):
            request.with_user(self.admin_clim).action_open_process()
        first_page = request.received_page_ids.sorted("number")[0].data["installations"]
        plan = request.sudo()._mapping_plan(first_page)
        # Whatever the share's size, a page's import reads the lines of that page and of what its
        # installations are under: not the 6 installations' lines of the share.
        self.assertEqual(set(plan["installation"]), {inst["ref"] for inst in first_page})
        self.assertEqual(set(plan["building"]), {inst["building"]["ref"] for inst in first_page})
        self.assertEqual(set(plan["location"]), {inst["site"]["ref"] for inst in first_page})
        self.assertEqual(len(plan["customer"]), 1)
        self.assertEqual(
            len(request.sudo().mapping_ids.filtered(lambda line: line.kind == "installation")), 3 + len(more)
        )

    def test_a_page_that_breaks_the_protocol_is_not_kept(self):
        inviter, invitee, _code = self._pair()
        Share = type(self.env["hvac.share"])
        serve = Share._page
        cases = {
            "negative quantity": lambda inst: inst["interventions"][0].update(charged_kg=-500.0),
            "absurd quantity": lambda inst: inst["interventions"][0].update(recovered_kg=1e12),
            "nature outside the selection": lambda inst: inst["interventions"][0].update(nature="sabotage"),
            "10,000-character name": lambda inst: inst.update(name="x" * 10_000),
            "no customer": lambda inst: inst.pop("customer"),
            "bad date": lambda inst: inst["interventions"][0].update(date="2026-13-45"),
            "no such day": lambda inst: inst.update(commissioning_date="2024-02-31"),
        }
        for label, spoil in cases.items():
            with self.subTest(label):

                def spoiled(share, number, spoil=spoil):
                    page = serve(share, number)
                    spoil(page["installations"][0])
                    return page

                with (
                    patch.object(Share, "_page", spoiled),
                    self.assertLogs("odoo.addons.hvac_connect.models.sharing.hvac_share", "WARNING") as logs,
                ):
                    _owned, request = self._grant(
                        "installation",
                        {"installation_ids": [(6, 0, self.installations[:1].ids)]},
                        owner_conn=inviter,
                        requester_conn=invitee,
                    )
                self.assertIn("a page was refused", logs.output[0])
                self.assertFalse(request.received_page_ids, "nothing of the page is kept")
                self.assertEqual(request.state, "available")
                self.assertTrue(request.fetch_error, "the share says why")
                self.assertIn("was refused and not kept", request.message_ids[0].body)
        # The next run meets the same refusal: the chatter is not told again.
        with (
            patch.object(Share, "_page", spoiled),
            self.assertLogs("odoo.addons.hvac_connect.models.sharing.hvac_share", "WARNING"),
        ):
            messages = len(request.message_ids)
            self.deliver()
        self.assertEqual(len(request.message_ids), messages)
        self.deliver()  # the owner's server serves sane pages again
        self.assertEqual(len(request.received_page_ids), 1)
        self.assertFalse(request.fetch_error)

    def test_unknown_fluid_stops_processing_and_keeps_nothing_of_the_page(self):
        inviter, invitee, _code = self._pair()
        _owned, request = self._grant(
            "installation",
            {"installation_ids": [(6, 0, self.installations[:1].ids)]},
            owner_conn=inviter,
            requester_conn=invitee,
        )
        page = request.received_page_ids
        page.sudo().data = {"number": 0, "installations": [dict(page.data["installations"][0], refrigerant="R-9999")]}
        self._wizard(request).action_process()
        self.deliver()
        self.assertRecordValues(request, [{"state": "available", "processing_queued": False}])
        self.assertIn("R-9999", request.message_ids[0].body)
        self.assertFalse(self._copies(request))
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Hôpital Nord"), ("id", "!=", self.customer.id)]),
            "nothing of the page is kept",
        )

    def test_processing_needs_installations_manager(self):
        inviter, invitee, _code = self._pair()
        user = new_test_user(
            self.env,
            "share_only",
            groups="base.group_user,hvac_connect.group_share_user",
            company_id=self.clim.id,
            company_ids=[(6, 0, self.clim.ids)],
        )
        _owned, request = self._grant(
            "installation",
            {"installation_ids": [(6, 0, self.installations[:1].ids)]},
            owner_conn=inviter,
            requester_conn=invitee,
        )
        with self.assertRaisesRegex(UserError, "Installations: Manager"):
            self._wizard(request, user).action_process()

    def _reshare_chain(self, first_role):
        """Froid shares with Clim; Tiers, connected to Clim, asks Clim for the same installations."""
        tiers = self.env["res.company"].create({"name": "Tiers Froid"})
        set_siret(tiers, "55210055400013")
        groups = (
            "base.group_user,base.group_partner_manager,hvac_connect.group_share_admin,hvac_connect.group_hvac_manager"
        )
        admin_tiers = new_test_user(
            self.env, "share_tiers", groups=groups, company_id=tiers.id, company_ids=[(6, 0, tiers.ids)]
        )
        froid_conn, clim_conn, _code = self._pair()
        _owned, received = self._grant(
            "installation",
            {"installation_ids": [(6, 0, self.installations.ids)]},
            role=first_role,
            owner_conn=froid_conn,
            requester_conn=clim_conn,
        )
        self._wizard(received).action_process()
        self.deliver()
        clim_to_tiers, tiers_conn, _code = self._pair(self.admin_clim, admin_tiers)
        ask = (
            self.env["hvac.share"]
            .with_user(admin_tiers)
            .create({"name": "Sous-traitance", "connection_id": tiers_conn.id})
        )
        self.deliver()
        owned_by_clim = (
            self.env["hvac.share"]
            .sudo()
            .search([("connection_id", "=", clim_to_tiers.id), ("peer_share_id", "=", ask.public_id)])
        )
        return received, owned_by_clim, ask, admin_tiers

    def _approve(self, share, user, installations, role):
        return (
            self.env["hvac.share.evaluate"]
            .with_user(user)
            .with_context(default_share_id=share.id)
            .create({"level": "installation", "installation_ids": [(6, 0, installations.ids)], "role": role})
            .action_approve()
        )

    def test_reshare_follows_the_role_received(self):
        received, owned_by_clim, ask, admin_tiers = self._reshare_chain("subcontractor")
        copies = self._copies(received)
        with self.assertRaisesRegex(UserError, "only with subcontractors, or lend it"):
            self._approve(owned_by_clim, self.admin_clim, copies, "installation_manager")
        self.assertEqual(owned_by_clim.state, "to_evaluate", "nothing granted")
        self._approve(owned_by_clim, self.admin_clim, copies, "borrowed")
        self.deliver()
        self.env["hvac.share"]._cron_prepare()
        self.deliver()
        self._wizard(ask, admin_tiers).action_process()
        self.deliver()
        theirs = self._copies(ask)
        self.assertEqual(len(theirs), 3)
        with self.assertRaisesRegex(UserError, "borrowed access cannot be shared"):
            self.env["hvac.share"].with_user(admin_tiers)._check_reshare(theirs, "borrowed")

    def test_installation_manager_may_reshare_under_any_role(self):
        received, owned_by_clim, _ask, _admin_tiers = self._reshare_chain("installation_manager")
        self._approve(owned_by_clim, self.admin_clim, self._copies(received), "installation_manager")
        self.assertEqual(owned_by_clim.state, "in_preparation")

    def test_revocation_cascades_to_accesses_granted_in_turn(self):
        received, owned_by_clim, ask, admin_tiers = self._reshare_chain("subcontractor")
        self._approve(owned_by_clim, self.admin_clim, self._copies(received), "subcontractor")
        self.deliver()
        self.env["hvac.share"]._cron_prepare()
        self.deliver()
        self._wizard(ask, admin_tiers).action_process()
        self.deliver()
        froid_share = self.env["hvac.share"].sudo().search([("peer_share_id", "=", received.public_id)])
        froid_share.with_user(self.admin_froid).action_revoke()
        self.deliver()  # Froid tells Clim ...
        self.deliver()  # ... and Clim tells Tiers
        self.assertEqual((received.state, owned_by_clim.state, ask.state), ("revoked", "revoked", "revoked"))
        self.assertTrue(all(self._copies(ask).mapped("shared_revoked")), "the third company keeps read-only copies too")
        self.assertIn("Revoked because Froid Lyonnais revoked", " ".join(owned_by_clim.message_ids.mapped("body")))

    def test_recipient_edits_properties_not_where_it_stands(self):
        inviter, invitee, _code = self._pair()
        _owned, request = self._grant(
            "installation",
            {"installation_ids": [(6, 0, self.installations[:1].ids)]},
            owner_conn=inviter,
            requester_conn=invitee,
        )
        self._wizard(request).action_process()
        self.deliver()
        copy = self._copies(request).with_user(self.admin_clim)
        copy.write({"brand": "Daikin Europe", "model": "RZQ", "charge_kg": 6.5})
        self.assertEqual(self.installations[0].brand, "Daikin", "the owner's installation is its own")
        other = (
            self.env["hvac.site"]
            .with_user(self.admin_clim)
            .create({"name": "Ailleurs", "partner_id": copy.partner_id.id})
        )
        with self.assertRaisesRegex(UserError, "stays in the building it was received in"):
            copy.building_id = other.building_ids

    def test_the_background_import_speaks_the_requesters_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["hvac_connect"], ["fr_FR"], overwrite=True)
        self.admin_clim.lang = "fr_FR"
        inviter, invitee, _code = self._pair()
        _owned, request = self._grant(
            "installation",
            {"installation_ids": [(6, 0, self.installations[:2].ids)]},
            owner_conn=inviter,
            requester_conn=invitee,
        )
        self._wizard(request).action_process()
        self.env["hvac.share"].with_context(lang="en_US")._cron_process()  # the scheduler's own language
        self.assertEqual(request.state, "processed")
        self.assertIn("Traité : 2 installations importées.", " ".join(request.message_ids.mapped("body")))

    # --- over XML-RPC, as the web client or any integration calls it ---------------------------------
    def _rpc(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs)

    def _rpc_refused(self, user, model, method, *args, **kwargs):
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as caught:
            self._rpc(user, model, method, *args, **kwargs)
        self.assertNotIn("Traceback", caught.exception.faultString.splitlines()[0])
        return caught.exception.faultString

    def test_a_line_joins_only_a_record_of_the_share_company(self):
        inviter, invitee, _code = self._pair()
        _owned, request = self._grant(
            "installation",
            {"installation_ids": [(6, 0, self.installations[:1].ids)]},
            owner_conn=inviter,
            requester_conn=invitee,
        )
        wizard = self._rpc(self.admin_clim, "hvac.share", "action_open_process", [request.id])["res_id"]
        line = self._rpc(
            self.admin_clim,
            "hvac.share.process.line",
            "search",
            [("wizard_id", "=", wizard), ("kind", "=", "installation")],
        )
        # The owner's own installation (Froid Lyonnais's), named in the line by its id.
        self._rpc(
            self.admin_clim, "hvac.share.process.line", "write", line, {"installation_id": self.installations[1].id}
        )
        refusal = self._rpc_refused(self.admin_clim, "hvac.share.process", "action_process", [wizard])
        self.assertIn("choose one of this share's company's own records", refusal)
        self.assertFalse(self.installations[1].shared_from_share_id, "another company's installation is not joined")
        self.assertFalse(request.sudo().mapping_ids)
        self.assertFalse(request.processing_queued)

    def test_processing_lines_are_their_users_and_the_mapping_its_companys(self):
        inviter, invitee, _code = self._pair()
        _owned, request = self._grant(
            "installation",
            {"installation_ids": [(6, 0, self.installations[:1].ids)]},
            owner_conn=inviter,
            requester_conn=invitee,
        )
        wizard = self._rpc(self.admin_clim, "hvac.share", "action_open_process", [request.id])["res_id"]
        lines = self._rpc(self.admin_clim, "hvac.share.process.line", "search", [("wizard_id", "=", wizard)])
        colleague = new_test_user(
            self.env,
            "clim_colleague",
            groups="base.group_user,hvac_connect.group_share_user",
            company_id=self.clim.id,
            company_ids=[(6, 0, self.clim.ids)],
        )
        self.assertFalse(self._rpc(colleague, "hvac.share.process.line", "search", [("wizard_id", "=", wizard)]))
        self._rpc_refused(colleague, "hvac.share.process.line", "write", lines, {"leave_out": True})
        self._rpc_refused(
            colleague,
            "hvac.share.process.line",
            "create",
            {"wizard_id": wizard, "kind": "customer", "ref": "x", "received_name": "x"},
        )
        self._rpc_refused(colleague, "hvac.share.process", "read", [wizard], ["summary"])
        self._rpc(self.admin_clim, "hvac.share.process", "action_process", [wizard])
        self.assertEqual(len(request.sudo().mapping_ids), 4)
        self.assertFalse(
            self._rpc(self.admin_froid, "hvac.share.mapping", "search", [("share_id", "=", request.id)]),
            "the requester's mapping is not the owner's to read",
        )

    def test_processing_waits_for_every_page(self):
        inviter, invitee, _code = self._pair()
        _owned, request = self._grant(
            "installation",
            {"installation_ids": [(6, 0, self.installations[:1].ids)]},
            owner_conn=inviter,
            requester_conn=invitee,
        )
        request._hvac_set_protected({"page_count": 2})  # the second page is still on its way
        refusal = self._rpc_refused(self.admin_clim, "hvac.share", "action_open_process", [request.id])
        self.assertIn("still being received (1 of 2 pages)", refusal)
        self.assertFalse(self.env["hvac.share.process"].sudo().search([("share_id", "=", request.id)]))

    def test_a_user_of_both_companies_is_proposed_only_the_share_companys_customer(self):
        inviter, invitee, _code = self._pair()
        both = new_test_user(
            self.env,
            "share_both",
            groups="base.group_user,base.group_partner_manager,hvac_connect.group_share_admin,hvac_connect.group_hvac_manager",
            company_id=self.clim.id,
            company_ids=[(6, 0, (self.clim | self.froid).ids)],
        )
        _owned, request = self._grant(
            "customer",
            {"partner_ids": [(6, 0, self.customer.ids)]},
            owner_conn=inviter,
            requester_conn=invitee,
            requester=both,
        )
        # Froid's own customer has the SIRET received and this user, both companies ticked, reads it:
        # it is not proposed.
        action = (
            request.with_user(both).with_context(allowed_company_ids=(self.clim | self.froid).ids).action_open_process()
        )
        wizard = self.env["hvac.share.process"].with_user(both).browse(action["res_id"])
        self.assertFalse(wizard.line_ids.filtered(lambda line: line.kind == "customer").partner_id)
        wizard.action_process()
        self.assertTrue(request.processing_queued, "what was proposed can be confirmed")
