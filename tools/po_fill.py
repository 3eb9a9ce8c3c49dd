"""Fill i18n/fr.po from the term tables tools/fr_terms.py and tools/fr_terms_*.py.

One table per feature (fr_terms_trackdechets.py, fr_terms_chorus.py, ...) so that work on
separate features never edits the same table. Each table defines FR (English -> French)
and may define FRENCH_AS_IS (terms already in French, kept as they are).
"""

import importlib.util
import sys
from pathlib import Path

import polib

TOOLS = Path(__file__).parent


def load_terms():
    terms = {}
    for path in sorted(TOOLS.glob("fr_terms*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        table = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(table)
        terms.update(table.FR)
        terms.update({term: term for term in getattr(table, "FRENCH_AS_IS", ())})
    return terms


def main(path):
    terms = load_terms()
    po = polib.pofile(path)
    for entry in po:
        if not entry.msgstr and entry.msgid in terms:
            entry.msgstr = terms[entry.msgid]
    # Terms no longer in the code leave the .po rather than pile up as obsolete entries.
    for entry in po.obsolete_entries():
        po.remove(entry)
    po.save(path)


if __name__ == "__main__":
    main(sys.argv[1])
