"""Generate demo/hvac_demo.xml: 3 customers, 5 sites, 20 installations, 30 interventions,
13 containers, with charges around every leak-check threshold. Deterministic.

Every done fiche stands as the Cerfa 15497*04 (tests/test_demo_company.py runs the module's
validation over them): signed by the demo technician, its detector checked in the year before,
recovered fluid in a recovery container and sent to the demo treatment centre."""

import math
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parent.parent / "demo" / "hvac_demo.xml"
# The demo company's logo (hvac_company_demo.xml): without one, the portal and the reports show
# Odoo's "Your logo" placeholder.
LOGO = OUT.parent / "logo_froid_rhone_services.png"
LOGO_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

CUSTOMERS = [
    ("demo_customer_hopital", "Centre Hospitalier de Valence", "26300 Valence", "26000", "Valence", "26730123200018"),
    ("demo_customer_super", "Supermarché Les Halles SAS", "12 avenue Jean Jaurès", "69007", "Lyon", "41234567000027"),
    ("demo_customer_mairie", "Mairie de Grenoble", "11 boulevard Jean Pain", "38000", "Grenoble", "21380185500015"),
]
SITES = [
    (
        "demo_site_hopital_main",
        "demo_customer_hopital",
        "Hôpital – bâtiment principal",
        "179 boulevard Maréchal Juin",
        "26000",
        "Valence",
    ),
    (
        "demo_site_hopital_annex",
        "demo_customer_hopital",
        "Hôpital – annexe logistique",
        "5 rue de la Forêt",
        "26000",
        "Valence",
    ),
    ("demo_site_super_lyon", "demo_customer_super", "Magasin Lyon 7", "12 avenue Jean Jaurès", "69007", "Lyon"),
    (
        "demo_site_super_villeurbanne",
        "demo_customer_super",
        "Magasin Villeurbanne",
        "40 cours Émile Zola",
        "69100",
        "Villeurbanne",
    ),
    ("demo_site_mairie", "demo_customer_mairie", "Hôtel de ville", "11 boulevard Jean Pain", "38000", "Grenoble"),
]
# name, site, fluid, charge kg, hermetic, leak detection, brand, category
INSTALLATIONS = [
    ("Split bureau accueil", 0, "r_410a", 1.8, False, False, "Daikin", "air_conditioning"),  # 3.8 t: no check
    ("Climatiseur salle serveur", 0, "r_410a", 2.4, False, False, "Mitsubishi", "air_conditioning"),  # 5.01 t: 12 m
    ("Groupe froid cuisine", 0, "r_404a", 13.0, False, False, "Carrier", "refrigeration"),  # 51 t: 6 m
    (
        "Centrale de traitement d'air bloc",
        0,
        "r_407c",
        30.0,
        False,
        True,
        "Trane",
        "air_conditioning",
    ),  # 53 t + LDS: 12 m
    ("Armoire froide pharmacie", 1, "r_134a", 0.9, True, False, "Liebherr", "refrigeration"),  # hermetic < 10 t: exempt
    ("Chambre froide positive", 1, "r_404a", 7.5, True, False, "Zanotti", "refrigeration"),  # hermetic 29 t: 12 m
    ("Pompe à chaleur logistique", 1, "r_32", 8.0, False, False, "Atlantic", "heat_pump"),  # 5.4 t: 12 m
    ("Centrale positive", 2, "r_448a", 90.0, False, True, "Bitzer", "refrigeration"),  # 124.7 t + LDS: 12 m
    ("Centrale négative", 2, "r_404a", 130.0, False, True, "Bitzer", "refrigeration"),  # 509.8 t + LDS: 6 m
    ("Meuble froid ilot", 2, "r_290", 0.15, True, False, "Epta", "refrigeration"),  # propane: none
    ("Climatisation surface de vente", 2, "r_410a", 26.0, False, False, "Daikin", "air_conditioning"),  # 54 t: 6 m
    ("Groupe CO2 transcritique", 3, "r_744", 60.0, False, False, "Carrier", "refrigeration"),  # CO2: none
    ("Chiller bureaux", 3, "r_1234ze_e", 45.0, False, False, "Trane", "air_conditioning"),  # HFO 45 kg: 6 m
    ("Vitrine boucherie", 3, "r_449a", 4.0, False, False, "Costan", "refrigeration"),  # 5.6 t: 12 m
    ("Réserve frigorifique", 3, "r_452a", 260.0, False, False, "Bitzer", "refrigeration"),  # 556 t: 3 m
    ("Roof-top salle du conseil", 4, "r_410a", 24.0, False, False, "Lennox", "air_conditioning"),  # 50.1 t: 6 m
    ("Split bureau du maire", 4, "r_32", 1.2, False, False, "Daikin", "air_conditioning"),  # 0.8 t: none
    ("PAC piscine municipale", 4, "r_513a", 12.0, False, False, "Ciat", "heat_pump"),  # 7.6 t, 6.7 kg HFO: 12 m
    ("Ancien groupe R-22 archives", 4, "r_22", 35.0, False, False, "Carrier", "air_conditioning"),  # HCFC 35 kg: 6 m
    ("Cave à vins réception", 4, "r_134a", 3.6, True, False, "Liebherr", "refrigeration"),  # hermetic 5.1 t: exempt
]
NATURES = ["periodic_check", "maintenance", "periodic_check", "commissioning", "non_periodic_check", "periodic_check"]
CONTAINERS = [  # serial, fluid, volume, max fill, tare, initial, state
    ("BT-R410A-001", "r_410a", 13.6, 11.3, 7.9, 0.0, "recovered"),
    ("BT-R410A-002", "r_410a", 13.6, 11.3, 7.9, 10.0, "virgin"),
    ("BT-R404A-001", "r_404a", 26.8, 22.0, 14.5, 0.0, "recovered"),
    ("BT-R404A-002", "r_404a", 61.0, 50.0, 31.0, 40.0, "virgin"),
    ("BT-R407C-001", "r_407c", 13.6, 11.5, 7.9, 0.0, "recovered"),
    ("BT-R134A-001", "r_134a", 12.0, 12.0, 7.2, 11.0, "virgin"),
    ("BT-R448A-001", "r_448a", 61.0, 51.0, 31.0, 0.0, "recovered"),
    ("BT-R32-001", "r_32", 12.0, 8.6, 7.5, 7.0, "virgin"),
    ("BT-R22-001", "r_22", 26.8, 24.0, 14.5, 0.0, "recovered"),
    ("BT-VIDE-001", False, 13.6, 11.0, 7.9, 0.0, "empty"),
    ("BT-R452A-001", "r_452a", 26.8, 22.0, 14.5, 0.0, "recovered"),
    ("BT-R290-001", "r_290", 12.0, 4.5, 7.5, 0.0, "recovered"),
    ("BT-R32-002", "r_32", 12.0, 8.6, 7.5, 0.0, "recovered"),
]
# The holders' phone and e-mail: a BSFF names each fiche's holder with both (Trackdéchets).
CUSTOMER_CONTACTS = {
    "demo_customer_hopital": ("04 75 75 75 75", "services.techniques@ch-valence.example.fr"),
    "demo_customer_super": ("04 78 58 12 40", "maintenance@halles-lyon7.example.fr"),
    "demo_customer_mairie": ("04 76 76 36 36", "patrimoine@grenoble.example.fr"),
}
# The demo technician (base.user_demo, renamed Julien Moreau in hvac_company_demo.xml) signs.
OPERATOR = "Julien Moreau"
SIGNATURE_FILE = "hvac_connect/demo/signature_julien_moreau.png"
# The treatment centre (hvac_company_demo.xml) receiving recovered fluid (cadre 13).
DESTINATION = "demo_td_destination"
# Odoo's demo portal user (login portal) speaks for this holder.
PORTAL_HOLDER = "demo_customer_super"
RECOVERY_KG = {2: 3.0, 3: 0.6, 7: 0.1, 10: 1.5, 18: 4.0, 21: 5.0}


