"""Turn an Odoo test log into one true closing line: ``Tests: P passed, F failed, S skipped``.

Odoo ends a test run with "F failed, E error(s) of N tests when loading database".
It does not fail on skipped tests: a browser tour without websocket-client or
Chromium is *skipped* and the run still says "0 failed". Here a skip only counts
as acceptable when it is one of ours for a missing ../shared/reference (a user's
clone); any other skip fails the run. ERROR/CRITICAL log lines outside tests
(module install, data files) fail it too, as OCA's checklog-odoo does, and so does a
WARNING about our module while the modules install (before the post-install tests):
beside OCA's modules, a clash of models or views shows only as such a warning.
"""

import re
import sys
from pathlib import Path

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>\S+): (?P<msg>.*)$")
FINAL = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
SKIPPED = re.compile(r"^skipped (?P<test>.+?) : (?P<reason>.*)$")
ALLOWED_SKIP = "shared/reference"
POST_TESTS = "Starting post tests"


def install_warning(match):
    """A WARNING at install that names our module (tests' own loggers excepted)."""
    if match.group("level") != "WARNING" or match.group("logger").startswith("odoo.addons.hvac_connect.tests"):
        return False
    return "hvac" in match.group("logger").lower() or "hvac" in match.group("msg").lower()


def summarize(lines):
    total = failed = 0
    skips, errors = [], []
    installing = True
    for line in lines:
        installing = installing and POST_TESTS not in line
        final = FINAL.search(line)
        if final:
            failed = int(final.group(1)) + int(final.group(2))
            total = int(final.group(3))
        match = LOG_LINE.match(line)
        if not match:
            continue
        skipped = SKIPPED.match(match.group("msg"))
        if skipped:
            skips.append((skipped.group("test"), skipped.group("reason")))
        elif match.group("level") in ("ERROR", "CRITICAL") or (installing and install_warning(match)):
            errors.append(line.strip())
    return total, failed, skips, errors


def main(log_path):
    lines = Path(log_path).read_text(errors="replace").splitlines()
    total, failed, skips, errors = summarize(lines)
    bad_skips = [s for s in skips if ALLOWED_SKIP not in s[1]]
    passed = total - failed - len(skips)
    problems = []
    if total == 0:
        problems.append("no test ran (did the module install?)")
    for test, reason in bad_skips:
        problems.append(f"skipped, which counts as a failure: {test}: {reason}")
    if errors and not failed:
        problems.append(
            f"{len(errors)} ERROR line(s) (or install WARNINGs about hvac) in the log although no test failed:"
        )
        problems.extend("    " + e[:300] for e in errors[:20])
    failed_count = failed + len(bad_skips) + (1 if problems and not failed and not bad_skips else 0)
    out = [f"[dev] {p}" for p in problems]
    for test, reason in skips:
        if ALLOWED_SKIP in reason:
            out.append(f"[dev] skipped (allowed): {test}: {reason}")
    out.append(f"Tests: {max(passed, 0)} passed, {failed_count} failed, {len(skips)} skipped")
    sys.stderr.write("".join(line + "\n" for line in out[:-1]))
    sys.stderr.flush()
    print(out[-1])
    return 1 if failed_count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
