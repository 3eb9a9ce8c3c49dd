import importlib.util
import logging
from pathlib import Path

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from ..common import SIGNED
from .test_share_connection import ShareCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestShareOnBehalf(ShareCase):
    """Sharing on behalf, on two companies of one database: the owner's details on the subcontractor's
    documents, the operator's account, the request from the connection."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.froid.hvac_capacity_number = "FR-AC-2024-0815"
        fluid = cls.env.ref("hvac_connect.refrigerant_r_410a")
        customer = cls.env["res.partner"].create(
            {"name": "Lycée Ampère", "is_company": True, "siret": "26730123200018", "company_id": cls.froid.id}
        )
        site = cls.env["hvac.site"].create(
            {
                "name": "Lycée Ampère",
                "partner_id": customer.id,
                "street": "31 rue de la Bourse",
                "zip": "69002",
                "city": "Lyon",
                "company_id": cls.froid.id,
            }
        )
        cls.installation = cls.env["hvac.installation"].create(
            {
                "name": "Groupe froid cantine",
                "building_id": site.building_ids.id,
                "refrigerant_id": fluid.id,
                "charge_kg": 7.0,
                "serial_number": "CA-3030",
                "brand": "Carrier",
            }
        )

    def _granted_copy(self, details):
        inviter, invitee, _code = self._pair()
        request = (
            self.env["hvac.share"]
            .with_user(self.admin_clim)
            .create({"name": "Maintenance Lycée Ampère", "connection_id": invitee.id})
        )
        self.deliver()
        owned = (
            self.env["hvac.share"]
            .sudo()
            .search([("connection_id", "=", inviter.id), ("peer_share_id", "=", request.public_id)])
        )
        values = {
            "level": "installation",
            "installation_ids": [(6, 0, self.installation.ids)],
            "role": "subcontractor",
            "our_details_on_documents": details,
        }
        self.owned_share = owned
        self.env["hvac.share.evaluate"].with_user(self.admin_froid).with_context(default_share_id=owned.id).create(
            values
        ).action_approve()
        self.deliver()
        self.env["hvac.share"]._cron_prepare()
        self.deliver()
        self.env["hvac.share.process"].with_user(self.admin_clim).with_context(default_share_id=request.id).create(
            {}
        ).action_process()
        self.deliver()
        return self.env["hvac.installation"].search([("shared_from_share_id", "=", request.id)])

    def test_fiche_of_the_subcontractor_names_the_owner(self):
        copy = self._granted_copy(details=True)
        self.assertEqual(copy.company_id, self.clim)
        fiche = (
            self.env["hvac.intervention"]
            .with_user(self.admin_clim)
            .create({"installation_id": copy.id, "charged_virgin_kg": 0.8, **SIGNED})
        )
        fiche.action_done()
        report = self.env.ref("hvac_connect.action_report_hvac_intervention")
        html = report._render_qweb_html(report.report_name, fiche.ids)[0].decode()
        text = " ".join(html2plaintext(html).split())
        _logger.info("The fiche as the subcontractor prints it: %s", text)
        for expected in (
            "Clim Services",
            "Pour le compte de Froid Lyonnais",
            f"SIRET : {self.froid.siret}",
            "Attestation de capacité : FR-AC-2024-0815",
            "CA-3030",
        ):
            self.assertIn(expected, text)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(report.report_name, fiche.ids)
        self.assertEqual((kind, pdf[:4]), ("pdf", b"%PDF"))
        installation_report = self.env.ref("hvac_connect.action_report_hvac_installation")
        html = installation_report._render_qweb_html(installation_report.report_name, copy.ids)[0].decode()
        text = " ".join(html2plaintext(html).split())
        self.assertIn("Pour le compte de Froid Lyonnais", text)
        self.assertIn("FR-AC-2024-0815", text)

    def test_no_owner_details_unless_the_share_says_so(self):
        copy = self._granted_copy(details=False)
        fiche = (
            self.env["hvac.intervention"]
            .with_user(self.admin_clim)
            .create({"installation_id": copy.id, "charged_virgin_kg": 0.8, **SIGNED})
        )
        report = self.env.ref("hvac_connect.action_report_hvac_intervention")
        html = report._render_qweb_html(report.report_name, fiche.ids)[0].decode()
        self.assertNotIn("Pour le compte de", html)

    def _fiche_text(self, fiche):
        report = self.env.ref("hvac_connect.action_report_hvac_intervention")
        return " ".join(html2plaintext(report._render_qweb_html(report.report_name, fiche.ids)[0].decode()).split())

    def _validated_fiche(self, installation):
        fiche = (
            self.env["hvac.intervention"]
            .with_user(self.admin_clim)
            .create({"installation_id": installation.id, "charged_virgin_kg": 0.8, **SIGNED})
        )
        fiche.action_done()
        return fiche

    def test_on_behalf_is_frozen_when_the_fiche_is_validated(self):
        copy = self._granted_copy(details=True)
        draft = self.env["hvac.intervention"].with_user(self.admin_clim).create({"installation_id": copy.id, **SIGNED})
        self.assertEqual(draft._hvac_on_behalf()["name"], "Froid Lyonnais", "a draft shows what the share says today")
        fiche = self._validated_fiche(copy)
        self.assertRecordValues(
            fiche,
            [
                {
                    "on_behalf_name": "Froid Lyonnais",
                    "on_behalf_siret": self.froid.siret or False,
                    "on_behalf_capacity_number": "FR-AC-2024-0815",
                }
            ],
        )
        with self.assertRaises(AccessError):
            fiche.write({"on_behalf_name": "Quelqu'un d'autre"})
        # The access revoked afterwards: the copy no longer lends the owner's name, the fiche
        # validated under it still says whom it was done for.
        self.owned_share.with_user(self.admin_froid).action_revoke()
        self.deliver()
        self.assertTrue(copy.shared_revoked)
        self.assertFalse(copy._hvac_on_behalf())
        text = self._fiche_text(fiche)
        self.assertIn("Pour le compte de Froid Lyonnais", text)
        self.assertIn("Attestation de capacité : FR-AC-2024-0815", text)

    def test_fiche_validated_before_the_owner_details_does_not_gain_them(self):
        copy = self._granted_copy(details=False)
        fiche = self._validated_fiche(copy)
        # The share says so afterwards: new fiches name the owner, the one already validated does not.
        copy.shared_from_share_id.sudo()._hvac_set_protected(
            {"our_details_on_documents": True, "owner_details": {"name": "Froid Lyonnais", "siret": self.froid.siret}}
        )
        self.assertEqual(copy._hvac_on_behalf()["name"], "Froid Lyonnais")
        self.assertFalse(fiche._hvac_on_behalf())
        self.assertNotIn("Pour le compte de", self._fiche_text(fiche))

    def test_migration_freezes_the_fiches_validated_before(self):
        copy = self._granted_copy(details=True)
        fiche = self._validated_fiche(copy)
        fields = ("on_behalf_name", "on_behalf_siret", "on_behalf_address", "on_behalf_capacity_number")
        fiche.sudo()._hvac_set_protected(dict.fromkeys(fields, False))  # as validated before 18.0.2.0.0
        draft = self.env["hvac.intervention"].with_user(self.admin_clim).create({"installation_id": copy.id, **SIGNED})
        path = Path(__file__).parents[2] / "migrations" / "18.0.2.0.0" / "post-freeze_on_behalf.py"
        spec = importlib.util.spec_from_file_location("hvac_post_freeze_on_behalf", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(fiche.on_behalf_name, "Froid Lyonnais")
        self.assertEqual(fiche.on_behalf_capacity_number, "FR-AC-2024-0815")
        self.assertFalse(draft.on_behalf_name, "a draft says it at its own validation")

    def test_operator_account_is_offered_only_the_operator_role(self):
        self.clim.hvac_account_kind = "operator"
        inviter, invitee, _code = self._pair()
        self.assertEqual(inviter.peer_account_kind, "operator", "told at pairing")
        self.assertEqual(invitee.peer_account_kind, "contractor")
        action = self.url_open_button(invitee, "action_request_share")
        self.assertEqual(action["context"]["default_connection_id"], invitee.id)
        request = (
            self.env["hvac.share"]
            .with_user(self.admin_clim)
            .with_context(**action["context"])
            .create({"name": "Nos installations"})
        )
        self.deliver()
        owned = (
            self.env["hvac.share"]
            .sudo()
            .search([("connection_id", "=", inviter.id), ("peer_share_id", "=", request.public_id)])
        )
        wizard = (
            self.env["hvac.share.evaluate"]
            .with_user(self.admin_froid)
            .with_context(default_share_id=owned.id)
            .create(
                {"level": "installation", "installation_ids": [(6, 0, self.installation.ids)], "role": "subcontractor"}
            )
        )
        self.assertTrue(wizard.operator_only)
        with self.assertRaisesRegex(UserError, "Operator is the only role"):
            wizard.action_approve()
        wizard.role = "operator"
        wizard.action_approve()
        self.assertEqual(owned.state, "in_preparation")

    def url_open_button(self, record, method):
        """Call a button the way the web client does."""
        self.authenticate("share_clim", "share_clim")
        return self.make_jsonrpc_request(
            f"/web/dataset/call_button/{record._name}/{method}",
            {"model": record._name, "method": method, "args": [record.ids], "kwargs": {}},
        )
