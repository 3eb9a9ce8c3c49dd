"""The Saxon-HE side of ``tests/schematron``: started with a JSON map {rule set: XSLT path},
then one JSON request a line on stdin ({"sheets": [...], "xml": base64}), one JSON answer a
line on stdout ({"errors": [...], "warnings": [...]}). Never imported by Odoo."""

import base64
import json
import resource
import sys

# Odoo caps its own address space (limit_memory_hard), and a child inherits the cap; Saxon-HE's
# native image reserves more than that for its heap and would not start. The hard limit is
# left as it was: only the soft one, Odoo's, is lifted for this process.
_soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
resource.setrlimit(resource.RLIMIT_AS, (_hard, _hard))

from lxml import etree  # noqa: E402
from saxonche import PySaxonProcessor  # noqa: E402

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
ERROR_FLAGS = {None, "", "fatal", "error"}


def findings(svrl, sheet):
    """Failed asserts, and reports: the Factur-X profiles report each element they do not use
    ("marked as not used in the given context"), without flag or id, as an error."""
    found = {"errors": [], "warnings": []}
    for node in svrl.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        flag = node.get("flag")
        text = " ".join("".join(node.findtext(f"{SVRL}text") or "").split())
        where = "" if node.get("id") else f" (at {node.get('location')})"
        line = f"[{sheet}] {node.get('id') or '?'}: {text}{where}"
        found["errors" if flag in ERROR_FLAGS else "warnings"].append(line)
    return found


def main():
    sheets = json.loads(sys.argv[1])
    with PySaxonProcessor(license=False) as processor:
        compiler = processor.new_xslt30_processor()
        compiled = {}
        for line in sys.stdin:
            request = json.loads(line)
            xml = base64.b64decode(request["xml"]).decode()
            answer = {"errors": [], "warnings": []}
            document = processor.parse_xml(xml_text=xml)
            for sheet in request["sheets"]:
                if sheet not in compiled:
                    compiled[sheet] = compiler.compile_stylesheet(stylesheet_file=sheets[sheet])
                svrl = compiled[sheet].transform_to_string(xdm_node=document)
                for kind, lines in findings(etree.fromstring(svrl.encode()), sheet).items():
                    answer[kind] += lines
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
