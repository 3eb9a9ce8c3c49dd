"""Fail when a French translation is missing or fuzzy in i18n/fr.po."""

import sys

import polib


def main(path):
    po = polib.pofile(path)
    missing = [e.msgid for e in po if not e.obsolete and (not e.msgstr and not e.msgstr_plural)]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    for msgid in missing:
        print(f"untranslated: {msgid[:100]!r}")
    for msgid in fuzzy:
        print(f"fuzzy: {msgid[:100]!r}")
    print(f"{path}: {len(po.translated_entries())} translated, {len(missing)} missing, {len(fuzzy)} fuzzy")
    return 1 if missing or fuzzy else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
