# Run inside `odoo-bin shell` (``env`` given) by ./dev test-upgrade on the upgraded database: what
# each migration of this version promises, checked on the data. Exits 1 when one is not kept.
import sys

env = env  # noqa: F821, PLW0127 - provided by odoo-bin shell

failures = []

# post-shared_intervention_connection: every intervention received over a share knows its connection.
env.cr.execute(
    """
    SELECT COUNT(*) FROM hvac_shared_intervention si
      JOIN hvac_installation inst ON inst.id = si.installation_id
     WHERE si.connection_id IS NULL
       AND (inst.shared_from_share_id IS NOT NULL
            OR EXISTS (SELECT 1 FROM hvac_installation_hvac_share_rel rel
                         JOIN hvac_share s ON s.id = rel.hvac_share_id AND s.side = 'owner'
                        WHERE rel.hvac_installation_id = inst.id))
    """
)
missing = env.cr.fetchone()[0]
if missing:
    failures.append(f"{missing} shared intervention(s) still without their connection")

version = env["ir.module.module"].search([("name", "=", "hvac_connect")]).latest_version
print(
    f"Upgrade checks: module at {version}; " + ("; ".join(failures) if failures else "every migration kept its promise")
)
sys.exit(1 if failures else 0)
