"""A fuzz over every HTTP route the module declares, found from Odoo's routing (not listed here):
malformed headers, bodies and parameters as anyone on the internet may send them.

Every answer is a 4xx (or a success) in the route's own format: the protocol's JSON refusal for
the peer routes, Odoo's page or JSON-RPC answer for the portal's; never a 500, and the log read
during each call has no ERROR line and no traceback. A new route is fuzzed the day it is added:
a peer route without a seed body below fails until it gets one.
"""

import contextlib
import copy
import inspect
import json
import logging
import re
import uuid
from datetime import timedelta
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.hvac_connect.clients import share_peer, share_protocol

from .common import SIGNED, HvacConnectCase

MODULE = "odoo.addons.hvac_connect"
PEER_PREFIX = "/hvac/share/"
SECRET = "f3" * 32
# What a sender may put in a text: the database refuses NUL and lone surrogates.
NASTY_TEXTS = {
    "NUL": "Clim\x00Services",
    "non-ASCII": "Clim’Services — 漢字 é ß",
    "lone surrogate": "\ud800",
    "control": "\x1b[31m\x07",
    "10,000 characters": "x" * 10_000,
    "empty": "",
}
WRONG_TYPES = {"integer": 12345, "huge float": 1e308, "list": ["a"], "object": {"a": 1}, "null": None, "true": True}
HEADER_VALUES = {
    "NUL": b"abc\x00def",
    "latin-1 é": "é".encode("latin-1"),
    "UTF-8 é": "é".encode(),
    "empty": b"",
    "10,000 characters": b"a" * 10_000,
}
DEEP = b"[" * 100_000 + b"]" * 100_000
BODIES = {
    "empty": b"",
    "not JSON": b"{share:",
    "invalid UTF-8": b'{"name": "\xff\xfe"}',
    "array": b'[{"share": "a"}]',
    "number": b"42",
    "string": b'"share"',
    "null": b"null",
    "deep nesting": DEEP,
    "deep object": b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    "3 MB": b'{"pad": "' + b"x" * (3 * 1024 * 1024) + b'"}',
}
PATH_IDS = {"zero": 0, "negative": -1, "above PostgreSQL's integer": 2**31, "huge": 10**20}


class LogCollector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@contextlib.contextmanager
def read_log():
    """The log of what runs inside, from every thread (the test server's too); kept out of the
    run's log, and handed back to be checked."""
    collector = LogCollector()
    root = logging.getLogger()
    handlers = root.handlers[:]
    root.handlers = [collector]
    try:
        yield collector.records
    finally:
        root.handlers = handlers


def module_routes(env):
    """(url pattern, routing, endpoint function) of every route a controller of this module
    defines or overrides, from Odoo's routing map."""
    routes = []
    for rule in env["ir.http"].routing_map().iter_rules():
        func = rule.endpoint.func
        owner = next(
            (
                cls
                for cls in type(func.__self__).mro()
                if func.__name__ in cls.__dict__ and cls.__module__.startswith(MODULE)
            ),
            None,
        )
        if owner:
            original = getattr(owner.__dict__[func.__name__], "original_endpoint", None)
            routes.append((rule.rule, rule.endpoint.routing, original))
    return sorted(routes, key=lambda route: route[0])


