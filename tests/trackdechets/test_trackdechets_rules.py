from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..trackdechets_common import DESTINATION_SIRET, EXPORTER_TOKEN, OUR_SIRET, TrackdechetsCase


@tagged("post_install", "-at_install")
class TestTrackdechetsRules(TrackdechetsCase):
    """Trackdéchets' own rules, in *Vérifier*, in what is sent, and in the fake."""

    def _remote(self, bsff):
        return self.fake.bsffs[bsff.td_id]

    def assert_check_says(self, bsff, *expected):
        with self.assertRaises(UserError) as caught:
            bsff.action_check()
        for text in expected:
            self.assertIn(text, str(caught.exception))

    def test_other_is_only_sent_for_an_other_packaging(self):
        bsff = self.make_bsff()
        bsff.packaging_ids.other = "Bouteille consignée"  # left over from an earlier type
        bsff.action_send()
        self.assertFalse(bsff.send_error)
        self.assertNotIn("other", self._remote(bsff)["packagings"][0])
        bsff2 = self.make_bsff()
        bsff2.packaging_ids.write({"packaging_type": "AUTRE", "other": False})
        self.assert_check_says(bsff2, "say what kind of packaging")

    def test_the_fake_refuses_other_on_a_cylinder(self):
        from ..trackdechets_fake import input_issues

        issues = input_issues({"packagings": [{"type": "BOUTEILLE", "other": "x", "numero": "1"}]})
        self.assertEqual(issues[0][0], ("packagings", "other"))
        self.assertFalse(input_issues({"packagings": [{"type": "AUTRE", "other": "Fût", "numero": "1"}]}))

    def test_email_format_and_lengths_are_checked(self):
        bsff = self.make_bsff()
        self.destination.email = "dest@regeneration-rhone"
        bsff.waste_description = "R410A " + "x" * 250
        self.assert_check_says(
            bsff,
            "“dest@regeneration-rhone” is not a valid e-mail address",
            "256 characters, Trackdéchets accepts at most 250",
        )
        self.assertFalse(self.fake.requests_for("CreateDraftBsff"), "nothing sent")

    def test_the_fake_refuses_a_bad_email_as_the_server_does(self):
        bsff = self.make_bsff()
        self.destination.email = "dest@regeneration-rhone"
        bsff._hvac_set_protected({"send_reference": "odoo:BSFF-TEST:1"})
        with bsff._hvac_protected():  # the send's own path records the fiches' Trackdéchets ids
            bsff._send_fiches(self.env.company._hvac_trackdechets_client(EXPORTER_TOKEN))
        with self.assertRaisesRegex(Exception, "adresse e-mail valide"):
            self.env.company._hvac_trackdechets_client(EXPORTER_TOKEN).create_draft_bsff(bsff._bsff_input())

    def test_holder_contact_person_is_declared_as_their_company(self):
        contact = self.env["res.partner"].create(
            {"name": "Sophie Girard", "parent_id": self.customer.id, "email": "s.girard@clinique-parc.fr"}
        )
        installation = self.make_installation(charge=12.0)
        installation.site_id.partner_id = contact
        fiche = self.make_intervention(
            installation,
            nature="dismantling",
            recovered_treatment_kg=1.0,
            container_move_ids=[
                (0, 0, {"container_id": self.container.id, "direction": "fill", "quantity_kg": 1.0}),
            ],
        )
        fiche.action_done()
        bsff = self.make_bsff(fiche)
        self.assertRecordValues(
            bsff.fiche_ids, [{"detenteur_partner_id": self.customer.id, "detenteur_is_private": False}]
        )
        bsff.action_send()
        remote_fiche = self.fake.fiches[self._remote(bsff)["ficheIds"][0]]
        self.assertFalse(remote_fiche["detenteur"]["isPrivateIndividual"])
        self.assertEqual(remote_fiche["detenteur"]["company"]["siret"], self.customer.siret)

    def test_flattened_error_paths_name_the_odoo_field(self):
        Bsff = self.env["hvac.bsff"]
        self.assertEqual(
            Bsff._hvac_td_issue_line({"path": ["destinationPlannedOperationCode"], "message": "Code invalide."}),
            "Planned operation : Code invalide.",
        )
        self.assertEqual(
            Bsff._hvac_td_issue_line({"path": ["transporterTransportPlates"], "message": "Plaque."}),
            "Number plates : Plaque.",
        )
        self.assertEqual(
            Bsff._hvac_td_issue_line({"path": ["emitterCompanySiret"], "message": "SIRET."}),
            "Trackdéchets contact : SIRET.",
        )

    def test_partners_checked_live_at_check_once_a_day(self):
        bsff = self.make_bsff()
        bsff.action_check()
        self.assertEqual(len(self.fake.requests_for("CompanyInfos")), 2, "destination and transporter, one call each")
        self.assertTrue(self.destination.hvac_td_is_destination())
        bsff.action_check()
        self.assertEqual(len(self.fake.requests_for("CompanyInfos")), 2, "cached for a day")
        self.destination.hvac_td_checked_at = "2020-01-01 00:00:00"
        self.fake.add_company(self.destination.siret, "Régénération Rhône", ["WASTEPROCESSOR"], closed=True)
        self.assert_check_says(bsff, "Régénération Rhône is a closed establishment")

    def test_token_check_asks_for_our_establishment_and_rights(self):
        reader = new_test_user(
            self.env, "td_reader", name="Luc Moreau", email="luc.moreau@froid-lyonnais.fr", company_id=self.company.id
        )
        self.fake.add_user("td-token-reader", "luc.moreau@froid-lyonnais.fr", [OUR_SIRET], "Luc Moreau", role="READER")
        reader.with_user(reader).write({"hvac_trackdechets_token": "td-token-reader"})
        self.assertEqual(reader.hvac_trackdechets_token_state, "no_rights")
        self.assertIn("BSD_CAN_CREATE", reader.hvac_trackdechets_token_message)
        self.fake.add_user("td-token-other", "luc.moreau@froid-lyonnais.fr", ["55208131766522"], "Luc Moreau")
        reader.with_user(reader).write({"hvac_trackdechets_token": "td-token-other"})
        self.assertEqual(reader.hvac_trackdechets_token_state, "no_rights")
        self.assertIn("not a member", reader.hvac_trackdechets_token_message)

    def test_token_refused_at_send_is_marked_invalid(self):
        bsff = self.make_bsff()
        self.fake.users.pop(EXPORTER_TOKEN)  # revoked on Trackdéchets since it was checked
        bsff.action_send()
        self.assertEqual(self.exporter.hvac_trackdechets_token_state, "invalid")
        self.assertNotEqual(self.exporter.hvac_trackdechets_token_message, "Votre clé est valide")

    def test_the_fake_checks_the_siret_key(self):
        bsff = self.make_bsff()
        broken = DESTINATION_SIRET[:-1] + str((int(DESTINATION_SIRET[-1]) + 1) % 10)  # the key no longer holds
        held = True
        try:
            with self.env.cr.savepoint():
                self.destination.siret = broken
        except ValidationError:
            held = False  # beside OCA's l10n_fr_siret a partner cannot even hold it
        if held:
            with self.assertRaisesRegex(UserError, "Luhn key"):
                bsff.action_send()  # the module refuses it before any call
            self.assertFalse(self.fake.requests_for("CreateDraftBsff"), "nothing sent")
        # Had it gone out, Trackdéchets (and so the fake) would have refused it.
        self.destination.siret = DESTINATION_SIRET  # the fiches go out with a valid one
        bsff._hvac_set_protected({"send_reference": "odoo:BSFF-TEST:2"})
        client = self.env.company._hvac_trackdechets_client(EXPORTER_TOKEN)
        with bsff._hvac_protected():
            bsff._send_fiches(client)
        values = bsff._bsff_input()
        values["destination"]["company"]["siret"] = broken
        with self.assertRaisesRegex(Exception, "n'est pas un numéro de SIRET valide"):
            client.create_draft_bsff(values)
