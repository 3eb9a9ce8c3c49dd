from odoo.tests import HttpCase, tagged

from ..common import HvacConnectCase


@tagged("post_install", "-at_install")
class TestTourBsffFromFiches(HvacConnectCase, HttpCase):
    """A BSFF made from the fiches list, in the browser: one fluid per slip, the destination the
    fiches name."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.holder = cls.env["res.partner"].create(
            {"name": "Centre Hospitalier de Valence", "is_company": True, "zip": "26000"}
        )
        cls.centre = cls.env["res.partner"].create(
            {
                "name": "Centre de regroupement Rhône",
                "is_company": True,
                "street": "8 rue de la Chimie",
                "zip": "69190",
                "city": "Saint-Fons",
                "hvac_fluid_treatment": True,
            }
        )
        site = cls.env["hvac.site"].create({"name": "Hôpital", "partner_id": cls.holder.id, "zip": "26000"})
        cls.hospital = site.building_ids

    def _done_fiche(self, installation_name, fluid_xmlid, charge, recovered):
        fluid = self.env.ref(f"hvac_connect.refrigerant_{fluid_xmlid}")
        installation = self.make_installation(
            charge=charge, fluid=fluid, name=installation_name, building_id=self.hospital.id
        )
        bottle = self.env["hvac.container"].create(
            {"name": f"BT-{fluid.name}", "refrigerant_id": fluid.id, "capacity_kg": 50.0, "volume_l": 61.0}
        )
        fiche = self.make_intervention(
            installation,
            nature="maintenance",
            recovered_treatment_kg=recovered,
            destination_partner_id=self.centre.id,
            container_move_ids=[(0, 0, {"container_id": bottle.id, "direction": "fill", "quantity_kg": recovered})],
        )
        fiche.action_done()
        return fiche

    def test_two_fluids_refused_with_the_reason(self):
        self._done_fiche("Centrale négative", "r_404a", 130.0, 4.0)
        self._done_fiche("Réserve frigorifique", "r_452a", 260.0, 6.0)
        self.start_tour("/odoo", "hvac_connect_bsff_one_fluid_tour", login="admin")
        self.assertFalse(self.env["hvac.bsff"].search([]), "no BSFF made of two fluids")

    def test_destination_proposed_and_taken_by_the_bsff(self):
        fiche = self._done_fiche("Groupe froid cuisine", "r_410a", 12.0, 3.0)
        draft = self.make_intervention(
            self.make_installation(charge=4.0, name="Armoire froide pharmacie", building_id=self.hospital.id),
            nature="maintenance",
        )
        self.start_tour("/odoo", "hvac_connect_destination_tour", login="admin")
        self.assertEqual(draft.destination_partner_id, self.centre)
        self.assertEqual(draft.recovered_treatment_kg, 1.2)
        bsff = self.env["hvac.bsff"].search([("fiche_ids.intervention_id", "=", fiche.id)])
        self.assertRecordValues(
            bsff, [{"destination_partner_id": self.centre.id, "refrigerant_id": fiche.refrigerant_id.id}]
        )
