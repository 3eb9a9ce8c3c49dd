# Benchmark, run by `./dev bench chorus_status_sync` inside `odoo-bin shell` (``env`` is given).
# 1,000 invoices already deposited on a local fake Chorus Pro (the tests' one); the buyers move
# 150 of them (100 made available, 40 suspended or rejected, 10 paid); then the status cron runs.
# Prints HTTP calls to Chorus and SQL queries per invoice; it asserts nothing: it measures.
import sys
import time
from pathlib import Path

import odoo.addons.hvac_connect as hvac_connect

# A top-level import: importing the tests package would pull Odoo's test framework into the shell.
sys.path.insert(0, str(Path(hvac_connect.__file__).parent / "tests"))
import chorus_fake  # noqa: E402

N = 1_000
fake = chorus_fake.FakeChorus().start()
params = env["ir.config_parameter"]  # noqa: F821
params.set_param("hvac_connect.chorus_token_url", f"{fake.url}/api/oauth/token")
params.set_param("hvac_connect.chorus_api_url", fake.url)
company = env.company  # noqa: F821
company.write(
    {
        "hvac_chorus_piste_client_id": "piste-id",
        "hvac_chorus_piste_client_secret": "piste-secret",
        "hvac_chorus_login": "TECH_hvac@cpro.fr",
        "hvac_chorus_password": "Pass-1234",
        "hvac_chorus_connection_state": "ok",
        "hvac_chorus_structure_id": 25000001,
    }
)
partner = env["res.partner"].create({"name": "Mairie", "is_company": True, "siret": "21690123100011"})  # noqa: F821
journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)  # noqa: F821
moves = env["account.move"].create(
    [  # noqa: F821
        {"move_type": "out_invoice", "partner_id": partner.id, "journal_id": journal.id, "name": f"INV/BENCH/{n:05d}"}
        for n in range(N)
    ]
)
for move in moves:
    invoice_id = next(fake._ids)
    fake.invoices[invoice_id] = {
        "identifiantFactureCPP": invoice_id,
        "numeroFacture": move.name,
        "statut": "DEPOSEE",
        "payload": {},
        "history": [],
    }
    fake.set_status(invoice_id, "DEPOSEE")
    env.cr.execute(
        "UPDATE account_move SET hvac_chorus_invoice_id = %s, hvac_chorus_status = 'DEPOSEE', hvac_chorus_send_state = 'sent' WHERE id = %s",
        [invoice_id, move.id],
    )  # noqa: F821
env.invalidate_all()  # noqa: F821
ids = list(fake.invoices)
for invoice_id in ids[:100]:
    fake.set_status(invoice_id, "MISE_A_DISPOSITION")
for invoice_id in ids[100:120]:
    fake.set_status(invoice_id, "SUSPENDUE", "PV de réception manquant")
for invoice_id in ids[120:140]:
    fake.set_status(invoice_id, "REJETEE", "Bon de commande inconnu")
for invoice_id in ids[140:150]:
    fake.set_status(invoice_id, "MISE_EN_PAIEMENT")
company.hvac_chorus_synced_at = False

cr = env.cr  # noqa: F821
queries, start = cr.sql_log_count, time.perf_counter()
calls = env["account.move"]._hvac_chorus_sync_company(company)  # noqa: F821
env.flush_all()  # noqa: F821
elapsed, spent = time.perf_counter() - start, cr.sql_log_count - queries
searches = len(fake.calls_to("/cpro/factures/v1/rechercher/fournisseur"))
histories = len(fake.calls_to("/cpro/factures/v1/consulter/historique"))
print(f"Invoices followed: {N}, changed on Chorus Pro: 150")
print(
    f"HTTP calls to Chorus: {calls} in all = 1 token + {searches} search pages (100 invoices each) + {histories} histories (suspended or rejected only)"
)
print(
    f"SQL queries: {spent} in all, {spent / N:.2f} per invoice followed, {spent / 150:.2f} per changed invoice (history lines, status, activities)"
)
print(f"Wall time: {elapsed:.2f} s")

# Next run: only what changed since the last run is listed.
fake.set_status(ids[500], "MISE_A_DISPOSITION")
fake.calls.clear()
queries = cr.sql_log_count
calls = env["account.move"]._hvac_chorus_sync_company(company)  # noqa: F821
env.flush_all()  # noqa: F821
print(
    f"Next run, one invoice changed: {len(fake.calls_to('/cpro/factures/v1/rechercher/fournisseur'))} search page(s), {cr.sql_log_count - queries} SQL queries"
)
fake.stop()
cr.rollback()
