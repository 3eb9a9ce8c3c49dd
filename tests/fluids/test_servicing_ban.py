"""The servicing bans of Regulation (EU) 2024/573, Article 13, case by case against its wording.

Paragraph 3: "The use of fluorinated greenhouse gases, with a global warming potential of 2 500 or
more, for the maintenance or servicing of refrigeration equipment with a charge size of 40 tonnes of
CO2 equivalent or more, shall be prohibited. From 1 January 2025, the use of fluorinated greenhouse
gases, with a global warming potential of 2 500 or more, for the maintenance or servicing of any
refrigeration equipment shall be prohibited." Exceptions: military equipment, equipment cooling
products below −50 °C, an exemption authorised under Article 11(5), and until 1 January 2030
reclaimed fluid (a) and fluid recycled from such equipment by the undertaking that recovered it (b).

Paragraph 4: "From 1 January 2026, the use of fluorinated greenhouse gases listed in Annex I, with a
global warming potential of 2 500 or more, for the maintenance or servicing of air-conditioning
equipment and heat pumps shall be prohibited." Exceptions: reclaimed (a) and recycled (b) fluid until
1 January 2032, nothing else.

Paragraph 5: "From 1 January 2032, the use of fluorinated greenhouse gases listed in Annex I, with a
global warming potential of 750 or more, for the maintenance or servicing of stationary refrigeration
equipment, with the exclusion of chillers, shall be prohibited." Exceptions: military equipment,
equipment cooling products below −50 °C or nuclear power stations, and with no end date reclaimed (a)
and recycled (b) fluid.
"""

from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..common import HvacConnectCase

