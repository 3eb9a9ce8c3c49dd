"""Build the web client's asset bundles ahead of the first login (``./dev warm`` and ``./dev run``
pipe this into ``odoo shell``). Otherwise the first page waits for them — and, on a brand-new
database, the scheduled jobs start at the same moment: the first page came unstyled.

``warm_assets(env)`` is also run by tests/test_dev_run.py."""

BUNDLES = ("web.assets_frontend_minimal", "web.assets_frontend", "web.assets_frontend_lazy", "web.assets_web")


def warm_assets(env):
    """Build (or find) every bundle's CSS and JS attachments; return the number of asset attachments."""
    for bundle_name in BUNDLES:
        bundle = env["ir.qweb"]._get_asset_bundle(bundle_name)
        bundle.css()
        bundle.js()
    return env["ir.attachment"].search_count([("url", "=like", "/web/assets/%")])


if __name__ == "__main__" and "env" in globals():  # odoo shell runs its standard input as __main__
    count = warm_assets(env)  # noqa: F821  (env is given by odoo shell)
    env.cr.commit()  # noqa: F821
    print("assets:", count)
