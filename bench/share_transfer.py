# Benchmark, run by `./dev bench share_transfer [--installations N]` inside `odoo-bin shell`
# (``env`` is given; the options come through HVAC_BENCH_ARGS, set by ./dev).
# A customer share of N installations (2,000 by default) with 10 done interventions each between two Odoo
# servers on loopback: the owner serves the bench database, the requester a second database
# made for the run. Both are real `odoo-bin` processes (no cron thread), driven over XML-RPC;
# their jobs run when this script says. Prints wall time per step, payload pages and sizes,
# SQL queries per record (read from each server's request log: Odoo logs the query count of
# every HTTP request), and each server's peak memory. It asserts nothing: it measures.
import argparse
import os
import re
import shlex
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from odoo.tools import config

import odoo.addons.hvac_connect as hvac_connect

# A top-level import: importing the tests package would pull Odoo's test framework into the shell.
sys.path.insert(0, str(Path(hvac_connect.__file__).parent / "tests"))
import odoo_peer  # noqa: E402

parser = argparse.ArgumentParser(prog="./dev bench share_transfer")
parser.add_argument(
    "--installations", type=int, default=2_000, help="installations shared (10 done interventions each)"
)
parser.add_argument(
    "--profile", metavar="FILE", help="run the requester's background import in this process, under cProfile, into FILE"
)
options = parser.parse_args(shlex.split(os.environ.get("HVAC_BENCH_ARGS", "")))
N_INSTALLATIONS, FICHES_PER_INSTALLATION, BATCH = options.installations, 10, 1_000
SIRET = "26690027300019"
logdir = Path(config["data_dir"]) / "logs"
logdir.mkdir(parents=True, exist_ok=True)

# --- the owner's data, created here and committed, then served by the owner's server --------------
company = env.company  # noqa: F821 - provided by odoo-bin shell
company.write({"name": "Froid Lyonnais", "siret": "85200000900013"})
admin = env.ref("base.user_admin")  # noqa: F821 - the owner server is driven as its administrator
admin.groups_id |= env.ref("hvac_connect.group_share_admin") | env.ref("hvac_connect.group_hvac_manager")  # noqa: F821
customer = env["res.partner"].create(
    {"name": "Hôpital Nord", "is_company": True, "siret": SIRET, "company_id": company.id}
)  # noqa: F821
sites = env["hvac.site"].create(
    [{"name": f"Bâtiment {i}", "partner_id": customer.id, "zip": "69004", "city": "Lyon"} for i in range(40)]
)  # noqa: F821
buildings = sites.building_ids
fluid = env.ref("hvac_connect.refrigerant_r_410a")  # noqa: F821
start = time.perf_counter()
installations = env["hvac.installation"]  # noqa: F821
limit = N_INSTALLATIONS
for offset in range(0, N_INSTALLATIONS, BATCH):
    installations |= installations.create(
        [
            {
                "name": f"Groupe {i}",
                "building_id": buildings[i % len(buildings)].id,
                "refrigerant_id": fluid.id,
                "charge_kg": 2.0 + i % 50,
                "serial_number": f"SN-{i:05d}",
            }
            for i in range(offset, min(offset + BATCH, limit))
        ]
    )
today = date.today()
limit = N_INSTALLATIONS * FICHES_PER_INSTALLATION
for offset in range(0, N_INSTALLATIONS * FICHES_PER_INSTALLATION, BATCH):
    env["hvac.intervention"]._hvac_create_protected(
        [  # noqa: F821
            {
                "installation_id": installations[i // FICHES_PER_INSTALLATION].id,
                "nature": "periodic_check",
                "date": today - timedelta(days=30 * (i % FICHES_PER_INSTALLATION)),
                "state": "done",
                "name": f"FI/BENCH/{i:06d}",
                "charged_virgin_kg": 0.1,
            }
            for i in range(offset, min(offset + BATCH, limit))
        ]
    )
    env.cr.commit()  # noqa: F821 - the set-up too keeps its memory bounded
    env.invalidate_all()  # noqa: F821
env.cr.commit()  # noqa: F821
print(
    f"Owner data: {N_INSTALLATIONS} installations, {N_INSTALLATIONS * FICHES_PER_INSTALLATION} done interventions, {len(sites)} locations ({time.perf_counter() - start:.1f} s to create)"
)

owner = odoo_peer.OdooPeer(env.cr.dbname, str(logdir / "bench_owner.log"))  # noqa: F821
requester = odoo_peer.OdooPeer(f"{env.cr.dbname}_peer", str(logdir / "bench_requester.log"))  # noqa: F821
for path in (owner.logfile, requester.logfile):
    if os.path.exists(path):
        os.remove(path)
requester.drop()  # left by an interrupted run
requester.create()
owner.start()
requester.start()


def memory_mb(server, field):
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) / 1024


