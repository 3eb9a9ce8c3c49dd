"""Put back the '*' that polib turns into '-' in the XML ids of an exported .pot.

Run in ``odoo-bin shell`` on the database the .pot was exported from (``./dev pot`` does it),
the file in HVAC_POT. polib wraps long ``#:`` lines by swapping '-' and '*' (so that textwrap
does not split on hyphens) and swaps back every '*' to '-': a selection value with a '*' (the
waste codes "14 06 01*") gets an XML id that does not exist, and Odoo then never loads its
translation. An id is put back only when the database has it with '*' and not as written.
"""

import os
import re

path = os.environ["HVAC_POT"]
OCCURRENCE = re.compile(r"(model(?:_terms)?:[\w.]+,\w+:)(\w+)\.(\S+)")
text = open(path, encoding="utf-8").read()  # noqa: SIM115  (odoo shell script, read once)
data = env["ir.model.data"].sudo()  # noqa: F821  (odoo shell's environment)


def _known(module, name):
    return bool(data.search_count([("module", "=", module), ("name", "=", name)]))


def _fix(match):
    prefix, module, name = match.groups()
    if "-" in name and not _known(module, name):
        starred = name.replace("-", "*")
        if _known(module, starred):
            return f"{prefix}{module}.{starred}"
    return match.group(0)


fixed = "\n".join(OCCURRENCE.sub(_fix, line) if line.startswith("#: model") else line for line in text.split("\n"))
if fixed != text:
    with open(path, "w", encoding="utf-8") as out:
        out.write(fixed)
