from datetime import datetime, timedelta

from odoo.tests import BaseCase, tagged

from odoo.addons.hvac_connect.models.chorus.pkcs7 import CertificateError, read_bundle

from ..pkcs7_factory import QUALIFIED_ORGANIZATION, bundle, make_certificate, make_chain, pem


@tagged("post_install", "-at_install")
class TestPkcs7Bundle(BaseCase):
    def _refused(self, data):
        with self.assertRaises(CertificateError) as caught:
            read_bundle(data)
        return caught.exception.code

    def test_whole_chain_is_described(self):
        leaf, intermediate, root = make_chain(leaf_days=200)
        chain = read_bundle(bundle(root, leaf, intermediate))  # any order, as exported
        self.assertEqual(chain.length, 3)
        self.assertIn("CN=client.hvac-connect.example", chain.subject)
        self.assertIn("CN=Test Intermediate CA", chain.issuer)
        self.assertAlmostEqual(chain.not_after, leaf.not_valid_after, delta=timedelta(seconds=1))
        self.assertLess(chain.not_after, datetime.utcnow() + timedelta(days=201))

    def test_refusals(self):
        leaf, intermediate, root = make_chain()
        self.assertEqual(self._refused(b"not a certificate at all"), "not_pkcs7")
        self.assertEqual(self._refused(pem(leaf)), "not_pkcs7", "a bare certificate is not a .p7b")
        self.assertEqual(self._refused(bundle(leaf, root)), "incomplete_chain", "missing intermediate")
        self.assertEqual(self._refused(bundle(leaf, intermediate)), "incomplete_chain", "missing root")
        expired = make_certificate("old.example", days=-1, start_days_ago=400)[0]
        self.assertEqual(self._refused(bundle(expired)), "expired")

    def test_forged_issuer_name_is_not_a_chain(self):
        leaf, intermediate, root = make_chain()
        impostor = make_certificate("Test Intermediate CA", ca=True, organization=QUALIFIED_ORGANIZATION)[0]
        self.assertEqual(self._refused(bundle(leaf, impostor, root)), "incomplete_chain", "same name, other key")
