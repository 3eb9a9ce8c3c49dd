import json
from http.server import BaseHTTPRequestHandler
from unittest.mock import patch

from odoo.tests import BaseCase, tagged

from odoo.addons.hvac_connect.clients import share_peer
from odoo.addons.hvac_connect.clients import share_protocol as sp

from ..fake_http import serve, shutdown

SECRET = "s3cr3t-connection-key"
BODY = b'{"share": "ABC", "installations": [1, 2]}'


class NonceStore:
    def __init__(self):
        self.seen = set()

    def __call__(self, connection_id, nonce):
        key = (connection_id, nonce)
        if key in self.seen:
            return True
        self.seen.add(key)
        return False


@tagged("at_install")
class TestShareProtocol(BaseCase):
    def signed(self, now=1_800_000_000, **kw):
        return sp.sign(kw.get("secret", SECRET), "conn-1", "POST", "/hvac_connect/share/v1/payload", BODY, now=now)

    def verify(self, signed, now=1_800_000_000, body=BODY, path="/hvac_connect/share/v1/payload", store=None):
        return sp.verify(SECRET, signed, "POST", path, body, store or NonceStore(), now=now)

    def test_round_trip_through_headers(self):
        signed = sp.read_headers(self.signed().headers())
        self.assertTrue(self.verify(signed))

    def test_wrong_secret_body_or_path_refused(self):
        cases = {
            "secret": (self.signed(secret="other"), BODY, "/hvac_connect/share/v1/payload"),
            "body": (self.signed(), BODY + b" ", "/hvac_connect/share/v1/payload"),
            "path": (self.signed(), BODY, "/hvac_connect/share/v1/other"),
        }
        for name, (signed, body, path) in cases.items():
            with self.subTest(name), self.assertRaises(sp.ShareProtocolError) as caught:
                self.verify(signed, body=body, path=path)
            self.assertEqual(caught.exception.code, "bad_signature")

    def test_stale_timestamp_refused(self):
        signed = self.signed(now=1_800_000_000)
        self.assertTrue(self.verify(signed, now=1_800_000_000 + sp.MAX_CLOCK_SKEW))
        with self.assertRaises(sp.ShareProtocolError) as caught:
            self.verify(signed, now=1_800_000_000 + sp.MAX_CLOCK_SKEW + 1)
        self.assertEqual(caught.exception.code, "stale")

    def test_replayed_nonce_refused(self):
        store = NonceStore()
        signed = self.signed()
        self.verify(signed, store=store)
        with self.assertRaises(sp.ShareProtocolError) as caught:
            self.verify(signed, store=store)
        self.assertEqual(caught.exception.code, "replayed")

    def test_missing_header_refused(self):
        headers = self.signed().headers()
        del headers[sp.HEADER_SIGNATURE]
        with self.assertRaises(sp.ShareProtocolError) as caught:
            sp.read_headers(headers)
        self.assertEqual(caught.exception.code, "missing_header")

    def test_malformed_headers_refused_before_use(self):
        """A NUL, non-ASCII, an empty or short nonce: refused by their format (bad_header), before
        the connection id reaches the database or the signature a comparison."""
        good = self.signed().headers()
        cases = {
            sp.HEADER_CONNECTION: ("conn\x00-1", "connexion-é", ""),
            sp.HEADER_TIMESTAMP: ("1800000000\x00", "١٨٠٠٠٠٠٠٠٠", "-1"),
            sp.HEADER_NONCE: ("", "n-1", "\x00" * 32, "é" * 32),
            sp.HEADER_SIGNATURE: ("é" * 64, good[sp.HEADER_SIGNATURE].upper(), good[sp.HEADER_SIGNATURE][:-1]),
        }
        for header, values in cases.items():
            for value in values:
                with self.subTest(header=header, value=value), self.assertRaises(sp.MalformedHeader) as caught:
                    sp.read_headers(dict(good, **{header: value}))
                self.assertEqual((caught.exception.code, caught.exception.field), ("bad_header", header))

    def test_a_non_ascii_signature_is_a_wrong_signature(self):
        signed = self.signed()
        forged = sp.SignedRequest(signed.connection_id, signed.timestamp, signed.nonce, "é" * 64)
        with self.assertRaises(sp.ShareProtocolError) as caught:
            self.verify(forged)
        self.assertEqual(caught.exception.code, "bad_signature")

    def test_each_request_gets_a_fresh_nonce(self):
        self.assertNotEqual(self.signed().nonce, self.signed().nonce)


