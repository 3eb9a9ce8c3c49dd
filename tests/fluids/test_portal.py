import re
import subprocess
import tempfile

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..common import SIGNATURE_PNG, HvacConnectCase


@tagged("post_install", "-at_install")
class TestPortal(HvacConnectCase, HttpCase):
    """The holder's side: its own installations and fiches on the portal, and its deferred signature."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "accueil@clinique-du-parc.fr"
        cls.holder_user = new_test_user(cls.env, "clinique_portal", groups="base.group_portal", name="Claire Dubois")
        cls.holder_user.partner_id.write({"parent_id": cls.customer.id, "email": "c.dubois@clinique-du-parc.fr"})
        cls.installation = cls.make_installation(charge=8.0, name="Chambre froide cuisine", serial_number="CF-2201")
        cls.fiche = cls.make_intervention(cls.installation, charged_virgin_kg=0.0)
        cls.fiche.action_done()
        other = cls.env["res.partner"].create({"name": "Boulangerie Martin", "is_company": True})
        other_site = cls.env["hvac.site"].create({"name": "Fournil", "partner_id": other.id, "zip": "69007"})
        cls.other_installation = cls.make_installation(
            name="Vitrine réfrigérée Martin",
            building_id=other_site.building_ids.id,
        )
        cls.other_fiche = cls.make_intervention(cls.other_installation)
        cls.other_fiche.action_done()

    def test_operator_signature_is_needed_to_validate(self):
        fiche = self.make_intervention(self.installation, operator_signature=False)
        with self.assertRaisesRegex(UserError, "operator signs the fiche"):
            fiche.action_done()
        self.assertEqual(fiche.state, "draft")

    def test_a_draft_signed_by_the_holder_is_locked_until_the_signature_is_cleared(self):
        fiche = self.make_intervention(self.installation, holder_signature=SIGNATURE_PNG, holder_signatory="C. Dubois")
        with self.assertRaisesRegex(UserError, "signed by the holder"):
            fiche.write({"observations": "Ajouté après la signature"})
        fiche.write({"holder_signature": False, "observations": "Ajouté avant de signer à nouveau"})
        self.assertEqual(fiche.observations, "Ajouté avant de signer à nouveau")

    def test_signing_traces_cannot_be_written_over_rpc(self):
        self.authenticate(self.technician.login, self.technician.login)
        for vals in ({"holder_signed_ip": "10.0.0.1"}, {"holder_signature": SIGNATURE_PNG}):
            with self.subTest(vals=vals), mute_logger("odoo.http"), self.assertRaises(Exception):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": "hvac.intervention",
                        "method": "write",
                        "args": [self.fiche.ids, vals],
                        "kwargs": {},
                    },
                )
        self.assertFalse(self.fiche.holder_signature)
        self.assertFalse(self.fiche.holder_signed_ip)

    def test_portal_lists_only_the_holders_installations_and_fiches(self):
        self.authenticate(self.holder_user.login, self.holder_user.login)
        page = self.url_open("/my/installations")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Chambre froide cuisine", page.text)
        self.assertNotIn("Vitrine réfrigérée Martin", page.text)
        page = self.url_open(f"/my/installations/{self.installation.id}")
        self.assertIn("CF-2201", page.text)
        self.assertIn(self.fiche.name, page.text)
        page = self.url_open("/my/fiches")
        self.assertIn(self.fiche.name, page.text)
        self.assertNotIn(self.other_fiche.name, page.text)

    def test_portal_refuses_another_holders_records(self):
        self.authenticate(self.holder_user.login, self.holder_user.login)
        for url in (
            f"/my/installations/{self.other_installation.id}",
            f"/my/fiches/{self.other_fiche.id}",
            f"/my/fiches/{self.other_fiche.id}?report_type=pdf",
        ):
            with self.subTest(url=url):
                page = self.url_open(url)
                self.assertEqual(page.status_code, 404)
                self.assertNotIn("Vitrine réfrigérée Martin", page.text)
                self.assertNotIn(self.other_fiche.name, page.text)
        result = self.make_jsonrpc_request(
            f"/my/fiches/{self.other_fiche.id}/sign",
            {
                "name": "Claire Dubois",
                "signature": SIGNATURE_PNG,
            },
        )
        self.assertIn("error", result)
        self.assertFalse(self.other_fiche.holder_signature)

    def test_to_sign_only_once_asked(self):
        """A validated fiche is not "to sign" on the portal until the holder was asked to sign it."""
        self.authenticate(self.holder_user.login, self.holder_user.login)
        page = self.url_open(f"/my/fiches/{self.fiche.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Sign the fiche", page.text)
        self.assertNotIn("To sign", self.url_open("/my/fiches").text)
        refused = self.make_jsonrpc_request(
            f"/my/fiches/{self.fiche.id}/sign", {"name": "Claire Dubois", "signature": SIGNATURE_PNG}
        )
        self.assertIn("error", refused, "no signature of a fiche nobody asked to sign")
        self.assertFalse(self.fiche.holder_signature)
        self.fiche.with_user(self.technician).action_request_holder_signature()
        self.assertIn("To sign", self.url_open("/my/fiches").text)
        self.assertIn("Sign the fiche", self.url_open(f"/my/fiches/{self.fiche.id}").text)
        pending = self.env["hvac.intervention"].search([("holder_signature_pending", "=", True)])
        self.assertEqual(pending, self.fiche)
        self.assertNotIn(self.fiche, self.env["hvac.intervention"].search([("holder_signature_pending", "=", False)]))

    def test_deferred_signature_from_the_emailed_link(self):
        self.fiche.with_user(self.technician).action_request_holder_signature()
        message = self.fiche.message_ids.filtered(lambda m: "Lire et signer" in (m.body or ""))
        self.assertTrue(message, "the holder's e-mail carries the portal link")
        self.assertIn(f"access_token={self.fiche.access_token}", message.body)
        self.assertIn(self.customer, message.partner_ids)
        # The holder opens the link without logging in: the token alone lets it read and sign.
        self.authenticate(None, None)
        page = self.url_open(self.fiche.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("Sign the fiche", page.text)
        wrong = self.make_jsonrpc_request(
            f"/my/fiches/{self.fiche.id}/sign?access_token=forged",
            {
                "name": "Claire Dubois",
                "signature": SIGNATURE_PNG,
            },
        )
        self.assertIn("error", wrong)
        result = self.make_jsonrpc_request(
            f"/my/fiches/{self.fiche.id}/sign?access_token={self.fiche.access_token}",
            {"name": "Claire Dubois", "signature": SIGNATURE_PNG},
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(self.fiche.holder_signatory, "Claire Dubois")
        self.assertEqual(self.fiche.holder_signed_ip, "127.0.0.1")
        self.assertTrue(self.fiche.holder_signed_at)
        self.assertTrue(self.fiche.holder_signature)
        self.assertIn("Claire Dubois", self.fiche.message_ids[0].body)
        again = self.make_jsonrpc_request(
            f"/my/fiches/{self.fiche.id}/sign?access_token={self.fiche.access_token}",
            {"name": "Someone Else", "signature": SIGNATURE_PNG},
        )
        self.assertIn("error", again)
        self.assertEqual(self.fiche.holder_signatory, "Claire Dubois")

    def test_signed_fiche_pdf_carries_both_signatures(self):
        self.fiche.with_user(self.technician).action_request_holder_signature()
        self.fiche._sign_as_holder("Claire Dubois", SIGNATURE_PNG, "192.0.2.10", self.holder_user.partner_id)
        report = self.env.ref("hvac_connect.action_report_hvac_intervention")
        html = report._render_qweb_html(report.report_name, self.fiche.ids)[0].decode()
        self.assertEqual(len(re.findall(r'<img[^>]*alt="Signature d', html)), 2, "both signatures are drawn")
        self.assertIn("Claire Dubois", html)
        pdf, _kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name,
            self.fiche.ids,
        )
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            listing = subprocess.run(["pdfimages", "-list", file.name], capture_output=True, check=True, timeout=60)
        rows = [line for line in listing.stdout.decode().splitlines()[2:] if line.strip()]
        self.assertGreaterEqual(len(rows), 2, "both signatures are drawn in the PDF")

    def test_photos_are_annexed_on_request(self):
        fiche = self.make_intervention(self.installation, operator_signature=False)
        photo = self.env["ir.attachment"].create(
            {
                "name": "plaque-signaletique.png",
                "datas": SIGNATURE_PNG,
                "res_model": "hvac.intervention",
                "res_id": fiche.id,
            }
        )
        fiche.write({"photo_ids": [(4, photo.id)]})
        self.assertFalse(fiche._report_photos())
        fiche.annex_photos = True
        self.assertEqual(fiche._report_photos(), photo)
        report = self.env.ref("hvac_connect.action_report_hvac_intervention")
        html = report._render_qweb_html(report.report_name, fiche.ids)[0].decode()
        self.assertIn("plaque-signaletique.png", html)
