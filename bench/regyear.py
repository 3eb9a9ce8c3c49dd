# Benchmark, run by `./dev bench regyear` inside `odoo-bin shell` (``env`` is given).
# 10,000 installations, 50,000 done fiches (with container movements), 200 containers and
# 500 BSFF; then times the annual fluid balance and the leak-check planning job (twice).
# Prints time and SQL queries; it asserts nothing: it measures.
import time
from datetime import date, datetime, timedelta

N_INSTALLATIONS = 10_000
N_FICHES = 50_000
BATCH = 2_000
YEAR = date.today().year - 1


def measure(label, func):
    cr = env.cr  # noqa: F821 - provided by odoo-bin shell
    env.flush_all()  # noqa: F821
    env.invalidate_all()  # noqa: F821
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()  # noqa: F821
    elapsed = time.perf_counter() - start
    print(f"{label:<52} {elapsed * 1000:9.1f} ms  {cr.sql_log_count - queries:6d} queries")
    return result


from odoo.addons.hvac_connect.models.common.hvac_lifecycle_mixin import hvac_protected_path  # noqa: E402


def timed_create(label, model, vals_list):
    start = time.perf_counter()
    records = env[model]  # noqa: F821
    # Past, done fiches and their moves are loaded as history: the module's own path for
    # records created in a state (a plain create of a done fiche is refused).
    with hvac_protected_path():
        for offset in range(0, len(vals_list), BATCH):
            records |= records.create(vals_list[offset : offset + BATCH])
    env.flush_all()  # noqa: F821
    print(f"(setup) {label:<44} {len(vals_list):7d} rec in {time.perf_counter() - start:6.1f} s")
    return records


company = env.company  # noqa: F821
company.hvac_capacity_number = "CAP-BENCH-0001"
fluids = env["hvac.refrigerant"].search([("family", "!=", "natural")])  # noqa: F821
partner = env["res.partner"].create({"name": "Client bench", "is_company": True, "hvac_leak_check_notify": False})  # noqa: F821
sites = env["hvac.site"].create([{"name": f"Site {i}", "partner_id": partner.id} for i in range(100)])  # noqa: F821
buildings = sites.building_ids
technicians = env["res.users"].create([{"name": f"Technicien {i}", "login": f"tech{i}@bench"} for i in range(10)])  # noqa: F821
today = date.today()
installations = timed_create(
    "installations",
    "hvac.installation",
    [
        {
            "name": f"Installation {i}",
            "building_id": buildings[i % len(buildings)].id,
            "refrigerant_id": fluids[i % len(fluids)].id,
            "charge_kg": 0.5 + (i % 400),
            "leak_detection_system": i % 7 == 0,
            "commissioning_date": today - timedelta(days=i % 3000),
            "technician_id": technicians[i % 10].id,
        }
        for i in range(N_INSTALLATIONS)
    ],
)
fluid_of = {inst.id: inst.refrigerant_id.id for inst in installations}
containers = timed_create(
    "containers",
    "hvac.container",
    [
        {
            "name": f"B-{i:04d}",
            "refrigerant_id": fluids[i % len(fluids)].id,
            "capacity_kg": 1_000_000,
            "initial_weight_kg": 50,
            "state": "recovered",
            "registered_on": date(YEAR - 2, 1, 1),
        }
        for i in range(200)
    ],
)
container_by_fluid = {c.refrigerant_id.id: c for c in containers}
fiche_vals = []
for i in range(N_FICHES):
    inst = installations[i % N_INSTALLATIONS]
    repaired = i % 20 == 0
    fiche_vals.append(
        {
            "installation_id": inst.id,
            "nature": "periodic_check" if i % 3 else "maintenance",
            "state": "done",
            "name": f"FI/BENCH/{i}",
            "date": date(YEAR - 1, 6, 1) + timedelta(days=i % 700),
            "charged_virgin_kg": (i % 5) * 0.1,
            "charged_recycled_kg": (i % 3) * 0.05,
            "charged_reclaimed_kg": (i % 2) * 0.05,
            "recovered_treatment_kg": (i % 4) * 0.1,
            "recovered_reuse_kg": (i % 6) * 0.02,
            "leaks_found": repaired,
            "leak_location_1": "Brasure" if repaired else False,
            "leak_repair_1": "done" if repaired else False,
        }
    )
fiches = timed_create("done fiches", "hvac.intervention", fiche_vals)
moves = timed_create(
    "container movements",
    "hvac.container.move",
    [
        {
            "intervention_id": fiche.id,
            "container_id": container_by_fluid[fluid_of[fiche.installation_id.id]].id,
            "direction": "fill",
            "quantity_kg": 0.1 + (n % 4) * 0.1,
        }
        for n, fiche in enumerate(fiches[::5])
        if fluid_of[fiche.installation_id.id] in container_by_fluid
    ],
)
treatment = env["res.partner"].create({"name": "Centre de traitement bench", "is_company": True})  # noqa: F821
timed_create(
    "BSFF (taken over)",
    "hvac.bsff",
    [
        {
            "refrigerant_id": fluids[i % len(fluids)].id,
            "destination_partner_id": treatment.id,
            "transport_taken_over_at": datetime(YEAR, 1, 1) + timedelta(days=i % 365, hours=9),
            "packaging_ids": [
                (0, 0, {"numero": containers[i % 200].name, "container_id": containers[i % 200].id, "weight_kg": 1.0})
            ],
        }
        for i in range(500)
    ],
)

balance = env["hvac.fluid.balance"].create({"year": YEAR})  # noqa: F821
measure(f"fluid balance {YEAR} ({N_FICHES} fiches in the base)", balance.action_compute)
print(f"  {len(balance.line_ids)} fluid lines, {len(balance.issue_container_ids)} containers to fix")
Installation = env["hvac.installation"]  # noqa: F821
due = Installation.search_count([("next_leak_check_date", "<=", today + timedelta(days=30))])
measure(f"planning job, first run ({due} installations due)", Installation._cron_plan_leak_checks)
print("  activities:", env["mail.activity"].search_count([("res_model", "=", "hvac.installation")]))  # noqa: F821
measure("planning job, second run (creates nothing)", Installation._cron_plan_leak_checks)
print("  activities:", env["mail.activity"].search_count([("res_model", "=", "hvac.installation")]))  # noqa: F821
measure(
    "planning list: search_read 80 rows",
    lambda: Installation.search_read(
        [("next_leak_check_date", "!=", False)],
        [
            "name",
            "partner_id",
            "site_id",
            "technician_id",
            "next_leak_check_date",
            "leak_recheck_date",
            "leak_detection_missing",
        ],
        limit=80,
        order="next_leak_check_date",
    ),
)
env.cr.rollback()  # noqa: F821 - leave the bench database as it was
