from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..trackdechets_common import TrackdechetsCase


@tagged("post_install", "-at_install")
class TestBsffWeight(TrackdechetsCase):
    """The BSFF weighs the fluid its fiches recovered, never the cylinders' whole content."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Container = cls.env["hvac.container"]
        # A recovery cylinder that already held 5 kg from earlier work, and a new virgin-fluid one.
        cls.used = Container.create(
            {
                "name": "BT-REC-0099",
                "refrigerant_id": cls.fluid.id,
                "capacity_kg": 20.0,
                "volume_l": 26.8,
                "initial_weight_kg": 5.0,
                "state": "recovered",
            }
        )
        cls.virgin = Container.create(
            {
                "name": "BT-NEUF-0007",
                "refrigerant_id": cls.fluid.id,
                "capacity_kg": 10.0,
                "volume_l": 13.6,
                "initial_weight_kg": 9.0,
                "state": "virgin",
            }
        )

    def _three_fiches(self):
        """The issue's three fiches: 2.4 kg recovered in all, one also charged from the virgin cylinder."""
        first = self.make_done_intervention(recovered=1.0, container=self.used)
        second = self.make_done_intervention(recovered=0.6, container=self.container)
        installation = self.make_installation(charge=6.0)
        third = self.make_intervention(
            installation,
            nature="maintenance",
            recovered_treatment_kg=0.8,
            charged_virgin_kg=0.5,
            container_move_ids=[
                (0, 0, {"container_id": self.used.id, "direction": "fill", "quantity_kg": 0.8}),
                (0, 0, {"container_id": self.virgin.id, "direction": "empty", "quantity_kg": 0.5}),
            ],
        )
        third.action_done()
        return first | second | third

    def test_bsff_of_three_fiches_weighs_their_recovered_fluid(self):
        bsff = self.make_bsff(self._three_fiches())
        self.assertAlmostEqual(bsff.weight_kg, 2.4)
        self.assertEqual(
            bsff.packaging_ids.container_id, self.used | self.container, "the virgin cylinder is no waste packaging"
        )
        weights = {line.numero: line.weight_kg for line in bsff.packaging_ids}
        self.assertAlmostEqual(weights["BT-REC-0099"], 1.8, msg="1.8 kg recovered into it, not its 6.8 kg content")
        self.assertAlmostEqual(weights["BT-0042"], 0.6)
        self.assertAlmostEqual(self.used.net_weight_kg, 6.8)
        bsff.action_check()
        bsff.action_send()
        self.assertEqual(self.fake.bsffs[bsff.td_id]["weight"]["value"], 2.4)

    def test_a_virgin_cylinder_is_never_a_packaging(self):
        bsff = self.make_bsff(self._three_fiches())
        with self.assertRaisesRegex(ValidationError, "BT-NEUF-0007 holds virgin fluid"):
            bsff.write(
                {
                    "packaging_ids": [
                        (
                            0,
                            0,
                            {
                                "container_id": self.virgin.id,
                                "numero": "BT-NEUF-0007",
                                "volume_l": 13.6,
                                "weight_kg": 9.0,
                            },
                        )
                    ]
                }
            )

    def test_check_names_a_mismatch_between_containers_and_fiches(self):
        bsff = self.make_bsff(self._three_fiches())
        used_line = bsff.packaging_ids.filtered(lambda p: p.container_id == self.used)
        used_line.weight_kg = 6.8  # the whole cylinder, as before
        bsff.packaging_ids.filtered(lambda p: p.container_id == self.container).unlink()
        with self.assertRaises(UserError) as caught:
            bsff.action_check()
        message = str(caught.exception)
        self.assertIn("Packaging BT-REC-0099: 6.8 kg on the slip, but its fiches recovered 1.8 kg into it.", message)
        self.assertIn("Container BT-0042 received fluid of fiche", message)
        self.assertIn("The packagings hold 6.8 kg but the fiches recovered 2.4 kg.", message)
