# Benchmark, run by `./dev bench trackdechets_sync` inside `odoo-bin shell` (``env`` is given).
# 1,000 sent BSFF on a local fake Trackdéchets (the tests' one, on the official schema); the
# transporter takes 600 of them over and 200 reach PROCESSED; then the cron's sync runs.
# Prints GraphQL requests, SQL queries per BSFF and what the writes themselves cost; it
# asserts nothing: it measures.
import sys
import time
from pathlib import Path

import odoo.addons.hvac_connect as hvac_connect

# A top-level import: importing the tests package would pull Odoo's test framework into the shell.
sys.path.insert(0, str(Path(hvac_connect.__file__).parent / "tests"))
import trackdechets_fake  # noqa: E402

FakeTrackdechets = trackdechets_fake.FakeTrackdechets

N = 1_000
SIRET = "85200000900013"
fake = FakeTrackdechets().start()
fake.add_user("bench-token", "bench@example.com", [SIRET])
env["ir.config_parameter"].set_param("hvac_connect.trackdechets_endpoint", fake.url)  # noqa: F821
company = env.company  # noqa: F821
company.siret = SIRET
contact = env["res.users"].create({"name": "Bench Contact", "login": "bench", "email": "bench@example.com"})  # noqa: F821
contact.hvac_trackdechets_token = "bench-token"
company.hvac_trackdechets_contact_id = contact

td_ids = [fake.add_bsff(SIRET, f"BT-{n:05d}") for n in range(N)]
records = env["hvac.bsff"].create(
    [  # noqa: F821
        {
            "td_id": td_id,
            "state": "signed_by_emitter",
            "waste_description": "R410A",
            "send_started_at": "2026-01-01 00:00:00",
            "packaging_ids": [(0, 0, {"numero": f"BT-{n:05d}", "volume_l": 13.6, "weight_kg": 2.0})],
        }
        for n, td_id in enumerate(td_ids)
    ]
)
env.flush_all()  # noqa: F821
for td_id in td_ids[:600]:
    fake.transport(td_id)
for td_id in td_ids[:200]:
    fake.receive(td_id)
    fake.accept(td_id)
    fake.process(td_id)

cr = env.cr  # noqa: F821
queries, start = cr.sql_log_count, time.perf_counter()
requests = env["hvac.bsff"]._sync_company(company)  # noqa: F821
env.flush_all()  # noqa: F821
cr.precommit.run()  # tracking messages, written at commit time
env.flush_all()  # noqa: F821
elapsed, spent = time.perf_counter() - start, cr.sql_log_count - queries
changed = sum(1 for r in records if r.state != "signed_by_emitter")
print(f"BSFF followed: {N}, changed on Trackdéchets: {changed}")
print(f"GraphQL requests (bsffs pages of 500): {requests}")
print(f"SQL queries: {spent} in all, {spent / N:.2f} per BSFF followed, {spent / changed:.2f} per BSFF changed")
print(f"Wall time: {elapsed:.2f} s")

# The unchanged BSFF cost nothing: a second run reads the same page and writes nothing.
queries = cr.sql_log_count
env["hvac.bsff"]._sync_company(company)  # noqa: F821
env.flush_all()  # noqa: F821
print(f"Second run, nothing new: {cr.sql_log_count - queries} SQL queries")
fake.stop()
cr.rollback()
