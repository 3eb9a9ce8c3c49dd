"""``tools/warm_assets.py``, which ``./dev run`` feeds to ``odoo shell`` before it tells the user to log in."""

import runpy

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path


@tagged("post_install", "-at_install")
class TestWarmAssets(TransactionCase):
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
