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


def count(query):
    env.cr.execute(query)
    return env.cr.fetchone()[0]


# pre-container-public-token: each container its own token.
if count(
    "SELECT COUNT(*) - COUNT(DISTINCT public_token) + COUNT(*) FILTER (WHERE public_token IS NULL) FROM hvac_container"
):
    failures.append("containers without a token of their own")
# post-chorus-vatex: the exemption reasons naming "293 B" carry their VATEX code.
if count(r"SELECT COUNT(*) FROM hvac_chorus_exemption_reason WHERE vatex_code IS NULL AND name ~* '293\s*B'"):
    failures.append('exemption reasons naming "293 B" without their VATEX code')
# post-drop_fiche_portal_tokens: no fiche keeps a reusable portal token.
if count("SELECT COUNT(*) FROM hvac_intervention WHERE access_token IS NOT NULL"):
    failures.append("fiches still holding a portal token")
# post-fiche-billing: fiches validated before the upgrade are not to invoice again.
if count("SELECT COUNT(*) FROM hvac_intervention WHERE state = 'done' AND invoice_state = 'to_invoice'"):
    failures.append("fiches validated before the upgrade set to invoice")
# post-fluid_destinations: the partners fluid was sent to are still accepted as destinations.
if count(
    """
    SELECT COUNT(*) FROM res_partner p
     WHERE NOT COALESCE(p.hvac_fluid_treatment, FALSE) AND NOT COALESCE(p.hvac_fluid_distributor, FALSE)
       AND p.id IN (SELECT destination_partner_id FROM hvac_intervention
                    UNION SELECT destination_partner_id FROM hvac_bsff)
    """
):
    failures.append("destinations of recovered fluid no longer receiving fluid")
# post-freeze_on_behalf: a validated fiche of an installation held for an owner names that owner.
shared = env["hvac.intervention"].search([("state", "=", "done"), ("on_behalf_name", "=", False)])
unfrozen = sum(1 for installation in shared.installation_id if installation._hvac_on_behalf())
if unfrozen:
    failures.append(f"{unfrozen} shared installation(s) with validated fiches not 'Pour le compte de' their owner")
# post-sharing_words: the sharing terms read in the seed's French.
fr_names = dict(env["hvac.share"].with_context(lang="fr_FR").fields_get(["state"])["state"]["selection"])
if fr_names.get("rejected") not in (None, "Rejetée"):
    failures.append(f"a rejected share reads {fr_names.get('rejected')!r} in French")

version = env["ir.module.module"].search([("name", "=", "hvac_connect")]).latest_version
print(
    f"Upgrade checks: module at {version}; " + ("; ".join(failures) if failures else "every migration kept its promise")
)
sys.exit(1 if failures else 0)