at_start = {server: memory_mb(server, "VmRSS") for server in (owner, requester)}
for server in (owner, requester):
    server.call("ir.config_parameter", "set_param", "web.base.url", server.url)
requester.call(
    "res.company", "write", [requester.ref("base.main_company")], {"name": "Clim Services", "siret": "44306184100047"}
)
requester.call(
    "res.users",
    "write",
    [requester.uid],
    {
        "groups_id": [
            (4, requester.ref("hvac_connect.group_share_admin")),
            (4, requester.ref("hvac_connect.group_hvac_manager")),
        ]
    },
)

REQUEST_LINE = re.compile(r'werkzeug: .*"POST (\S+) HTTP/[\d.]+" \d+ - (\d+) ')


def log_queries(server, since):
    """SQL queries of the requests the server logged since the byte offset ``since``."""
    with open(server.logfile, encoding="utf-8") as log:
        log.seek(since)
        return sum(int(match.group(2)) for match in REQUEST_LINE.finditer(log.read()))


def step(label, func):
    marks = {server: os.path.getsize(server.logfile) for server in (owner, requester)}
    began = time.perf_counter()
    result = func()
    time.sleep(0.2)  # the last request's log line
    elapsed = time.perf_counter() - began
    queries = {server: log_queries(server, mark) for server, mark in marks.items()}
    peaks = {server: memory_mb(server, "VmHWM") for server in (owner, requester)}
    print(
        f"{label:<58} {elapsed:7.2f} s   SQL owner {queries[owner]:>7}   requester {queries[requester]:>7}"
        f"   peak MB {peaks[owner]:.0f} / {peaks[requester]:.0f}"
    )
    return result, elapsed, queries


def connect():
    invitation = owner.call("hvac.connection", "action_invite", [])["res_id"]
    code = owner.read("hvac.connection", [invitation], ["invitation_code"])[0]["invitation_code"]
    wizard = requester.call("hvac.connection.accept", "create", {"code": code})
    return requester.call("hvac.connection.accept", "action_accept", [wizard])["res_id"]


def request(connection):
    share = requester.call(
        "hvac.share", "create", {"name": "Hôpital Nord", "connection_id": connection, "level_requested": "customer"}
    )
    requester.run_cron("hvac_connect.ir_cron_hvac_connection_outbox")
    return share


def approve(public_id):
    owned = owner.call("hvac.share", "search", [("peer_share_id", "=", public_id)])[0]
    wizard = owner.call(
        "hvac.share.evaluate",
        "create",
        {"level": "customer", "partner_ids": [(6, 0, [customer.id])], "role": "subcontractor"},
        context={"default_share_id": owned},
    )
    owner.call("hvac.share.evaluate", "action_approve", [wizard])
    for job in ("ir_cron_hvac_connection_outbox", "ir_cron_hvac_share_prepare", "ir_cron_hvac_connection_outbox"):
        owner.run_cron(f"hvac_connect.{job}")


def transfer():
    requester.run_cron("hvac_connect.ir_cron_hvac_share_fetch")