AFTER_2025 = date(2026, 3, 12)
BEFORE_2025 = date(2024, 6, 3)
IN_2025 = date(2025, 9, 15)
AFTER_2032 = date(2033, 4, 22)


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
        cls.r422d = cls.env.ref("hvac_connect.refrigerant_r_422d")  # GWP 2 729.1
        cls.server_room = cls.make_installation(
            6.0, fluid=cls.r422d, name="Climatiseur salle serveur", category="air_conditioning"
        )
        cls.heat_pump = cls.make_installation(14.0, fluid=cls.r404a, name="PAC process laiterie", category="heat_pump")
        # R-410A (GWP 2 087.5): below paragraphs 3 and 4's 2 500, above paragraph 5's 750.
        cls.r410a_cold_room = cls.make_installation(5.0, name="Meuble froid R-410A", category="refrigeration")

    def charge(self, installation, day=AFTER_2025, **vals):
        vals.setdefault("charged_virgin_kg", 1.5)
        # The company renews its attestation de capacité: fiches years ahead are otherwise refused.
        vals.setdefault("capacity_valid_until", date(day.year + 2, 12, 31))
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
        """Refrigeration equipment only (before paragraph 4 takes air conditioning on in 2026), and a
        GWP of 2 500 or more only."""
        air_conditioner = self.make_installation(
            5.0, fluid=self.r404a, name="Split bureau", category="air_conditioning"
        )
        self.passes(self.charge(air_conditioner, day=IN_2025))
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

    # --- Article 13(4): air-conditioning equipment and heat pumps, from 1 January 2026 -------------
    def test_13_4_virgin_gwp_2500_into_air_conditioning_and_heat_pumps_since_2026(self):
        """ "From 1 January 2026 ... GWP of 2 500 or more, for the maintenance or servicing of
        air-conditioning equipment and heat pumps shall be prohibited"; its only exceptions are points
        (a) and (b) until 1 January 2032."""
        message = self.refused(
            self.charge(self.server_room, charged_virgin_kg=0.8),
            "0.8 kg of virgin fluid R-422D (GWP 2,729.1) into Climatiseur salle serveur is forbidden since 01/01/2026",
            "Regulation (EU) 2024/573, Article 13(4), first subparagraph",
            "Allowed: reclaimed fluid until 01/01/2032 (Article 13(4), second subparagraph, point (a));"
            " fluid recycled from such equipment by the undertaking that recovered it, until 01/01/2032"
            " (Article 13(4), second subparagraph, point (b)).",
        )
        self.assertNotIn("does not apply to", message, "paragraph 4 leaves no equipment out")
        self.refused(
            self.charge(self.heat_pump),
            "1.5 kg of virgin fluid R-404A (GWP 3,921.6) into PAC process laiterie is forbidden since 01/01/2026",
            "Article 13(4), first subparagraph",
        )

    def test_13_4_allowed_before_2026(self):
        self.passes(self.charge(self.server_room, day=date(2025, 12, 31)))
        self.passes(self.charge(self.heat_pump, day=IN_2025))

    def test_13_4_outside_its_scope(self):
        """GWP of 2 500 or more only (R-410A: 2 087.5), air conditioning and heat pumps only."""
        split = self.make_installation(4.2, name="Split R-410A", category="air_conditioning")
        self.passes(self.charge(split))
        other = self.make_installation(6.0, fluid=self.r422d, name="Sécheur d'air comprimé", category="other")
        self.passes(self.charge(other))

    def test_13_4_has_no_military_low_temperature_or_article_11_5_exception(self):
        """Unlike paragraphs 3 and 5, paragraph 4 exempts no equipment."""
        self.server_room.write(
            {"military_equipment": True, "below_minus_50": True, "ban_exemption_ref": "C(2025) 1234"}
        )
        self.refused(self.charge(self.server_room), "Article 13(4), first subparagraph")

    def test_13_4_reclaimed_fluid_allowed_until_2032(self):
        """Point (a): "until 1 January 2032"."""
        self.passes(
            self.charge(self.server_room, day=date(2031, 12, 31), charged_virgin_kg=0.0, charged_reclaimed_kg=1.2)
        )
        late = self.charge(self.server_room, day=date(2032, 1, 1), charged_virgin_kg=0.0, charged_reclaimed_kg=1.2)
        message = self.refused(late, "1.2 kg of reclaimed fluid R-422D", "Article 13(4), first subparagraph")
        self.assertNotIn("Allowed", message, "from 1 January 2032 neither point (a) nor (b) is left")

    def test_13_4_recycled_fluid_recovered_by_us_from_such_equipment(self):
        """Point (b): "recovered from such equipment", air-conditioning equipment and heat pumps
        alike; fluid recovered from refrigeration equipment does not count."""
        other_air_conditioner = self.make_installation(
            9.0, fluid=self.r422d, name="Climatiseur archives", category="air_conditioning"
        )
        self.passes(self.charge_recycled(self.server_room, self.recycled_cylinder(other_air_conditioner)))
        heat_pump = self.make_installation(9.0, fluid=self.r422d, name="PAC atelier", category="heat_pump")
        self.passes(self.charge_recycled(self.server_room, self.recycled_cylinder(heat_pump)))
        cold_room = self.make_installation(
            9.0, fluid=self.r422d, name="Chambre froide R-422D", category="refrigeration"
        )
        self.refused(
            self.charge_recycled(self.server_room, self.recycled_cylinder(cold_room)),
            "1 kg of recycled fluid R-422D",
            "recovered from Chambre froide R-422D, which is not air-conditioning equipment or a heat pump",
        )

    # --- Article 13(5): stationary refrigeration equipment but chillers, from 1 January 2032 -------
    def test_13_5_virgin_gwp_750_into_refrigeration_since_2032(self):
        """ "From 1 January 2032 ... GWP of 750 or more, for the maintenance or servicing of
        stationary refrigeration equipment, with the exclusion of chillers, shall be prohibited"."""
        message = self.refused(
            self.charge(self.r410a_cold_room, day=AFTER_2032),
            "1.5 kg of virgin fluid R-410A (GWP 2,087.5) into Meuble froid R-410A is forbidden since 01/01/2032",
            "Regulation (EU) 2024/573, Article 13(5), first subparagraph",
            "Allowed: reclaimed fluid (Article 13(5), third subparagraph, point (a)); fluid recycled from such"
            " equipment by the undertaking that recovered it (Article 13(5), third subparagraph, point (b)).",
            "The ban does not apply to military equipment, equipment cooling products below −50 °C, equipment"
            " cooling nuclear power stations, chillers (Article 13(5), first and second subparagraphs)",
        )
        self.assertEqual(message.count("Regulation (EU) 2024/573"), 1, "R-410A is below paragraph 3's 2 500")
        r134a = self.make_installation(
            3.0, fluid=self.env.ref("hvac_connect.refrigerant_r_134a"), name="Vitrine R-134a", category="refrigeration"
        )
        self.refused(self.charge(r134a, day=AFTER_2032), "R-134a (GWP 1,430)", "Article 13(5), first subparagraph")

    def test_13_5_allowed_before_2032(self):
        self.passes(self.charge(self.r410a_cold_room, day=date(2031, 12, 31)))

    def test_13_5_outside_its_scope(self):
        """GWP of 750 or more only (R-32: 675), refrigeration only (air conditioning is paragraph
        4's, from 2 500), chillers excluded."""
        r32 = self.make_installation(
            4.0, fluid=self.env.ref("hvac_connect.refrigerant_r_32"), name="Meuble froid R-32", category="refrigeration"
        )
        self.passes(self.charge(r32, day=AFTER_2032))
        split = self.make_installation(4.2, name="Split R-410A", category="air_conditioning")
        self.passes(self.charge(split, day=AFTER_2032))
        self.r410a_cold_room.chiller = True
        self.passes(self.charge(self.r410a_cold_room, day=AFTER_2032))

    def test_13_5_military_low_temperature_and_nuclear_equipment_not_banned(self):
        """ "shall not apply to military equipment or equipment intended for applications designed to
        cool products to temperatures below – 50 °C or equipment intended for applications designed to
        cool nuclear power stations"."""
        for flag in ("military_equipment", "below_minus_50", "nuclear_cooling"):
            with self.subTest(flag=flag):
                installation = self.make_installation(
                    8.0, name=f"Groupe froid {flag}", category="refrigeration", **{flag: True}
                )
                self.passes(self.charge(installation, day=AFTER_2032))

    def test_13_5_names_no_article_11_5_exemption(self):
        self.r410a_cold_room.ban_exemption_ref = "C(2031) 4321"
        self.refused(self.charge(self.r410a_cold_room, day=AFTER_2032), "Article 13(5), first subparagraph")

    def test_13_5_reclaimed_fluid_allowed_with_no_end_date(self):
        """Point (a) sets no date."""
        self.passes(
            self.charge(self.r410a_cold_room, day=date(2045, 6, 1), charged_virgin_kg=0.0, charged_reclaimed_kg=2.0)
        )

    def test_13_5_recycled_fluid_recovered_by_us_from_such_equipment(self):
        """Point (b): "recovered from such equipment", stationary refrigeration equipment other than a
        chiller, with no end date."""
        other_cold_room = self.make_installation(9.0, name="Chambre froide R-410A", category="refrigeration")
        self.passes(
            self.charge_recycled(self.r410a_cold_room, self.recycled_cylinder(other_cold_room), day=date(2040, 3, 1))
        )
        process_chiller = self.make_installation(9.0, name="Groupe d'eau glacée process", category="refrigeration")
        process_chiller.chiller = True
        self.refused(
            self.charge_recycled(self.r410a_cold_room, self.recycled_cylinder(process_chiller), day=AFTER_2032),
            "recovered from Groupe d'eau glacée process, a chiller, which this ban leaves out",
        )

    def test_13_3_and_13_5_together_offer_only_what_both_allow(self):
        """R-404A in refrigeration equipment after 2032: paragraph 5 would let reclaimed fluid through,
        paragraph 3 no longer does since 1 January 2030, so no line offers it."""
        message = self.refused(
            self.charge(self.cold_room, day=AFTER_2032),
            "Article 13(3), first subparagraph, second sentence",
            "Article 13(5), first subparagraph",
        )
        self.assertNotIn("Allowed", message)
        reclaimed = self.charge(self.cold_room, day=AFTER_2032, charged_virgin_kg=0.0, charged_reclaimed_kg=1.0)
        message = self.refused(reclaimed, "1 kg of reclaimed fluid R-404A", "Article 13(3)")
        self.assertNotIn("Article 13(5)", message, "paragraph 5 allows reclaimed fluid")

    def test_an_exception_ends_on_a_date_or_never(self):
        ban = self.env.ref("hvac_connect.servicing_ban_13_5")
        with self.assertRaises(ValidationError):
            ban.reclaimed_until = date(2040, 1, 1)

    def test_13_5_message_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["hvac_connect"], ["fr_FR"], overwrite=True)
        fiche = self.charge(self.r410a_cold_room, day=AFTER_2032)
        with self.assertRaises(UserError) as refused:
            fiche.with_context(lang="fr_FR").action_done()
        message = str(refused.exception)
        self.assertIn("article 13, paragraphe 5, premier alinéa", message)
        self.assertIn("du fluide régénéré (article 13, paragraphe 5, troisième alinéa, point a))", message)
        self.assertIn("refroidisseurs (article 13, paragraphe 5, premier et deuxième alinéas)", message)

    def charge_recycled(self, installation, cylinder, day=AFTER_2025):
        return self.charge(
            installation,
            day=day,
            charged_virgin_kg=0.0,
            charged_recycled_kg=1.0,
            container_move_ids=[(0, 0, {"container_id": cylinder.id, "direction": "empty", "quantity_kg": 1.0})],
        )

    def recycled_cylinder(self, source):
        """A cylinder filled by one of our done fiches recovering fluid from ``source``, then recycled."""
        cylinder = self.env["hvac.container"].create(
            {
                "name": f"BT-RECY-{source.id}",
                "refrigerant_id": source.refrigerant_id.id,
                "capacity_kg": 10.0,
                "state": "recovered",
            }
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
