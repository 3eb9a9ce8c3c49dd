"""Two offices invoicing the same fiche at once: the second session finds the fiche's row locked
and is refused, its transaction going on. Row locks only meet on rows both sessions see, so the
fiche (and what it stands on) is committed before the test's transaction starts, and deleted
after it."""

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import TransactionCase, get_db_name, tagged

PARTNER = "Collège Jean Moulin (essai de verrou)"


def _commit_fiche(dbname):
    with Registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner = env["res.partner"].create({"name": PARTNER, "is_company": True})
        site = env["hvac.site"].create({"name": "Collège", "partner_id": partner.id, "zip": "69008"})
        installation = env["hvac.installation"].create(
            {
                "name": "Climatiseur CDI",
                "building_id": site.building_ids.id,
                "refrigerant_id": env.ref("hvac_connect.refrigerant_r_410a").id,
                "charge_kg": 4.0,
            }
        )
        fiche = env["hvac.intervention"].create({"installation_id": installation.id, "labour_hours": 1.0})
        cr.commit()  # pylint: disable=invalid-commit  (another session must see it: the point of the test)
        return fiche.id


def _delete_fiche(dbname, fiche_id):
    with Registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        fiche = env["hvac.intervention"].browse(fiche_id)
        installation, site, partner = fiche.installation_id, fiche.site_id, fiche.partner_id
        fiche.unlink()
        installation.unlink()
        site.with_context(active_test=False).building_ids.unlink()
        site.unlink()
        partner.unlink()
        cr.commit()  # pylint: disable=invalid-commit  (what the test committed goes)


@tagged("post_install", "-at_install")
class TestInterventionBillingLock(TransactionCase):
    @classmethod
    def setUpClass(cls):
        # Before super(): the test's transaction (repeatable read) then sees the committed row.
        dbname = get_db_name()
        fiche_id = _commit_fiche(dbname)
        cls.addClassCleanup(_delete_fiche, dbname, fiche_id)
        super().setUpClass()
        cls.fiche = cls.env["hvac.intervention"].browse(fiche_id)

    def test_a_fiche_being_invoiced_elsewhere_is_refused(self):
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(other.close)
        self.addCleanup(other.rollback)
        # The other office's invoicing holds the fiche's row (the lock _hvac_lock_for_invoicing takes).
        other.execute("SELECT id FROM hvac_intervention WHERE id = %s FOR NO KEY UPDATE NOWAIT", [self.fiche.id])
        self.assertEqual(other.fetchall(), [(self.fiche.id,)], "the other session sees and locks the committed fiche")
        with self.assertRaisesRegex(UserError, "being invoiced by someone else right now"), self.env.cr.savepoint():
            self.fiche._hvac_lock_for_invoicing()
        self.env.cr.execute("SELECT 1")
        self.assertEqual(self.env.cr.fetchall(), [(1,)], "the test's transaction goes on")
        other.rollback()
        # Once the other office is done, the lock is ours (a draft fiche is then refused as not to invoice).
        with self.assertRaisesRegex(UserError, "Only done fiches still to invoice"), self.env.cr.savepoint():
            self.fiche._hvac_lock_for_invoicing()