def rec(xid, model, fields, context="", forcecreate=True):
    body = "".join(f"        {f}\n" for f in fields)
    ctx = f' context="{context}"' if context else ""
    force = "" if forcecreate else ' forcecreate="0"'
    return f'    <record id="{xid}" model="{model}"{ctx}{force}>\n{body}    </record>\n'


def val(name, value):
    return f'<field name="{name}">{escape(str(value))}</field>'


def ref(name, xid):
    return f'<field name="{name}" ref="{xid}" />'


def date(name, expr):
    return f'<field name="{name}" eval="{expr}" />'


def write_logo():
    """A snowflake and the company's name, drawn with Pillow (deterministic)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (720, 200), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    blue, red = (20, 84, 148, 255), (200, 40, 40, 255)
    cx, cy, radius = 100, 100, 78
    draw.ellipse([cx - radius - 10, cy - radius - 10, cx + radius + 10, cy + radius + 10], outline=blue, width=8)
    for k in range(6):
        angle = math.pi / 3 * k
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        draw.line([(cx, cy), (x, y)], fill=blue, width=10)
        for t in (0.55, 0.8):
            bx, by = cx + radius * t * math.cos(angle), cy + radius * t * math.sin(angle)
            for side in (-1, 1):
                a = angle + side * math.pi / 4
                draw.line([(bx, by), (bx + 22 * math.cos(a), by + 22 * math.sin(a))], fill=blue, width=7)
    title = ImageFont.truetype(LOGO_FONT, 58)
    subtitle = ImageFont.truetype(LOGO_FONT, 30)
    draw.text((215, 38), "Froid Rhône", font=title, fill=blue)
    draw.text((218, 118), "SERVICES", font=subtitle, fill=red)
    image.save(LOGO, "PNG", optimize=True)
    print(f"written {LOGO}")


def main():
    # Odoo's demo user is a technician, so the demo shows the technician's view too.
    out = [
        '    <record id="base.user_demo" model="res.users">\n'
        '        <field name="groups_id" eval="[Command.link(ref(\'group_hvac_user\'))]" />\n'
        "    </record>\n"
    ]
    for xid, name, street, zip_, city, siret in CUSTOMERS:
        out.append(
            rec(
                xid,
                "res.partner",
                [
                    val("name", name),
                    val("is_company", "True"),
                    val("street", street),
                    val("zip", zip_),
                    val("city", city),
                    ref("country_id", "base.fr"),
                    val("siret", siret),
                    val("phone", CUSTOMER_CONTACTS[xid][0]),
                    val("email", CUSTOMER_CONTACTS[xid][1]),
                ],
            )
        )
    # Odoo's demo portal user is a contact of a holder, so that the portal shows its installations.
    # Base's demo record: updated when base's demo data is there, never created (forcecreate).
    out.append('    <data noupdate="1">\n')
    out.append(
        rec(
            "base.partner_demo_portal",
            "res.partner",
            [
                val("firstname", "Nathalie"),
                val("lastname", "Roux"),
                val("function", "Responsable maintenance"),
                ref("parent_id", PORTAL_HOLDER),
                val("email", "nathalie.roux@halles-lyon7.example.fr"),
                val("phone", "04 78 58 12 41"),
                '<field name="company_name" eval="False" />',
                val("street", "12 avenue Jean Jaurès"),
                val("zip", "69007"),
                val("city", "Lyon"),
                '<field name="state_id" eval="False" />',
                ref("country_id", "base.fr"),
                '<field name="image_1920" eval="False" />',
            ],
            forcecreate=False,
        )
    )
    out.append("    </data>\n")
    for xid, customer, name, street, zip_, city in SITES:
        out.append(
            rec(
                xid,
                "hvac.site",
                [
                    val("name", name),
                    ref("partner_id", customer),
                    val("street", street),
                    val("zip", zip_),
                    val("city", city),
                ],
                context="{'hvac_no_default_building': True}",
            )
        )
        out.append(
            rec(
                xid.replace("site", "building"),
                "hvac.building",
                [val("name", "Bâtiment principal"), ref("site_id", xid)],
            )
        )
    for i, (name, site, fluid, charge, hermetic, lds, brand, cat) in enumerate(INSTALLATIONS, 1):
        site_xid = SITES[site][0]
        out.append(
            rec(
                f"demo_installation_{i}",
                "hvac.installation",
                [
                    val("name", name),
                    ref("building_id", site_xid.replace("site", "building")),
                    ref("refrigerant_id", f"refrigerant_{fluid}"),
                    val("charge_kg", charge),
                    val("hermetic", hermetic),
                    val("leak_detection_system", lds),
                    val("brand", brand),
                    val("category", cat),
                    val("serial_number", f"SN-{2019 + i % 5}-{1000 + i * 37}"),
                    # The demo technician plans the checks: the daily job's activities are his.
                    ref("technician_id", "base.user_demo"),
                    date(
                        "commissioning_date",
                        f"(DateTime.today() - relativedelta(years={1 + i % 6}, months={i % 11})).strftime('%Y-%m-%d')",
                    ),
                ],
            )
        )
    for i, (serial, fluid, vol, cap, tare, initial, state) in enumerate(CONTAINERS, 1):
        fields_ = [
            val("name", serial),
            val("volume_l", vol),
            val("capacity_kg", cap),
            val("tare_kg", tare),
            val("initial_weight_kg", initial),
            val("state", state),
        ]
        if fluid:
            fields_.append(ref("refrigerant_id", f"refrigerant_{fluid}"))
        out.append(rec(f"demo_container_{i}", "hvac.container", fields_))
    for i in range(1, 31):
        inst = (i * 7) % 20 + 1
        nature = NATURES[i % len(NATURES)]
        state = "draft" if i > 26 else "done"
        fields_ = [
            ref("installation_id", f"demo_installation_{inst}"),
            val("nature", nature),
            date("date", f"(DateTime.today() - relativedelta(days={i * 23})).strftime('%Y-%m-%d')"),
            val("state", state),
            ref("technician_id", "base.user_demo"),
            val("detector_reference", "Inficon D-TEK 3 n° 48213"),
            date("detector_check_date", f"(DateTime.today() - relativedelta(days={i * 23 + 60})).strftime('%Y-%m-%d')"),
            val("operator_signatory", OPERATOR),
            val("operator_signatory_role", "Technicien frigoriste"),
        ]
        if state == "done":
            fields_ += [
                val("name", f"FI/DEMO/{i:04d}"),
                f'<field name="operator_signature" type="base64" file="{SIGNATURE_FILE}" />',
                date("operator_signed_on", f"(DateTime.today() - relativedelta(days={i * 23})).strftime('%Y-%m-%d')"),
            ]
        if i % 9 == 0:
            fields_ += [
                val("leaks_found", "True"),
                val("leak_location_1", "Raccord flare unité extérieure"),
                val("leak_repair_1", "done"),
                val("charged_virgin_kg", 1.2),
            ]
        if i in RECOVERY_KG:
            qty = RECOVERY_KG[i]
            fields_ += [val("recovered_treatment_kg", qty), ref("destination_partner_id", DESTINATION)]
            fluid = INSTALLATIONS[inst - 1][2]
            matching = [n for n, c in enumerate(CONTAINERS, 1) if c[1] == fluid and c[6] == "recovered"]
            if matching:
                fields_.append(
                    f'<field name="container_move_ids" eval="[Command.create({{\'container_id\': '
                    f"ref('demo_container_{matching[0]}'), 'direction': 'fill', 'quantity_kg': {qty}}})]\" />"
                )
        out.append(rec(f"demo_intervention_{i}", "hvac.intervention", fields_))
    OUT.write_text(
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        "<!-- Generated by tools/gen_demo.py: edit the generator, not this file. -->\n"
        "<odoo>\n" + "".join(out) + "</odoo>\n",
        encoding="utf-8",
    )
    print(f"written {OUT}")
    write_logo()


if __name__ == "__main__":
    main()
