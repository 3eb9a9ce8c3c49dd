"""The fiche's signatures as evidence, tried from outside as the contractor's own staff would:
XML-RPC and JSON-RPC as a technician and as a manager, and the portal's routes logged in and not.
Nothing here goes through a view: a hidden button or a readonly field is no rule."""

import xmlrpc.client
from datetime import date

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..common import SIGNATURE_PNG, HvacConnectCase
from .test_portal import captured_emails, sign_link

STAFF = ("technician", "manager")


@tagged("post_install", "-at_install")
class TestSignatureRights(HvacConnectCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "accueil@clinique-du-parc.fr"
        cls.users = {"technician": cls.technician, "manager": cls.manager}
        cls.installation = cls.make_installation(charge=8.0, name="Chambre froide cuisine")
        cls.fiche = cls.make_intervention(cls.installation)
        cls.fiche.action_done()

    # --- calls from outside ---------------------------------------------------------------------------
    def _xmlrpc(self, user, model, method, *args, **kwargs):
        login = self.users[user].login
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, self.users[user].id, login, model, method, list(args), kwargs
        )

    def _xmlrpc_refused(self, user, model, method, *args, **kwargs):
        with (
            mute_logger("odoo.http", "odoo.addons.base.controllers.rpc"),
            self.assertRaises(xmlrpc.client.Fault) as caught,
        ):
            self._xmlrpc(user, model, method, *args, **kwargs)
        self.assertNotIn("Traceback", caught.exception.faultString.splitlines()[0])
        return caught.exception.faultString

    def _jsonrpc_refused(self, user, model, method, *args, **kwargs):
        self.authenticate(self.users[user].login, self.users[user].login)
        with mute_logger("odoo.http"), self.assertRaises(Exception) as caught:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw", {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
            )
        return str(caught.exception)

    def _refused_both_ways(self, user, model, method, *args, **kwargs):
        self._xmlrpc_refused(user, model, method, *args, **kwargs)
        self._jsonrpc_refused(user, model, method, *args, **kwargs)

    def _request(self, fiche=None):
        """Send for signature as the technician: the path of the link the holder received."""
        with captured_emails(self.env) as emails:
            (fiche or self.fiche).with_user(self.technician).action_request_holder_signature()
        return sign_link(emails)

    def _sign(self, fiche=None, name="Julien Martin"):
        fiche = fiche or self.fiche
        return self.make_jsonrpc_request(f"/my/fiches/{fiche.id}/sign", {"name": name, "signature": SIGNATURE_PNG})

    # --- the signing token ------------------------------------------------------------------------------
    def test_signing_tokens_are_neither_readable_nor_writable(self):
        link = self._request()
        token = link.rsplit("/", 1)[1]
        request = self.env["hvac.intervention.sign.request"].sudo().search([("intervention_id", "=", self.fiche.id)])
        self.assertEqual(len(request), 1)
        self.assertNotIn(token, str(request.read()), "only its hash is kept")
        model = "hvac.intervention.sign.request"
        for user in STAFF:
            with self.subTest(user=user):
                self._refused_both_ways(user, model, "search_read", [], [])
                self._refused_both_ways(user, model, "read", request.ids, ["token_hash"])
                self._refused_both_ways(user, model, "write", request.ids, {"token_hash": "0" * 64, "state": "pending"})
                self._refused_both_ways(
                    user,
                    model,
                    "create",
                    [{"intervention_id": self.fiche.id, "partner_id": self.customer.id, "token_hash": "0" * 64}],
                )
                self._refused_both_ways(user, model, "unlink", request.ids)
                # The portal's own token: none on a fiche, and none can be set.
                rows = self._xmlrpc(user, "hvac.intervention", "read", self.fiche.ids, ["access_token"])
                self.assertFalse(rows[0]["access_token"])
                self._refused_both_ways(user, "hvac.intervention", "write", self.fiche.ids, {"access_token": "choisi"})
                # The e-mail that carried it is gone, and was never theirs to read.
                found = self._xmlrpc(user, "mail.message", "search_read", [("body", "ilike", token)], ["id"])
                self.assertEqual(found, [])
        self.assertEqual(request.state, "pending")
        self.assertFalse(self.fiche.access_token)

    # --- signing as the holder ------------------------------------------------------------------------
    def test_staff_never_sign_as_the_holder(self):
        link = self._request()
        for user in STAFF:
            login = self.users[user].login
            with self.subTest(user=user, token=True, logged_in=True):
                self.authenticate(login, login)
                self.url_open(link)
                self.assertIn("does not sign as the holder", self._sign()["error"])
            with self.subTest(user=user, token=False, logged_in=True):
                self.authenticate(login, login)
                self.assertIn("error", self._sign())
                page = self.url_open(f"/my/fiches/{self.fiche.id}")
                self.assertNotIn('id="modal_hvac_sign"', page.text)
            with self.subTest(user=user, method="_sign_as_holder"):
                self._refused_both_ways(
                    user, "hvac.intervention", "_sign_as_holder", self.fiche.ids, "Julien Martin", SIGNATURE_PNG
                )
        with self.subTest(token=False, logged_in=False):
            self.authenticate(None, None)
            self.assertIn("error", self._sign())
        with self.subTest(token="forged", logged_in=False):
            self.authenticate(None, None)
            self.assertEqual(self.url_open(f"/my/fiches/{self.fiche.id}/sign/{'A' * 43}").status_code, 410)
            self.assertIn("error", self._sign())
        with self.subTest(token="portal access_token", logged_in=False):
            self.authenticate(None, None)
            self.assertEqual(self.url_open(f"/my/fiches/{self.fiche.id}?access_token=").status_code, 404)
            self.assertEqual(self.url_open(f"/my/fiches/{self.fiche.id}?access_token=False").status_code, 404)
        self.assertFalse(self.fiche.holder_signature)
        # The link itself still works for the holder: staff trying it did not use it up.
        self.authenticate(None, None)
        self.assertEqual(self.url_open(link).status_code, 200)
        self.assertTrue(self._sign(name="Claire Dubois").get("force_refresh"))
        self.assertEqual(self.fiche.holder_signatory, "Claire Dubois")

    # --- cancelling ---------------------------------------------------------------------------------------
    def _signed_bsff_with(self, fiche):
        bsff = self.env["hvac.bsff"].create(
            {
                "waste_description": "R410A",
                "packaging_ids": [Command.create({"numero": "BT-0101", "volume_l": 13.6, "weight_kg": 1.0})],
                "fiche_ids": [Command.create({"intervention_id": fiche.id, "numero": fiche.name, "weight_kg": 1.0})],
            }
        )
        bsff._hvac_set_protected({"state": "signed_by_emitter", "td_id": "BSFF-20261207-K4T2WQ"})
        return bsff

    def test_cancelling_a_validated_fiche(self):
        plain = self.make_intervention(self.installation)
        plain.action_done()
        signed = self.make_intervention(self.installation)
        signed.action_done()
        signed.sudo()._hvac_set_protected({"holder_signature_requested": True})
        signed._sign_as_holder("Claire Dubois", SIGNATURE_PNG, "192.0.2.10", self.customer)
        on_bsff = self.make_intervention(self.installation)
        on_bsff.action_done()
        self._signed_bsff_with(on_bsff)
        for fiche in (plain, signed, on_bsff):
            with self.subTest(fiche=fiche.name, user="technician"):
                self.assertIn(
                    "Only an HVAC manager", self._xmlrpc_refused("technician", fiche._name, "action_cancel", fiche.ids)
                )
                self._jsonrpc_refused("technician", fiche._name, "action_cancel", fiche.ids)
        with self.subTest(fiche="signed by the holder", user="manager"):
            fault = self._xmlrpc_refused("manager", signed._name, "action_cancel", signed.ids)
            self.assertIn("signed by its holder", fault)
            self.assertIn("a new fiche d'intervention that corrects it", fault)
            self._jsonrpc_refused("manager", signed._name, "action_cancel", signed.ids)
        with self.subTest(fiche="on a signed BSFF", user="manager"):
            fault = self._xmlrpc_refused("manager", on_bsff._name, "action_cancel", on_bsff.ids)
            self.assertIn("BSFF-20261207-K4T2WQ", fault)
            self._jsonrpc_refused("manager", on_bsff._name, "action_cancel", on_bsff.ids)
        self.assertEqual((plain | signed | on_bsff).mapped("state"), ["done"] * 3)
        self._xmlrpc("manager", plain._name, "action_cancel", plain.ids)
        self.assertEqual(plain.state, "cancel")
        draft = self.make_intervention(self.installation)
        self._xmlrpc("technician", draft._name, "action_cancel", draft.ids)
        self.assertEqual(draft.state, "cancel", "a draft is dropped by whoever writes it")

    # --- the BSFF number ------------------------------------------------------------------------------
    def test_a_duplicated_fiche_is_a_new_unsigned_draft(self):
        signed = self.make_intervention(self.installation)
        signed.action_done()
        signed.sudo()._hvac_set_protected({"holder_signature_requested": True})
        signed._sign_as_holder("Claire Dubois", SIGNATURE_PNG, "192.0.2.10", self.customer)
        copied = self._xmlrpc("technician", "hvac.intervention", "copy", [signed.id])
        copy = self.env["hvac.intervention"].browse(copied[0] if isinstance(copied, list) else copied)
        self.assertRecordValues(
            copy,
            [
                {
                    "state": "draft",
                    "name": "/",
                    "holder_signature": False,
                    "holder_signed_on": False,
                    "holder_signed_at": False,
                    "holder_signed_via": False,
                    "holder_signature_requested": False,
                }
            ],
        )
        # Forged through the copy's defaults, the holder's trace is still refused.
        self._xmlrpc_refused(
            "technician", "hvac.intervention", "copy", [signed.id], default={"holder_signed_via": "portal"}
        )

    def test_bsff_number_only_through_the_bsff(self):
        draft = self.make_intervention(self.installation)
        for user in STAFF:
            for fiche in (self.fiche, draft):
                with self.subTest(user=user, state=fiche.state):
                    self._refused_both_ways(
                        user, fiche._name, "write", fiche.ids, {"bsff_number": "BSFF-20261207-FAUX"}
                    )
            with self.subTest(user=user, create=True):
                self._refused_both_ways(
                    user,
                    "hvac.intervention",
                    "create",
                    [{"installation_id": self.installation.id, "bsff_number": "BSFF-20261207-FAUX"}],
                )
        self.assertFalse(self.fiche.bsff_number or draft.bsff_number)

    # --- the leak-check notice ------------------------------------------------------------------------
    def test_holder_counts_as_notified_only_once_the_notice_went(self):
        installation = self.make_installation(name="CTA Bloc C", commissioning_date=date.today())
        self.assertTrue(installation.next_leak_check_date)
        for user in STAFF:
            with self.subTest(user=user, how="context key"):
                self._xmlrpc(
                    user,
                    "hvac.installation",
                    "message_post",
                    installation.ids,
                    body="Avis envoyé",
                    context={"mark_leak_check_notice": True},
                )
            with self.subTest(user=user, how="notice subtype, nobody e-mailed"):
                self._xmlrpc(
                    user,
                    "hvac.installation",
                    "message_post",
                    installation.ids,
                    body="Avis envoyé",
                    subtype_xmlid="hvac_connect.mt_leak_check_notice",
                )
            with self.subTest(user=user, how="write"):
                self._refused_both_ways(
                    user,
                    "hvac.installation",
                    "write",
                    installation.ids,
                    {"leak_check_notice_date": str(installation.next_leak_check_date)},
                )
            installation.invalidate_recordset()
            self.assertFalse(installation.leak_check_notice_date)
        # The notice really e-mailed to the holder from the composer: now it counts.
        action = installation.with_user(self.technician).action_send_leak_check_notice()
        composer = (
            self.env["mail.compose.message"].with_user(self.technician).with_context(**action["context"]).create({})
        )
        self.assertEqual(composer.subtype_id, self.env.ref("hvac_connect.mt_leak_check_notice"))
        with captured_emails(self.env) as emails:
            composer.action_send_mail()
        self.assertEqual(len(emails), 1)
        self.assertIn("accueil@clinique-du-parc.fr", str(emails[0]["to"]))
        self.assertEqual(installation.leak_check_notice_date, installation.next_leak_check_date)
