from contextlib import closing

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import get_db_name, tagged

from ..common import HvacConnectCase


@tagged("post_install", "-at_install")
class TestDraftConcurrency(HvacConnectCase):
    """Two technicians write draft fiches on one installation and one container at the same time,
    as two Odoo workers do: neither waits for the other. Only a fiche entering or leaving the done
    state touches the installation's and the container's rows."""

    @classmethod
    def setUpClass(cls):
        # The other worker sees only committed data: the installation and the container are made
        # in a session of their own and committed, and removed at the end of the class. Before the
        # test's own transaction starts: it would not see what is committed after its snapshot.
        registry = Registry(get_db_name())
        with closing(registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            fluid = env.ref("hvac_connect.refrigerant_r_410a")
            customer = env["res.partner"].create({"name": "Entrepôts Rhodaniens", "is_company": True})
            site = env["hvac.site"].create({"name": "Entrepôt concurrent", "partner_id": customer.id})
            installation = env["hvac.installation"].create(
                {
                    "name": "Chambre froide partagée",
                    "building_id": site.building_ids.id,
                    "refrigerant_id": fluid.id,
                    "charge_kg": 20.0,
                }
            )
            container = env["hvac.container"].create(
                {"name": "BT-CONC-1", "refrigerant_id": fluid.id, "capacity_kg": 40.0, "state": "recovered"}
            )
            cr.commit()  # pylint: disable=invalid-commit  (the other session must see it: the point of the test)
            cls.installation_id, cls.container_id, cls.site_id = installation.id, container.id, site.id
            cls.customer_id = customer.id
        cls.addClassCleanup(cls._drop_committed, registry)
        super().setUpClass()

    @classmethod
    def _drop_committed(cls, registry):
        with closing(registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            fiches = env["hvac.intervention"].search([("installation_id", "=", cls.installation_id)])
            fiches.container_move_ids.unlink()
            fiches.unlink()
            env["hvac.container"].browse(cls.container_id).unlink()
            env["hvac.installation"].browse(cls.installation_id).unlink()
            env["hvac.site"].browse(cls.site_id).unlink()
            env["res.partner"].browse(cls.customer_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit  (what the test committed goes)

    def _draft_vals(self):
        return {
            "installation_id": self.installation_id,
            "nature": "maintenance",
            "recovered_treatment_kg": 1.0,
            "container_move_ids": [
                (0, 0, {"container_id": self.container_id, "direction": "fill", "quantity_kg": 1.0})
            ],
        }

    def _draft_day(self, env):
        """A technician's draft as the day goes: written, corrected, one thrown away."""
        fiches = env["hvac.intervention"].create([self._draft_vals(), self._draft_vals()])
        fiches[0].write({"observations": "Pressions relevées", "charged_virgin_kg": 0.4, "nature": "periodic_check"})
        fiches[1].unlink()
        env.flush_all()
        return fiches[0]

    def test_two_technicians_drafts_on_one_installation_do_not_wait_for_each_other(self):
        with closing(Registry(self.env.cr.dbname).cursor()) as other_cr:
            other = api.Environment(other_cr, SUPERUSER_ID, {})
            # The other technician's drafts, not committed: his transaction holds whatever rows it wrote.
            self._draft_day(other)
            # Ours must not wait for his: a row he holds would stop us at the lock timeout.
            self.env.cr.execute("SET LOCAL lock_timeout = '2s'")
            self._draft_day(self.env(user=self.technician))
            other_cr.rollback()
        installation = self.env["hvac.installation"].browse(self.installation_id)
        self.assertFalse(installation.last_leak_check_date)

    def test_validating_and_cancelling_update_the_installation_and_the_container(self):
        installation = self.env["hvac.installation"].browse(self.installation_id)
        container = self.env["hvac.container"].browse(self.container_id)
        before = container.net_weight_kg
        fiche = self.make_intervention(
            installation,
            nature="periodic_check",
            date="2026-03-02",
            destination_partner_id=self.cerfa_destination().id,
            **{k: v for k, v in self._draft_vals().items() if k not in ("installation_id", "nature")},
        )
        self.assertFalse(installation.last_leak_check_date)
        self.assertEqual(container.net_weight_kg, before)
        fiche.action_done()
        self.assertEqual(str(installation.last_leak_check_date), "2026-03-02")
        self.assertTrue(installation.next_leak_check_date)
        self.assertAlmostEqual(container.net_weight_kg, before + 1.0)
        fiche.with_user(self.manager).action_cancel()
        self.assertFalse(installation.last_leak_check_date)
        self.assertAlmostEqual(container.net_weight_kg, before)
