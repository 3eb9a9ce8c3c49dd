"""The ``dev`` script's own behaviour and the tools it runs, tested without Odoo: plain unittest,
run by ``.ci/run`` (``python3 .ci/test_dev.py``), never by the module's test suite.

Its last line is the count ``.ci/run`` adds to the module's: "Tests: P passed, F failed, S skipped".
"""

import hashlib
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

import fetch_reference  # noqa: E402

# Runs dev's own cmd_run with the commands that would start PostgreSQL and Odoo replaced by
# stubs that write down how they were called (no server is started).
DEV_RUN_STUBBED = r"""
set -euo pipefail
source "$1"
calls="$2"
setup() { :; }
pg_stop() { :; }
db_exists() { return 0; }
say() { echo "say: $*" >>"$calls"; }
odoo() { echo "odoo: $* conf=$CONF" >>"$calls"; }
odoo_shell() { echo "odoo_shell: $* <$(grep -c 'def warm_assets(env)' || true) warm_assets>" >>"$calls"; }
# The configuration setup() writes, in a folder of the test's own.
DEV="$3"
CONF="$DEV/odoo.conf"
printf '[options]\nhttp_interface = 127.0.0.1\nlist_db = True\n' >"$CONF"
shift 3
cmd_run "$@" --dev-mode=none 2>>"$calls"
"""

# dev's reference_files with the fetch replaced by a stub that fails, as without network.
DEV_SETUP_OFFLINE = r"""
set -euo pipefail
source "$1"
SHARED_DIR="$2"
DEV="$3"
mkdir -p "$DEV"
python3() { if [ "$2" = "--skipped" ]; then command python3 "$@"; else echo "no network" >&2; return 1; fi; }
reference_files 2>&1
"""


class TestDevRun(unittest.TestCase):
    def _dev_run(self, *options):
        """The lines ./dev run writes (its calls and what it says), and the config Odoo was given."""
        with tempfile.NamedTemporaryFile("r", suffix=".log") as calls, tempfile.TemporaryDirectory() as folder:
            subprocess.run(
                ["bash", "-c", DEV_RUN_STUBBED, "dev-run-check", str(REPO / "dev"), calls.name, folder, *options],
                check=True,
                timeout=60,
                env={**os.environ, "HVAC_DEMO_DB": "hvac_demo_check"},
            )
            lines = calls.read().splitlines()
            server = [line for line in lines if line.startswith("odoo: ") and "--http-port" in line]
            self.assertEqual(len(server), 1, "\n".join(lines))
            conf = Path(server[0].rsplit(" conf=", 1)[1])
            return lines, server[0], conf.read_text(), conf.stat().st_mode & 0o777

    def test_dev_run_listens_on_this_machine_only(self):
        _lines, server, conf, _mode = self._dev_run()
        self.assertIn("--http-interface=127.0.0.1", server)
        self.assertNotIn("0.0.0.0", server + conf)

    def test_dev_run_lan_has_its_own_master_password_and_no_database_manager(self):
        lines, server, conf, mode = self._dev_run("--lan")
        self.assertIn("--http-interface=0.0.0.0", server)
        options = dict(line.split(" = ", 1) for line in conf.splitlines() if " = " in line)
        self.assertEqual(options["list_db"], "False", "the database manager is off")
        self.assertEqual(options["http_interface"], "0.0.0.0")
        password = options["admin_passwd"]
        self.assertGreaterEqual(len(password), 24)
        self.assertNotEqual(password, "admin")
        self.assertEqual(mode, 0o600, "only its owner reads the master password")
        self.assertTrue([line for line in lines if "database manager off" in line], "the user is told")
        self.assertNotIn(password, "\n".join(lines), "the password is not printed")
        self.assertNotEqual(self._dev_run("--lan")[2], conf, "a new password each run")

    def test_dev_run_warms_the_assets_before_saying_log_in(self):
        lines, _server, _conf, _mode = self._dev_run()

        def first(predicate, what):
            found = [number for number, line in enumerate(lines) if predicate(line)]
            self.assertTrue(found, f"./dev run never {what}:\n" + "\n".join(lines))
            return found[0]

        warm = first(
            lambda line: line.startswith("odoo_shell: -d hvac_demo_check")
            and "--max-cron-threads=0" in line
            and line.endswith("<1 warm_assets>"),
            "builds the assets with the scheduled jobs held",
        )
        log_in = first(lambda line: "Login: admin" in line, "tells the user to log in")
        server = first(lambda line: line.startswith("odoo: ") and "--http-port" in line, "starts Odoo")
        self.assertLess(warm, log_in, "the assets are built before the user is told to log in")
        self.assertLess(log_in, server)
        self.assertIn("--dev-mode=none", lines[server], "./dev run's own options reach Odoo")

    def test_setup_offline_names_the_test_classes_it_skips(self):
        with tempfile.TemporaryDirectory() as shared, tempfile.TemporaryDirectory() as dev:
            result = subprocess.run(
                ["bash", "-c", DEV_SETUP_OFFLINE, "dev-setup-check", str(REPO / "dev"), shared, dev],
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            )
        self.assertIn("could not be fetched: these test classes will be skipped", result.stdout)
        for name in ("TestChorusSend", "TestTrackdechetsBsff", "TestChorusFlow", "TestSiretFakes"):
            self.assertIn(name, result.stdout)


