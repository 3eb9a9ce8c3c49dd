# Benchmark, run by `./dev bench load [--users 20,50] [--seconds 120] [--think 1.0]` inside
# `odoo-bin shell` (``env`` is given; the options come through HVAC_BENCH_ARGS, set by ./dev).
# Odoo as production runs it: a second `odoo-bin` on this database with --workers 4 and one cron
# worker, the fake Trackdéchets and Chorus Pro of the tests on loopback (bench/world.py).
# Simulated users work at once, at each load in turn, through the web client's own calls (a
# session, JSON-RPC on /web/dataset/call_kw, the report and portal pages):
#   technicians (60 %) create a draft fiche, edit it, sign it and validate it, on installations
#   that several of them share;
#   office users (25 %) list the fiches, print one as PDF, and send a BSFF (Trackdéchets) or an
#   invoice (Chorus Pro) to the fakes;
#   holders (15 %) read their fiches on the customer portal;
# while the module's crons run every minute (planning, Trackdéchets and Chorus Pro follow-ups,
# share transfer). After a warm-up (logins, each worker's caches; reported on its own line) it
# prints calls per second, p50/p95 per operation, the CPU each part used, HTTP 5xx and errors,
# PostgreSQL serialization failures read from the server's log, and records lost (fiches a
# client was told were created but are not in the database). It asserts nothing: it measures.
import argparse
import os
import random
import re
import shlex
import statistics
import sys
import threading
import time
from pathlib import Path

import psutil
import requests

import odoo.addons.hvac_connect as hvac_connect

sys.path.insert(0, str(Path(hvac_connect.__file__).parent / "bench"))
import world  # noqa: E402

parser = argparse.ArgumentParser(prog="./dev bench load")
parser.add_argument("--users", default="20,50", help="simulated users, one run per figure (default 20,50)")
parser.add_argument("--seconds", type=int, default=120, help="duration of each run (default 120)")
parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's calls, in s (default 1.0)")
parser.add_argument(
    "--mix", default="60,25,15", help="percent of technicians, office users and holders (default 60,25,15)"
)
parser.add_argument("--warmup", type=int, default=30, help="seconds of work before the measure starts (default 30)")
parser.add_argument("--workers", type=int, default=4, help="Odoo HTTP workers (default 4)")
options = parser.parse_args(shlex.split(os.environ.get("HVAC_BENCH_ARGS", "")))
LOADS = [int(n) for n in options.users.split(",")]
env = env  # noqa: F821, PLW0127 - provided by odoo-bin shell
the = world.build(env, max(LOADS))
RECOVERIES = list(the.recoveries.ids)
for cron in env["ir.cron"].sudo().search([("ir_actions_server_id.model_id.model", "like", "hvac.%")]):
    cron.write({"interval_number": 1, "interval_type": "minutes", "nextcall": "2000-01-01 00:00:00", "active": True})
env.cr.commit()
process, URL, logfile = world.start_server(
    env,
    "load",
    "--workers",
    str(options.workers),
    "--max-cron-threads",
    "1",
    "--limit-time-real",
    "300",
    "--limit-time-cpu",
    "300",
)
DB = env.cr.dbname


# --- simulated users -----------------------------------------------------------------------------------
class Stats:
    """Times per operation, kept apart while the server warms up (each new worker fills its caches
    on its first calls, each user's login hashes a password once): the tables show the steady
    state, the warm-up is reported on its own line. Errors, 5xx and records count throughout."""

    def __init__(self):
        self.lock = threading.Lock()
        self.measuring = False
        self.times, self.warmup_times = {}, []
        self.errors = {}
        self.server_errors = 0
        self.created, self.done = set(), set()

    def record(self, op, seconds, error=None):
        with self.lock:
            if self.measuring:
                self.times.setdefault(op, []).append(seconds)
            else:
                self.warmup_times.append(seconds)
            if error:
                self.errors[op] = self.errors.get(op, 0) + 1


class RpcError(Exception):
    """An error the server answered to a JSON-RPC call (a UserError, an AccessError...)."""


def timed(stats, op, func, *args, **kwargs):
    start = time.perf_counter()
    try:
        result = func(*args, **kwargs)
    except (RpcError, requests.RequestException, OSError) as error:
        stats.record(op, time.perf_counter() - start, error)
        response = getattr(error, "response", None)
        if response is not None and response.status_code >= 500:
            with stats.lock:
                stats.server_errors += 1
        return None
    stats.record(op, time.perf_counter() - start)
    return result


def web_session(login, password):
    """A user logged in as in the browser: one password check, then the session's cookie."""
    session = requests.Session()
    for attempt in range(3):
        try:
            response = session.post(
                f"{URL}/web/session/authenticate",
                json={"jsonrpc": "2.0", "params": {"db": DB, "login": login, "password": password}},
                timeout=120,
            )
            response.raise_for_status()
            return session
        except requests.RequestException:
            if attempt == 2:
                raise
            time.sleep(5)