class TestPeerInvitation(BaseCase):
    def test_peers_talk_over_https_only_loopback_excepted(self):
        for url in ("https://odoo.froid-lyonnais.fr", "http://127.0.0.1:8069", "http://localhost:8069"):
            code, token = share_peer.make_invitation(url, "id-1")
            self.assertEqual(share_peer.read_invitation(code), (url, "id-1", token))
        code, _token = share_peer.make_invitation("http://odoo.froid-lyonnais.fr", "id-1")
        with self.assertRaisesRegex(share_peer.PeerError, "not on HTTPS"):
            share_peer.read_invitation(code)


class FixedAnswer(BaseHTTPRequestHandler):
    """Answers every POST with the class's ``status`` and ``body``."""

    status, body = 200, b"{}"

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestPeerAnswers(BaseCase):
    """What another company's server answers is read with bounds, whatever it sends."""

    def _answer(self, status, body):
        handler = type("Answer", (FixedAnswer,), {"status": status, "body": body})
        server, url = serve(handler)
        self.addCleanup(shutdown, server)
        return share_peer._post(url + "/hvac/share/v1/ping", b"{}")

    def test_an_answer_beyond_the_bound_is_not_parsed(self):
        with patch.object(share_peer, "MAX_ANSWER_BYTES", 1_000):
            self.assertEqual(self._answer(200, json.dumps({"pad": "x" * 900}).encode()), {"pad": "x" * 900})
            with self.assertRaises(share_peer.PeerError) as caught:
                self._answer(200, json.dumps({"pad": "x" * 2_000}).encode())
        self.assertEqual(caught.exception.code, "server_error")
        self.assertIn("larger than", caught.exception.message)

    def test_an_answer_that_is_not_an_object_is_empty(self):
        for body in (b"[1, 2]", b"12", b"not json", b"\xff\xfe"):
            with self.subTest(body=body):
                self.assertEqual(self._answer(200, body), {})
        with self.assertRaises(share_peer.PeerError) as caught:
            self._answer(409, b"[]")
        self.assertEqual((caught.exception.code, caught.exception.message), ("refused", "HTTP 409"))

    def test_a_handshake_answer_is_checked_against_the_protocol(self):
        """The inviter's answer to the pairing: a field missing or malformed is the client's own
        error naming it, never a KeyError."""
        good = {"random": "ab" * 32, "connection": "conn-froid-1", "company": "Froid Lyonnais", "siret": ""}
        for body, field in (
            ({}, "random"),
            ({**good, "random": None}, "random"),
            ({**good, "random": "not hex"}, "random"),
            ({k: v for k, v in good.items() if k != "connection"}, "connection"),
            ({**good, "company": ["Froid"]}, "company"),
            ({**good, "siret": "123"}, "siret"),
        ):
            handler = type("Answer", (FixedAnswer,), {"status": 200, "body": json.dumps(body).encode()})
            server, url = serve(handler)
            self.addCleanup(shutdown, server)
            code, _token = share_peer.make_invitation(url, "invitation-1")
            with self.subTest(body=body), self.assertRaises(share_peer.PeerError) as caught:
                share_peer.connect(code, "http://127.0.0.1:8069", "conn-clim-1", "Clim Services", "")
            self.assertEqual(caught.exception.code, "bad_answer")
            self.assertIn(f"({field}: ", caught.exception.message)
        handler = type("Answer", (FixedAnswer,), {"status": 200, "body": json.dumps(good).encode()})
        server, url = serve(handler)
        self.addCleanup(shutdown, server)
        code, token = share_peer.make_invitation(url, "invitation-1")
        answer, secret, peer_url = share_peer.connect(code, "http://127.0.0.1:8069", "conn-clim-1", "Clim", "")
        self.assertEqual((answer["connection"], answer["account_kind"], peer_url), ("conn-froid-1", None, url))
        self.assertEqual(len(secret), 64)
