"""Signing and verification of the peer-to-peer installation-sharing protocol.

Every call between two hvac_connect servers carries an HMAC-SHA256 signature over the
method, path, timestamp, nonce and body hash, made with the connection's secret
(``../shared/research/domain.md`` §5.2). Pure Python: the nonce store is given by the
caller (the Odoo side keeps it in the database), so this module never imports odoo.
"""

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

MAX_CLOCK_SKEW = 300  # seconds a request's timestamp may differ from ours
HEADER_CONNECTION = "X-Hvac-Connection"
HEADER_TIMESTAMP = "X-Hvac-Timestamp"
HEADER_NONCE = "X-Hvac-Nonce"
HEADER_SIGNATURE = "X-Hvac-Signature"
# What each header may hold, checked before any of it reaches the database or a comparison: a NUL
# byte is refused by PostgreSQL and a non-ASCII signature by hmac.compare_digest (both a 500).
# Nonces are ours (token_hex: 32 hex digits); 16 characters at least, never empty.
HEADER_PATTERNS = {
    HEADER_CONNECTION: re.compile(r"[A-Za-z0-9_.:-]{1,128}"),
    HEADER_TIMESTAMP: re.compile(r"[0-9]{1,12}"),
    HEADER_NONCE: re.compile(r"[A-Za-z0-9_-]{16,128}"),
    HEADER_SIGNATURE: re.compile(r"[0-9a-f]{64}"),
}


class ShareProtocolError(Exception):
    """A refused peer call; ``code`` is stable: bad_signature, stale, replayed, missing_header."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class MalformedHeader(ShareProtocolError):
    """A signature header that is present but not in its format; ``field`` names it."""

    status = 400

    def __init__(self, header):
        super().__init__("bad_header", f"malformed header {header}")
        self.field = header


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
    """The connection id and signed values of an incoming request: a missing_header error when
    one is absent, a bad_header error (MalformedHeader) when one is not in its format."""
    values = {}
    for name, pattern in HEADER_PATTERNS.items():
        value = headers.get(name)
        if value is None:
            raise ShareProtocolError("missing_header", f"missing signature header {name}")
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise MalformedHeader(name)
        values[name] = value
    return SignedRequest(
        values[HEADER_CONNECTION],
        int(values[HEADER_TIMESTAMP]),
        values[HEADER_NONCE],
        values[HEADER_SIGNATURE],
    )


def verify(secret, signed, method, path, body, nonce_seen, now=None):
    """Check an incoming request. ``nonce_seen(connection_id, nonce)`` returns True when the
    nonce was already used, and records it otherwise (the caller's store)."""
    now = int(now if now is not None else time.time())
    if abs(now - signed.timestamp) > MAX_CLOCK_SKEW:
        raise ShareProtocolError("stale", "request timestamp outside the allowed window")
    expected = compute_signature(secret, method, path, signed.timestamp, signed.nonce, body)
    # Constant-time comparison: a timing difference must not reveal the signature.
    # Compared as bytes: compare_digest raises on a str with non-ASCII characters.
    if not hmac.compare_digest(expected.encode(), str(signed.signature).encode("utf-8", "surrogatepass")):
        raise ShareProtocolError("bad_signature", "signature does not match")
    if nonce_seen(signed.connection_id, signed.nonce):
        raise ShareProtocolError("replayed", "nonce already used")
    return True