def nodes(value, path=()):
    """Every path inside a JSON value (its objects' keys and lists' items, at every depth)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from nodes(item, (*path, key))
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield (*path, position)
            yield from nodes(item, (*path, position))


def replaced(value, path, new):
    value = copy.deepcopy(value)
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    if new is KeyError:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return value


def mutations(seed):
    """(name, body) of the deterministic mutations of a valid body."""
    for path in nodes(seed):
        dotted = ".".join(map(str, path))
        for name, text in NASTY_TEXTS.items():
            yield f"{name} in {dotted}", replaced(seed, path, text)
        for name, wrong in WRONG_TYPES.items():
            yield f"{name} as {dotted}", replaced(seed, path, wrong)
        if isinstance(path[-1], str):
            yield f"no {dotted}", replaced(seed, path, KeyError)
    yield "an extra field", dict(seed, extra="\x00")
    yield "an extra nested field", dict(seed, extra={"a": [{"b": "\x00"}]})
    for name, body in BODIES.items():
        yield name, body


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
)
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
)


@tagged("post_install", "-at_install")
class TestRouteFuzz(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.company.write(
            {
                "hvac_capacity_number": "CAP-2024-0042",
                "hvac_capacity_category": "I",
                **HvacConnectCase.cerfa_company_values(),
            }
        )
        cls.fluid = env.ref("hvac_connect.refrigerant_r_410a")
        cls.customer = env["res.partner"].create(
            {
                "name": "Hôpital Nord",
                "is_company": True,
                "street": "12 rue Servient",
                "zip": "69003",
                "city": "Lyon",
                "email": "technique@hopital-nord.fr",
            }
        )
        site = env["hvac.site"].create({"name": "Bâtiment A", "partner_id": cls.customer.id, "zip": "69003"})
        cls.installation = env["hvac.installation"].create(
            {
                "name": "Groupe froid",
                "building_id": site.building_ids.id,
                "refrigerant_id": cls.fluid.id,
                "charge_kg": 12.0,
            }
        )
        cls.copy = env["hvac.installation"].create(
            {
                "name": "Copie reçue",
                "building_id": site.building_ids.id,
                "refrigerant_id": cls.fluid.id,
                "charge_kg": 8.0,
            }
        )
        cls.copy_ref = uuid.uuid4().hex
        cls.fiche = env["hvac.intervention"].create(
            {"installation_id": cls.installation.id, "nature": "maintenance", **SIGNED}
        )
        HvacConnectCase.attest.__func__(cls, env.user)
        cls.fiche.action_done()
        cls.portal_user = new_test_user(env, "fuzz_portal", groups="base.group_portal", name="Claire Dubois")
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.share_admin = new_test_user(
            env,
            "fuzz_share_admin",
            groups="base.group_user,hvac_connect.group_share_admin,hvac_connect.group_hvac_manager",
        )
        cls.connection = env["hvac.connection"]._hvac_create_protected(
            {
                "company_id": cls.company.id,
                "side": "inviter",
                "state": "active",
                # Whatever we send back to the peer goes nowhere.
                "peer_url": "http://127.0.0.1:9",
                "peer_public_id": "peer-fuzz",
                "peer_company_name": "Clim Services",
                "secret": SECRET,
            }
        )

    def setUp(self):
        super().setUp()
        self.http_request_strict_check = False  # server-to-server calls carry no browser cookie

    # --- records the seeds name, made fresh for each call ---------------------------------------
    def _share(self, side, state, **values):
        # A request of ours asks the peer when it is made: made as a sharing administrator.
        return (
            self.env["hvac.share"]
            .with_user(self.share_admin)
            .sudo()
            ._hvac_create_protected(
                {
                    "name": f"Partage {side} {state}",
                    "connection_id": self.connection.id,
                    "side": side,
                    "state": state,
                    "peer_share_id": uuid.uuid4().hex,
                    **values,
                }
            )
        )

    def _owned(self):
        return self._share(
            "owner",
            "available",
            level="installation",
            level_requested="installation",
            role="subcontractor",
            installation_ids=[(6, 0, self.installation.ids)],
            page_count=1,
        )

    def _received(self, state="processed"):
        share = self._share(
            "requester", state, level="installation", role="subcontractor", level_requested="installation"
        )
        self.copy.sudo().write(
            {"shared_from_share_id": share.id, "shared_from_ref": self.copy_ref, "shared_revoked": False}
        )
        return share

    def _invitation(self):
        invitation = self.env["hvac.connection"].with_user(self.share_admin).action_invite()
        connection = self.env["hvac.connection"].browse(invitation["res_id"])
        _url, public_id, token = share_peer.read_invitation(connection.sudo().invitation_code)
        return public_id, token

    def seeds(self):
        """A valid body per peer route, made for each call (fresh ids, records in the right state)."""
        today = fields.Date.today()

        def connect():
            public_id, token = self._invitation()
            return {
                "invitation": public_id,
                "token": token,
                "random": "ab" * 32,
                "url": "http://127.0.0.1:9",
                "connection": uuid.uuid4().hex,
                "company": "Clim Services",
                "siret": "44306184100047",
                "account_kind": "contractor",
            }

        def properties():
            share = self._received()
            return {
                "share": share.public_id,
                "installation": self.copy.shared_from_ref,
                "values": {
                    "name": "Groupe froid cuisine",
                    "category": "refrigeration",
                    "brand": "Daikin",
                    "model": "ZEAS",
                    "serial_number": "SN-42",
                    "commissioning_date": "2021-06-01",
                    "refrigerant": "R-410A",
                    "charge_kg": 12.5,
                    "hermetic": False,
                    "leak_detection_system": True,
                },
            }

        return {
            share_peer.CONNECT_PATH: connect,
            "/hvac/share/v1/connection/state": lambda: {"state": "active"},
            "/hvac/share/v1/ping": lambda: {},
            "/hvac/share/v1/share/request": lambda: {
                "share": uuid.uuid4().hex,
                "name": "Maintenance Hôpital Nord",
                "description": "Contrat 2027",
                "level": "customer",
            },
            "/hvac/share/v1/share/decision": lambda: {
                "share": self._share("requester", "requested").public_id,
                "state": "approved",
                "level": "location",
                "role": "borrowed",
                "details": True,
                "owner": {
                    "name": "Clim Services",
                    "siret": "44306184100047",
                    "address": "3 rue de la République, 69002 Lyon",
                    "capacity_number": "CAP-2025-0107",
                    "capacity_category": "I",
                },
            },
            "/hvac/share/v1/share/available": lambda: {
                "share": self._share("requester", "approved", level="location", role="borrowed").public_id,
                "pages": 1,
            },
            "/hvac/share/v1/share/page": lambda: {"share": self._owned().peer_share_id, "page": 0},
            "/hvac/share/v1/share/revoke": lambda: {"share": self._received().public_id},
            "/hvac/share/v1/share/intervention": lambda: {
                "installation": self._owned().installation_ids.public_token,
                "author": "Clim Services",
                "number": "FI-2026-0042",
                "date": fields.Date.to_string(today - timedelta(days=3)),
                "nature": "maintenance",
                "charged_kg": 1.2,
                "recovered_kg": 0.0,
                "idempotency_key": uuid.uuid4().hex,
            },
            "/hvac/share/v1/share/withdraw": lambda: {
                "share": self._received().public_id,
                "installations": [self.copy.shared_from_ref],
            },
            "/hvac/share/v1/share/installation": properties,
        }

    # --- calls ----------------------------------------------------------------------------------
    def send(self, method, path, data=None, headers=None, undo=False, **kwargs):
        """The request; with ``undo``, what it wrote is rolled back after it, so that each fuzzed call
        meets the records of the seed as they were made (a share approved by one call is not
        approved when the next arrives)."""
        self.env.flush_all()
        with contextlib.closing(self.env.cr.savepoint(flush=False)) if undo else contextlib.nullcontext():
            response = self.opener.request(
                method, self.base_url() + path, data=data, headers=headers, timeout=30, allow_redirects=False, **kwargs
            )
        self.env.invalidate_all()
        return response

    def signed_post(self, path, body, headers=None, undo=False):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        signed = share_protocol.sign(SECRET, self.connection.public_id, "POST", path, raw)
        return self.send("POST", path, raw, {**signed.headers(), **(headers or {})}, undo=undo)

    def peer_call(self, path, body, headers=None, undo=False):
        """The call as the peer makes it: signed, except the pairing."""
        if path == share_peer.CONNECT_PATH:
            raw = body if isinstance(body, bytes) else json.dumps(body).encode()
            return self.send("POST", path, raw, headers, undo=undo)
        return self.signed_post(path, body, headers, undo=undo)

    def assertQuiet(self, log, what):
        """No ERROR line and no traceback in what was logged during the call."""
        loud = [
            f"{record.levelname} {record.name}: {record.getMessage()[:300]}"
            for record in log
            if record.levelno >= logging.ERROR or record.exc_info or "Traceback" in record.getMessage()
        ]
        self.assertEqual(loud, [], f"{what}: the log has an ERROR line or a traceback")

    def assertPeerRefusal(self, response, what, status=None, code=None, field=None):
        """The protocol's own answer: JSON, an object, with its refusal code if it is a refusal."""
        self.assertLess(response.status_code, 500, f"{what}: {response.text[:300]}")
        self.assertEqual(response.headers.get("Content-Type"), "application/json", f"{what}: {response.text[:300]}")
        self.assertNotIn("Traceback", response.text)
        answer = response.json()
        self.assertIsInstance(answer, dict, what)
        if response.status_code >= 400:
            self.assertIsInstance(answer.get("error"), str, what)
        if status:
            self.assertEqual(response.status_code, status, f"{what}: {response.text[:300]}")
        if code:
            self.assertEqual(answer.get("error"), code, what)
        if field:
            self.assertEqual(answer.get("field"), field, what)
        return answer

    # --- the routes -----------------------------------------------------------------------------
    def peer_routes(self):
        return [path for path, _routing, _func in module_routes(self.env) if path.startswith(PEER_PREFIX)]

    def test_routes_are_found_from_odoo_routing(self):
        routes = module_routes(self.env)
        paths = [path for path, _routing, _func in routes]
        self.assertIn(share_peer.CONNECT_PATH, paths)
        self.assertIn("/my/fiches/<int:fiche_id>/sign", paths)
        self.assertNotIn("/my/home", paths, "portal's own routes are portal's")
        missing = sorted(set(self.peer_routes()) - set(self.seeds()))
        self.assertEqual(
            missing,
            [],
            "a peer route without a valid seed body in TestRouteFuzz.seeds(): add one, so that the fuzz "
            "mutates a body the route accepts",
        )
        self.assertEqual(sorted(set(self.seeds()) - set(paths)), [], "a seed for a route that no longer exists")

    def test_seed_bodies_are_accepted(self):
        """The fuzz starts from bodies the routes take: a mutation is refused for what it broke."""
        seeds = self.seeds()
        for path in self.peer_routes():
            with self.subTest(path=path), read_log() as log:
                response = self.peer_call(path, seeds[path]())
                self.assertEqual(response.status_code, 200, f"{path}: {response.text[:300]}")
                self.assertQuiet(log, path)

    def test_peer_bodies(self):
        seeds = self.seeds()
        for path in self.peer_routes():
            for name, body in mutations(seeds[path]()):
                with self.subTest(path=path, body=name), read_log() as log:
                    response = self.peer_call(path, body, undo=True)
                    self.assertPeerRefusal(response, f"{path} with {name}")
                    self.assertQuiet(log, f"{path} with {name}")

    def test_peer_headers(self):
        seeds = self.seeds()
        headers = (
            share_protocol.HEADER_CONNECTION,
            share_protocol.HEADER_TIMESTAMP,
            share_protocol.HEADER_NONCE,
            share_protocol.HEADER_SIGNATURE,
        )
        for path in self.peer_routes():
            if path == share_peer.CONNECT_PATH:
                continue
            for header in headers:
                for name, value in HEADER_VALUES.items():
                    with self.subTest(path=path, header=header, value=name), read_log() as log:
                        response = self.signed_post(path, seeds[path](), {header: value}, undo=True)
                        answer = self.assertPeerRefusal(response, f"{path}, {header} {name}")
                        self.assertQuiet(log, f"{path}, {header} {name}")
                        if name in ("NUL", "latin-1 é", "UTF-8 é", "empty"):
                            self.assertEqual(
                                (response.status_code, answer), (400, {"error": "bad_header", "field": header})
                            )

    def test_peer_methods(self):
        for path in self.peer_routes():
            for method in ("GET", "PUT", "DELETE", "PATCH"):
                with self.subTest(path=path, method=method), read_log() as log:
                    response = self.send(method, path, undo=True)
                    self.assertPeerRefusal(response, f"{method} {path}", status=405, code="bad_method")
                    self.assertQuiet(log, f"{method} {path}")

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def test_peer_bodies_generated(self, data):
        """Bodies drawn by hypothesis: a seed with one value replaced by any JSON, or any JSON."""
        seeds = self.seeds()
        path = data.draw(st.sampled_from(self.peer_routes()), "route")
        seed = seeds[path]()
        paths = list(nodes(seed))
        if paths and data.draw(st.booleans(), "from the seed"):
            body = replaced(seed, data.draw(st.sampled_from(paths), "where"), data.draw(json_values, "what"))
        else:
            body = data.draw(json_values, "body")
        with read_log() as log:
            response = self.peer_call(path, body, undo=True)
            self.assertPeerRefusal(response, f"{path} with {body!r:.200}")
            self.assertQuiet(log, f"{path} with {body!r:.200}")

    # --- what was found from outside, one by one ----------------------------------------------------
    def test_unknown_and_existing_connection_ids_get_the_same_refusal(self):
        body = b"{}"
        answers = []
        for connection_id in (self.connection.public_id, uuid.uuid4().hex):
            signed = share_protocol.sign("not-the-secret", connection_id, "POST", "/hvac/share/v1/ping", body)
            with read_log():
                response = self.send("POST", "/hvac/share/v1/ping", body, signed.headers())
            answers.append((response.status_code, response.json()))
        self.assertEqual(answers[0], answers[1])
        self.assertEqual(answers[0], (401, {"error": "bad_signature"}))

    def test_an_empty_or_short_nonce_is_refused_even_signed(self):
        body = b"{}"
        path = "/hvac/share/v1/ping"
        for nonce in ("", "n-1", "\x00" * 32):
            signed = share_protocol.sign(SECRET, self.connection.public_id, "POST", path, body)
            headers = dict(signed.headers())
            headers[share_protocol.HEADER_NONCE] = nonce
            headers[share_protocol.HEADER_SIGNATURE] = share_protocol.compute_signature(
                SECRET, "POST", path, signed.timestamp, nonce, body
            )
            with self.subTest(nonce=nonce), read_log() as log:
                response = self.send("POST", path, body, headers)
                self.assertPeerRefusal(
                    response, f"nonce {nonce!r}", status=400, code="bad_header", field=share_protocol.HEADER_NONCE
                )
                self.assertQuiet(log, f"nonce {nonce!r}")
        self.assertFalse(
            self.env["hvac.connection.nonce"].sudo().search_count([("connection_id", "=", self.connection.id)]),
            "no nonce kept",
        )

    def test_nul_in_texts_is_refused_at_the_door(self):
        seeds = self.seeds()
        cases = [
            ("/hvac/share/v1/share/request", ("name",)),
            ("/hvac/share/v1/share/request", ("description",)),
            ("/hvac/share/v1/share/intervention", ("number",)),
            ("/hvac/share/v1/share/installation", ("values", "name")),
            (share_peer.CONNECT_PATH, ("company",)),
        ]
        for path, where in cases:
            body = replaced(seeds[path](), where, "Clim\x00Services")
            with self.subTest(path=path, field=where), read_log() as log:
                response = self.peer_call(path, body)
                self.assertPeerRefusal(response, path, status=400, code="invalid", field=".".join(where))
                self.assertQuiet(log, path)

    def test_owner_edit_with_an_unknown_fluid_is_refused_whole(self):
        body = self.seeds()["/hvac/share/v1/share/installation"]()
        body["values"].update(refrigerant="R-999Z", name="Renommé par le propriétaire", charge_kg=30.0)
        with read_log() as log:
            response = self.peer_call("/hvac/share/v1/share/installation", body)
        self.assertPeerRefusal(response, "unknown fluid", status=400, code="invalid", field="values.refrigerant")
        self.assertQuiet(log, "unknown fluid")
        self.assertRecordValues(self.copy, [{"name": "Copie reçue", "charge_kg": 8.0, "refrigerant_id": self.fluid.id}])

    def test_owner_edit_with_no_charge_is_the_protocols_refusal(self):
        body = self.seeds()["/hvac/share/v1/share/installation"]()
        body["values"].update(charge_kg=0, name="Renommé par le propriétaire")
        with read_log() as log:
            response = self.peer_call("/hvac/share/v1/share/installation", body)
        self.assertPeerRefusal(response, "charge 0", status=400, code="invalid", field="values.charge_kg")
        self.assertQuiet(log, "charge 0")
        self.assertRecordValues(self.copy, [{"name": "Copie reçue", "charge_kg": 8.0}])

    # --- the portal's routes ------------------------------------------------------------------------
    def portal_routes(self):
        return [route for route in module_routes(self.env) if not route[0].startswith(PEER_PREFIX)]

    def _urls(self, pattern):
        """The route's URL with each path id real, then out of every range."""
        ids = {"int:installation_id": self.installation.id, "int:fiche_id": self.fiche.id, "int:page": 1}
        converters = re.findall(r"<([^>]+)>", pattern)
        real = pattern
        for converter in converters:
            real = real.replace(f"<{converter}>", str(ids.get(converter, 1)))
        yield "real ids", real
        for converter in converters:
            for name, value in PATH_IDS.items():
                url = pattern.replace(f"<{converter}>", str(value))
                for other in converters:
                    url = url.replace(f"<{other}>", str(ids.get(other, 1)))
                yield f"{converter} {name}", url

    def _params(self, func):
        """The endpoint's named parameters (path ids aside), and an unexpected one."""
        names = [
            name
            for name, parameter in inspect.signature(func).parameters.items()
            if name != "self" and parameter.kind is parameter.POSITIONAL_OR_KEYWORD and not name.endswith("_id")
        ]
        return [*names, "extra"]

    def test_portal_routes(self):
        self.fiche.sudo()._portal_ensure_token()
        for who in ("public", "portal"):
            if who == "portal":
                self.authenticate(self.portal_user.login, self.portal_user.login)
            for pattern, routing, func in self.portal_routes():
                for url_name, url in self._urls(pattern):
                    params = self._params(func)
                    if url_name != "real ids":
                        # An id out of range is tried bare: the parameters are tried on the real one.
                        method = "POST" if routing["type"] == "json" else "GET"
                        body = b'{"jsonrpc": "2.0", "method": "call", "id": 1, "params": {}}'
                        self._portal_call(
                            who,
                            method,
                            url,
                            url_name,
                            body if method == "POST" else None,
                            json_route=routing["type"] == "json",
                        )
                        continue
                    if routing["type"] == "json":
                        cases = [(f"{url_name}, {p} {n}", {p: v}) for p in params for n, v in NASTY_TEXTS.items()]
                        cases += [(f"{url_name}, {p} {n}", {p: v}) for p in params for n, v in WRONG_TYPES.items()]
                        for name, values in cases:
                            body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": values}
                            self._portal_call(who, "POST", url, name, json.dumps(body).encode(), json_route=True)
                        for name, raw in BODIES.items():
                            self._portal_call(who, "POST", url, f"{url_name}, {name}", raw, json_route=True)
                        self._portal_call(who, "GET", url, f"{url_name}, GET", None, json_route=True)
                    else:
                        self._portal_call(who, "GET", url, url_name, None)
                        for param in params:
                            for name, value in {**NASTY_TEXTS, "superscript digit": "²"}.items():
                                query = {param: value}
                                self._portal_call(who, "GET", url, f"{url_name}, {param} {name}", None, query)

    def _portal_call(self, who, method, url, name, data, query=None, json_route=False):
        headers = {"Content-Type": "application/json"} if json_route and method == "POST" else None
        what = f"{who}: {method} {url} ({name})"
        with self.subTest(who=who, url=url, case=name), read_log() as log:
            if query:
                # Encoded here: requests refuses a lone surrogate, a browser sends its bytes.
                url += "?" + urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in query.items()})
            response = self.send(method, url, data, headers, undo=True)
            self.assertLess(response.status_code, 500, f"{what}: {response.text[:300]}")
            self.assertQuiet(log, what)
            if json_route and response.status_code == 200:
                answer = response.json()
                self.assertTrue("result" in answer or "error" in answer, what)
            elif not 300 <= response.status_code < 400:
                self.assertIn("text/", response.headers.get("Content-Type", ""), what)
