import os
import xmlrpc.client

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tools import config

from ..common import SIGNED, HvacConnectCase, set_siret
from ..odoo_peer import OdooPeer
from .share_two_servers_mapping import ShareTwoServersMapping
from .test_share_connection import ShareCase

CUSTOMER_SIRET = "26690027300019"


@tagged("post_install", "-at_install")
class TestShareTwoServers(ShareTwoServersMapping, ShareCase):
    """Sharing between two real Odoo servers on loopback, each on its own database with
    hvac_connect: this test's server (Froid Lyonnais, the owner, and Tiers Froid) and a second
    server started for the test (Clim Services, the requester), driven over XML-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        logdir = os.path.join(config["data_dir"], "logs")
        os.makedirs(logdir, exist_ok=True)
        cls.peer = OdooPeer(
            f"{cls.env.cr.dbname}_peer", os.path.join(logdir, f"{cls.env.cr.dbname}_peer.log"), env=cls.env
        )
        cls.peer.create()
        cls.addClassCleanup(cls.peer.drop)
        cls.peer.start()
        peer = cls.peer
        peer.call("ir.config_parameter", "set_param", "web.base.url", peer.url)
        cerfa = {
            key: fields.Date.to_string(value) if key.endswith(("_until", "_date")) else value
            for key, value in HvacConnectCase.cerfa_company_values().items()
        }
        peer.call(
            "res.company",
            "write",
            [peer.ref("base.main_company")],
            {"name": "Clim Services", "siret": "44306184100047", "hvac_capacity_number": "CAP-2025-0107", **cerfa},
        )
        groups = [
            (4, peer.ref(xmlid)) for xmlid in ("hvac_connect.group_share_admin", "hvac_connect.group_hvac_manager")
        ]
        peer.call("res.users", "write", [peer.uid], {"groups_id": groups})
        # The peer's administrator validates fiches there: it holds an attestation d'aptitude.
        peer.call(
            "hvac.qualification",
            "create",
            {
                "user_id": peer.uid,
                "category": "I",
                "name": "APT-2016-05512",
                "issuer": "Socotec Certification France",
                "date_issued": "2016-05-12",
            },
        )
        cls.peer_customer = peer.call(
            "res.partner",
            "create",
            {
                "name": "CH Nord (chez Clim)",
                "is_company": True,
                "siret": CUSTOMER_SIRET,
                "company_id": peer.ref("base.main_company"),
            },
        )
        fluid = cls.env.ref("hvac_connect.refrigerant_r_410a")
        customer = cls.env["res.partner"].create(
            {"name": "Hôpital Nord", "is_company": True, "siret": CUSTOMER_SIRET, "company_id": cls.froid.id}
        )
        site = cls.env["hvac.site"].create(
            {
                "name": "Hôpital Nord - bâtiment A",
                "partner_id": customer.id,
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
                    "refrigerant_id": fluid.id,
                    "charge_kg": 8.0,
                    "serial_number": f"SN-{n}",
                }
                for n in range(3)
            ]
        )
        cls.customer = customer

    def setUp(self):
        super().setUp()
        self.http_request_strict_check = False  # the peer's calls carry no browser cookie

    # --- helpers -------------------------------------------------------------------------------
    def deliver_peer(self):
        """The peer server's jobs: calls to us, pages received, imports."""
        for job in ("ir_cron_hvac_connection_outbox", "ir_cron_hvac_share_fetch", "ir_cron_hvac_share_process"):
            self.peer.run_cron(f"hvac_connect.{job}")

    def _connect(self):
        """We invite; the peer's administrator pastes the code on the other server."""
        invitation = self.env["hvac.connection"].with_user(self.admin_froid).action_invite()
        ours = self.env["hvac.connection"].browse(invitation["res_id"])
        wizard = self.peer.call("hvac.connection.accept", "create", {"code": ours.sudo().invitation_code})
        theirs = self.peer.call("hvac.connection.accept", "action_accept", [wizard])["res_id"]
        return ours, theirs

    def _request_and_approve(self, their_connection, level, selection, role):
        request = self.peer.call(
            "hvac.share",
            "create",
            {"name": f"Partage {level}", "connection_id": their_connection, "level_requested": level},
        )
        self.deliver_peer()
        public_id = self.peer.read("hvac.share", [request], ["public_id"])[0]["public_id"]
        owned = self.env["hvac.share"].sudo().search([("peer_share_id", "=", public_id)])
        self.assertEqual(owned.state, "to_evaluate", "the request crossed to our server")
        self.env["hvac.share.evaluate"].with_user(self.admin_froid).with_context(default_share_id=owned.id).create(
            dict(selection, level=level, role=role)
        ).action_approve()
        self.deliver()
        self.env["hvac.share"]._cron_prepare()
        self.deliver()
        return owned, request

    def _process_on_peer(self, request):
        self.peer.run_cron("hvac_connect.ir_cron_hvac_share_fetch")  # the pages, pulled from us
        wizard = self.peer.call("hvac.share.process", "create", {}, context={"default_share_id": request})
        self.peer.call("hvac.share.process", "action_process", [wizard])
        self.deliver_peer()
        return self.peer.call(
            "hvac.installation",
            "search_read",
            [("shared_from_share_id", "=", request)],
            ["serial_number", "shared_from_ref", "partner_id", "site_id", "shared_revoked"],
            order="serial_number",
        )

    # --- tests ---------------------------------------------------------------------------------
    def test_connection_request_customer_share_and_interventions_both_ways(self):
        ours, theirs = self._connect()
        peer_connection = self.peer.read(
            "hvac.connection", [theirs], ["state", "peer_company_name", "peer_siret", "fingerprint"]
        )[0]
        self.assertEqual(peer_connection["state"], "active")
        self.assertEqual(
            (peer_connection["peer_company_name"], peer_connection["peer_siret"]), ("Froid Lyonnais", "85200000900013")
        )
        self.assertRecordValues(
            ours, [{"state": "active", "peer_company_name": "Clim Services", "peer_siret": "44306184100047"}]
        )
        self.assertEqual(ours.fingerprint, peer_connection["fingerprint"], "both servers derived the same secret")

        owned, request = self._request_and_approve(
            theirs, "customer", {"partner_ids": [(6, 0, self.customer.ids)]}, "subcontractor"
        )
        self.assertEqual(self.peer.read("hvac.share", [request], ["state"])[0]["state"], "available")
        copies = self._process_on_peer(request)
        self.assertEqual([c["serial_number"] for c in copies], ["SN-0", "SN-1", "SN-2"])
        self.assertEqual({c["shared_from_ref"] for c in copies}, set(self.installations.mapped("public_token")))
        self.assertEqual(
            {c["partner_id"][0] for c in copies},
            {self.peer_customer},
            "mapped onto the peer's customer of the same SIRET",
        )
        self.assertEqual(self.peer.read("hvac.share", [request], ["state"])[0]["state"], "processed")

        fiche = self.env["hvac.intervention"].create(
            {
                "installation_id": self.installations[0].id,
                "company_id": self.froid.id,
                "charged_virgin_kg": 1.2,
                **SIGNED,
            }
        )
        fiche.action_done()
        self.deliver()
        received = self.peer.call(
            "hvac.shared.intervention",
            "search_read",
            [("installation_id", "=", copies[0]["id"])],
            ["author_company", "number", "charged_kg"],
        )
        self.assertEqual(
            [(r["author_company"], r["number"], r["charged_kg"]) for r in received],
            [("Froid Lyonnais", fiche.name, 1.2)],
        )

        # Recovered fluid goes into a container and to a destination (Cerfa cadres 11 and 13).
        their_bottle = self.peer.call("hvac.container", "create", {"name": "BT-CLIM-1", "capacity_kg": 10.0})
        their_centre = self.peer.call(
            "res.partner",
            "create",
            {"name": "Climalife Dehon Service", "is_company": True, "city": "Vincennes", "hvac_fluid_treatment": True},
        )
        theirs_fiche = self.peer.call(
            "hvac.intervention",
            "create",
            {
                "installation_id": copies[1]["id"],
                "recovered_treatment_kg": 0.4,
                "destination_partner_id": their_centre,
                **SIGNED,
                "container_move_ids": [(0, 0, {"container_id": their_bottle, "direction": "fill", "quantity_kg": 0.4})],
            },
        )
        self.peer.call("hvac.intervention", "action_done", [theirs_fiche])
        self.deliver_peer()
        self.assertRecordValues(
            self.installations[1].shared_intervention_ids, [{"author_company": "Clim Services", "recovered_kg": 0.4}]
        )

    def test_location_share_onto_an_existing_location_of_the_peer(self):
        _ours, theirs = self._connect()
        peer_site = self.peer.call(
            "hvac.site", "create", {"name": "CH Nord - bâtiment A (chez Clim)", "partner_id": self.peer_customer}
        )
        _owned, request = self._request_and_approve(
            theirs, "location", {"site_ids": [(6, 0, self.installations.site_id.ids)]}, "borrowed"
        )
        self.peer.run_cron("hvac_connect.ir_cron_hvac_share_fetch")
        wizard = self.peer.call("hvac.share.process", "create", {}, context={"default_share_id": request})
        lines = self.peer.call(
            "hvac.share.process.line",
            "search_read",
            [("wizard_id", "=", wizard), ("kind", "=", "location")],
            ["kind", "partner_id"],
        )
        # A location-level share carries no SIRET (customer level only): no customer is proposed.
        self.assertEqual([(line["kind"], line["partner_id"]) for line in lines], [("location", False)])
        self.peer.call("hvac.share.process.line", "write", [lines[0]["id"]], {"site_id": peer_site})
        self.peer.call("hvac.share.process", "action_process", [wizard])
        self.deliver_peer()
        copies = self.peer.call(
            "hvac.installation", "search_read", [("shared_from_share_id", "=", request)], ["site_id"]
        )
        self.assertEqual(
            {c["site_id"][0] for c in copies}, {peer_site}, "the three installations joined the peer's own location"
        )
        self.assertEqual(len(copies), 3)

    def test_installation_manager_revoked_within_72_hours_only(self):
        _ours, theirs = self._connect()
        owned, request = self._request_and_approve(
            theirs, "installation", {"installation_ids": [(6, 0, self.installations[:2].ids)]}, "installation_manager"
        )
        copies = self._process_on_peer(request)
        self.assertEqual(len(copies), 2)
        owned.sudo()._hvac_set_protected({"granted_at": "2020-01-01 00:00:00"})
        with self.assertRaisesRegex(Exception, "more than 72 hours ago"):
            owned.with_user(self.admin_froid).action_revoke()
        owned.sudo()._hvac_set_protected({"granted_at": fields.Datetime.now()})
        owned.with_user(self.admin_froid).action_revoke()
        self.deliver()
        self.assertEqual(self.peer.read("hvac.share", [request], ["state"])[0]["state"], "revoked")
        self.assertTrue(
            all(
                c["shared_revoked"]
                for c in self.peer.read("hvac.installation", [c["id"] for c in copies], ["shared_revoked"])
            )
        )
        with self.assertRaisesRegex(xmlrpc.client.Fault, "revoked"):
            self.peer.call("hvac.installation", "write", [copies[0]["id"]], {"brand": "Changed"})

    def test_reshare_from_the_peer_and_revocation_cascade(self):
        tiers = self.env["res.company"].create({"name": "Tiers Froid"})
        set_siret(tiers, "55210055400013")
        groups = (
            "base.group_user,base.group_partner_manager,hvac_connect.group_share_admin,hvac_connect.group_hvac_manager"
        )
        admin_tiers = new_test_user(
            self.env, "share_tiers2", groups=groups, company_id=tiers.id, company_ids=[(6, 0, tiers.ids)]
        )
        _ours, theirs = self._connect()
        owned, request = self._request_and_approve(
            theirs, "installation", {"installation_ids": [(6, 0, self.installations.ids)]}, "subcontractor"
        )
        copies = self._process_on_peer(request)
        # Clim (peer server) invites Tiers (this server); Tiers asks for the installations.
        invitation = self.peer.call("hvac.connection", "action_invite", [])["res_id"]  # ids first, as the web client
        code = self.peer.read("hvac.connection", [invitation], ["invitation_code"])[0]["invitation_code"]
        tiers_connection = self.env["hvac.connection"].browse(
            self.env["hvac.connection.accept"].with_user(admin_tiers).create({"code": code}).action_accept()["res_id"]
        )
        ask = (
            self.env["hvac.share"]
            .with_user(admin_tiers)
            .create({"name": "Sous-traitance", "connection_id": tiers_connection.id, "level_requested": "installation"})
        )
        self.deliver()
        to_evaluate = self.peer.call("hvac.share", "search", [("peer_share_id", "=", ask.public_id)])
        values = {
            "level": "installation",
            "installation_ids": [(6, 0, [c["id"] for c in copies])],
            "role": "installation_manager",
        }
        wizard = self.peer.call("hvac.share.evaluate", "create", values, context={"default_share_id": to_evaluate[0]})
        with self.assertRaisesRegex(xmlrpc.client.Fault, "only with subcontractors"):
            self.peer.call("hvac.share.evaluate", "action_approve", [wizard])
        wizard = self.peer.call(
            "hvac.share.evaluate",
            "create",
            dict(values, role="subcontractor"),
            context={"default_share_id": to_evaluate[0]},
        )
        self.peer.call("hvac.share.evaluate", "action_approve", [wizard])
        self.peer.run_cron("hvac_connect.ir_cron_hvac_connection_outbox")
        self.peer.run_cron("hvac_connect.ir_cron_hvac_share_prepare")
        self.peer.run_cron("hvac_connect.ir_cron_hvac_connection_outbox")
        self.deliver()  # Tiers receives the pages from the peer server and imports them
        self.env["hvac.share.process"].with_user(admin_tiers).with_context(default_share_id=ask.id).create(
            {}
        ).action_process()
        self.deliver()
        tiers_copies = self.env["hvac.installation"].search([("shared_from_share_id", "=", ask.id)])
        self.assertEqual(len(tiers_copies), 3)
        peer_tokens = {
            r["public_token"] for r in self.peer.read("hvac.installation", [c["id"] for c in copies], ["public_token"])
        }
        self.assertEqual(
            set(tiers_copies.mapped("shared_from_ref")),
            peer_tokens,
            "Tiers' copies stay linked to Clim's installations",
        )

        owned.with_user(self.admin_froid).action_revoke()
        self.deliver()  # Froid tells Clim, whose own grant to Tiers is revoked in turn ...
        self.peer.run_cron("hvac_connect.ir_cron_hvac_connection_outbox")  # ... and Clim tells Tiers
        self.assertEqual(self.peer.read("hvac.share", [to_evaluate[0]], ["state"])[0]["state"], "revoked")
        self.assertEqual(ask.state, "revoked")
        self.assertTrue(all(tiers_copies.mapped("shared_revoked")))
