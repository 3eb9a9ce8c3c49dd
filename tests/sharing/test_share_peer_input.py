import contextlib
import json
import logging
import uuid
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.hvac_connect.clients import share_protocol
from odoo.addons.hvac_connect.clients.share_peer import CONNECT_PATH

from .test_share_connection import ShareCase

CONTROLLER_LOGGER = "odoo.addons.hvac_connect.controllers.share"
REQUEST = "/hvac/share/v1/share/request"
DECISION = "/hvac/share/v1/share/decision"
AVAILABLE = "/hvac/share/v1/share/available"
PAGE = "/hvac/share/v1/share/page"
REVOKE = "/hvac/share/v1/share/revoke"
INTERVENTION = "/hvac/share/v1/share/intervention"
STATE = "/hvac/share/v1/connection/state"
PING = "/hvac/share/v1/ping"


@tagged("post_install", "-at_install")
class TestSharePeerInput(ShareCase):
    """A connected peer that signs its calls correctly but sends what it should not: malformed
    bodies, fields outside their selection or physical bounds, someone else's name, state moves
    only we may make, the same request many times. Each call is refused with a 4xx and its
    refusal code, nothing is stored, and our log has no ERROR line (no traceback)."""

    def setUp(self):
        super().setUp()
        self.froid_conn, self.clim_conn, _code = self._pair()
        self.http_request_strict_check = False  # server-to-server calls carry no browser cookie

    # --- helpers -------------------------------------------------------------------------------
    def post(self, sender, path, body):
        """A call signed with the connection's secret, as the peer's server would make it."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.env.flush_all()
        signed = share_protocol.sign(sender.sudo().secret, sender.peer_public_id, "POST", path, raw)
        response = self.url_open(path, data=raw, headers=signed.headers())
        self.env.invalidate_all()
        return response

    @contextlib.contextmanager
    def refused_quietly(self):
        """The refusal is logged as a warning by our controller, and nothing at ERROR anywhere."""
        with self.assertLogs(level=logging.WARNING) as captured:
            yield
        errors = [record.getMessage() for record in captured.records if record.levelno >= logging.ERROR]
        self.assertEqual(errors, [], "no ERROR line (no traceback) in our log")
        self.assertTrue([r for r in captured.records if r.name == CONTROLLER_LOGGER], "the refusal is logged")

    def assertRefused(self, response, status, code, field=None):
        self.assertEqual(response.status_code, status, response.text[:300])
        answer = response.json()
        self.assertEqual(answer.get("error"), code)
        if field:
            self.assertEqual(answer.get("field"), field)
        self.assertNotIn("Traceback", response.text)

    def owned_share(self, level="installation", **values):
        """A share we (Froid) own, granted to Clim and available."""
        fluid = self.env.ref("hvac_connect.refrigerant_r_410a")
        customer = self.env["res.partner"].create(
            {
                "name": "Hôpital Nord",
                "is_company": True,
                "siret": "26690027300019",
                "email": "technique@hopital-nord.fr",
                "phone": "+33 4 72 00 00 00",
                "street": "12 rue Servient",
                "zip": "69003",
                "city": "Lyon",
                "company_id": self.froid.id,
            }
        )
        site = (
            self.env["hvac.site"]
            .with_company(self.froid)
            .create(
                {
                    "name": "Bâtiment A",
                    "partner_id": customer.id,
                    "zip": "69003",
                    "city": "Lyon",
                    "company_id": self.froid.id,
                }
            )
        )
        installation = self.env["hvac.installation"].create(
            {
                "name": "Groupe froid",
                "building_id": site.building_ids.id,
                "refrigerant_id": fluid.id,
                "charge_kg": 12.0,
                "serial_number": "SN-42",
            }
        )
        return (
            self.env["hvac.share"]
            .sudo()
            ._hvac_create_protected(
                dict(
                    {
                        "name": "Maintenance",
                        "connection_id": self.froid_conn.id,
                        "side": "owner",
                        "state": "available",
                        "peer_share_id": uuid.uuid4().hex,
                        "level": level,
                        "level_requested": level,
                        "role": "subcontractor",
                        "installation_ids": [(6, 0, installation.ids)],
                        "page_count": 1,
                    },
                    **values,
                )
            )
        )

    def shares_of(self, connection):
        return self.env["hvac.share"].sudo().search([("connection_id", "=", connection.id)])

    # --- tests ---------------------------------------------------------------------------------
    def test_malformed_share_requests_are_refused_and_nothing_stored(self):
        good = {"share": uuid.uuid4().hex, "name": "Maintenance Hôpital Nord", "description": "", "level": "customer"}
        cases = {
            "array": (b'[{"share": "a"}]', "bad_request", None),
            "not json": (b"{share:", "bad_request", None),
            "number": (b"42", "bad_request", None),
            "integer share id": (dict(good, share=12345), "invalid", "share"),
            "missing name": ({k: v for k, v in good.items() if k != "name"}, "invalid", "name"),
            "level outside the selection": (dict(good, level="everything"), "invalid", "level"),
            "10,000-character name": (dict(good, name="x" * 10_000), "invalid", "name"),
            "10,000-character description": (dict(good, description="x" * 10_000), "invalid", "description"),
        }
        for name, (body, code, field) in cases.items():
            with self.subTest(name), self.refused_quietly():
                self.assertRefused(self.post(self.clim_conn, REQUEST, body), 400, code, field)
        self.assertFalse(self.shares_of(self.froid_conn), "nothing stored")

    def test_the_same_request_delivered_six_times_is_one_share(self):
        body = {"share": uuid.uuid4().hex, "name": "Maintenance Hôpital Nord", "description": "", "level": "location"}
        Share = type(self.env["hvac.share"])
        original_search = Share.search
        blind = {"left": 0}

        def racing_search(model, domain, *args, **kwargs):
            # A delivery running at the same time as another one does not see its share yet.
            if blind["left"] and any(isinstance(term, list | tuple) and term[0] == "peer_share_id" for term in domain):
                blind["left"] -= 1
                return model.browse()
            return original_search(model, domain, *args, **kwargs)

        answers = set()
        with patch.object(Share, "search", racing_search), self.assertNoLogs(level=logging.ERROR):
            for delivery in range(6):
                blind["left"] = 1 if delivery else 0
                response = self.post(self.clim_conn, REQUEST, body)
                self.assertEqual(response.status_code, 200, response.text[:300])
                answers.add(response.json()["share"])
        shares = self.shares_of(self.froid_conn)
        self.assertEqual(len(shares), 1, "one share, whatever the deliveries")
        self.assertEqual(answers, set(shares.mapped("public_id")), "each delivery answered with it")
        self.assertEqual(len(shares.activity_ids.filtered(lambda a: a.user_id == self.admin_froid)), 1, "told once")

    def test_malformed_pairing_is_refused_with_400(self):
        invitation = self.env["hvac.connection"].with_user(self.admin_froid).action_invite()
        connection = self.env["hvac.connection"].browse(invitation["res_id"])
        good = {
            "invitation": connection.public_id,
            "token": "t" * 43,
            "random": "ab" * 32,
            "url": "http://127.0.0.1:8069",
            "connection": uuid.uuid4().hex,
            "company": "Clim Services",
            "siret": "44306184100047",
        }
        cases = {
            "array": (b"[1, 2]", "bad_request", None),
            "integer token": (dict(good, token=12345), "invalid", "token"),
            "missing keys": ({"invitation": connection.public_id}, "invalid", "token"),
            "10,000-character company": (dict(good, company="x" * 10_000), "invalid", "company"),
            "not a SIRET": (dict(good, siret="12"), "invalid", "siret"),
        }
        for name, (body, code, field) in cases.items():
            raw = body if isinstance(body, bytes) else json.dumps(body).encode()
            with self.subTest(name), self.refused_quietly():
                self.assertRefused(self.url_open(CONNECT_PATH, data=raw), 400, code, field)
        self.assertRecordValues(connection, [{"state": "invited", "peer_company_name": False}])

    def test_interventions_only_by_the_peer_within_physical_bounds(self):
        installation = self.owned_share().installation_ids
        good = {
            "installation": installation.public_token,
            "author": "Clim Services",
            "number": "FI-2026-0042",
            "date": fields.Date.to_string(fields.Date.today() - timedelta(days=3)),
            "nature": "maintenance",
            "charged_kg": 1.2,
            "recovered_kg": 0.0,
            "idempotency_key": uuid.uuid4().hex,
        }
        cases = {
            "another author company": (dict(good, author="Froid Lyonnais"), 403, "bad_author", None),
            "negative quantity": (dict(good, charged_kg=-500), 400, "invalid", "charged_kg"),
            "absurd quantity": (dict(good, recovered_kg=1e12), 400, "invalid", "recovered_kg"),
            "quantity as text": (dict(good, charged_kg="1.2"), 400, "invalid", "charged_kg"),
            "nature outside the selection": (dict(good, nature="teleportation"), 400, "invalid", "nature"),
            "10,000-character number": (dict(good, number="x" * 10_000), 400, "invalid", "number"),
            "impossible date": (dict(good, date="2026-13-45"), 400, "invalid", "date"),
            "date in the next century": (dict(good, date="2126-01-01"), 400, "invalid", "date"),
            "no idempotency key": (
                {k: v for k, v in good.items() if k != "idempotency_key"},
                400,
                "invalid",
                "idempotency_key",
            ),
            "installation as a list": (dict(good, installation=[installation.id]), 400, "invalid", "installation"),
            "array": (b"[]", 400, "bad_request", None),
        }
        for name, (body, status, code, field) in cases.items():
            with self.subTest(name), self.refused_quietly():
                self.assertRefused(self.post(self.clim_conn, INTERVENTION, body), status, code, field)
        self.assertFalse(installation.shared_intervention_ids, "nothing stored")
        for _delivery in range(2):
            self.assertEqual(self.post(self.clim_conn, INTERVENTION, good).status_code, 200)
        self.assertRecordValues(
            installation.shared_intervention_ids,
            [{"author_company": "Clim Services", "charged_kg": 1.2, "number": "FI-2026-0042"}],
        )

    def blind_once(self, model, method, field):
        """Patch ``method`` of ``model`` so that the next lookup on ``field`` misses: a delivery
        running at the same time as another one does not see what the other stores."""
        Model = type(self.env[model])
        original = getattr(Model, method)
        blind = {"left": 0}

        def racing(records, domain, *args, **kwargs):
            if blind["left"] and any(isinstance(term, list | tuple) and term[0] == field for term in domain):
                blind["left"] -= 1
                return 0 if method == "search_count" else records.browse()
            return original(records, domain, *args, **kwargs)

        return patch.object(Model, method, racing), blind

    def test_the_same_intervention_delivered_twice_at_once_is_one_intervention(self):
        installation = self.owned_share().installation_ids
        body = {
            "installation": installation.public_token,
            "author": "Clim Services",
            "number": "FI-2026-0043",
            "date": fields.Date.to_string(fields.Date.today() - timedelta(days=1)),
            "nature": "periodic_check",
            "charged_kg": 0.0,
            "recovered_kg": 0.0,
            "idempotency_key": uuid.uuid4().hex,
        }
        racing, blind = self.blind_once("hvac.shared.intervention", "search", "idempotency_key")
        with racing, self.assertNoLogs(level=logging.ERROR):
            for delivery in range(2):
                blind["left"] = 1 if delivery else 0  # the second one misses the first one's row
                response = self.post(self.clim_conn, INTERVENTION, body)
                self.assertEqual(response.status_code, 200, response.text[:300])
                self.assertEqual(response.json(), {"recorded": "FI-2026-0043"}, "answered as for the stored one")
        self.assertEqual(len(installation.shared_intervention_ids), 1, "one intervention, whatever the deliveries")
        self.assertEqual(installation.shared_intervention_ids.connection_id, self.froid_conn)

    def test_an_intervention_key_is_the_peers_own(self):
        # Another peer using the same key on the same installation neither sees nor hides ours.
        share = self.owned_share()
        key = uuid.uuid4().hex
        self.env["hvac.shared.intervention"].sudo().create(
            {
                "installation_id": share.installation_ids.id,
                "author_company": "Autre Froid",
                "number": "AF-1",
                "date": "2026-11-02",
                "idempotency_key": key,
            }
        )
        body = {
            "installation": share.installation_ids.public_token,
            "author": "Clim Services",
            "number": "FI-2026-0044",
            "date": fields.Date.to_string(fields.Date.today()),
            "nature": "maintenance",
            "charged_kg": 0.0,
            "recovered_kg": 0.0,
            "idempotency_key": key,
        }
        response = self.post(self.clim_conn, INTERVENTION, body)
        self.assertEqual(response.json(), {"recorded": "FI-2026-0044"})
        self.assertEqual(
            sorted(share.installation_ids.shared_intervention_ids.mapped("number")), ["AF-1", "FI-2026-0044"]
        )

    def test_the_same_signed_call_delivered_twice_at_once_is_a_replay(self):
        raw = json.dumps({}).encode()
        self.env.flush_all()
        signed = share_protocol.sign(self.clim_conn.sudo().secret, self.clim_conn.peer_public_id, "POST", PING, raw)
        racing, blind = self.blind_once("hvac.connection.nonce", "search_count", "nonce")
        with racing:
            self.assertEqual(self.url_open(PING, data=raw, headers=signed.headers()).status_code, 200)
            blind["left"] = 1  # the second delivery misses the nonce the first one stored
            with self.refused_quietly():
                self.assertRefused(self.url_open(PING, data=raw, headers=signed.headers()), 401, "replayed")

    def test_pages_asked_with_malformed_numbers_are_refused(self):
        share = self.owned_share()
        for name, page in {"text": "abc", "list": [0], "negative": -1, "boolean": True}.items():
            with self.subTest(name), self.refused_quietly():
                self.assertRefused(
                    self.post(self.clim_conn, PAGE, {"share": share.peer_share_id, "page": page}),
                    400,
                    "invalid",
                    "page",
                )
        self.assertFalse(share.transferred_at, "nothing sent")

    def test_peer_cannot_set_our_connection_to_a_state_only_we_set(self):
        with self.subTest("back to invited"), self.refused_quietly():
            self.assertRefused(self.post(self.froid_conn, STATE, {"state": "invited"}), 400, "invalid", "state")
        with self.subTest("not a state"), self.refused_quietly():
            self.assertRefused(self.post(self.froid_conn, STATE, {"state": 5}), 400, "invalid", "state")
        with self.subTest("array"), self.refused_quietly():
            self.assertRefused(self.post(self.froid_conn, STATE, b'["ended"]'), 400, "bad_request")
        self.assertEqual(self.clim_conn.state, "active")
        self.clim_conn.with_user(self.admin_clim).action_suspend()  # not delivered: Froid's side stays active
        with self.subTest("resume what we suspended"), self.refused_quietly():
            self.assertRefused(self.post(self.froid_conn, STATE, {"state": "active"}), 409, "bad_state")
        self.assertRecordValues(self.clim_conn, [{"state": "suspended", "suspended_by": "us"}])

    def test_owner_moves_our_request_only_the_way_the_protocol_goes(self):
        request = (
            self.env["hvac.share"]
            .with_user(self.admin_clim)
            .create({"name": "Maintenance", "connection_id": self.clim_conn.id, "level_requested": "customer"})
        )
        share_id = request.public_id
        cases = {
            "decision to a state of ours": (DECISION, {"share": share_id, "state": "processed"}, 400, "invalid"),
            "approval without a level": (
                DECISION,
                {"share": share_id, "state": "approved", "role": "subcontractor"},
                400,
                "invalid",
            ),
            "role outside the selection": (
                DECISION,
                {"share": share_id, "state": "approved", "level": "customer", "role": "king"},
                400,
                "invalid",
            ),
            "available before approval": (AVAILABLE, {"share": share_id, "pages": 3}, 409, "bad_state"),
            "negative page count": (AVAILABLE, {"share": share_id, "pages": -1}, 400, "invalid"),
            "a billion pages": (AVAILABLE, {"share": share_id, "pages": 10**9}, 400, "invalid"),
            "revoke as a list": (REVOKE, [share_id], 400, "bad_request"),
        }
        for name, (path, body, status, code) in cases.items():
            with self.subTest(name), self.refused_quietly():
                self.assertRefused(self.post(self.froid_conn, path, body), status, code)
        self.assertRecordValues(request, [{"state": "requested", "level": False, "role": False, "page_count": 0}])
        approval = {"share": share_id, "state": "approved", "level": "location", "role": "borrowed", "details": False}
        self.assertEqual(self.post(self.froid_conn, DECISION, approval).status_code, 200)
        self.assertEqual(
            self.post(self.froid_conn, DECISION, approval).status_code, 200, "the same decision again changes nothing"
        )
        with self.refused_quietly():
            self.assertRefused(
                self.post(self.froid_conn, DECISION, {"share": share_id, "state": "rejected"}), 409, "bad_state"
            )
        self.assertRecordValues(request, [{"state": "approved", "level": "location", "role": "borrowed"}])

    def test_contact_data_only_at_customer_level(self):
        for level, expected in (("installation", ""), ("location", ""), ("customer", "26690027300019")):
            with self.subTest(level):
                share = self.owned_share(level)
                response = self.post(self.clim_conn, PAGE, {"share": share.peer_share_id, "page": 0})
                customer = response.json()["installations"][0]["customer"]
                self.assertEqual(customer["name"], "Hôpital Nord", "the name files what is received")
                self.assertEqual(customer["siret"], expected)
                contact = (customer["email"], customer["phone"], customer["street"])
                self.assertEqual(
                    contact,
                    ("technique@hopital-nord.fr", "+33 4 72 00 00 00", "12 rue Servient") if expected else ("", "", ""),
                )
