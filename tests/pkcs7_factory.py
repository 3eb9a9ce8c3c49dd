"""PKCS#7 (.p7b) bundles made in the tests: a root, an intermediate, a leaf, valid or not."""

from datetime import datetime, timedelta

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# The certification authorities of the test chains: a provider of the qualified list (LSTI)
# that Chorus Pro accepts, as the module ships it (Certigna's certificates name Dhimyotis).
QUALIFIED_ORGANIZATION = "Dhimyotis"


def _name(common_name, organization=None):
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "FR")]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name([*attributes, x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_certificate(common_name, issuer=None, days=365, start_days_ago=1, ca=False, organization=None):
    """(certificate, private key); self-signed when ``issuer`` (certificate, key) is None."""
    key = ec.generate_private_key(ec.SECP256R1())
    issuer_cert, issuer_key = issuer or (None, key)
    now = datetime.utcnow()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization))
        .issuer_name(issuer_cert.subject if issuer_cert else _name(common_name, organization))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=start_days_ago))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )
    return certificate, key


def make_chain(leaf_days=365, leaf_name="client.hvac-connect.example", organization=QUALIFIED_ORGANIZATION):
    """Leaf, intermediate, root; the two authorities belong to ``organization``."""
    root = make_certificate("Test Root CA", days=3650, ca=True, organization=organization)
    intermediate = make_certificate("Test Intermediate CA", issuer=root, days=1825, ca=True, organization=organization)
    leaf = make_certificate(leaf_name, issuer=intermediate, days=leaf_days)
    return leaf[0], intermediate[0], root[0]


def bundle(*certificates):
    """A certificates-only PKCS#7 SignedData, DER, as CAs and browsers export .p7b files."""
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [],
            "encap_content_info": {"content_type": "data"},
            "certificates": [
                asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in certificates
            ],
            "signer_infos": [],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


def pem(certificate):
    return certificate.public_bytes(serialization.Encoding.PEM)
