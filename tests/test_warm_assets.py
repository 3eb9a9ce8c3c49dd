"""``./dev run`` builds the web assets, scheduled jobs held, before it tells the user to log in."""

import os
import runpy
import subprocess
import tempfile

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
odoo() { echo "odoo: $*" >>"$calls"; }
odoo_shell() { echo "odoo_shell: $* <$(grep -c 'def warm_assets(env)' || true) warm_assets>" >>"$calls"; }
cmd_run --dev-mode=none 2>>"$calls"
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

    def test_dev_run_warms_the_assets_before_saying_log_in(self):
        dev = os.path.realpath(file_path("hvac_connect/dev"))
        with tempfile.NamedTemporaryFile("r", suffix=".log") as calls:
            subprocess.run(
                ["bash", "-c", DEV_RUN_STUBBED, "dev-run-check", dev, calls.name],
                check=True,
                timeout=60,
                env={**os.environ, "HVAC_DEMO_DB": "hvac_demo_check"},
            )
            lines = calls.read().splitlines()

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
