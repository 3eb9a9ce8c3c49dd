from http.server import BaseHTTPRequestHandler

from odoo.tests import BaseCase, tagged

from odoo.addons.hvac_connect.clients.trackdechets import TrackdechetsClient, TrackdechetsError

from ..fake_http import serve, shutdown
from ..trackdechets_common import start_fake

SIRET = "85200000900013"


class FixedAnswer(BaseHTTPRequestHandler):
    """Answers every POST with the class's status and body: proxies, quotas and crashes."""

    status, body = 200, b"{}"

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(self.status)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


@tagged("post_install", "-at_install")
class TestTrackdechetsClient(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = start_fake(cls)
        cls.fake.add_user("token", "a@example.com", [SIRET])

    def _answering(self, status, body):
        handler = type("Handler", (FixedAnswer,), {"status": status, "body": body})
        server, url = serve(handler)
        self.addCleanup(shutdown, server)
        return TrackdechetsClient("token", url=url)

    def _code(self, client):
        with self.assertRaises(TrackdechetsError) as caught:
            client.me()
        return caught.exception

    def test_http_failures_have_stable_codes(self):
        cases = {
            (429, "Quota de 1000 requêtes par 1 minute(s) excédé".encode()): "rate_limited",
            (502, b"Bad gateway"): "timeout",  # the gateway may have passed it on
            (503, b"Service unavailable"): "unreachable",
            (504, b"Gateway timeout"): "timeout",
            (500, b"<html>crash</html>"): "server_error",
        }
        for (status, body), code in cases.items():
            with self.subTest(status=status):
                self.assertEqual(self._code(self._answering(status, body)).code, code)
        self.assertEqual(self._code(TrackdechetsClient("token", url="http://127.0.0.1:9")).code, "unreachable")

    def test_graphql_errors_carry_the_server_message_not_the_token(self):
        error = self._code(TrackdechetsClient("secret-token-value", url=self.fake.url))
        self.assertEqual((error.code, error.message), ("unauthenticated", "Vous n'êtes pas connecté."))
        self.assertNotIn("secret-token-value", str(error))

    def test_pages_follow_the_cursor(self):
        ids = [self.fake.add_bsff(SIRET, f"BT-{n}") for n in range(5)]
        client = TrackdechetsClient("token", url=self.fake.url)
        seen = [node["id"] for node in client.iter_bsffs({}, page_size=2)]
        self.assertEqual(sorted(seen), sorted(ids))
        self.assertEqual(client.requests_made, 3, "5 slips in pages of 2")
        self.assertEqual(self.fake.invalid_documents, [])