def get(session, path, timeout=120):
    """A page or a report as the browser asks for it; an error status raises (``timed`` counts it,
    and a 5xx once among the server's errors)."""
    response = session.get(f"{URL}{path}", timeout=timeout)
    response.raise_for_status()
    return response


class Rpc:
    """Model methods called as the web client calls them: JSON-RPC on /web/dataset/call_kw within
    the user's session (not XML-RPC, which checks the password again in each worker)."""

    def __init__(self, login, password):
        self.session = web_session(login, password)

    def __call__(self, model, method, *args, **kwargs):
        response = self.session.post(
            f"{URL}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            },
            timeout=120,
        )
        response.raise_for_status()
        answer = response.json()
        if "error" in answer:
            raise RpcError(answer["error"].get("data", {}).get("message") or answer["error"].get("message"))
        return answer["result"]


def technician(n, stop, stats):
    rpc = Rpc(f"tech{n}", f"tech{n}-bench")
    mine = the.installations.ids
    while not stop.is_set():
        installation = random.choice(mine)
        fiche = timed(
            stats,
            "fiche: create draft",
            rpc,
            "hvac.intervention",
            "create",
            {"installation_id": installation, "nature": "maintenance"},
        )
        if not fiche:
            continue
        with stats.lock:
            stats.created.add(fiche)
        pause()
        timed(
            stats,
            "fiche: edit",
            rpc,
            "hvac.intervention",
            "write",
            [fiche],
            {"observations": "Contrôle des pressions, nettoyage condenseur", "charged_virgin_kg": 0.5},
        )
        pause()
        timed(
            stats,
            "fiche: sign",
            rpc,
            "hvac.intervention",
            "write",
            [fiche],
            {"operator_signature": world.PNG, "operator_signatory": f"Technicien {n}"},
        )
        pause()
        if timed(stats, "fiche: validate", rpc, "hvac.intervention", "action_done", [fiche]) is not None:
            with stats.lock:
                stats.done.add(fiche)
        pause()


def office_user(n, stop, stats):
    rpc = Rpc(f"office{n}", f"office{n}-bench")
    while not stop.is_set():
        rows = timed(
            stats,
            "office: list fiches",
            rpc,
            "hvac.intervention",
            "search_read",
            [("state", "=", "done")],
            fields=["name", "date", "installation_id", "state"],
            limit=80,
        )
        pause()
        if rows:
            report = f"/report/pdf/hvac_connect.report_hvac_intervention/{random.choice(rows)['id']}"
            timed(stats, "office: print fiche PDF", get, rpc.session, report)
            pause()
        if n % 2:
            send_bsff(rpc, stats)
        else:
            send_invoice(rpc, stats, n)
        pause()


def send_bsff(rpc, stats):
    """A BSFF from one recovery (Action › Create a BSFF), then Send to Trackdéchets."""
    with stats.lock:
        fiche = RECOVERIES.pop() if RECOVERIES else None
    if not fiche:
        return

    def create_and_send():
        wizard = rpc(
            "hvac.intervention.bsff.create",
            "create",
            {
                "intervention_ids": [(6, 0, [fiche])],
                "destination_partner_id": the.destination.id,
                "transporter_partner_id": the.transporter.id,
            },
        )
        bsff = rpc("hvac.intervention.bsff.create", "action_create", [wizard])["res_id"]
        return rpc("hvac.bsff", "action_send", [bsff])

    timed(stats, "office: BSFF create+send", create_and_send)


def send_invoice(rpc, stats, n):
    """An invoice to the public buyer, posted and sent through the four steps of the Chorus wizard."""

    def create_post_send():
        tax = rpc("account.tax", "search", [("type_tax_use", "=", "sale"), ("amount", "=", 20.0)], limit=1)
        invoice = rpc(
            "account.move",
            "create",
            {
                "move_type": "out_invoice",
                "partner_id": the.buyer.id,
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Maintenance des groupes froids",
                            "quantity": 1,
                            "price_unit": 180.0 + n,
                            "tax_ids": [(6, 0, tax)],
                        },
                    )
                ],
            },
        )
        rpc("account.move", "action_post", [invoice])
        wizard = rpc("hvac.chorus.send", "create", {}, context={"default_move_id": invoice})
        for _step in range(3):
            rpc("hvac.chorus.send", "action_next", [wizard])
        return rpc("hvac.chorus.send", "action_send", [wizard])

    timed(stats, "office: invoice create+post+send", create_post_send)


def holder(n, stop, stats):
    session = web_session(f"holder{n}", f"holder{n}-bench")
    while not stop.is_set():
        timed(stats, "portal: fiches list", get, session, "/my/fiches", timeout=60)
        pause()
        timed(stats, "portal: installations list", get, session, "/my/installations", timeout=60)
        pause()


