"""Fill i18n/fr.po from tools/fr_terms.py; terms already written in French keep their text."""

import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).parent))
from fr_terms import FR  # noqa: E402

FRENCH_HINTS = set("éèêàçùôîâœÉ") | {" :", "n°", "mois", "oui", "non", "Opérateur", "Détenteur", "kg"}


def looks_french(msgid):
    return any(hint in msgid for hint in FRENCH_HINTS) or msgid.strip() in {"A1", "A2", "A2L", "A3", "B1", "B2", "B2L", "B3", "kg)"}


def main(path):
    po = polib.pofile(path)
    for entry in po:
        if entry.msgstr:
            continue
        if entry.msgid in FR:
            entry.msgstr = FR[entry.msgid]
        elif looks_french(entry.msgid):
            entry.msgstr = entry.msgid
    po.save(path)


if __name__ == "__main__":
    main(sys.argv[1])
