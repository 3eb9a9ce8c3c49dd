"""Sharing's French words follow the product's help (seed 001): Emplacement, Rejetée, Retirées,
Rejeter, Exploitant.

The English terms did not change, so an update keeps the French a database already has: the
terms whose French changed are loaded again from fr.po, replacing the old words. A term a user
retranslated by hand among these few is replaced too; every other translation is left alone.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools.misc import file_open
from odoo.tools.translate import TranslationFileReader, TranslationImporter

RETRANSLATED = {
    "Location",
    "Our location",
    "Empty: a new location is created.",
    "Rejected",
    "Revoked",
    "Reject",
    "Reject this request?",
}
# The shares' empty list explains the roles: "exploitant, ..., emprunté" and "emplacement".
RETRANSLATED_PREFIXES = ("To ask for one, open an active connection",)


def _retranslated(row):
    source = row.get("src") or ""
    return source in RETRANSLATED or source.startswith(RETRANSLATED_PREFIXES)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    importer = TranslationImporter(cr, verbose=False)
    for lang, _name in env["res.lang"].get_installed():
        if lang.split("_")[0] != "fr":
            continue
        with file_open("hvac_connect/i18n/fr.po", "rb") as po:
            rows = [row for row in TranslationFileReader(po, fileformat="po") if _retranslated(row)]
        importer._load(rows, lang)
    importer.save(overwrite=True)
