"""French regions (2016 map) and the departments in each, to derive a site's region
from its postal code. Plain data, no ORM."""

REGIONS = [
    ("ara", "Auvergne-Rhône-Alpes"),
    ("bfc", "Bourgogne-Franche-Comté"),
    ("bre", "Bretagne"),
    ("cvl", "Centre-Val de Loire"),
    ("cor", "Corse"),
    ("ges", "Grand Est"),
    ("hdf", "Hauts-de-France"),
    ("idf", "Île-de-France"),
    ("nor", "Normandie"),
    ("naq", "Nouvelle-Aquitaine"),
    ("occ", "Occitanie"),
    ("pdl", "Pays de la Loire"),
    ("pac", "Provence-Alpes-Côte d'Azur"),
    ("gua", "Guadeloupe"),
    ("mtq", "Martinique"),
    ("guf", "Guyane"),
    ("reu", "La Réunion"),
    ("myt", "Mayotte"),
]

_DEPARTMENTS = {
    "ara": "01 03 07 15 26 38 42 43 63 69 73 74",
    "bfc": "21 25 39 58 70 71 89 90",
    "bre": "22 29 35 56",
    "cvl": "18 28 36 37 41 45",
    "cor": "20",
    "ges": "08 10 51 52 54 55 57 67 68 88",
    "hdf": "02 59 60 62 80",
    "idf": "75 77 78 91 92 93 94 95",
    "nor": "14 27 50 61 76",
    "naq": "16 17 19 23 24 33 40 47 64 79 86 87",
    "occ": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "pdl": "44 49 53 72 85",
    "pac": "04 05 06 13 83 84",
    "gua": "971",
    "mtq": "972",
    "guf": "973",
    "reu": "974",
    "myt": "976",
}
DEPARTMENT_REGION = {dep: region for region, deps in _DEPARTMENTS.items() for dep in deps.split()}


def region_from_zip(zip_code):
    """Region code of a French postal code, or False when it cannot be told."""
    zip_code = (zip_code or "").strip().replace(" ", "")
    if len(zip_code) != 5 or not zip_code.isdigit():
        return False
    return DEPARTMENT_REGION.get(zip_code[:3]) or DEPARTMENT_REGION.get(zip_code[:2]) or False
