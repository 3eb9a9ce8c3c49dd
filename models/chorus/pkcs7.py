"""Reading the PKCS#7 (.p7b) certificate bundles that Chorus Pro asks for on a connection sheet.

Chorus wants the public certificate with its whole chain, in PKCS#7 (research §7). Plain
functions on bytes, so that they are tested without the ORM.
"""

from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7


class CertificateError(Exception):
    """A refused bundle; ``code`` is stable: not_pkcs7, empty, incomplete_chain, expired."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Chain:
    subject: str
    issuer: str
    length: int
    not_before: datetime
    not_after: datetime  # the earliest end of validity in the chain: when exchanges stop


def load_certificates(data):
    """The certificates of a DER or PEM PKCS#7 bundle."""
    for loader in (pkcs7.load_der_pkcs7_certificates, pkcs7.load_pem_pkcs7_certificates):
        try:
            certificates = loader(data)
        except ValueError:
            continue
        if certificates:
            return certificates
        raise CertificateError("empty")
    raise CertificateError("not_pkcs7")


def _signed_by(certificate, issuer):
    if certificate.issuer != issuer.subject:
        return False
    key = issuer.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(
                certificate.signature,
                certificate.tbs_certificate_bytes,
                padding.PKCS1v15(),
                certificate.signature_hash_algorithm,
            )
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(
                certificate.signature, certificate.tbs_certificate_bytes, ec.ECDSA(certificate.signature_hash_algorithm)
            )
        else:
            return True  # other key types: the names alone link them
    except InvalidSignature:
        return False
    return True


def _leaf(certificates):
    """The end certificate: issued by another, issuing none (a lone root is its own leaf)."""
    issuers = {c.issuer for c in certificates if c.issuer != c.subject}
    leaves = [c for c in certificates if c.subject not in issuers and c.issuer != c.subject]
    return leaves[0] if leaves else certificates[0]


def build_chain(certificates):
    """Leaf first, up to a self-signed root; CertificateError("incomplete_chain") otherwise."""
    chain = [_leaf(certificates)]
    while chain[-1].issuer != chain[-1].subject:
        issuer = next((c for c in certificates if c not in chain and _signed_by(chain[-1], c)), None)
        if issuer is None:
            raise CertificateError("incomplete_chain", chain[-1].issuer.rfc4514_string())
        chain.append(issuer)
    if not _signed_by(chain[-1], chain[-1]):
        raise CertificateError("incomplete_chain", chain[-1].subject.rfc4514_string())
    strays = [c for c in certificates if c not in chain]
    if strays:
        # A certificate outside the chain: not the bundle Chorus expects for this connection.
        raise CertificateError("incomplete_chain", strays[0].subject.rfc4514_string())
    return chain


def read_bundle(data, now=None):
    """Check a .p7b bundle and describe it; refuse what Chorus would refuse."""
    chain = build_chain(load_certificates(data))
    now = now or datetime.utcnow()
    expired = [c for c in chain if c.not_valid_after < now]
    if expired:
        raise CertificateError(
            "expired", f"{expired[0].subject.rfc4514_string()} ({expired[0].not_valid_after:%Y-%m-%d})"
        )
    leaf = chain[0]
    return Chain(
        subject=leaf.subject.rfc4514_string(),
        issuer=leaf.issuer.rfc4514_string(),
        length=len(chain),
        not_before=max(c.not_valid_before for c in chain),
        not_after=min(c.not_valid_after for c in chain),
    )
