"""Calls from one hvac_connect server to a peer: the pairing handshake, then signed calls.

Pure Python. The per-connection secret is never sent: both sides derive it from the
invitation's one-time token and one random value from each side (see ``derive_secret``).
"""

import base64
import hashlib
import json
import secrets
from urllib.parse import urlsplit

import requests
import urllib3

from . import share_protocol, share_schema

DEFAULT_TIMEOUT = 20
# The largest answer read from a peer: a page of 200 installations with their history is about 0.4 MB.
MAX_ANSWER_BYTES = 32_000_000
CONNECT_PATH = "/hvac/share/v1/connect"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class PeerError(Exception):
    """A failed peer call; ``code``: unreachable, timeout, refused (with the peer's reason), server_error,
    bad_answer (an answer that breaks the protocol, with the field)."""

    def __init__(self, code, message=""):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message


def make_invitation(server_url, invitation_id):
    """(code to give the other company, token to keep hashed)."""
    token = secrets.token_urlsafe(32)
    payload = json.dumps({"url": server_url.rstrip("/"), "id": invitation_id, "token": token}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("="), token


def read_invitation(code):
    try:
        padded = code.strip() + "=" * (-len(code.strip()) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        url, invitation_id, token = data["url"], data["id"], data["token"]
    except (ValueError, KeyError, TypeError):
        raise PeerError("refused", "not an invitation code") from None
    if not is_secure_url(url):
        raise PeerError("refused", "the inviting server is not on HTTPS")
    return url, invitation_id, token


def is_secure_url(url):
    """Peers talk over HTTPS; plain HTTP only on this machine's loopback (tests, one database)."""
    parts = urlsplit(url or "")
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS)


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def derive_secret(token, inviter_random, invitee_random):
    """The connection's secret: only holders of the one-time token can compute it."""
    return hashlib.sha256(f"{token}|{inviter_random}|{invitee_random}".encode()).hexdigest()


def fingerprint(secret):
    """A short code both administrators read to each other to be sure of their peer."""
    digest = hashlib.sha256(secret.encode()).hexdigest()[:12].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 12, 4))


def _post(url, body, headers=None, timeout=DEFAULT_TIMEOUT):
    try:
        with requests.post(
            url,
            data=body,
            headers=dict(headers or {}, **{"Content-Type": "application/json"}),
            timeout=timeout,
            stream=True,
        ) as response:
            # Another company's server: its answer is read up to a bound, then parsed.
            status, content = response.status_code, response.raw.read(MAX_ANSWER_BYTES + 1, decode_content=True)
    except requests.ConnectTimeout:
        raise PeerError("unreachable") from None
    except (requests.Timeout, urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.ProtocolError):
        raise PeerError("timeout") from None
    except requests.ConnectionError as exc:
        raise PeerError("unreachable" if "refused" in str(exc) else "timeout") from None
    if len(content) > MAX_ANSWER_BYTES:
        raise PeerError("server_error", f"answer larger than {MAX_ANSWER_BYTES // 1_000_000} MB")
    try:
        answer = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    if status in (400, 401, 403, 404, 409, 410):
        raise PeerError("refused", answer.get("error") or f"HTTP {status}")
    if status != 200:
        raise PeerError("server_error", f"HTTP {status}")
    return answer


def connect(code, our_url, our_connection_id, company_name, siret, timeout=DEFAULT_TIMEOUT, extra=None):
    """Accept an invitation: returns (peer answer, secret)."""
    url, invitation_id, token = read_invitation(code)
    invitee_random = secrets.token_hex(32)
    body = {
        "invitation": invitation_id,
        "token": token,
        "random": invitee_random,
        "url": our_url.rstrip("/"),
        "connection": our_connection_id,
        "company": company_name,
        "siret": siret,
        **(extra or {}),
    }
    answer = _post(url + CONNECT_PATH, json.dumps(body).encode(), timeout=timeout)
    try:
        # Another company's server: its answer is checked like every body a peer sends.
        answer = share_schema.validate(answer, share_schema.CONNECT_ANSWER)
    except share_schema.InvalidInput as error:
        raise PeerError("bad_answer", f"the inviting server's answer breaks the protocol ({error.args[0]})") from None
    return answer, derive_secret(token, answer["random"], invitee_random), url


class PeerClient:
    """Signed calls to a connected peer."""

    def __init__(self, base_url, connection_id, secret, timeout=DEFAULT_TIMEOUT):
        self.base_url = base_url.rstrip("/")
        self.connection_id = connection_id
        self._secret = secret
        self.timeout = timeout

    def call(self, path, payload):
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        signed = share_protocol.sign(self._secret, self.connection_id, "POST", path, body)
        return _post(self.base_url + path, body, signed.headers(), self.timeout)
