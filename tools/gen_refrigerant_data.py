"""Generate data/hvac_refrigerant_data.xml from ../shared/reference/domain/refrigerants.csv.

Run once when the reference list changes: ``python3 tools/gen_refrigerant_data.py``.
The annex I "GWP" counts only the Annex I (HFC/PFC) part of a blend, the annex II
fraction only its HFO/HCFO part, as Regulation (EU) 2024/573 Art. 5 does.
"""

import csv
import re
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT.parent / "shared" / "reference" / "domain" / "refrigerants.csv"
OUT = ROOT / "data" / "hvac_refrigerant_data.xml"

FAMILIES = {
    "HCFC": "hcfc",
    "HCFC blend": "hcfc",
    "HCFO": "hfo",
    "HFO": "hfo",
    "natural (HC)": "natural",
    "natural (NH3)": "natural",
    "natural (CO2)": "natural",
}
ADR = {
    "UN 1078 (2.2)": "UN 1078, Gaz frigorifique NSA (Gaz réfrigérant, NSA), 2.2 (C/E)",
    "UN 3161 (2.1)": "UN 3161, Gaz liquéfié inflammable, N.S.A., 2.1 (B/D)",
}

# The labels are shown as they are (Char fields, not translated): written in French, the
# language of the Cerfa and of the module's users.
TYPE_FR = {
    "HCFC blend": "mélange HCFC",
    "HFC blend": "mélange HFC",
    "HFC blend (azeotrope)": "mélange HFC (azéotrope)",
    "HFC/HC blend": "mélange HFC/HC",
    "HFC/HFO blend": "mélange HFC/HFO",
    "HFC/HFO blend (azeotrope)": "mélange HFC/HFO (azéotrope)",
    "HFC/HFO/CO2 blend": "mélange HFC/HFO/CO2",
    "HFC/PFC blend (azeotrope)": "mélange HFC/PFC (azéotrope)",
    "HFO/HFC blend (azeotrope)": "mélange HFO/HFC (azéotrope)",
    "natural (CO2)": "naturel (CO2)",
    "natural (HC)": "naturel (HC)",
    "natural (NH3)": "naturel (NH3)",
}
BASIS_FR = {
    "Annex I t CO2e (5/50/500 t)": "Annexe I, en t éq. CO2 (5/50/500 t)",
    "Annex I t CO2e AND Annex II s.1 kg (both thresholds, UBA FAQ 2.1); FR Cerfa notice: treat as HFC": "Annexe I en t éq. CO2 et annexe II section 1 en kg (les deux seuils, FAQ UBA 2.1) ; "
    "notice du Cerfa : traiter comme un HFC",
    "not an F-gas: no Art. 5 leak-check threshold": "pas un gaz fluoré : aucun seuil de contrôle d'étanchéité (art. 5)",
    "Annex II s.1 kg (1/10/100 kg)": "Annexe II section 1, en kg (1/10/100 kg)",
    "HCFC: not an F-gas; FR rule R543-79 / Cerfa cadre 7 use kg of HCFC (2/30/300 kg)": "HCFC : pas un gaz fluoré ; règle française R543-79 et cadre 7 du Cerfa en kg de HCFC (2/30/300 kg)",
}
HCFC_BLEND_BASIS_FR = (
    "mélange HCFC : règle française R543-79 sur la charge de HCFC (kg) ; sa part HFC est un gaz de l'annexe I, "
    "donc le seuil de l'art. 5 en t éq. CO2 s'applique aussi à cette part (calculé sur la seule part HFC)"
)
# Natural fluids are not "14 06 01*" (CFC, HCFC, HFC) waste: a gas in a pressure container
# containing a hazardous substance (16 05 04*), each with its own ADR UN number.
NATURAL = {
    "R-290": ("UN 1978", "UN 1978, Propane, 2.1 (B/D)"),
    "R-600a": ("UN 1969", "UN 1969, Isobutane, 2.1 (B/D)"),
    "R-1270": ("UN 1077", "UN 1077, Propylène, 2.1 (B/D)"),
    "R-717": ("UN 1005", "UN 1005, Ammoniac anhydre, 2.3 (8) (C/D)"),
    "R-744": ("UN 1013", "UN 1013, Dioxyde de carbone, 2.2 (C/E)"),
}


def basis_fr(basis):
    return HCFC_BLEND_BASIS_FR if basis.startswith("HCFC blend:") else BASIS_FR[basis]


def family(kind):
    if kind in FAMILIES:
        return FAMILIES[kind]
    return "hfc_hfo" if "HFO" in kind else "hfc"


def xml_id(name):
    return "refrigerant_" + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def annex1_gwp(row, kg5):
    """GWP counted for the Annex I thresholds: the whole mixture for HFC and
    HFC/HFO blends, only the HFC part (from the CSV's kg for 5 t) of an HCFC blend."""
    if family(row["type"]) in ("hfc", "hfc_hfo"):
        return row["gwp_applicable"]
    return round(5000 / float(kg5), 1) if kg5 else 0


def field(name, value):
    return f'        <field name="{name}">{escape(str(value))}</field>\n'


def record(row):
    kg5, kg1 = row["kg_for_5_t_co2e"], row["kg_for_1_kg_annex2"]
    out = f'    <record id="{xml_id(row["ashrae"])}" model="hvac.refrigerant">\n'
    out += field("name", row["ashrae"])
    out += field("family", family(row["type"]))
    out += field("type_label", TYPE_FR.get(row["type"], row["type"]))
    out += field("composition", row["composition_mass_pct"])
    out += field("safety_class", row["safety_class"])
    out += field("gwp", row["gwp_applicable"])
    out += field("gwp_517_2014", row["gwp_517_2014"])
    out += field("annex1_gwp", annex1_gwp(row, kg5))
    out += field("annex2_fraction", round(1 / float(kg1), 4) if kg1 else 0)
    out += field("leak_check_basis", basis_fr(row["leak_check_basis"]))
    if row["ashrae"] in NATURAL:
        out += field("bsff_waste_code", "16 05 04*")
        out += field("un_number", NATURAL[row["ashrae"]][0])
        out += field("adr_mention", NATURAL[row["ashrae"]][1])
    elif row["bsff_waste_code"]:
        out += field("bsff_waste_code", row["bsff_waste_code"])
    if row["adr_generic_for_waste"] and row["ashrae"] not in NATURAL:
        out += field("un_number", row["adr_generic_for_waste"].split(" (")[0])
        out += field("adr_mention", ADR[row["adr_generic_for_waste"]])
    out += field("is_reference", "True")
    return out + "    </record>\n"


def main():
    rows = list(csv.DictReader(CSV.open(encoding="utf-8")))
    body = "".join(record(r) for r in rows)
    OUT.write_text(
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        "<!-- Generated by tools/gen_refrigerant_data.py from refrigerants.csv: do not edit. -->\n"
        '<odoo noupdate="1">\n' + body + "</odoo>\n",
        encoding="utf-8",
    )
    print(f"{len(rows)} refrigerants written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
