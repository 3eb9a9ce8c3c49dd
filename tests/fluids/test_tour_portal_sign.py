from odoo.tests import HttpCase, tagged

from ..common import HvacConnectCase
from .test_portal import captured_emails, sign_link


@tagged("post_install", "-at_install")
class TestTourPortalSign(HvacConnectCase, HttpCase):
    """The holder signs on its phone, in French, from the link e-mailed to it, in a browser that
    never logged in: the tour fails on any error in the browser's console."""

    browser_size = "390x844"

    def test_holder_signs_from_the_emailed_link_on_a_phone(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["hvac_connect", "portal", "web"], ["fr_FR"], overwrite=True)
        self.technician.tz = "Europe/Paris"
        self.customer.write({"email": "accueil@clinique-du-parc.fr", "lang": "fr_FR"})
        installation = self.make_installation(charge=8.0, name="Chambre froide cuisine", serial_number="CF-2201")
        fiche = self.make_intervention(installation)
        fiche.action_done()
        with captured_emails(self.env) as emails:
            fiche.with_user(self.technician).action_request_holder_signature()
        self.assertIn("Lire et signer la fiche", emails[0]["body"], "the holder's e-mail is in French")
        self.start_tour(sign_link(emails), "hvac_connect_portal_sign_tour")  # no login: a fresh browser
        self.assertRecordValues(
            fiche,
            [{"holder_signatory": "Claire Dubois", "holder_signed_via": "portal", "holder_signed_ip": "127.0.0.1"}],
        )
        self.assertTrue(fiche.holder_signature)
        self.assertTrue(fiche.holder_signed_at and fiche.holder_signed_on)
        line = fiche.message_ids[0]
        self.assertEqual(line.author_id, self.customer)
        # Written in the holder's language, with what happened: who, for whom, when, from where, how.
        for expected in (
            "Fiche signée en ligne par Claire Dubois pour Clinique du Parc",
            fiche.with_context(lang="fr_FR")._hvac_format_datetime(fiche.holder_signed_at),
            "127.0.0.1",
            "accueil@clinique-du-parc.fr",
        ):
            self.assertIn(expected, line.body)