class TestFetchReference(unittest.TestCase):
    """The pinned official files, fetched from a mirror given as a file URL (the publishers'
    repositories laid out as <owner>/<repo>/<commit>/<path>), each checked against its sha256."""

    def setUp(self):
        self.mirror = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.dest = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.log = []

    def _mirror(self, content_of=None):
        """A mirror serving each pinned file: the real one when ../shared has it, else a stand-in
        whose checksum is then pinned for the test."""
        pins = []
        for url_path, digest, target in fetch_reference.pinned_files():
            shared = REPO.parent / "shared" / "reference" / target
            content = shared.read_bytes() if shared.is_file() else f"stand-in for {target}\n".encode()
            if content_of:
                content = content_of(target, content)
            path = self.mirror / url_path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            pins.append((url_path, digest if shared.is_file() else hashlib.sha256(content).hexdigest(), target))
        return pins

    def _fetch(self, pins):
        original = fetch_reference.pinned_files
        fetch_reference.pinned_files = lambda: pins
        try:
            return fetch_reference.fetch(self.dest, self.mirror.as_uri(), log=self.log.append)
        finally:
            fetch_reference.pinned_files = original

    def test_every_pinned_file_is_fetched_and_checked(self):
        pins = self._mirror()
        self.assertEqual(self._fetch(pins), [])
        for _url, digest, target in pins:
            path = self.dest / "reference" / target
            self.assertEqual(hashlib.sha256(path.read_bytes()).hexdigest(), digest, target)
        self.assertTrue((self.dest / "reference" / "trackdechets" / "back" / "src").is_dir())
        self.assertTrue((self.dest / "reference" / "chorus_pro" / "api-chorus-pro.json").is_file())

    def test_a_file_that_differs_from_its_pin_is_refused_and_nothing_is_kept(self):
        pins = self._mirror(
            lambda target, content: content + b"\n# changed" if target.endswith("Structures.json") else content
        )
        missing = self._fetch(pins)
        self.assertEqual(missing, ["chorus_pro/Structures.json"])
        self.assertIn("is not the pinned", "\n".join(self.log))
        self.assertFalse((self.dest / "reference").exists(), "only a complete, checked set is kept")
        self.assertFalse((self.dest / "reference.partial").exists())

    def test_no_network_tries_once_and_keeps_nothing(self):
        pins = self._mirror()
        missing = fetch_reference.fetch(self.dest, "http://127.0.0.1:9", log=self.log.append)
        self.assertEqual(len(missing), len(pins))
        self.assertEqual(len(self.log), 1, "one download tried, the rest not")
        self.assertFalse((self.dest / "reference").exists())

    def test_the_pins_are_those_of_the_shared_copy(self):
        """The checksums pinned here are those ../shared/reference/*/SOURCE.txt gives."""
        sources = "\n".join(path.read_text() for path in (REPO.parent / "shared" / "reference").glob("*/SOURCE.txt"))
        if not sources:
            self.skipTest("no ../shared/reference to compare with")
        for _url, digest, target in fetch_reference.pinned_files():
            self.assertIn(digest, sources, target)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    print(f"Tests: {result.testsRun - failed - skipped} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)
