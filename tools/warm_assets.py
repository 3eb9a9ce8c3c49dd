"""Build the web client's asset bundles ahead of the first login (``./dev run`` pipes this into
``odoo shell``). Otherwise the first page waits for them — and, on a brand-new database, the
scheduled jobs start at the same moment: the first page came unstyled."""

# ruff: noqa: F821  (env is given by odoo shell)
BUNDLES = ("web.assets_frontend_minimal", "web.assets_frontend", "web.assets_frontend_lazy", "web.assets_web")

for bundle_name in BUNDLES:
    bundle = env["ir.qweb"]._get_asset_bundle(bundle_name)
    bundle.css()
    bundle.js()
env.cr.commit()
print("assets:", env["ir.attachment"].search_count([("url", "=like", "/web/assets/%")]))
