"""The servicing bans of Regulation (EU) 2024/573, Article 13(3), case by case against its wording.

"The use of fluorinated greenhouse gases, with a global warming potential of 2 500 or more, for
the maintenance or servicing of refrigeration equipment with a charge size of 40 tonnes of CO2
equivalent or more, shall be prohibited. From 1 January 2025, the use of fluorinated greenhouse
gases, with a global warming potential of 2 500 or more, for the maintenance or servicing of any
refrigeration equipment shall be prohibited." Exceptions: military equipment, equipment cooling
products below −50 °C, an exemption authorised under Article 11(5), and until 1 January 2030
reclaimed fluid (a) and fluid recycled from such equipment by the undertaking that recovered it (b).
"""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..common import HvacConnectCase

AFTER_2025 = date(2026, 3, 12)
BEFORE_2025 = date(2024, 6, 3)


@tagged("post_install", "-at_install")
class TestServicingBan(HvacConnectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.r404a = cls.env.ref("hvac_connect.refrigerant_r_404a")  # GWP 3 921.6
        # 5 kg of R-404A: 19.6 t CO2e, under 40 t; 12 kg: 47.1 t CO2e.
        cls.cold_room = cls.make_installation(
            5.0, fluid=cls.r404a, name="Chambre froide positive", category="refrigeration"
        )
        cls.big_cold_room = cls.make_installation(
            12.0, fluid=cls.r404a, name="Chambre froide négative", category="refrigeration"
        )

    def charge(self, installation, day=AFTER_2025, **vals):
        vals.setdefault("charged_virgin_kg", 1.5)
        return self.make_intervention(installation, nature="maintenance", date=day, **vals)

    def refused(self, fiche, *expected):
        with self.assertRaises(UserError) as refused:
            fiche.action_done()
        message = str(refused.exception)
        for text in expected:
            self.assertIn(text, message)
        self.assertEqual(fiche.state, "draft")
        return message

    def passes(self, fiche):
        fiche.action_done()
        self.assertEqual(fiche.state, "done")

    def test_virgin_gwp_2500_into_any_refrigeration_equipment_since_2025(self):
        """Second sentence: "From 1 January 2025 ... any refrigeration equipment"."""
        message = self.refused(
            self.charge(self.cold_room),
            "1.5 kg of virgin fluid R-404A (GWP 3,921.6) into Chambre froide positive is forbidden since 01/01/2025",
            "Regulation (EU) 2024/573, Article 13(3), first subparagraph, second sentence",
            "reclaimed fluid until 01/01/2030 (Article 13(3), third subparagraph, point (a))",
            "recycled from such equipment by the undertaking that recovered it, until 01/01/2030"
            " (Article 13(3), third subparagraph, point (b))",
            "military equipment, equipment cooling products below −50 °C",
        )
        self.assertEqual(message.count("Article 13(3), first subparagraph"), 1, "one ban applies, not two")

    def test_below_40_t_allowed_before_2025(self):
        """First sentence only: "refrigeration equipment with a charge size of 40 tonnes of CO2
        equivalent or more" (19.6 t in 2024)."""
        self.passes(self.charge(self.cold_room, day=BEFORE_2025))

    def test_40_t_or_more_refused_before_2025(self):
        """First sentence: 47.1 t CO2e, in 2024."""
        self.refused(
            self.charge(self.big_cold_room, day=BEFORE_2025),
            "forbidden since 01/01/2020",
            "Article 13(3), first subparagraph, first sentence",
        )

    def test_reclaimed_fluid_allowed_until_2030(self):
        """Point (a): reclaimed gases "until 1 January 2030"."""
        self.passes(self.charge(self.cold_room, charged_virgin_kg=0.0, charged_reclaimed_kg=2.0))
        late = self.charge(self.cold_room, day=date(2030, 1, 1), charged_virgin_kg=0.0, charged_reclaimed_kg=2.0)
        message = self.refused(late, "2 kg of reclaimed fluid R-404A")
        self.assertNotIn("Allowed", message, "from 1 January 2030 no exception of point (a) or (b) is left")

    def test_recycled_fluid_recovered_by_us_from_refrigeration_equipment(self):
        """Point (b): recycled gases "recovered from such equipment" and used by the undertaking
        which carried out their recovery."""
        cylinder = self.recycled_cylinder(self.big_cold_room)
        fiche = self.charge(
            self.cold_room,
            charged_virgin_kg=0.0,
            charged_recycled_kg=1.0,
            container_move_ids=[(0, 0, {"container_id": cylinder.id, "direction": "empty", "quantity_kg": 1.0})],
        )
        self.passes(fiche)

    def test_recycled_fluid_of_unknown_origin_refused(self):
        cylinder = self.env["hvac.container"].create(
            {
                "name": "BT-RECY-ACHAT",
                "refrigerant_id": self.r404a.id,
                "capacity_kg": 10.0,
                "initial_weight_kg": 5.0,
                "state": "recycled",
            }
        )
        fiche = self.charge(
            self.cold_room,
            charged_virgin_kg=0.0,
            charged_recycled_kg=1.0,
            container_move_ids=[(0, 0, {"container_id": cylinder.id, "direction": "empty", "quantity_kg": 1.0})],
        )
        self.refused(fiche, "1 kg of recycled fluid R-404A", "BT-RECY-ACHAT holds fluid whose recovery is not recorded")
        without_container = self.charge(self.cold_room, charged_virgin_kg=0.0, charged_recycled_kg=1.0)
        self.refused(without_container, "say which recycled-fluid container it was charged from")

    def test_recycled_fluid_from_other_equipment_refused(self):
        """ "recovered from such equipment": fluid recovered from an air conditioner does not count."""
        air_conditioner = self.make_installation(
            8.0, fluid=self.r404a, name="Climatiseur atelier", category="air_conditioning"
        )
        cylinder = self.recycled_cylinder(air_conditioner)
        fiche = self.charge(
            self.cold_room,
            charged_virgin_kg=0.0,
            charged_recycled_kg=1.0,
            container_move_ids=[(0, 0, {"container_id": cylinder.id, "direction": "empty", "quantity_kg": 1.0})],
        )
        self.refused(fiche, "recovered from Climatiseur atelier, which is not refrigeration equipment")

    def test_military_and_low_temperature_equipment_not_banned(self):
        """ "shall not apply to military equipment or equipment intended for applications designed
        to cool products to temperatures below – 50 °C"."""
        self.cold_room.military_equipment = True
        self.passes(self.charge(self.cold_room))
        self.big_cold_room.below_minus_50 = True
        self.passes(self.charge(self.big_cold_room))

    def test_authorised_exemption_not_banned(self):
        """ "shall not apply to refrigeration equipment for which an exemption has been authorised
        in accordance with Article 11(5)"."""
        self.cold_room.ban_exemption_ref = "C(2025) 1234"
        self.passes(self.charge(self.cold_room))

    def test_outside_the_scope(self):
        """Refrigeration equipment only, and a GWP of 2 500 or more only."""
        air_conditioner = self.make_installation(
            5.0, fluid=self.r404a, name="Split bureau", category="air_conditioning"
        )
        self.passes(self.charge(air_conditioner))
        r410a_cold_room = self.make_installation(5.0, name="Meuble froid R-410A", category="refrigeration")
        self.passes(self.charge(r410a_cold_room))

    def test_an_archived_row_no_longer_applies(self):
        self.env.ref("hvac_connect.servicing_ban_13_3_any").active = False
        self.passes(self.charge(self.cold_room))

    def test_message_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        # The rows' article and name are data: their French is loaded with the module's terms.
        self.env["ir.module.module"]._load_module_terms(["hvac_connect"], ["fr_FR"], overwrite=True)
        fiche = self.charge(self.cold_room)
        with self.assertRaises(UserError) as refused:
            fiche.with_context(lang="fr_FR").action_done()
        message = str(refused.exception)
        self.assertIn("1,5 kg de fluide vierge R-404A", message)
        self.assertIn("article 13, paragraphe 3, premier alinéa, deuxième phrase", message)
        self.assertIn("du fluide régénéré jusqu'au 01/01/2030", message)

    def recycled_cylinder(self, source):
        """A cylinder filled by one of our done fiches recovering fluid from ``source``, then recycled."""
        cylinder = self.env["hvac.container"].create(
            {"name": f"BT-RECY-{source.id}", "refrigerant_id": self.r404a.id, "capacity_kg": 10.0, "state": "recovered"}
        )
        recovery = self.make_intervention(
            source,
            nature="maintenance",
            date=date(2026, 2, 2),
            recovered_reuse_kg=3.0,
            container_move_ids=[(0, 0, {"container_id": cylinder.id, "direction": "fill", "quantity_kg": 3.0})],
        )
        recovery.action_done()
        cylinder.state = "recycled"
        return cylinder
