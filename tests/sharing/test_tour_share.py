import importlib.util
from pathlib import Path

from odoo.tests import tagged

from .test_share_connection import ShareCase


@tagged("post_install", "-at_install")
class TestTourShare(ShareCase):
    def test_request_evaluate_process_in_the_browser(self):
        inviter, invitee, _code = self._pair()
        Site = self.env["hvac.site"]
        customer = self.env["res.partner"].create(
            {"name": "Hôpital Nord", "is_company": True, "siret": "26690027300019", "company_id": self.froid.id}
        )
        site = Site.create(
            {"name": "Hôpital Nord - bâtiment A", "partner_id": customer.id, "company_id": self.froid.id}
        )
        fluid = self.env.ref("hvac_connect.refrigerant_r_410a")
        self.env["hvac.installation"].create(
            [
                {
                    "name": f"Groupe {n}",
                    "building_id": site.building_ids.id,
                    "refrigerant_id": fluid.id,
                    "charge_kg": 4.0,
                }
                for n in range(2)
            ]
        )
        self.start_tour("/odoo", "hvac_connect_share_request_tour", login="share_clim")
        self.deliver()
        outbox = self.env["hvac.connection.outbox"].sudo().search([])
        self.assertEqual(outbox.mapped("state"), ["done"], outbox.mapped("last_error"))
        self.assertEqual(
            self.env["hvac.share"].sudo().search([("connection_id", "=", inviter.id)]).state, "to_evaluate"
        )
        self.start_tour("/odoo", "hvac_connect_share_evaluate_tour", login="share_froid")
        self.deliver()
        self.env["hvac.share"]._cron_prepare()
        self.deliver()
        self.deliver()  # the transfer, once the share is available
        self.start_tour("/odoo", "hvac_connect_share_process_tour", login="share_clim")
        self.deliver()  # the import, in the background
        request = self.env["hvac.share"].search([("connection_id", "=", invitee.id)])
        self.assertRecordValues(request, [{"state": "processed", "role": "subcontractor", "level": "customer"}])
        imported = self.env["hvac.installation"].search([("shared_from_share_id", "=", request.id)])
        self.assertEqual(sorted(imported.mapped("name")), ["Groupe 0", "Groupe 1"])
        self.assertEqual(imported.company_id, self.clim)

    def test_the_owner_reads_the_seeds_words_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["hvac_connect"], ["fr_FR"], overwrite=True)
        self.admin_froid.lang = "fr_FR"
        self.clim.partner_id.lang = "fr_FR"  # the language the requester's server writes its chatter in
        inviter, invitee, _code = self._pair()
        asked = (
            self.env["hvac.share"]
            .with_user(self.admin_clim)
            .create({"name": "Demande Hôpital Nord", "connection_id": invitee.id, "level_requested": "location"})
        )
        self.env["hvac.share"]._hvac_create_protected(
            {
                "name": "Accès retiré",
                "connection_id": inviter.id,
                "side": "owner",
                "state": "revoked",
                "peer_share_id": "retire-1",
                "role": "subcontractor",
                "level": "installation",
            }
        )
        self.deliver()
        self.start_tour("/odoo", "hvac_connect_share_french_tour", login="share_froid")
        owned = self.env["hvac.share"].search(
            [("connection_id", "=", inviter.id), ("name", "=", "Demande Hôpital Nord")]
        )
        self.assertEqual(owned.state, "rejected")
        self.deliver()
        self.assertEqual(asked.state, "rejected")
        self.assertIn("Froid Lyonnais a répondu : Rejetée.", " ".join(asked.message_ids.mapped("body")))
        labels = self.env["hvac.share"].with_context(lang="fr_FR").fields_get(["role", "level", "state"])
        self.assertEqual(dict(labels["role"]["selection"])["operator"], "Exploitant")
        self.assertEqual(dict(labels["level"]["selection"])["location"], "Emplacement")
        self.assertEqual(dict(labels["state"]["selection"])["rejected"], "Rejetée")
        self.assertEqual(dict(labels["state"]["selection"])["revoked"], "Retirées")
        fiche = self.env["hvac.intervention"].with_context(lang="fr_FR").get_views([(False, "form")])
        self.assertIn("Opérateur", fiche["views"]["form"]["arch"], "the Cerfa's word stays on the fiche")

    def test_an_updated_database_gets_the_new_french_words(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["hvac_connect"], ["fr_FR"], overwrite=True)
        # What a database of the previous version says.
        revoked = self.env.ref("hvac_connect.selection__hvac_share__state__revoked")
        revoked.with_context(lang="fr_FR").name = "Révoqué"
        form = self.env.ref("hvac_connect.hvac_share_view_form")
        form.update_field_translations("arch_db", {"fr_FR": {"Reject": "Refuser"}})
        self.assertEqual(revoked.with_context(lang="fr_FR").name, "Révoqué")
        path = Path(__file__).resolve().parents[2] / "migrations" / "18.0.2.0.0" / "post-sharing_words.py"
        spec = importlib.util.spec_from_file_location("hvac_post_sharing_words", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "18.0.1.0.0")
        self.assertEqual(revoked.with_context(lang="fr_FR").name, "Retirées")
        self.assertIn("Rejeter", form.with_context(lang="fr_FR").arch_db)
        self.assertNotIn('string="Refuser"', form.with_context(lang="fr_FR").arch_db)
