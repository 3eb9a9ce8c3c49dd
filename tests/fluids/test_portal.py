import base64
import importlib.util
import io
import re
import subprocess
import tempfile
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch
from urllib.parse import urlsplit

from PIL import Image

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..common import SIGNATURE_PNG, HvacConnectCase, _signature_png

SIGN_LINK = re.compile(r'href="([^"]*/my/fiches/\d+/sign/[^"]+)"')


def blank_png():
    """An empty drawing frame, as the signature pad sends it when nothing was drawn."""
    buffer = io.BytesIO()
    Image.new("RGBA", (240, 80), (255, 255, 255, 0)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@contextmanager
def captured_emails(env):
    """The e-mails handed to the mail server (tests never reach one): to, subject, body."""
    server_class = type(env["ir.mail_server"])
    original = server_class.build_email
    sent = []

    def build_email(server, email_from, email_to, subject, body, **kwargs):
        sent.append({"to": email_to, "subject": subject, "body": body})
        return original(server, email_from, email_to, subject, body, **kwargs)

    with patch.object(server_class, "build_email", build_email):
        yield sent


def sign_link(emails):
    """The path of the signing link in the one e-mail sent."""
    links = [match for email in emails for match in SIGN_LINK.findall(email["body"])]
    assert len(links) == 1, links
    return urlsplit(links[0]).path


@tagged("post_install", "-at_install")
class TestPortal(HvacConnectCase, HttpCase):
    """The holder's side: its own installations and fiches on the portal, and its signature, on
    the technician's device or later on the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician.tz = "Europe/Paris"
        cls.customer.email = "accueil@clinique-du-parc.fr"
        cls.holder_user = new_test_user(cls.env, "clinique_portal", groups="base.group_portal", name="Claire Dubois")
        cls.holder_user.partner_id.write(
            {"parent_id": cls.customer.id, "email": "c.dubois@clinique-du-parc.fr", "function": "Directrice"}
        )
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

    def _request_signature(self, fiche=None, user=None):
        """Send for signature as the technician: (the notification shown, the link's path)."""
        fiche = fiche or self.fiche
        with captured_emails(self.env) as emails:
            action = fiche.with_user(user or self.technician).action_request_holder_signature()
        return action, sign_link(emails)

    def _sign(self, fiche=None, name="Claire Dubois", signature=SIGNATURE_PNG):
        fiche = fiche or self.fiche
        return self.make_jsonrpc_request(f"/my/fiches/{fiche.id}/sign", {"name": name, "signature": signature})

    # --- on the technician's device -----------------------------------------------------------------
    def test_operator_signature_is_needed_to_validate(self):
        fiche = self.make_intervention(self.installation, operator_signature=False)
        with self.assertRaisesRegex(UserError, "operator signs the fiche"):
            fiche.action_done()
        self.assertEqual(fiche.state, "draft")

    def test_holder_signing_on_the_device_is_recorded_as_such(self):
        fiche = self.make_intervention(self.installation).with_user(self.technician)
        fiche.write({"holder_signatory": "Claire Dubois", "holder_signatory_role": "Directrice"})
        fiche.holder_signature = SIGNATURE_PNG
        self.assertRecordValues(
            fiche,
            [
                {
                    "holder_signed_via": "device",
                    "holder_signed_device_user_id": self.technician.id,
                    "holder_signed_on": fields.Date.context_today(fiche),
                }
            ],
        )
        self.assertTrue(fiche.holder_signed_at)
        note = fiche.message_ids[0].body
        self.assertIn("Claire Dubois", note)
        self.assertIn(f"taken on the device of {self.technician.name}", note)
        self.assertIn(fiche._hvac_format_datetime(fiche.holder_signed_at), note)
        self.assertIn(f"on the device of {self.technician.name}", fiche._report_holder_signed_mention())

    def test_a_draft_signed_by_the_holder_is_locked_until_the_signatures_are_cleared(self):
        """The dead end of a draft signed on the device and then refused by the Cerfa check: one
        action clears the signatures, saying who and why; the fiche is then corrected, signed again
        and validated."""
        fiche = self.make_intervention(
            self.installation, detector_reference=False, holder_signature=SIGNATURE_PNG, holder_signatory="C. Dubois"
        ).with_user(self.technician)
        with self.assertRaisesRegex(UserError, "Cerfa"):
            fiche.action_done()
        for vals in (
            {"detector_reference": "Testo 316-4 n° 61425"},
            {"holder_signature": False},
            {"holder_signature": _signature_png()},
            {"operator_signatory": "Quelqu'un d'autre"},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "Clear the signatures") as caught:
                fiche.write(vals)
            self.assertNotIn("Fiche /", str(caught.exception), "the draft is named, not called '/'")
            self.assertIn("Chambre froide cuisine", str(caught.exception))
        action = fiche.action_clear_signatures()
        self.assertEqual(action["res_model"], "hvac.intervention.clear.signatures")
        wizard = (
            self.env["hvac.intervention.clear.signatures"]
            .with_user(self.technician)
            .with_context(**action["context"])
            .create({"reason": "Détecteur oublié : la fiche est complétée puis signée à nouveau."})
        )
        wizard.action_confirm()
        self.assertRecordValues(
            fiche,
            [{"operator_signature": False, "holder_signature": False, "holder_signed_at": False}],
        )
        note = fiche.message_ids[0].body
        self.assertIn(f"Signatures cleared by {self.technician.name}", note)
        self.assertIn("Détecteur oublié", note)
        self.assertIn("C. Dubois", note)
        fiche.write({"detector_reference": "Testo 316-4 n° 61425", "operator_signature": SIGNATURE_PNG})
        fiche.holder_signature = SIGNATURE_PNG
        fiche.action_done()
        self.assertEqual(fiche.state, "done")
        with self.assertRaisesRegex(UserError, "validated: its signatures are kept"):
            fiche.action_clear_signatures()
        with self.assertRaisesRegex(UserError, "validated: its signatures are kept"):
            wizard.action_confirm()

    def test_clearing_needs_a_reason(self):
        fiche = self.make_intervention(self.installation).with_user(self.technician)
        with self.assertRaisesRegex(UserError, "Say why"):
            fiche._hvac_clear_signatures("  ")
        self.assertTrue(fiche.operator_signature)

    def test_containers_of_a_signed_draft_stay_as_signed(self):
        bottle = self.env["hvac.container"].create(
            {"name": "BT-0417", "refrigerant_id": self.fluid.id, "capacity_kg": 10.0, "tare_kg": 7.9}
        )
        fiche = self.make_intervention(
            self.installation,
            recovered_treatment_kg=1.0,
            container_move_ids=[Command.create({"container_id": bottle.id, "quantity_kg": 1.0})],
        ).with_user(self.technician)
        fiche.holder_signature = SIGNATURE_PNG
        move = fiche.container_move_ids.with_user(self.technician)
        with self.assertRaisesRegex(UserError, "signed by its holder"):
            move.quantity_kg = 2.0
        with self.assertRaisesRegex(UserError, "signed by its holder"):
            move.unlink()
        self.assertEqual(move.quantity_kg, 1.0)

    def test_signing_traces_cannot_be_written_over_rpc(self):
        self.authenticate(self.technician.login, self.technician.login)
        for vals in (
            {"holder_signed_ip": "10.0.0.1"},
            {"holder_signature": SIGNATURE_PNG},
            {"holder_signed_via": "portal"},
            {"holder_signed_on": "2026-01-01"},
        ):
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

    # --- the portal's lists --------------------------------------------------------------------------
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
        result = self._sign(self.other_fiche)
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

    # --- the signing link -----------------------------------------------------------------------------
    def test_deferred_signature_from_the_emailed_link(self):
        action, link = self._request_signature()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("accueil@clinique-du-parc.fr", action["params"]["message"])
        self.assertTrue(self.fiche.holder_signature_requested)
        token = link.rsplit("/", 1)[1]
        self.assertGreaterEqual(len(token), 40)
        # The token is in the e-mail only: not in the chatter, nor in any message or mail kept.
        self.assertIn("e-mailed to Clinique du Parc", self.fiche.message_ids[0].body)
        self.assertFalse(self.env["mail.message"].sudo().search([("body", "ilike", token)]))
        self.assertFalse(self.env["mail.mail"].sudo().search([("body_html", "ilike", token)]))
        self.assertFalse(self.fiche.access_token, "the fiche has no reusable portal token")
        # The holder opens the link without logging in: it reads the fiche and signs it.
        self.authenticate(None, None)
        page = self.url_open(link)
        self.assertEqual(page.status_code, 200)
        self.assertEqual(urlsplit(page.url).path, f"/my/fiches/{self.fiche.id}", "the token leaves the address")
        self.assertIn("Sign the fiche", page.text)
        self.assertIn('id="modal_hvac_sign"', page.text)
        self.assertIn("&#34;mode&#34;: &#34;draw&#34;", page.text.replace('"', "&#34;"))
        result = self._sign()
        self.assertTrue(result.get("force_refresh"), result)
        self.assertRecordValues(
            self.fiche,
            [
                {
                    "holder_signatory": "Claire Dubois",
                    "holder_signatory_role": "Holder's representative",
                    "holder_signed_ip": "127.0.0.1",
                    "holder_signed_via": "portal",
                    "holder_signed_on": fields.Date.context_today(self.fiche.with_context(tz="Europe/Paris")),
                }
            ],
        )
        self.assertTrue(self.fiche.holder_signature and self.fiche.holder_signed_at)
        line = self.fiche.message_ids[0]
        self.assertEqual(line.author_id, self.customer)
        for expected in (
            "signed online by Claire Dubois for Clinique du Parc",
            "from 127.0.0.1",
            "with the link e-mailed to accueil@clinique-du-parc.fr",
        ):
            self.assertIn(expected, line.body)
        # The page and the PDF stay readable in the browser that signed.
        self.assertEqual(self.url_open(f"/my/fiches/{self.fiche.id}?message=sign_ok").status_code, 200)
        # The link worked once: found later (in a log), it opens nothing, and signs nothing.
        self.assertIn("error", self._sign(name="Someone Else"))
        self.authenticate(None, None)
        self.assertEqual(self.url_open(link).status_code, 410)
        self.assertEqual(self.url_open(f"/my/fiches/{self.fiche.id}").status_code, 404)
        self.assertIn("error", self._sign(name="Someone Else"))
        self.assertEqual(self.fiche.holder_signatory, "Claire Dubois")

    def test_signing_link_dies_when_replaced_changed_or_expired(self):
        _action, first = self._request_signature()
        _action, second = self._request_signature()
        self.authenticate(None, None)
        self.assertEqual(self.url_open(first).status_code, 410, "replaced by the newer request")
        self.assertEqual(self.url_open(second).status_code, 200)
        # The fiche changes (its BSFF number): the link stops working, and the chatter says so.
        self.fiche._hvac_set_protected({"bsff_number": "BSFF-20261207-A1B2C3"})
        self.assertIn("no longer works", self.fiche.message_ids[0].body)
        self.assertIn("error", self._sign())
        _action, third = self._request_signature()
        self.env["hvac.intervention.sign.request"].sudo().search([("intervention_id", "=", self.fiche.id)])[
            :1
        ].expires_at = fields.Datetime.now() - timedelta(minutes=1)
        self.authenticate(None, None)
        self.assertEqual(self.url_open(third).status_code, 410, "expired")
        self.assertFalse(self.fiche.holder_signature)

    def test_open_link_works_only_for_its_fiche(self):
        _action, link = self._request_signature()
        token = link.rsplit("/", 1)[1]
        self.authenticate(None, None)
        self.assertEqual(self.url_open(f"/my/fiches/{self.other_fiche.id}/sign/{token}").status_code, 410)
        self.assertIn("error", self._sign(self.other_fiche))
        self.assertFalse(self.other_fiche.holder_signature)

    def test_holder_portal_user_signs_without_a_link(self):
        self._request_signature()
        self.authenticate(self.holder_user.login, self.holder_user.login)
        page = self.url_open(f"/my/fiches/{self.fiche.id}")
        self.assertIn('id="modal_hvac_sign"', page.text)
        self.assertIn("error", self._sign(signature=blank_png()), "an empty frame signs nothing")
        result = self._sign()
        self.assertTrue(result.get("force_refresh"), result)
        self.assertRecordValues(
            self.fiche, [{"holder_signatory": "Claire Dubois", "holder_signatory_role": "Directrice"}]
        )
        line = self.fiche.message_ids[0]
        self.assertEqual(line.author_id, self.holder_user.partner_id)
        self.assertIn("logged in to the customer portal as clinique_portal", line.body)

    def test_request_says_when_the_email_could_not_go(self):
        server_class = type(self.env["ir.mail_server"])
        # No mail server answers, as on a fresh installation.
        refused = ConnectionRefusedError(111, "Connection refused")
        with patch.object(server_class, "connect", side_effect=refused):
            action = self.fiche.with_user(self.technician).action_request_holder_signature()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertTrue(action["params"]["sticky"])
        self.assertIn("could not be sent", action["params"]["message"])
        self.assertIn("Connection refused", action["params"]["message"])
        self.assertIn("could not be e-mailed", self.fiche.message_ids[0].body)
        self.assertFalse(self.fiche.holder_signature_requested)
        requests = self.env["hvac.intervention.sign.request"].sudo().search([("intervention_id", "=", self.fiche.id)])
        self.assertEqual(requests.mapped("state"), ["revoked"], "a link nobody received is dead")
        self.assertFalse(self.env["mail.mail"].sudo().search([("subject", "ilike", self.fiche.name)]))

    def test_request_needs_a_validated_unsigned_fiche(self):
        draft = self.make_intervention(self.installation)
        with self.assertRaisesRegex(UserError, "Only a validated fiche"):
            draft.with_user(self.technician).action_request_holder_signature()
        with self.assertRaises(AccessError):
            self.fiche.with_user(self.holder_user).action_request_holder_signature()

    def test_migration_drops_the_portal_tokens(self):
        self.env.cr.execute(
            "UPDATE hvac_intervention SET access_token = 'jeton-lu-par-rpc' WHERE id = %s", [self.fiche.id]
        )
        path = Path(__file__).parents[2] / "migrations" / "18.0.2.0.0" / "post-drop_fiche_portal_tokens.py"
        spec = importlib.util.spec_from_file_location("hvac_post_drop_fiche_portal_tokens", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "18.0.1.0.0")
        self.fiche.invalidate_recordset()
        self.assertFalse(self.fiche.access_token)

    # --- the printed fiche ------------------------------------------------------------------------------
    def test_signed_fiche_pdf_shows_each_signature_once_with_name_and_date(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.fiche.sudo()._hvac_set_protected(
            {"operator_signatory_role": "Technicien frigoriste", "holder_signature_requested": True}
        )
        self.fiche._sign_as_holder("Claire Dubois", SIGNATURE_PNG, "192.0.2.10", self.holder_user.partner_id)
        report = self.env.ref("hvac_connect.action_report_hvac_intervention")
        html = report._render_qweb_html(report.report_name, self.fiche.ids)[0].decode()
        self.assertEqual(len(re.findall(r'<img[^>]*alt="Signature d', html)), 2, "each signature once")
        pdf, _kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, self.fiche.ids
        )
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60)
        flat = " ".join(text.stdout.decode().split())
        operator_day = self.fiche.operator_signed_on.strftime("%d/%m/%Y")
        holder_day = self.fiche.holder_signed_on.strftime("%d/%m/%Y")
        for expected in (
            "Nom : Julien Martin",
            "Qualité : Technicien frigoriste",
            f"Date : {operator_day}",
            "Nom : Claire Dubois",
            "Qualité : Directrice",
            f"Date : {holder_day}",
            "Signée en ligne le",
            "192.0.2.10",
        ):
            self.assertIn(expected, flat)
        self.assertEqual(flat.count("Signature :"), 2, "one signature line per block")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            listing = subprocess.run(["pdfimages", "-list", file.name], capture_output=True, check=True, timeout=60)
        rows = [line.split() for line in listing.stdout.decode().splitlines()[2:] if line.strip()]
        signatures = [row for row in rows if row[3:5] == ["240", "80"] and row[2] == "image"]
        self.assertEqual(len(signatures), 2, "the two signature images, and only them at their size")

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
