# Benchmark, run by `./dev bench installations` inside `odoo-bin shell` (``env`` is given).
# Creates 10,000 installations and 50,000 interventions through the ORM, then measures
# the installations list and the recomputation of next check dates after 1,000 leak checks.
# Prints records per second and SQL queries per record; it asserts nothing: it measures.
import time
from datetime import date, timedelta

N_INSTALLATIONS = 10_000
N_INTERVENTIONS = 50_000
BATCH = 1_000


def measure(label, count, func):
    cr = env.cr  # noqa: F821 - provided by odoo-bin shell
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()  # noqa: F821
    elapsed = time.perf_counter() - start
    spent = cr.sql_log_count - queries
    print(
        f"{label:<48} {count:>7} rec  {elapsed:8.2f} s  {count / elapsed:10.0f} rec/s  "
        f"{spent / count:8.3f} queries/rec  ({elapsed * 1000:.1f} ms)"
    )
    return result


fluids = env["hvac.refrigerant"].search([("family", "!=", "natural")])  # noqa: F821
partner = env["res.partner"].create({"name": "Bench customer", "is_company": True})  # noqa: F821
sites = env["hvac.site"].create([{"name": f"Site {i}", "partner_id": partner.id} for i in range(100)])  # noqa: F821
buildings = sites.building_ids
today = date.today()


def create_installations():
    records = env["hvac.installation"]  # noqa: F821
    for offset in range(0, N_INSTALLATIONS, BATCH):
        records |= records.create(
            [
                {
                    "name": f"Installation {i}",
                    "building_id": buildings[i % len(buildings)].id,
                    "refrigerant_id": fluids[i % len(fluids)].id,
                    "charge_kg": 0.5 + (i % 400),
                    "leak_detection_system": i % 7 == 0,
                    "commissioning_date": today - timedelta(days=i % 3000),
                }
                for i in range(offset, offset + BATCH)
            ]
        )
    return records


def create_interventions(installations, count, nature="maintenance", day_offset=0):
    records = env["hvac.intervention"]  # noqa: F821
    for offset in range(0, count, BATCH):
        records |= records._hvac_create_protected(
            [
                {
                    "installation_id": installations[i % len(installations)].id,
                    "nature": nature,
                    "date": today - timedelta(days=(i % 700) + day_offset),
                    "state": "done",
                    "name": f"FI/BENCH/{i}",
                }
                for i in range(offset, min(offset + BATCH, count))
            ]
        )
    return records


installations = measure("create installations", N_INSTALLATIONS, create_installations)
measure(
    "create interventions (done fiches)",
    N_INTERVENTIONS,
    lambda: create_interventions(installations, N_INTERVENTIONS, day_offset=30),
)
env.invalidate_all()  # noqa: F821
fields_list = [
    "name",
    "partner_id",
    "site_id",
    "refrigerant_id",
    "charge_kg",
    "co2_tonnes",
    "leak_check_period",
    "next_leak_check_date",
    "leak_check_overdue",
]
env["hvac.installation"].search_read([], fields_list, limit=80)  # noqa: F821 - warm the registry caches
env.invalidate_all()  # noqa: F821
rows = measure(
    "installations list: search_read 80 rows",
    80,
    lambda: env["hvac.installation"].search_read([], fields_list, limit=80),
)  # noqa: F821
sample = installations[:1000]
measure(
    "1,000 new leak checks + next check recompute",
    1000,
    lambda: create_interventions(sample, 1000, nature="periodic_check", day_offset=-1),
)
print("installations of the sample with a last leak check:", sum(1 for i in sample if i.last_leak_check_date))
env.cr.rollback()  # noqa: F821 - leave the bench database as it was
