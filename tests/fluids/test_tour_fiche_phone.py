from odoo import fields
from odoo.tests import HttpCase, tagged

from ..common import HvacConnectCase


@tagged("post_install", "-at_install")
class TestTourFichePhone(HvacConnectCase, HttpCase):
    """The fiche form on a phone-sized screen: filled, signed with a finger and validated on site."""

    browser_size = "390x844"

    def test_fiche_filled_signed_and_validated_on_a_phone(self):
        installation = self.make_installation(charge=6.0, name="Climatiseur salle serveur", serial_number="DK-7781")
        fiche = self.make_intervention(
            installation,
            operator_signature=False,
            operator_signatory=False,
            nature="periodic_check",
            detector_reference="Testo 316-4 n° 61425",
            detector_check_date=fields.Date.today(),
        )
        self.start_tour(
            f"/odoo/action-hvac_connect.hvac_intervention_action/{fiche.id}",
            "hvac_connect_fiche_phone_tour",
            login=self.technician.login,
        )
        self.assertEqual(fiche.state, "done")
        self.assertTrue(fiche.operator_signature)
        self.assertEqual(fiche.operator_signatory, "Julien Martin")
        self.assertIn("sans fuite", fiche.observations)
