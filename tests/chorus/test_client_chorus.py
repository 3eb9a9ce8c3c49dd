import json
from http.server import BaseHTTPRequestHandler

from odoo.tests import BaseCase, tagged

from odoo.addons.hvac_connect.clients import chorus_pro
from odoo.addons.hvac_connect.clients.chorus_pro import ChorusProClient, ChorusProError

from ..fake_http import serve, shutdown


class Gateway(BaseHTTPRequestHandler):
    """A PISTE gateway that grants tokens, then answers API calls with the class's status."""

    status, body, unauthorized_first = 200, b"{}", 0
    token_body = json.dumps({"access_token": "t-granted", "expires_in": 3600}).encode()

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/token":
            status, body = 200, self.token_body
        elif type(self).unauthorized_first:
            type(self).unauthorized_first -= 1
            status, body = 401, b'{"error": "invalid_token"}'
        else:
            status, body = self.status, self.body
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@tagged("post_install", "-at_install")
class TestChorusClient(BaseCase):
    def _client(self, status=200, body=b"{}", unauthorized_first=0, token_body=Gateway.token_body):
        handler = type(
            "Handler",
            (Gateway,),
            {"status": status, "body": body, "unauthorized_first": unauthorized_first, "token_body": token_body},
        )
        server, url = serve(handler)
        self.addCleanup(shutdown, server)
        chorus_pro._tokens.clear()
        return ChorusProClient("id", "secret", "login", "password", token_url=f"{url}/token", api_url=url), handler

    def _error(self, client):
        with self.assertRaises(ChorusProError) as caught:
            client.call("/cpro/factures/v1/soumettre", {})
        return caught.exception

    def test_http_failures_have_stable_codes(self):
        for status, code in [
            (429, "rate_limited"),
            (502, "timeout"),
            (503, "unreachable"),
            (504, "timeout"),
            (500, "server_error"),
        ]:
            with self.subTest(status=status):
                client, _handler = self._client(status, b"<html>gateway</html>")
                self.assertEqual(self._error(client).code, code)
        error = self._error(self._client(403)[0])
        self.assertEqual((error.code, error.api), ("api_not_subscribed", "Factures"))

    def test_business_refusal_carries_chorus_code_and_message(self):
        client, _handler = self._client(
            200, json.dumps({"codeRetour": 20003, "libelle": "Fichier trop volumineux"}).encode()
        )
        error = self._error(client)
        self.assertEqual((error.code, error.return_code, error.message), ("business", 20003, "Fichier trop volumineux"))
        client, _handler = self._client(
            400, json.dumps({"codeRetour": 20001, "libelle": "Facture en doublon"}).encode()
        )
        self.assertEqual(self._error(client).return_code, 20001)

    def test_a_401_is_retried_once_with_a_fresh_token(self):
        client, handler = self._client(
            200, json.dumps({"codeRetour": 0, "libelle": "OK", "x": 1}).encode(), unauthorized_first=1
        )
        self.assertEqual(client.call("/cpro/factures/v1/soumettre", {})["x"], 1)
        client, handler = self._client(unauthorized_first=5)
        self.assertEqual(self._error(client).code, "account_rejected")
        self.assertEqual(handler.unauthorized_first, 3, "two attempts, not more")

    def test_odd_answers_are_the_clients_own_error(self):
        """A gateway's page or a cut answer where JSON is expected: a ChorusProError saying so,
        never a ValueError or KeyError that its callers do not catch."""
        for token_body in (b"<html><body>502 Bad Gateway</body></html>", b'{"token_type": "Bearer"}', b"[]"):
            with self.subTest(token_body=token_body):
                client, _handler = self._client(token_body=token_body)
                with self.assertRaises(ChorusProError) as caught:
                    client.token()
                self.assertEqual(caught.exception.code, "server_error")
                self.assertIn("no access token", caught.exception.message)
                self.assertEqual(self._error(client).code, "server_error", "a call needing a token too")
        client, _handler = self._client(200, b"<html>Maintenance</html>")
        error = self._error(client)
        self.assertEqual((error.code, error.message), ("server_error", "HTTP 200, not a JSON answer"))

    def test_nothing_listens(self):
        client = ChorusProClient(
            "id", "secret", "login", "password", token_url="http://127.0.0.1:9/token", api_url="http://127.0.0.1:9"
        )
        with self.assertRaises(ChorusProError) as caught:
            client.token()
        self.assertEqual(caught.exception.code, "unreachable")
