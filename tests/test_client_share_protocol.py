from odoo.tests import BaseCase, tagged

from odoo.addons.hvac_connect.clients import share_peer
from odoo.addons.hvac_connect.clients import share_protocol as sp

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