def process(share):
    timings = {}
    began = time.perf_counter()
    wizard = requester.call("hvac.share", "action_open_process", [share])["res_id"]  # the Process button
    timings["mapping"] = time.perf_counter() - began
    requester.call("hvac.share.process", "action_process", [wizard])
    timings["confirm"] = time.perf_counter() - began - timings["mapping"]
    if options.profile:
        import_profiled(requester.dbname, options.profile)
    else:
        requester.run_cron("hvac_connect.ir_cron_hvac_share_process")
    timings["import"] = time.perf_counter() - began - timings["mapping"] - timings["confirm"]
    return timings


def import_profiled(dbname, path):
    """The requester's import job, run here instead of by its server (to find where time goes)."""
    import cProfile

    import odoo

    with odoo.modules.registry.Registry(dbname).cursor() as cr:
        job = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["hvac.share"]
        cProfile.runctx("job._cron_process()", globals(), {"job": job}, path)


try:
    connection, *_ = step("pair the two servers", connect)
    share, *_ = step("request (requester → owner)", lambda: request(connection))
    public_id = requester.read("hvac.share", [share], ["public_id"])[0]["public_id"]
    _, t_approve, q_approve = step("approve, prepare, tell the requester", lambda: approve(public_id))
    _, t_transfer, q_transfer = step("transfer: the requester pulls every page", transfer)
    pages = requester.call(
        "hvac.share.page", "search_read", [("share_id", "=", share)], ["number", "size_bytes"], order="number"
    )
    process_timings, t_process, q_process = step(
        "process: map and import in the background job", lambda: process(share)
    )
    state, imported = (lambda r: (r["state"], r["imported_count"]))(
        requester.read("hvac.share", [share], ["state", "imported_count"])[0]
    )
    history = requester.call("hvac.shared.intervention", "search_count", [])
    total_time = t_approve + t_transfer + t_process
    records = N_INSTALLATIONS * (1 + FICHES_PER_INSTALLATION)
    print()
    print(
        f"Share state on the requester: {state}; installations imported: {imported}; interventions received: {history}"
    )
    sizes = [p["size_bytes"] for p in pages]
    print(
        f"Payload: {len(pages)} pages of up to 200 installations; sizes {min(sizes) / 1e6:.2f} to {max(sizes) / 1e6:.2f} MB, {sum(sizes) / 1e6:.1f} MB in all"
    )
    print(f"Wall time, approval to processed: {total_time:.1f} s")
    sql = {server: q_approve[server] + q_transfer[server] + q_process[server] for server in (owner, requester)}
    print(
        f"SQL queries, approval to processed: owner {sql[owner]} ({sql[owner] / records:.3f} per record), requester {sql[requester]} ({sql[requester] / records:.3f} per record); records = {N_INSTALLATIONS} installations + {N_INSTALLATIONS * FICHES_PER_INSTALLATION} interventions"
    )
    print(
        f"  transfer only: owner {q_transfer[owner]} queries for {len(pages)} pages ({q_transfer[owner] / len(pages):.1f} per page), {t_transfer / len(pages) * 1000:.0f} ms per page"
    )
    print(f"  process only: {t_process / N_INSTALLATIONS * 1000:.2f} ms per installation imported")
    page_times = [
        float(t)
        for t in re.findall(
            r"page \d+ imported \(\d+ installations\) in ([\d.]+) s", Path(requester.logfile).read_text()
        )
    ]
    if page_times:
        tenth = max(1, len(page_times) // 10)
        first, last = sum(page_times[:tenth]) / tenth, sum(page_times[-tenth:]) / tenth
        print(
            f"  import per page: first tenth {first * 1000:.0f} ms, last tenth {last * 1000:.0f} ms ({last / first:.2f}×), {len(page_times)} pages"
        )
    print("  process, by part: " + ", ".join(f"{part} {seconds:.2f} s" for part, seconds in process_timings.items()))
    print(
        f"  import only: requester {q_process[requester]} queries ({q_process[requester] / N_INSTALLATIONS:.2f} per installation imported)"
    )
    for server, name in ((owner, "owner"), (requester, "requester")):
        print(
            f"Memory of the {name} server: {at_start[server]:.0f} MB after start, peak {memory_mb(server, 'VmHWM'):.0f} MB"
        )
finally:
    owner.stop()
    requester.drop()