def cpu_seconds():
    """CPU seconds used so far by each part sharing the machine: the simulated users and the fakes
    (this process, the schematron checker its Chorus fake starts), Odoo (its workers, cron worker
    and the wkhtmltopdf they ran), PostgreSQL."""
    parts = {}
    for proc in psutil.process_iter(["name"]):
        try:
            times = proc.cpu_times()
            if proc.pid == os.getpid() or (proc.ppid() == os.getpid() and proc.pid != process.pid):
                part = "simulated users and fakes"
            elif os.getpgid(proc.pid) == process.pid:
                part = "Odoo (workers, cron, wkhtmltopdf)"
            elif (proc.info["name"] or "").startswith("postgres"):
                part = "PostgreSQL"
            else:
                part = "other"
            parts[part] = parts.get(part, 0.0) + times.user + times.system + times.children_user + times.children_system
        except (psutil.NoSuchProcess, psutil.AccessDenied, ProcessLookupError):
            continue
    return parts


def pause():
    if options.think:
        time.sleep(random.expovariate(1 / options.think))


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


SERIALIZATION = re.compile(r"could not serialize access|SerializationFailure|concurrent update|deadlock detected", re.I)


def user(kind, n, stop, stats):
    """One simulated user; a login the server does not answer is an error, not a silent stop."""
    try:
        kind(n, stop, stats)
    except (RpcError, requests.RequestException, OSError) as error:
        stats.record(f"{kind.__name__}: login", 0.0, error)


def run(load):
    stop, stats, threads = threading.Event(), Stats(), []
    technicians, office = (int(share) / 100 for share in options.mix.split(",")[:2])
    kinds = [technician] * round(load * technicians) + [office_user] * round(load * office)
    kinds += [holder] * (load - len(kinds))
    counters = {}
    for kind in kinds:
        n = counters[kind] = counters.get(kind, -1) + 1
        threads.append(threading.Thread(target=user, args=(kind, n, stop, stats), daemon=True))
    log_start = os.path.getsize(logfile)
    for thread in threads:
        thread.start()
    time.sleep(options.warmup)
    with stats.lock:
        stats.measuring = True
    cpu_start = cpu_seconds()
    start = time.perf_counter()
    time.sleep(options.seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=180)
    elapsed = time.perf_counter() - start
    cpu_end = cpu_seconds()
    with open(logfile, errors="replace") as log:
        log.seek(log_start)
        lines = log.read().splitlines()
    serialization = [line for line in lines if SERIALIZATION.search(line)]
    drafts = sum(1 for line in serialization if "hvac_installation" in line or "next_leak_check" in line)
    env.invalidate_all()
    env.cr.rollback()
    found = set(env["hvac.intervention"].search([("id", "in", list(stats.created))]).ids)
    done_found = set(env["hvac.intervention"].search([("id", "in", list(stats.done)), ("state", "=", "done")]).ids)
    calls = sum(len(times) for times in stats.times.values())
    print(
        f"\n{load} users ({kinds.count(technician)} technicians, {kinds.count(office_user)} office,"
        f" {kinds.count(holder)} holders), measured for {elapsed:.0f} s after the warm-up, think time {options.think} s"
    )
    warm = stats.warmup_times
    print(
        f"warm-up, first {options.warmup} s (not in the table): {len(warm)} calls,"
        f" p50 {statistics.median(warm or [0]) * 1000:.0f} ms, p95 {percentile(warm, 0.95) * 1000:.0f} ms"
    )
    print(f"{'operation':<32} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for op in sorted(stats.times):
        times = stats.times[op]
        print(
            f"{op:<32} {len(times):6d} {statistics.median(times) * 1000:8.0f} {percentile(times, 0.95) * 1000:8.0f} {stats.errors.get(op, 0):7d}"
        )
    errors = sum(stats.errors.values())
    print(f"calls per second: {calls / elapsed:.1f}; errors answered by the server or timed out: {errors}")
    cores = psutil.cpu_count()
    used = {part: cpu_end.get(part, 0.0) - cpu_start.get(part, 0.0) for part in cpu_end}
    print(
        f"CPU, share of the {cores} cores over the run: "
        + ", ".join(f"{part} {seconds / elapsed / cores:.0%}" for part, seconds in sorted(used.items()))
    )
    print(f"HTTP 5xx: {stats.server_errors}")
    print(f"serialization failures in the server log: {len(serialization)} (on installations: {drafts})")
    print(
        f"fiches created: {len(stats.created)}, lost: {len(stats.created - found)}; validated: {len(stats.done)}, lost: {len(stats.done - done_found)}"
    )


try:
    for load in LOADS:
        run(load)
finally:
    world.stop_server(process)
    the.td.stop()
    the.chorus.stop()
    print(f"server log: {logfile}")
