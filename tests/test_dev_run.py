"""``./dev run`` builds the web assets, scheduled jobs held, before it tells the user to log in,
and listens on this machine only unless told ``--lan`` (then with its own master password and no
database manager)."""

import os
import runpy
import subprocess
import tempfile
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

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


@tagged("post_install", "-at_install")
class TestDevRun(TransactionCase):
    def test_warm_assets_builds_the_web_client_bundles(self):
        """tools/warm_assets.py, as odoo shell runs it, leaves the web client's CSS and JS built."""
        script = runpy.run_path(file_path("hvac_connect/tools/warm_assets.py"), run_name="hvac_warm_assets")
        attachments = self.env["ir.attachment"]
        # From scratch, as on a brand-new database.
        attachments.search([("url", "=like", "/web/assets/%")]).unlink()
        count = script["warm_assets"](self.env)
        self.assertGreater(count, 0)
        for extension in ("min.css", "min.js"):
            for bundle in ("web.assets_web", "web.assets_frontend"):
                built = attachments.search_count([("url", "=like", f"/web/assets/%/{bundle}.{extension}")])
                self.assertTrue(built, f"{bundle}.{extension} was not built")

    def _dev_run(self, *options):
        """The lines ./dev run writes (its calls and what it says), and the config Odoo was given."""
        dev = os.path.realpath(file_path("hvac_connect/dev"))
        with tempfile.NamedTemporaryFile("r", suffix=".log") as calls, tempfile.TemporaryDirectory() as folder:
            subprocess.run(
                ["bash", "-c", DEV_RUN_STUBBED, "dev-run-check", dev, calls.name, folder, *options],
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
