from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.hvac_connect.clients.trackdechets import TrackdechetsError
from odoo.addons.hvac_connect.models.common.send_lock import RETRY_MARGIN
from odoo.addons.hvac_connect.models.trackdechets.hvac_bsff_send import TD_CUTOFF

from ..other_session import sending_elsewhere
from ..trackdechets_common import OUR_SIRET, TrackdechetsCase


@tagged("post_install", "-at_install")
class TestTrackdechetsBsff(TrackdechetsCase):
    def _remote(self, bsff):
        return self.fake.bsffs[bsff.td_id]

    def test_wizard_prefills_from_done_interventions(self):
        first = self.make_done_intervention(recovered=4.0)
        second = self.make_done_intervention(recovered=2.5)
        bsff = self.make_bsff(first | second)
        self.assertRecordValues(
            bsff,
            [
                {
                    "state": "draft",
                    "waste_code": "14 06 01*",
                    "waste_description": self.fluid.name,
                    "waste_adr": self.fluid.adr_mention,
                    "weight_kg": 6.5,
                    "emitter_contact_id": self.exporter.id,
                    "destination_partner_id": self.destination.id,
                    "destination_operation_code": "R2",
                }
            ],
        )
        self.assertRecordValues(
            bsff.packaging_ids,
            [{"numero": "BT-0042", "packaging_type": "BOUTEILLE", "volume_l": 13.6, "weight_kg": 6.5}],
        )
        self.assertEqual(bsff.fiche_ids.mapped("numero"), (first | second).sorted("name").mapped("name"))
        self.assertRecordValues(
            bsff.fiche_ids[:1],
            [{"detenteur_partner_id": self.customer.id, "detenteur_is_private": False, "postal_code": "69003"}],
        )
        with self.assertRaisesRegex(UserError, "Already on a BSFF"):
            self.make_bsff(first)

    def test_wizard_refuses_draft_fiches(self):
        draft = self.make_intervention(self.make_installation())
        with self.assertRaisesRegex(UserError, "Only done fiches"):
            self.make_bsff(draft)

    def test_check_lists_every_missing_field_at_once(self):
        bsff = self.make_bsff()
        bsff.sudo().write({"destination_partner_id": False, "transporter_partner_id": False})
        bsff.packaging_ids.sudo().volume_l = 0
        bsff.fiche_ids.sudo().postal_code = False
        with self.assertRaises(UserError) as caught:
            bsff.action_check()
        message = str(caught.exception)
        for expected in (
            "Destination: choose",
            "Transporter: choose",
            "volume (L) is missing",
            "postal code of the intervention",
        ):
            self.assertIn(expected, message)
        self.assertEqual(self.fake.documents and self.fake.requests_for("CreateDraftBsff"), [], "nothing sent")

    def test_send_creates_fiches_then_slip_then_signs(self):
        bsff = self.make_bsff()
        action = bsff.action_send()
        self.assertEqual(action["params"]["type"], "success")
        remote = self._remote(bsff)
        self.assertEqual(remote["status"], "SIGNED_BY_EMITTER")
        self.assertEqual(remote["emitter"]["company"]["siret"], OUR_SIRET)
        self.assertEqual(remote["emitter"]["company"]["contact"], "Jeanne Martin")
        self.assertEqual(remote["emitter"]["customInfo"], bsff.send_reference)
        self.assertEqual(remote["emitter"]["emission"]["signature"]["author"], "Jeanne Martin")
        self.assertEqual(len(remote["ficheIds"]), 1)
        self.assertEqual(self.fake.fiches[remote["ficheIds"][0]]["numero"], bsff.fiche_ids.numero)
        self.assertRecordValues(
            bsff, [{"state": "signed_by_emitter", "emitted_by": "Jeanne Martin", "send_error": False}]
        )
        self.assertEqual(
            bsff.intervention_ids.bsff_number, bsff.td_id, "the fiche d'intervention shows the BSFF number"
        )
        self.assertIn(bsff.td_id, bsff.message_ids[0].body)

    def test_sending_twice_never_duplicates(self):
        bsff = self.make_bsff()
        bsff.action_send()
        with self.assertRaisesRegex(UserError, "already on Trackdéchets"):
            bsff.action_send()
        self.assertEqual(len(self.fake.bsffs), 1)
        self.assertEqual(len(self.fake.fiches), 1)

    def test_a_send_under_way_elsewhere_is_refused(self):
        bsff = self.make_bsff()
        with sending_elsewhere(bsff), self.assertRaisesRegex(UserError, "being sent by someone else"):
            bsff.action_send()
        self.assertFalse(self.fake.bsffs, "nothing reached Trackdéchets")
        bsff.action_send()
        self.assertEqual(
            (len(self.fake.bsffs), bsff.state), (1, "signed_by_emitter"), "the lock went with the other send"
        )

    def _after_the_wait(self, bsff):
        # As if Trackdéchets' cut-off and the margin had passed since the lost create.
        bsff._hvac_set_protected({"send_create_attempted_at": bsff.send_create_attempted_at - TD_CUTOFF - RETRY_MARGIN})

    def test_lost_answer_then_nothing_found_creates_after_the_wait(self):
        bsff = self.make_bsff()
        self.fake.fail_next("CreateDraftBsff")
        bsff.action_send()
        self.fake.bsffs.clear()  # the lost create never reached Trackdéchets after all
        self._after_the_wait(bsff)
        bsff.action_send()
        self.assertTrue(self.fake.requests_for("Bsffs"), "looked up first")
        self.assertEqual(len(self.fake.requests_for("CreateDraftBsff")), 2, "nothing found: created after the wait")
        self.assertEqual((len(self.fake.bsffs), bsff.state), (1, "signed_by_emitter"))

    def test_a_bulk_send_skips_a_slip_inside_its_wait(self):
        waiting, other = self.make_bsff(), self.make_bsff()
        self.fake.fail_next("CreateDraftBsff")
        waiting.action_send()
        action = (waiting | other).action_send()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn(f"may still be creating {waiting.name}", action["params"]["message"])
        self.assertEqual(other.state, "signed_by_emitter")
        self.assertRecordValues(waiting, [{"state": "sending", "td_id": False}])
        self.assertEqual(len(self.fake.requests_for("CreateDraftBsff")), 2, "one create each, none retried")

    def test_lost_answer_on_create_is_found_again_not_recreated(self):
        bsff = self.make_bsff()
        self.fake.fail_next("CreateDraftBsff")
        action = bsff.action_send()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertRecordValues(bsff, [{"state": "sending", "td_id": False, "send_create_attempted": True}])
        self.assertIn("did not answer in time", bsff.send_error)
        self.assertEqual(len(self.fake.bsffs), 1, "the slip was created although the answer was lost")
        # Trackdéchets may still be creating it until its cut-off: no retry, no lookup, before then.
        sent = len(self.fake.documents)
        with self.assertRaisesRegex(
            UserError, r"may still be creating .*: try again after \d\d:\d\d:\d\d; Odoo will first look for it"
        ):
            bsff.action_send()
        self.assertEqual(len(self.fake.documents), sent, "nothing sent inside the wait")
        self._after_the_wait(bsff)
        bsff.action_send()
        self.assertEqual(len(self.fake.bsffs), 1, "the retry found it instead of creating a second one")
        self.assertEqual(len(self.fake.requests_for("CreateDraftBsff")), 1)
        self.assertEqual(bsff.td_id, next(iter(self.fake.bsffs)))
        self.assertEqual(bsff.state, "signed_by_emitter")
        self.assertEqual(len(self.fake.requests_for("CreateFiche")), 1, "fiches already created are not sent again")

    def test_a_broken_answer_on_create_is_looked_up_not_recreated(self):
        # A 502 from the proxy or a 500 after the slip was made proves nothing was left undone.
        for fault in ("bad_gateway", "crash"):
            with self.subTest(fault):
                bsff = self.make_bsff()
                before = len(self.fake.bsffs)
                self.fake.fail_next("CreateDraftBsff", fault)
                bsff.action_send()
                self.assertRecordValues(bsff, [{"state": "sending", "td_id": False, "send_create_attempted": True}])
                self.assertEqual(len(self.fake.bsffs), before + 1, "the slip was created although the answer broke")
                with self.assertRaisesRegex(UserError, "may still be creating"):
                    bsff.action_send()
                self._after_the_wait(bsff)
                bsff.action_send()
                self.assertEqual(len(self.fake.bsffs), before + 1, "found by its reference, not created twice")
                self.assertEqual(bsff.state, "signed_by_emitter")

    def test_lost_answer_on_signature_resumes(self):
        bsff = self.make_bsff()
        self.fake.fail_next("SignBsff")
        bsff.action_send()
        self.assertEqual(bsff.state, "sending")
        self.assertTrue(bsff.td_id)
        bsff.action_send()
        self.assertEqual(len(self.fake.requests_for("SignBsff")), 1, "already signed: not signed again")
        self.assertEqual(len(self.fake.requests_for("CreateDraftBsff")), 1)
        self.assertEqual(bsff.state, "signed_by_emitter")

    def test_trackdechets_refusal_is_shown_and_kept(self):
        bsff = self.make_bsff()
        self.fake.companies.pop(self.destination.siret)  # the destination is not registered
        action = bsff.action_send()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("n'est pas inscrite sur Trackdéchets", bsff.send_error)
        self.assertIn("Destination : L'installation de destination", bsff.send_error, "the Odoo field to fix is named")
        self.assertEqual(bsff.state, "sending")

    def test_error_messages_name_the_field_and_the_limit(self):
        Bsff = self.env["hvac.bsff"]
        issues = [
            {"path": ["destination", "plannedOperationCode"], "message": "Le code d'opération est invalide."},
            {"path": ["other"], "message": "Autre."},
        ]
        message = Bsff._hvac_td_error_message(TrackdechetsError("bad_user_input", "…", issues))
        self.assertIn("Planned operation : Le code d'opération est invalide.\nAutre.", message)
        for code in ("rate_limited", "too_many_requests"):
            self.assertIn("too many requests", Bsff._hvac_td_error_message(TrackdechetsError(code)))

    def test_a_refused_bsff_is_corrected_in_odoo_and_sent_again(self):
        bsff = self.make_bsff()
        self.fake.companies.pop(self.destination.siret)  # the destination is not registered
        bsff.action_send()
        self.assertRecordValues(bsff, [{"state": "sending", "td_id": False}])
        self.fake.add_company("38012986643097", "Régénération Isère", ["WASTEPROCESSOR"])
        other = self._company_partner("Régénération Isère", "38012986643097", "dest@regeneration-isere.fr")
        bsff.destination_partner_id = other  # corrected while "sending"
        bsff.action_send()
        self.assertRecordValues(bsff, [{"state": "signed_by_emitter", "send_error": False}])
        self.assertEqual(self._remote(bsff)["destination"]["company"]["siret"], "38012986643097")
        self.assertEqual(len(self.fake.bsffs), 1)
        with self.assertRaisesRegex(UserError, "signed on Trackdéchets"):
            bsff.weight_kg = 99.0
        bsff.user_id = self.env.user  # who follows it in Odoo may still change

    def test_a_correction_after_the_slip_exists_updates_it(self):
        bsff = self.make_bsff()
        self.fake.fail_next("PublishBsff")
        bsff.action_send()
        self.assertEqual(bsff.state, "sending")
        remote_id = bsff.td_id
        self.assertTrue(remote_id, "the slip exists on Trackdéchets, unsigned")
        bsff.write({"weight_kg": 6.0, "weight_is_estimate": True})
        bsff.action_send()
        self.assertRecordValues(bsff, [{"state": "signed_by_emitter", "td_id": remote_id}])
        self.assertEqual(
            self._remote(bsff)["weight"], {"value": 6.0, "isEstimate": True}, "the correction reached the same slip"
        )
        self.assertEqual(len(self.fake.bsffs), 1)
        self.assertEqual(len(self.fake.requests_for("UpdateBsff")), 1)

    def test_send_needs_the_export_right_and_a_valid_token(self):
        bsff = self.make_bsff()
        technician = new_test_user(
            self.env, "tech2", groups="base.group_user,hvac_connect.group_hvac_user", company_id=self.company.id
        )
        with self.assertRaises(AccessError):
            bsff.with_user(technician).action_send()
        self.exporter.sudo().hvac_trackdechets_token_state = "invalid"
        with self.assertRaisesRegex(UserError, "no valid Trackdéchets API token"):
            bsff.action_send()
        self.assertFalse(self.fake.bsffs)

    def test_lifecycle_to_processed_with_sync_and_pdf(self):
        bsff = self.make_bsff()
        self.flush_tracking()
        bsff.action_send()
        self.flush_tracking()
        steps = [
            (self.fake.transport, "sent"),
            (self.fake.receive, "received"),
            (self.fake.accept, "accepted"),
            (self.fake.process, "processed"),
        ]
        for move, state in steps:
            move(bsff.td_id)
            bsff.action_sync()
            self.flush_tracking()  # each sync is its own transaction
            self.assertEqual(bsff.state, state)
        self.assertRecordValues(
            bsff.packaging_ids,
            [{"acceptation_status": "ACCEPTED", "acceptation_weight_kg": 4.0, "operation_code": "R2"}],
        )
        self.assertTrue(bsff.transport_taken_over_at and bsff.received_at and bsff.processed_at)
        self.assertEqual(bsff.transporter_plates, "AB-123-CD")
        tracked = (
            bsff.sudo()
            .message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
            .sorted("id")
            .mapped("new_value_char")
        )
        self.assertEqual(
            tracked,
            ["Signed by the emitter", "Taken over by the transporter", "Received", "Accepted", "Processed"],
            "each move in the chatter",
        )
        traced = set(bsff.sudo().message_ids.tracking_value_ids.mapped("field_id.name"))
        self.assertLessEqual(
            {"transporter_plates", "transport_taken_over_at", "received_at", "processed_at"},
            traced,
            "plates and dates too",
        )
        action = bsff.action_download_pdf()
        attachment = self.env["ir.attachment"].search([("res_model", "=", "hvac.bsff"), ("res_id", "=", bsff.id)])
        self.assertEqual(attachment.name, f"{bsff.td_id}.pdf")
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        self.assertIn(str(attachment.id), action["url"])

    def test_refused_packaging_is_posted(self):
        bsff = self.make_bsff()
        bsff.action_send()
        for move in (self.fake.transport, self.fake.receive):
            move(bsff.td_id)
        self.fake.accept(bsff.td_id, refused=("BT-0042",))
        bsff.action_sync()
        self.assertEqual(bsff.state, "refused")
        self.assertEqual(bsff.packaging_ids.refusal_reason, "Contenant non conforme")
        self.assertIn("Refused by the destination", bsff.message_ids[0].body)

    def test_partner_check_and_warnings(self):
        self.transporter.with_user(self.exporter).action_hvac_check_trackdechets()
        self.assertRecordValues(
            self.transporter,
            [
                {
                    "hvac_td_registered": True,
                    "hvac_td_company_types": "TRANSPORTER",
                    "hvac_td_receipt_number": "REC-69-001",
                    "hvac_td_receipt_department": "69",
                    "hvac_td_closed": False,
                }
            ],
        )
        self.fake.add_company(self.destination.siret, "Régénération Rhône", ["PRODUCER"])
        self.destination.with_user(self.exporter).action_hvac_check_trackdechets()
        bsff = self.make_bsff()
        self.assertIn("not registered on Trackdéchets as a treatment", bsff.partner_warning)
        self.assertIn("not registered on Trackdéchets as a treatment", "\n".join(bsff._missing_fields()))
        self.fake.add_company(self.destination.siret, "Régénération Rhône", ["WASTEPROCESSOR"], closed=True)
        self.destination.with_user(self.exporter).action_hvac_check_trackdechets()
        self.assertTrue(self.destination.hvac_td_closed)
        bsff.invalidate_recordset(["partner_warning"])
        self.assertIn("closed establishment", bsff.partner_warning)

    def test_we_carry_it_ourselves(self):
        bsff = self.make_bsff(transporter_is_self=True, transporter_partner_id=False)
        bsff.transporter_plates = "GH-456-JK"  # our van: Trackdéchets wants its plate
        bsff.action_send()
        self.assertFalse(bsff.send_error)
        remote = self._remote(bsff)
        self.assertTrue(remote["transporters"][0]["recepisse"]["isExempted"])
        self.assertEqual(remote["transporters"][0]["company"]["siret"], OUR_SIRET)
        self.assertEqual(remote["status"], "SENT", "the transport is signed in our name too")
        self.assertEqual(remote["transporters"][0]["transport"]["plates"], ["GH-456-JK"])
        self.assertEqual(bsff.state, "sent")

    def test_we_carry_it_ourselves_only_with_our_phone_and_email(self):
        self.company.write({"phone": False, "email": False})
        bsff = self.make_bsff(transporter_is_self=True, transporter_partner_id=False)
        bsff.transporter_plates = "GH-456-JK"
        problems = bsff._missing_fields()
        self.assertIn("Transporter (our company): phone is missing; set it on the company.", problems)
        self.assertIn("Transporter (our company): e-mail is missing; set it on the company.", problems)
        with self.assertRaisesRegex(UserError, "phone is missing"):
            bsff.action_send()
        self.assertFalse(self.fake.bsffs, "nothing signed that would wait for a transport signature")
        self.company.write({"phone": "04 72 00 00 00", "email": "contact@froid-lyonnais.fr"})
        bsff.action_send()
        self.assertEqual(self._remote(bsff)["status"], "SENT", "emission and transport signed")

    def test_private_holder(self):
        person = self.env["res.partner"].create(
            {"name": "Marie Petit", "street": "5 rue des Lilas", "zip": "69006", "city": "Lyon"}
        )
        installation = self.make_installation()
        installation.site_id.partner_id = person
        fiche = self.make_intervention(
            installation,
            recovered_treatment_kg=1.0,
            container_move_ids=[(0, 0, {"container_id": self.container.id, "direction": "fill", "quantity_kg": 1.0})],
        )
        fiche.action_done()
        bsff = self.make_bsff(fiche)
        self.assertTrue(bsff.fiche_ids.detenteur_is_private)
        bsff.action_send()
        remote_fiche = self.fake.fiches[self._remote(bsff)["ficheIds"][0]]
        self.assertTrue(remote_fiche["detenteur"]["isPrivateIndividual"])
        self.assertNotIn("siret", remote_fiche["detenteur"]["company"])

    def _fiche_of(self, fluid_xmlid, recovered=2.0, charge=30.0):
        fluid = self.env.ref(f"hvac_connect.refrigerant_{fluid_xmlid}")
        bottle = self.env["hvac.container"].create(
            {"name": f"BT-{fluid.name}", "refrigerant_id": fluid.id, "capacity_kg": 20.0, "volume_l": 26.8}
        )
        fiche = self.make_intervention(
            self.make_installation(charge=charge, fluid=fluid),
            nature="dismantling",
            recovered_treatment_kg=recovered,
            container_move_ids=[(0, 0, {"container_id": bottle.id, "direction": "fill", "quantity_kg": recovered})],
        )
        fiche.action_done()
        return fiche

    def test_one_fluid_per_bsff(self):
        """R-404A and R-452A share the waste code 14 06 01*, not the designation nor the slip."""
        r404a, r452a = self._fiche_of("r_404a"), self._fiche_of("r_452a")
        with self.assertRaisesRegex(UserError, r"A BSFF carries one fluid, these fiches recovered R-404A, R-452A"):
            self.make_bsff(r404a | r452a)
        bsff = self.make_bsff(r404a)
        self.assertRecordValues(
            bsff,
            [{"refrigerant_id": r404a.refrigerant_id.id, "waste_description": "R-404A", "waste_code": "14 06 01*"}],
        )
        # Whoever writes the slip (another client, a script): the server refuses a second fluid.
        line = self.env["hvac.bsff.fiche"]._values_from_intervention(r452a)
        with self.assertRaisesRegex(ValidationError, "A BSFF carries one fluid"):
            bsff.write({"fiche_ids": [(0, 0, line)]})
        with self.assertRaisesRegex(ValidationError, "A BSFF carries one fluid"):
            self.env["hvac.bsff.fiche"].with_user(self.exporter).create({**line, "bsff_id": bsff.id})
        with self.assertRaisesRegex(ValidationError, "A BSFF carries one fluid"):
            bsff.write({"refrigerant_id": r452a.refrigerant_id.id})

    def test_check_names_a_packaging_of_another_fluid(self):
        bsff = self.make_bsff()
        other = self.env["hvac.container"].create(
            {"name": "BT-R32-9", "refrigerant_id": self.env.ref("hvac_connect.refrigerant_r_32").id, "capacity_kg": 8.0}
        )
        bsff.packaging_ids.container_id = other
        with self.assertRaisesRegex(UserError, "Packaging BT-0042 holds R-32, not R-410A"):
            bsff.action_check()

    def test_destination_comes_from_the_fiches(self):
        fiche = self.make_done_intervention()
        wizard = (
            self.env["hvac.intervention.bsff.create"]
            .with_user(self.exporter)
            .create({"intervention_ids": [(6, 0, fiche.ids)], "transporter_partner_id": self.transporter.id})
        )
        self.assertEqual(wizard.destination_partner_id, self.destination, "the destination the fiche names")
        bsff = self.env["hvac.bsff"].browse(wizard.action_create()["res_id"])
        self.assertEqual(bsff.destination_partner_id, self.destination)
        self.assertFalse(bsff.partner_warning)
        # The named centre turns out not to take it: the slip goes elsewhere, with a warning, as
        # the validated fiche stays as signed.
        other_centre = self.env["res.partner"].create({"name": "Chimirec Javené", "hvac_fluid_treatment": True})
        bsff.destination_partner_id = other_centre
        self.assertIn(
            "the fiches send their fluid to Régénération Rhône (cadre 13), the slip to Chimirec Javené",
            bsff.partner_warning,
        )
        self.assertNotIn("Régénération Rhône (cadre 13)", "\n".join(bsff._missing_fields()))
        elsewhere = self.make_intervention(
            self.make_installation(charge=12.0),
            nature="dismantling",
            recovered_treatment_kg=1.0,
            destination_partner_id=other_centre.id,
            container_move_ids=[(0, 0, {"container_id": self.container.id, "direction": "fill", "quantity_kg": 1.0})],
        )
        elsewhere.action_done()
        second = self.make_done_intervention(recovered=1.0)
        wizard = (
            self.env["hvac.intervention.bsff.create"]
            .with_user(self.exporter)
            .create({"intervention_ids": [(6, 0, (second | elsewhere).ids)]})
        )
        self.assertFalse(wizard.destination_partner_id, "fiches naming two destinations leave the choice")
        self.assertEqual(
            self.env["res.partner"].search(
                [("hvac_fluid_receiver", "=", True), ("id", "in", (self.customer | self.destination).ids)]
            ),
            self.destination,
            "the holder is no destination of fluid",
        )
