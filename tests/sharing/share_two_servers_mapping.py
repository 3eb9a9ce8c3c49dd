"""Two-server tests of mapping a received share onto our records, mixed into ``TestShareTwoServers`` (one peer database for all)."""

import xmlrpc.client

from odoo.exceptions import UserError
from odoo.tests import new_test_user

PARC_SIRET = "73282932000074"


class ShareTwoServersMapping:
    allow_inherited_tests_method = True  # Odoo's loader runs only a class's own test methods otherwise

    def _parc_on_both_servers(self):
        """Clinique du Parc at the owner (two locations, four installations); at the requester, the
        same customer with the first location and one of its installations already entered."""
        fluid = self.env.ref("hvac_connect.refrigerant_r_410a")
        customer = self.env["res.partner"].create(
            {"name": "Clinique du Parc", "is_company": True, "siret": PARC_SIRET, "company_id": self.froid.id}
        )
        Site = self.env["hvac.site"]
        main = Site.create(
            {
                "name": "Clinique du Parc",
                "partner_id": customer.id,
                "street": "12 rue Garibaldi",
                "zip": "69006",
                "city": "Lyon",
                "company_id": self.froid.id,
            }
        )
        annex = Site.create(
            {
                "name": "Clinique du Parc - annexe",
                "partner_id": customer.id,
                "street": "3 rue Vendôme",
                "zip": "69006",
                "city": "Lyon",
                "company_id": self.froid.id,
            }
        )
        specs = [
            (main, "PAC 1", "DK-001", "Daikin"),
            (main, "PAC 2", "DK-002", "Daikin"),
            (annex, "Split annexe", "MT-9", "Mitsubishi"),
            (annex, "Groupe froid annexe", "CR-7", "Carrier"),
        ]
        self.env["hvac.installation"].create(
            [
                {
                    "name": name,
                    "building_id": site.building_ids.id,
                    "refrigerant_id": fluid.id,
                    "charge_kg": 5.0,
                    "serial_number": serial,
                    "brand": brand,
                }
                for site, name, serial, brand in specs
            ]
        )
        peer = self.peer
        theirs = peer.call(
            "res.partner",
            "create",
            {
                "name": "Clinique du Parc (chez Clim)",
                "is_company": True,
                "siret": PARC_SIRET,
                "company_id": peer.ref("base.main_company"),
            },
        )
        their_site = peer.call(
            "hvac.site",
            "create",
            {
                "name": "Clinique Parc",
                "partner_id": theirs,
                "street": "12, rue Garibaldi",
                "zip": "69006",
                "city": "Lyon",
            },
        )
        their_building = peer.read("hvac.site", [their_site], ["building_ids"])[0]["building_ids"][0]
        their_pac = peer.call(
            "hvac.installation",
            "create",
            {
                "name": "PAC 1 (notre fiche)",
                "building_id": their_building,
                "refrigerant_id": peer.ref("hvac_connect.refrigerant_r_410a"),
                "charge_kg": 5.0,
                "serial_number": "DK 001",
                "brand": "DAIKIN",
            },
        )
        return customer, theirs, their_site, their_building, their_pac

    def test_customer_share_mapped_onto_existing_sites_and_installations(self):
        customer, theirs, their_site, their_building, their_pac = self._parc_on_both_servers()
        _ours, connection = self._connect()
        _owned, request = self._request_and_approve(
            connection, "customer", {"partner_ids": [(6, 0, customer.ids)]}, "subcontractor"
        )
        peer = self.peer
        peer.run_cron("hvac_connect.ir_cron_hvac_share_fetch")
        wizard = peer.call("hvac.share", "action_open_process", [request])["res_id"]  # the Process button
        lines = peer.call(
            "hvac.share.process.line",
            "search_read",
            [("wizard_id", "=", wizard)],
            ["kind", "received_name", "partner_id", "site_id", "building_id", "installation_id"],
        )
        proposed = {(line["kind"], line["received_name"]): line for line in lines}
        self.assertEqual(
            [line["kind"] for line in lines],
            [
                "customer",
                "location",
                "location",
                "building",
                "building",
                "installation",
                "installation",
                "installation",
                "installation",
            ],
        )
        self.assertEqual(proposed["customer", "Clinique du Parc"]["partner_id"][0], theirs, "same SIRET")
        self.assertEqual(
            proposed["location", "Clinique du Parc / Clinique du Parc (69006 Lyon)"]["site_id"][0],
            their_site,
            "same address",
        )
        self.assertFalse(
            proposed["location", "Clinique du Parc / Clinique du Parc - annexe (69006 Lyon)"]["site_id"],
            "no such address: a new site",
        )
        self.assertEqual(
            proposed["building", "Clinique du Parc / Main building"]["building_id"][0],
            their_building,
            "same building name",
        )
        self.assertEqual(
            proposed["installation", "Clinique du Parc / Clinique du Parc / PAC 1 (Daikin DK-001)"]["installation_id"][
                0
            ],
            their_pac,
            "same serial number and brand",
        )
        left_out = proposed[
            "installation", "Clinique du Parc / Clinique du Parc - annexe / Groupe froid annexe (Carrier CR-7)"
        ]
        peer.call("hvac.share.process.line", "write", [left_out["id"]], {"leave_out": True})
        peer.call("hvac.share.process", "action_review", [wizard])
        summary = peer.read("hvac.share.process", [wizard], ["summary"])[0]["summary"]
        self.assertEqual(
            summary,
            "1 installation(s) joined to existing ones, 2 new installation(s), 1 new site(s), 0 new customer(s), 1 installation(s) left out.",
        )
        peer.call("hvac.share.process", "action_process", [wizard])
        self.deliver_peer()

        self.assertEqual(peer.read("hvac.share", [request], ["state"])[0]["state"], "processed")
        self.assertEqual(
            peer.call("res.partner", "search_count", [("siret", "=", PARC_SIRET)]), 1, "no second customer"
        )
        sites = peer.call("hvac.site", "search_read", [("partner_id", "=", theirs)], ["name", "street"], order="id")
        self.assertEqual(
            [s["name"] for s in sites], ["Clinique Parc", "Clinique du Parc - annexe"], "one existing site, one new"
        )
        linked = peer.call(
            "hvac.installation",
            "search_read",
            [("shared_from_share_id", "=", request)],
            ["name", "serial_number", "site_id"],
            order="name",
        )
        self.assertEqual(
            [(i["name"], i["site_id"][0]) for i in linked],
            [("PAC 1 (notre fiche)", their_site), ("PAC 2", their_site), ("Split annexe", sites[1]["id"])],
        )
        self.assertEqual(
            peer.call("hvac.installation", "search_count", [("serial_number", "in", ["DK-001", "DK 001"])]),
            1,
            "the existing installation joined: no duplicate",
        )
        self.assertFalse(peer.call("hvac.installation", "search_count", [("serial_number", "=", "CR-7")]), "left out")
        self.assertEqual(
            peer.call("hvac.building", "search_count", [("site_id", "=", their_site)]),
            1,
            "PAC 2 went into the existing building",
        )

    def test_withdraw_one_installation_with_its_cascade(self):
        """Froid grants Clim (peer server) three installations; Clim lends them to Tiers (this
        server); Froid withdraws one: gone for Clim and for Tiers, the other two stay shared."""
        tiers = self.env["res.company"].create({"name": "Tiers Froid", "siret": "55208131766522"})
        groups = (
            "base.group_user,base.group_partner_manager,hvac_connect.group_share_admin,hvac_connect.group_hvac_manager"
        )
        admin_tiers = new_test_user(
            self.env, "share_tiers_withdraw", groups=groups, company_id=tiers.id, company_ids=[(6, 0, tiers.ids)]
        )
        _ours, theirs = self._connect()
        owned, request = self._request_and_approve(
            theirs, "installation", {"installation_ids": [(6, 0, self.installations.ids)]}, "subcontractor"
        )
        copies = self._process_on_peer(request)
        peer = self.peer
        invitation = peer.call("hvac.connection", "action_invite", [])["res_id"]
        code = peer.read("hvac.connection", [invitation], ["invitation_code"])[0]["invitation_code"]
        tiers_connection = self.env["hvac.connection"].browse(
            self.env["hvac.connection.accept"].with_user(admin_tiers).create({"code": code}).action_accept()["res_id"]
        )
        ask = (
            self.env["hvac.share"]
            .with_user(admin_tiers)
            .create({"name": "Prêt", "connection_id": tiers_connection.id, "level_requested": "installation"})
        )
        self.deliver()
        to_evaluate = peer.call("hvac.share", "search", [("peer_share_id", "=", ask.public_id)])[0]
        values = {"level": "installation", "installation_ids": [(6, 0, [c["id"] for c in copies])], "role": "borrowed"}
        peer.call(
            "hvac.share.evaluate",
            "action_approve",
            [peer.call("hvac.share.evaluate", "create", values, context={"default_share_id": to_evaluate})],
        )
        for job in ("ir_cron_hvac_connection_outbox", "ir_cron_hvac_share_prepare", "ir_cron_hvac_connection_outbox"):
            peer.run_cron(f"hvac_connect.{job}")
        self.deliver()
        self.env["hvac.share.process"].with_user(admin_tiers).with_context(default_share_id=ask.id).create(
            {}
        ).action_process()
        self.deliver()
        tiers_copies = self.env["hvac.installation"].search(
            [("shared_from_share_id", "=", ask.id)], order="serial_number"
        )
        self.assertEqual(tiers_copies.mapped("serial_number"), ["SN-0", "SN-1", "SN-2"])

        wizard = (
            self.env["hvac.share.withdraw"]
            .with_user(self.admin_froid)
            .with_context(default_share_id=owned.id)
            .create({"installation_ids": [(6, 0, self.installations[0].ids)]})
        )
        self.authenticate("share_froid", "share_froid")
        self.make_jsonrpc_request(
            "/web/dataset/call_button/hvac.share.withdraw/action_withdraw",
            {"model": "hvac.share.withdraw", "method": "action_withdraw", "args": [wizard.ids], "kwargs": {}},
        )
        self.env.invalidate_all()
        self.assertEqual(owned.installation_ids, self.installations[1:], "SN-0 left the share, the share stays")
        self.assertEqual(owned.state, "available")
        self.deliver()  # Froid tells Clim, whose loan to Tiers loses SN-0 in turn ...
        peer.run_cron("hvac_connect.ir_cron_hvac_connection_outbox")  # ... and Clim tells Tiers
        revoked = {
            c["serial_number"]: c["shared_revoked"]
            for c in peer.read("hvac.installation", [c["id"] for c in copies], ["serial_number", "shared_revoked"])
        }
        self.assertEqual(revoked, {"SN-0": True, "SN-1": False, "SN-2": False})
        self.assertEqual(
            peer.read("hvac.share", [request, to_evaluate], ["state"])[0]["state"],
            "processed",
            "Clim keeps the other two",
        )
        self.assertEqual(len(peer.read("hvac.share", [to_evaluate], ["installation_ids"])[0]["installation_ids"]), 2)
        self.assertEqual(tiers_copies.mapped("shared_revoked"), [True, False, False])
        self.assertEqual(ask.state, "processed")
        owned.sudo()._hvac_set_protected({"granted_at": "2020-01-01 00:00:00", "role": "installation_manager"})
        with self.assertRaisesRegex(UserError, "more than 72 hours ago"):
            owned.with_user(self.admin_froid)._withdraw_installations(self.installations[1])

    def test_request_on_a_suspended_connection_is_refused_with_a_message(self):
        ours, theirs = self._connect()
        self.peer.call("hvac.connection", "action_suspend", [theirs])
        self.deliver_peer()  # the peer tells us
        self.assertRecordValues(ours, [{"state": "suspended", "suspended_by": "peer"}])
        with self.assertRaisesRegex(xmlrpc.client.Fault, "suspended \\(we suspended it\\): nothing can be asked"):
            self.peer.call(
                "hvac.share",
                "create",
                {"name": "Partage client", "connection_id": theirs, "level_requested": "customer"},
            )
        with self.assertRaisesRegex(UserError, "Clim Services is suspended \\(Clim Services suspended it\\)"):
            self.env["hvac.share"].with_user(self.admin_froid).create(
                {"name": "Partage client", "connection_id": ours.id}
            )
        self.assertFalse(
            self.peer.call("hvac.share", "search_count", [("connection_id", "=", theirs)]), "nothing saved as requested"
        )
        self.assertFalse(self.env["hvac.share"].sudo().search_count([("connection_id", "=", ours.id)]))

    def test_owner_edits_reach_the_recipient_once(self):
        _ours, theirs = self._connect()
        _owned, request = self._request_and_approve(
            theirs, "installation", {"installation_ids": [(6, 0, self.installations[:2].ids)]}, "subcontractor"
        )
        copies = self._process_on_peer(request)
        self.installations[0].write({"brand": "Daikin", "serial_number": "SN-0-B", "charge_kg": 9.5})
        message = self.env["hvac.connection.outbox"].sudo().search([("path", "=", "/hvac/share/v1/share/installation")])
        self.assertEqual(len(message), 1, "one call for the one share holding it")
        self.deliver()
        fields_read = ["brand", "serial_number", "charge_kg"]
        self.assertEqual(
            self.peer.read("hvac.installation", [copies[0]["id"]], fields_read)[0] | {"id": 0},
            {"id": 0, "brand": "Daikin", "serial_number": "SN-0-B", "charge_kg": 9.5},
        )
        message.state = "pending"  # the same call again, as after a lost answer
        message._send()
        self.assertEqual(message.state, "done")
        self.assertEqual(
            self.peer.read("hvac.installation", [copies[0]["id"]], fields_read)[0]["serial_number"], "SN-0-B"
        )
        self.assertEqual(
            self.peer.read("hvac.installation", [copies[1]["id"]], fields_read)[0]["serial_number"],
            "SN-1",
            "the other installation is untouched",
        )
