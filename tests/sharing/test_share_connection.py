import json
import time
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.hvac_connect.clients import share_peer, share_protocol
from odoo.addons.hvac_connect.clients.share_peer import PeerError

from ..common import SIGNED, HvacConnectCase, set_siret
from ..fake_http import serve, shutdown
from .test_client_share_protocol import FixedAnswer


class ShareCase(HttpCase):
    """Two companies of one database, talking over HTTP to this test server as two peers would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("web.base.url", cls.base_url())
        cls.froid = cls.env["res.company"].create({"name": "Froid Lyonnais"})
        cls.clim = cls.env["res.company"].create({"name": "Clim Services"})
        set_siret(cls.froid, "85200000900013")
        set_siret(cls.clim, "44306184100047")
        # Both write fiches: each needs its attestation de capacité and detector (Cerfa checks).
        (cls.froid | cls.clim).write(
            {"hvac_capacity_number": "CAP-2025-0107", **HvacConnectCase.cerfa_company_values()}
        )
        groups = (
            "base.group_user,base.group_partner_manager,hvac_connect.group_share_admin,hvac_connect.group_hvac_manager"
        )
        cls.admin_froid = new_test_user(
            cls.env, "share_froid", groups=groups, company_id=cls.froid.id, company_ids=[(6, 0, cls.froid.ids)]
        )
        cls.admin_clim = new_test_user(
            cls.env, "share_clim", groups=groups, company_id=cls.clim.id, company_ids=[(6, 0, cls.clim.ids)]
        )
        # Whoever validates a fiche holds an attestation d'aptitude covering it.
        cls.env["hvac.qualification"].create(
            [
                {
                    "user_id": user.id,
                    "category": "I",
                    "name": f"APT-I-{user.id:05d}",
                    "issuer": "Bureau Veritas Certification France",
                    "date_issued": "2015-01-01",
                }
                for user in cls.env.user | cls.admin_froid | cls.admin_clim
            ]
        )

    def _pair(self, inviter_admin=None, invitee_admin=None):
        invitation = self.env["hvac.connection"].with_user(inviter_admin or self.admin_froid).action_invite()
        inviter = self.env["hvac.connection"].browse(invitation["res_id"])
        code = inviter.sudo().invitation_code
        invitee = (
            self.env["hvac.connection.accept"]
            .with_user(invitee_admin or self.admin_clim)
            .create({"code": code})
            .action_accept()
        )
        invitee = self.env["hvac.connection"].browse(invitee["res_id"])
        return inviter, invitee, code

    def deliver(self):
        """What the retry and transfer crons do right after a click."""
        # After a tour, Odoo's test server wants the browser's cookie on every request; calls
        # between peers are server to server and carry none.
        self.http_request_strict_check = False
        self.env["hvac.connection.outbox"].sudo()._cron_retry()
        self.env["hvac.share"]._cron_fetch()
        self.env["hvac.share"]._cron_process()


@tagged("post_install", "-at_install")
class TestShareConnection(ShareCase):
    def test_invitation_connects_both_sides_with_the_same_fingerprint(self):
        inviter, invitee, code = self._pair()
        self.assertRecordValues(
            inviter,
            [
                {
                    "state": "active",
                    "peer_company_name": "Clim Services",
                    "peer_siret": "44306184100047",
                    "company_id": self.froid.id,
                }
            ],
        )
        self.assertRecordValues(
            invitee,
            [
                {
                    "state": "active",
                    "peer_company_name": "Froid Lyonnais",
                    "peer_siret": "85200000900013",
                    "company_id": self.clim.id,
                }
            ],
        )
        self.assertEqual(inviter.fingerprint, invitee.fingerprint, "both sides derived the same secret")
        self.assertEqual(inviter.sudo().secret, invitee.sudo().secret)
        self.assertNotIn(
            inviter.sudo().secret, json.dumps(self.env["hvac.connection"].sudo().search_read([], ["invitation_code"]))
        )
        with self.assertRaisesRegex(UserError, "used"):
            self.env["hvac.connection.accept"].with_user(self.admin_clim).create({"code": code}).action_accept()
        answer = invitee._peer_client().call("/hvac/share/v1/ping", {})
        self.assertEqual(answer, {"company": "Froid Lyonnais", "siret": "85200000900013"})

    def test_a_malformed_handshake_answer_is_refused_with_a_message(self):
        """An inviting server answering 200 without what the protocol requires: the administrator
        reads why, no traceback, and no connection is left active."""
        handler = type("Answer", (FixedAnswer,), {"status": 200, "body": json.dumps({"company": "X"}).encode()})
        server, url = serve(handler)
        self.addCleanup(shutdown, server)
        code, _token = share_peer.make_invitation(url, "invitation-1")
        accept = self.env["hvac.connection.accept"].with_user(self.admin_clim).create({"code": code})
        with self.assertRaisesRegex(UserError, r"refused or failed \(bad_answer\).*random: missing"):
            accept.action_accept()
        self.assertFalse(
            self.env["hvac.connection"].search([("company_id", "=", self.clim.id), ("state", "=", "active")])
        )

    def test_expired_or_forged_invitation_is_refused(self):
        invitation = self.env["hvac.connection"].with_user(self.admin_froid).action_invite()
        inviter = self.env["hvac.connection"].browse(invitation["res_id"])
        code = inviter.sudo().invitation_code
        inviter._hvac_set_protected({"invitation_expires_at": "2020-01-01 00:00:00"})
        with self.assertRaisesRegex(UserError, "expired"):
            self.env["hvac.connection.accept"].with_user(self.admin_clim).create({"code": code}).action_accept()
        with self.assertRaisesRegex(UserError, "not an invitation code"):
            self.env["hvac.connection.accept"].with_user(self.admin_clim).create({"code": "garbage"}).action_accept()
        self.assertEqual(inviter.state, "invited")

    def test_suspend_resume_end_reach_the_peer(self):
        inviter, invitee, _code = self._pair()
        invitee.with_user(self.admin_clim).action_suspend()
        self.deliver()
        self.assertRecordValues(inviter, [{"state": "suspended", "suspended_by": "peer"}])
        with self.assertRaisesRegex(UserError, "Only the side that suspended"):
            inviter.with_user(self.admin_froid).action_resume()
        with self.assertRaises(PeerError) as refused:
            inviter._peer_client().call("/hvac/share/v1/ping", {})
        self.assertEqual(refused.exception.message, "suspended")
        invitee.with_user(self.admin_clim).action_resume()
        self.deliver()
        self.assertEqual(inviter.state, "active")
        inviter.with_user(self.admin_froid).action_end()
        self.deliver()
        self.assertEqual(invitee.state, "ended")
        with self.assertRaisesRegex(UserError, "stays ended"):
            invitee.with_user(self.admin_clim).action_suspend()

    def test_peer_down_then_retried_with_backoff(self):
        inviter, invitee, _code = self._pair()
        invitee._hvac_set_protected({"peer_url": "http://127.0.0.1:9"})
        invitee.with_user(self.admin_clim).action_suspend()
        self.deliver()
        message = self.env["hvac.connection.outbox"].sudo().search([("connection_id", "=", invitee.id)])
        self.assertRecordValues(message, [{"state": "pending", "attempts": 1, "last_error": "unreachable"}])
        self.assertEqual(inviter.state, "active", "not reached yet")
        invitee._hvac_set_protected({"peer_url": self.base_url()})
        message.next_attempt_at = "2020-01-01 00:00:00"
        self.env["hvac.connection.outbox"]._cron_retry()
        self.assertEqual(message.state, "done")
        self.assertEqual(inviter.state, "suspended", "delivered once the peer is back")

    def test_refusals_are_logged_and_return_nothing(self):
        inviter, invitee, _code = self._pair()
        secret = invitee.sudo().secret
        path = "/hvac/share/v1/ping"

        def post(connection_id, key, body=b"{}", timestamp=None, nonce=None):
            signed = share_protocol.sign(key, connection_id, "POST", path, body, now=timestamp)
            headers = signed.headers()
            if nonce:
                headers[share_protocol.HEADER_NONCE] = nonce
                headers[share_protocol.HEADER_SIGNATURE] = share_protocol.compute_signature(
                    key, "POST", path, signed.timestamp, nonce, body
                )
            return self.url_open(path, data=body, headers=headers)

        cases = {
            "wrong secret": (post(invitee.peer_public_id, "not-the-secret"), "bad_signature"),
            "stale": (post(invitee.peer_public_id, secret, timestamp=time.time() - 3600), "stale"),
            # Refused as a wrong signature is: the answer does not tell which ids exist.
            "unknown connection": (post("no-such-connection", secret), "bad_signature"),
        }
        nonce = "0123456789abcdef" * 2
        post(invitee.peer_public_id, secret, nonce=nonce)
        cases["replayed"] = (post(invitee.peer_public_id, secret, nonce=nonce), "replayed")
        for name, (response, code) in cases.items():
            with self.subTest(name):
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json(), {"error": code}, "the refusal, nothing else")
        inviter._hvac_set_protected({"state": "ended"})
        ended = post(invitee.peer_public_id, secret)
        self.assertEqual((ended.status_code, ended.json()), (403, {"error": "ended"}))
        with self.assertLogs("odoo.addons.hvac_connect.controllers.share", "WARNING"):
            post(invitee.peer_public_id, "not-the-secret")

    def test_only_share_admins_manage_connections(self):
        user = new_test_user(
            self.env,
            "share_user",
            groups="base.group_user,hvac_connect.group_share_user",
            company_id=self.froid.id,
            company_ids=[(6, 0, self.froid.ids)],
        )
        with self.assertRaisesRegex(UserError, "Only sharing administrators"):
            self.env["hvac.connection"].with_user(user).action_invite()
        inviter, _invitee, _code = self._pair()
        self.assertFalse(
            self.env["hvac.connection"].with_user(self.admin_clim).search([("id", "=", inviter.id)]),
            "other company's connection is invisible",
        )


@tagged("post_install", "-at_install")
class TestShareFlow(ShareCase):
    """Request, evaluation, preparation, pages and processing between the two companies."""

    def _owner_data(self):
        Site = self.env["hvac.site"].with_company(self.froid)
        customer = self.env["res.partner"].create(
            {"name": "Hôpital Nord", "is_company": True, "siret": "26690027300019", "company_id": self.froid.id}
        )
        site = Site.create(
            {
                "name": "Hôpital Nord - bâtiment A",
                "partner_id": customer.id,
                "zip": "69004",
                "city": "Lyon",
                "company_id": self.froid.id,
            }
        )
        fluid = self.env.ref("hvac_connect.refrigerant_r_410a")
        installations = self.env["hvac.installation"].create(
            [
                {
                    "name": f"Groupe {n}",
                    "building_id": site.building_ids.id,
                    "refrigerant_id": fluid.id,
                    "charge_kg": 5.0 + n,
                    "serial_number": f"SN-{n}",
                }
                for n in range(3)
            ]
        )
        return customer, site, installations

    def test_request_evaluate_prepare_process(self):
        inviter, invitee, _code = self._pair()
        customer, _site, installations = self._owner_data()
        ours = self.env["res.partner"].create(
            {"name": "CH Nord (notre fiche)", "is_company": True, "siret": "26690027300019", "company_id": self.clim.id}
        )
        request = (
            self.env["hvac.share"]
            .with_user(self.admin_clim)
            .create({"name": "Maintenance Hôpital Nord", "connection_id": invitee.id, "level_requested": "customer"})
        )
        self.assertEqual(request.state, "requested")
        self.deliver()
        owned = self.env["hvac.share"].sudo().search([("connection_id", "=", inviter.id)])
        self.assertRecordValues(
            owned,
            [
                {
                    "state": "to_evaluate",
                    "side": "owner",
                    "name": "Maintenance Hôpital Nord",
                    "level_requested": "customer",
                }
            ],
        )
        self.assertTrue(
            owned.activity_ids.filtered(lambda a: a.user_id == self.admin_froid),
            "the owner's share administrators are told",
        )
        wizard = (
            self.env["hvac.share.evaluate"]
            .with_user(self.admin_froid)
            .with_context(default_share_id=owned.id)
            .create(
                {
                    "level": "installation",
                    "installation_ids": [(6, 0, installations[:2].ids)],
                    "role": "subcontractor",
                    "our_details_on_documents": True,
                }
            )
        )
        self.assertIn("Hôpital Nord / Hôpital Nord - bâtiment A / Groupe 0", wizard.confirmation)
        with patch("odoo.addons.hvac_connect.wizards.sharing.hvac_share_evaluate.CONFIRMATION_LINES", 1):
            wizard.invalidate_recordset(["confirmation"])
            self.assertEqual(
                wizard.confirmation.splitlines()[1:],
                ["… and 1 more installations."],
                "the first lines, the rest counted",
            )
            self.assertEqual(len(wizard.shared_installation_ids), 2)
        wizard.action_approve()
        self.deliver()
        self.assertRecordValues(
            request,
            [{"state": "approved", "level": "installation", "role": "subcontractor", "our_details_on_documents": True}],
        )
        self.env["hvac.share"]._cron_prepare()
        self.assertEqual(owned.state, "available")
        self.env["hvac.connection.outbox"].sudo()._cron_retry()
        self.assertRecordValues(request, [{"state": "available", "page_count": 1}])
        request.with_user(self.admin_clim).action_fetch()
        self.deliver()
        received = request.received_page_ids.mapped(lambda page: len(page.data["installations"]))
        self.assertEqual(sum(received), 2, "only what was approved")
        process = (
            self.env["hvac.share.process"]
            .with_user(self.admin_clim)
            .with_context(default_share_id=request.id)
            .create({})
        )
        self.assertEqual(
            process.line_ids.mapped("kind"),
            ["customer", "location", "building", "installation", "installation"],
            "every level is mapped, down to the installations granted",
        )
        process.action_process()
        self.assertTrue(request.processing_queued, "the import runs in the background")
        self.deliver()
        imported = self.env["hvac.installation"].search([("shared_from_share_id", "=", request.id)])
        self.assertEqual(sorted(imported.mapped("serial_number")), ["SN-0", "SN-1"])
        # An installation-level share carries the customer's name, not its SIRET (seeds 001/003):
        # the new location goes under a new customer of that name, not under ours of the same SIRET.
        self.assertNotEqual(imported.partner_id, ours)
        self.assertEqual(imported.partner_id.name, "Hôpital Nord")
        self.assertFalse(imported.partner_id.siret or imported.partner_id.email or imported.partner_id.phone)
        self.assertEqual(imported.company_id, self.clim)
        self.assertEqual(set(imported.mapped("shared_from_ref")), set(installations[:2].mapped("public_token")))
        self.assertEqual(request.state, "processed")

    def test_duplicating_an_approved_share_or_an_active_connection_gives_a_draft(self):
        inviter, invitee, _code = self._pair()
        _customer, _site, installations = self._owner_data()
        request = (
            self.env["hvac.share"]
            .with_user(self.admin_clim)
            .create({"name": "Maintenance Hôpital Nord", "connection_id": invitee.id, "level_requested": "location"})
        )
        self.deliver()
        owned = self.env["hvac.share"].sudo().search([("connection_id", "=", inviter.id)])
        self.env["hvac.share.evaluate"].with_user(self.admin_froid).with_context(default_share_id=owned.id).create(
            {"level": "installation", "installation_ids": [(6, 0, installations.ids)], "role": "operator"}
        ).action_approve()
        self.deliver()
        self.assertEqual(request.state, "approved")
        copy = request.with_user(self.admin_clim).copy()
        self.assertRecordValues(
            copy,
            [
                {
                    "state": "requested",
                    "side": "requester",
                    "connection_id": invitee.id,
                    "level_requested": "location",
                    "level": False,
                    "role": False,
                    "granted_at": False,
                }
            ],
        )
        self.assertFalse(copy.installation_ids)
        self.assertNotEqual(copy.public_id, request.public_id)
        self.deliver()
        self.assertEqual(
            self.env["hvac.share"]
            .sudo()
            .search_count([("connection_id", "=", inviter.id), ("state", "=", "to_evaluate")]),
            1,
            "the copy is a new request the owner evaluates",
        )
        connection = invitee.with_user(self.admin_clim).copy()
        self.assertRecordValues(
            connection,
            [
                {
                    "state": "invited",
                    "side": "inviter",
                    "company_id": self.clim.id,
                    "peer_url": False,
                    "peer_company_name": False,
                    "suspended_by": False,
                }
            ],
        )
        self.assertFalse(connection.sudo().secret, "never another connection's secret")
        code = connection.sudo().invitation_code
        self.assertTrue(code, "a new invitation")
        accepted = self.env["hvac.connection.accept"].with_user(self.admin_froid).create({"code": code}).action_accept()
        self.assertEqual(self.env["hvac.connection"].browse(accepted["res_id"]).state, "active")
        self.assertEqual(connection.state, "active")

    def test_rejection_and_pages_outside_the_share(self):
        inviter, invitee, _code = self._pair()
        request = (
            self.env["hvac.share"]
            .with_user(self.admin_clim)
            .create({"name": "Tout", "connection_id": invitee.id, "level_requested": "customer"})
        )
        self.deliver()
        owned = self.env["hvac.share"].sudo().search([("connection_id", "=", inviter.id)])
        with self.assertRaises(PeerError) as refused:
            invitee._peer_client().call("/hvac/share/v1/share/page", {"share": request.public_id, "page": 0})
        self.assertEqual(refused.exception.message, "not_available", "nothing before approval")
        owned.with_user(self.admin_froid).action_reject()
        self.deliver()
        self.assertEqual(request.state, "rejected")

    def _processed_share(self, role):
        inviter, invitee, _code = self._pair()
        _customer, _site, installations = self._owner_data()
        request = (
            self.env["hvac.share"]
            .with_user(self.admin_clim)
            .create({"name": f"Partage {role}", "connection_id": invitee.id})
        )
        self.deliver()
        owned = self.env["hvac.share"].sudo().search([("connection_id", "=", inviter.id)])
        self.env["hvac.share.evaluate"].with_user(self.admin_froid).with_context(default_share_id=owned.id).create(
            {
                "level": "installation",
                "installation_ids": [(6, 0, installations.ids)],
                "role": role,
            }
        ).action_approve()
        self.deliver()
        self.env["hvac.share"]._cron_prepare()
        self.deliver()
        self.env["hvac.share.process"].with_user(self.admin_clim).with_context(default_share_id=request.id).create(
            {}
        ).action_process()
        self.deliver()
        return owned, request, invitee

    def test_subcontractor_revoked_any_time_recipient_keeps_read_only(self):
        owned, request, invitee = self._processed_share("subcontractor")
        owned._hvac_set_protected({"granted_at": "2020-01-01 00:00:00"})  # long after the 72 hours
        owned.with_user(self.admin_froid).action_revoke()
        self.deliver()
        self.assertEqual(request.state, "revoked")
        imported = (
            self.env["hvac.installation"].with_user(self.admin_clim).search([("shared_from_share_id", "=", request.id)])
        )
        self.assertEqual(len(imported), 3, "still readable")
        with self.assertRaisesRegex(UserError, "revoked"):
            imported[0].name = "Renamed"
        with self.assertRaises(PeerError) as refused:
            invitee._peer_client().call("/hvac/share/v1/share/page", {"share": request.public_id, "page": 0})
        self.assertEqual(refused.exception.message, "not_available", "nothing more is sent")

    def test_installation_manager_only_within_72_hours(self):
        owned, request, _invitee = self._processed_share("installation_manager")
        owned._hvac_set_protected({"granted_at": "2020-01-01 00:00:00"})
        with self.assertRaisesRegex(UserError, "more than 72 hours ago"):
            owned.with_user(self.admin_froid).action_revoke()
        self.assertEqual(request.state, "processed")
        owned._hvac_set_protected({"granted_at": fields.Datetime.now()})
        owned.with_user(self.admin_froid).action_revoke()
        self.deliver()
        self.assertEqual(request.state, "revoked")

    def test_interventions_flow_both_ways_and_only_within_the_share(self):
        owned, request, invitee = self._processed_share("subcontractor")
        source = owned.installation_ids[0]
        copy = self.env["hvac.installation"].search([("shared_from_ref", "=", source.public_token)])
        fiche = (
            self.env["hvac.intervention"]
            .with_company(self.froid)
            .create({**SIGNED, "installation_id": source.id, "company_id": self.froid.id, "charged_virgin_kg": 1.5})
        )
        fiche.action_done()
        self.deliver()
        self.assertRecordValues(
            copy.shared_intervention_ids,
            [{"author_company": "Froid Lyonnais", "number": fiche.name, "charged_kg": 1.5}],
        )
        theirs = (
            self.env["hvac.intervention"]
            .with_company(self.clim)
            .create({**SIGNED, "installation_id": copy.id, "company_id": self.clim.id})
        )
        theirs.action_done()
        self.deliver()
        self.assertRecordValues(
            source.shared_intervention_ids, [{"author_company": "Clim Services", "number": theirs.name}]
        )
        outsider = self.env["hvac.installation"].create(
            {
                "name": "Pas partagée",
                "building_id": source.building_id.id,
                "refrigerant_id": source.refrigerant_id.id,
                "charge_kg": 3.0,
            }
        )
        with self.assertRaises(PeerError) as refused:
            invitee._peer_client().call(
                "/hvac/share/v1/share/intervention",
                {
                    "installation": outsider.public_token,
                    "author": "X",
                    "number": "FI/1",
                    "date": "2026-11-25",
                    "idempotency_key": "k1",
                },
            )
        self.assertEqual(refused.exception.message, "outside_share")
        self.assertFalse(outsider.shared_intervention_ids)
