"""Where the official API schemas are, for the fake servers that check our calls against them:
``$HVAC_SHARED_DIR/reference``, else ``../shared/reference`` beside the checkout, else the copy
``./dev setup`` fetched from the publishers into ``.dev/shared/reference``
(tools/fetch_reference.py: pinned commits, checked sha256)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def reference_dir(name):
    if os.environ.get("HVAC_SHARED_DIR"):
        return Path(os.environ["HVAC_SHARED_DIR"]) / "reference" / name
    for shared in (ROOT.parent / "shared", ROOT / ".dev" / "shared"):
        if (shared / "reference" / name).is_dir():
            return shared / "reference" / name
    return ROOT.parent / "shared" / "reference" / name
