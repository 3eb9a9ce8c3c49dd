"""Signing and verification of the peer-to-peer installation-sharing protocol.

Every call between two hvac_connect servers carries an HMAC-SHA256 signature over the
method, path, timestamp, nonce and body hash, made with the connection's secret
(``../shared/research/domain.md`` §5.2). Pure Python: the nonce store is given by the
caller (the Odoo side keeps it in the database), so this module never imports odoo.
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

MAX_CLOCK_SKEW = 300  # seconds a request's timestamp may differ from ours
HEADER_CONNECTION = "X-Hvac-Connection"
HEADER_TIMESTAMP = "X-Hvac-Timestamp"
HEADER_NONCE = "X-Hvac-Nonce"
HEADER_SIGNATURE = "X-Hvac-Signature"


class ShareProtocolError(Exception):
    """A refused peer call; ``code`` is stable: bad_signature, stale, replayed, missing_header."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class SignedRequest:
    connection_id: str
    timestamp: int
    nonce: str
    signature: str

    def headers(self):
        return {
            HEADER_CONNECTION: self.connection_id,
            HEADER_TIMESTAMP: str(self.timestamp),
            HEADER_NONCE: self.nonce,
            HEADER_SIGNATURE: self.signature,
        }


def canonical_string(method, path, timestamp, nonce, body):
    body_hash = hashlib.sha256(body or b"").hexdigest()
    return "\n".join([method.upper(), path, str(timestamp), nonce, body_hash])


def compute_signature(secret, method, path, timestamp, nonce, body):
    message = canonical_string(method, path, timestamp, nonce, body).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret, connection_id, method, path, body, now=None):
    timestamp = int(now if now is not None else time.time())
    nonce = secrets.token_hex(16)
    signature = compute_signature(secret, method, path, timestamp, nonce, body)
    return SignedRequest(connection_id, timestamp, nonce, signature)


def read_headers(headers):
    """The connection id and signed values of an incoming request, or a missing_header error."""
    try:
        return SignedRequest(
            headers[HEADER_CONNECTION],
            int(headers[HEADER_TIMESTAMP]),
            headers[HEADER_NONCE],
            headers[HEADER_SIGNATURE],
        )
    except (KeyError, ValueError) as error:
        raise ShareProtocolError("missing_header", f"missing or malformed signature header: {error}") from error


def verify(secret, signed, method, path, body, nonce_seen, now=None):
    """Check an incoming request. ``nonce_seen(connection_id, nonce)`` returns True when the
    nonce was already used, and records it otherwise (the caller's store)."""
    now = int(now if now is not None else time.time())
    if abs(now - signed.timestamp) > MAX_CLOCK_SKEW:
        raise ShareProtocolError("stale", "request timestamp outside the allowed window")
    expected = compute_signature(secret, method, path, signed.timestamp, signed.nonce, body)
    # Constant-time comparison: a timing difference must not reveal the signature.
    if not hmac.compare_digest(expected, signed.signature):
        raise ShareProtocolError("bad_signature", "signature does not match")
    if nonce_seen(signed.connection_id, signed.nonce):
        raise ShareProtocolError("replayed", "nonce already used")
    return True
