# Benchmark, run by `./dev bench load [--users 20,50] [--seconds 120] [--think 1.0]` inside
# `odoo-bin shell` (``env`` is given; the options come through HVAC_BENCH_ARGS, set by ./dev).
# Odoo as production runs it: a second `odoo-bin` on this database with --workers 4 and one cron
# thread, the fake Trackdéchets and Chorus Pro of the tests on loopback. Simulated users work at
# once for the given time, at each load in turn:
#   technicians (60 %) create a draft fiche, edit it, sign it and validate it, on installations
#   that several of them share;
#   office users (25 %) list the fiches, print one as PDF, and send a BSFF (Trackdéchets) or an
#   invoice (Chorus Pro) to the fakes;
#   holders (15 %) read their fiches on the customer portal;
# while the module's crons run every minute (planning, Trackdéchets and Chorus Pro follow-ups,
# share transfer). Prints calls per second, p50/p95 per operation, HTTP 5xx and RPC faults,
# PostgreSQL serialization failures read from the server's log, and records lost (fiches a
# client was told were created but are not in the database). It asserts nothing: it measures.
import argparse
import base64
import os
import random
import re
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time
import xmlrpc.client
from datetime import date, timedelta
from pathlib import Path

import requests

from odoo.tools import config

import odoo.addons.hvac_connect as hvac_connect

# A top-level import: importing the tests package would pull Odoo's test framework into the shell.
sys.path.insert(0, str(Path(hvac_connect.__file__).parent / "tests"))
import chorus_fake  # noqa: E402
import odoo_peer  # noqa: E402
import trackdechets_fake  # noqa: E402

parser = argparse.ArgumentParser(prog="./dev bench load")
parser.add_argument("--users", default="20,50", help="simulated users, one run per figure (default 20,50)")
parser.add_argument("--seconds", type=int, default=120, help="duration of each run (default 120)")
parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's calls, in s (default 1.0)")
parser.add_argument("--workers", type=int, default=4, help="Odoo HTTP workers (default 4)")
options = parser.parse_args(shlex.split(os.environ.get("HVAC_BENCH_ARGS", "")))
LOADS = [int(n) for n in options.users.split(",")]
MAX_USERS = max(LOADS)
OUR_SIRET, BUYER_SIRET = "85200000900013", "21690123100011"
DESTINATION_SIRET, TRANSPORTER_SIRET = "26690027300019", "44306184100047"
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63600000000200015e2e4d3b0000000049454e44ae426082"
    )
).decode()
env = env  # noqa: F821, PLW0127 - provided by odoo-bin shell
today = date.today()

# --- the fakes and the company --------------------------------------------------------------------
td = trackdechets_fake.FakeTrackdechets().start()
chorus = chorus_fake.FakeChorus().start()
params = env["ir.config_parameter"].sudo()
params.set_param("hvac_connect.trackdechets_endpoint", td.url)
params.set_param("hvac_connect.trackdechets_timeout", "10")
params.set_param("hvac_connect.chorus_token_url", f"{chorus.url}/api/oauth/token")
params.set_param("hvac_connect.chorus_api_url", chorus.url)
fr = env.ref("base.fr")
company = env.company
company.write(
    {
        "name": "Froid Rhône Services",
        "street": "12 rue du Froid",
        "zip": "69007",
        "city": "Lyon",
        "country_id": fr.id,
        "phone": "+33 4 72 00 00 00",
        "email": "contact@froid-rhone.fr",
        "vat": "FR84852000009",
        "hvac_capacity_number": "FR-2024-0042",
        "hvac_capacity_category": "I",
        "hvac_capacity_valid_until": today + timedelta(days=900),
        "hvac_detector_reference": "Testo 316-3 n° 41022",
        "hvac_detector_check_date": today - timedelta(days=60),
    }
)
company._hvac_demo_siret(company.ids, OUR_SIRET)
company._hvac_demo_french_chart()  # French VAT for the invoices
env["res.partner.bank"].create(
    {"acc_number": "FR7630006000011234567890189", "partner_id": company.partner_id.id, "allow_out_payment": True}
)
company.sudo().write(
    {
        "hvac_chorus_environment": "qualification",
        "hvac_chorus_piste_client_id": "piste-id",
        "hvac_chorus_piste_client_secret": "piste-secret",
        "hvac_chorus_login": "TECH_hvac@cpro.fr",
        "hvac_chorus_password": "Pass-1234",
    }
)
company._hvac_chorus_test_connection()
buyer = env["res.partner"].create(
    {
        "name": "Métropole de Lyon",
        "is_company": True,
        "street": "20 rue du Lac",
        "zip": "69003",
        "city": "Lyon",
        "country_id": fr.id,
    }
)
buyer._hvac_demo_siret(buyer.ids, BUYER_SIRET) if hasattr(buyer, "_hvac_demo_siret") else buyer.write(
    {"siret": BUYER_SIRET}
)
chorus.add_structure(
    BUYER_SIRET,
    "Métropole de Lyon",
    address={"adresse": "20 rue du Lac", "codePostal": "69003", "ville": "Lyon", "pays": "FR"},
)
# Looked up as the Chorus Pro lookup does (the shell's superuser holds no Chorus right).
buyer._hvac_chorus_refresh(company._hvac_chorus_client())
destination = env["res.partner"].create(
    {
        "name": "Régénération Rhône",
        "is_company": True,
        "street": "1 avenue de l'Industrie",
        "zip": "69190",
        "city": "Saint-Fons",
        "country_id": fr.id,
        "phone": "+33 4 78 11 22 33",
        "email": "reception@regeneration-rhone.fr",
        "hvac_fluid_treatment": True,
    }
)
destination.write({"siret": DESTINATION_SIRET})
transporter = env["res.partner"].create(
    {
        "name": "Transports Alpes",
        "is_company": True,
        "street": "4 rue des Routiers",
        "zip": "69100",
        "city": "Villeurbanne",
        "country_id": fr.id,
        "phone": "+33 4 78 44 55 66",
        "email": "exploitation@transports-alpes.fr",
    }
)
transporter.write({"siret": TRANSPORTER_SIRET})
td.add_company(DESTINATION_SIRET, "Régénération Rhône", ["WASTEPROCESSOR"])
td.add_company(
    TRANSPORTER_SIRET,
    "Transports Alpes",
    ["TRANSPORTER"],
    {"receiptNumber": "REC-69-001", "department": "69", "validityLimit": "2030-06-30T00:00:00Z"},
)

# --- people -----------------------------------------------------------------------------------------


def users(prefix, count, groups, **values):
    return env["res.users"].create(
        [
            {
                "name": f"{prefix.title()} {n}",
                "login": f"{prefix}{n}",
                "password": f"{prefix}{n}-bench",
                "email": f"{prefix}{n}@froid-rhone.fr",
                "phone": "+33 6 00 00 00 %02d" % (n % 100),
                "groups_id": [(6, 0, [env.ref(g).id for g in groups])],
                **values,
            }
            for n in range(count)
        ]
    )


technicians = users("tech", MAX_USERS, ["base.group_user", "hvac_connect.group_hvac_user"])
office = users(
    "office",
    MAX_USERS,
    [
        "base.group_user",
        "hvac_connect.group_hvac_manager",
        "hvac_connect.group_trackdechets_full",
        "hvac_connect.group_chorus_user",
        "account.group_account_invoice",
    ],
)
for user in office:
    td.add_user(f"token-{user.login}", user.email, [OUR_SIRET], user.name)
    user.hvac_trackdechets_token = f"token-{user.login}"
office[0].with_user(office[0]).action_hvac_designate_trackdechets_contact()
# Whoever validates a fiche holds an attestation d'aptitude that covers it.
env["hvac.qualification"].create(
    [
        {
            "user_id": user.id,
            "category": "I",
            "issuer": "Bureau Veritas",
            "name": f"AA-{user.id}",
            "date_issued": today - timedelta(days=365),
        }
        for user in technicians | office
    ]
)

# --- customers, installations, containers, fiches ---------------------------------------------------


def luhn_completed(digits):
    """``digits`` followed by the digit that makes the whole pass the Luhn check (SIREN, SIRET)."""
    total = sum(sum(divmod(int(d) * (2 if i % 2 == 0 else 1), 10)) for i, d in enumerate(reversed(digits)))
    return digits + str((10 - total % 10) % 10)


# The holders are the BSFF's détenteurs: Trackdéchets wants their SIRET and phone.
customers = env["res.partner"].create(
    [
        {
            "name": f"Client {n}",
            "is_company": True,
            "street": f"{n + 1} rue Garibaldi",
            "zip": "69003",
            "city": "Lyon",
            "country_id": fr.id,
            "email": f"client{n}@exemple.fr",
            "phone": "+33 4 78 60 %02d %02d" % (n, n),
        }
        for n in range(20)
    ]
)
for n, customer in enumerate(customers):
    customer.write({"siret": luhn_completed(luhn_completed(f"4{n:02d}00000") + "0001")})
holders = env["res.users"].create(
    [
        {
            "name": f"Détenteur {n}",
            "login": f"holder{n}",
            "password": f"holder{n}-bench",
            "partner_id": env["res.partner"]
            .create({"name": f"Contact {n}", "parent_id": customers[n % 20].id, "email": f"holder{n}@exemple.fr"})
            .id,
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
        }
        for n in range(MAX_USERS)
    ]
)
sites = env["hvac.site"].create(
    [
        {
            "name": f"Site {n}",
            "partner_id": customers[n % 20].id,
            "street": f"{n} quai Perrache",
            "zip": "69002",
            "city": "Lyon",
        }
        for n in range(40)
    ]
)
fluid = env.ref("hvac_connect.refrigerant_r_410a")
# Fewer installations than technicians: several technicians work on the same installation.
installations = env["hvac.installation"].create(
    [
        {
            "name": f"Groupe {n}",
            "building_id": sites[n % 40].building_ids[:1].id,
            "refrigerant_id": fluid.id,
            "charge_kg": 12.0,
            "serial_number": f"SN-{n:05d}",
            "technician_id": technicians[n % len(technicians)].id,
        }
        for n in range(max(MAX_USERS // 2, 5))
    ]
)
containers = env["hvac.container"].create(
    [
        {
            "name": f"BT-{n:03d}",
            "refrigerant_id": fluid.id,
            "capacity_kg": 10_000.0,
            "volume_l": 52.0,
            "initial_weight_kg": 0.0,
            "state": "recovered",
        }
        for n in range(MAX_USERS)
    ]
)
# Dismantlings already validated, their fluid in recovery cylinders: what the office sends as BSFF.
with env["hvac.intervention"]._hvac_protected():
    recoveries = env["hvac.intervention"].create(
        [
            {
                "installation_id": installations[n % len(installations)].id,
                "nature": "dismantling",
                "state": "done",
                "name": f"FI/BENCH/{n:05d}",
                "date": today - timedelta(days=2),
                "recovered_treatment_kg": 2.0,
                "destination_partner_id": destination.id,
                "container_move_ids": [
                    (
                        0,
                        0,
                        {"container_id": containers[n % len(containers)].id, "direction": "fill", "quantity_kg": 2.0},
                    )
                ],
            }
            for n in range(MAX_USERS * 40)
        ]
    )
RECOVERIES = list(recoveries.ids)
for cron in env["ir.cron"].sudo().search([("ir_actions_server_id.model_id.model", "like", "hvac.%")]):
    cron.write({"interval_number": 1, "interval_type": "minutes", "nextcall": "2000-01-01 00:00:00", "active": True})
env.cr.commit()

# --- the server --------------------------------------------------------------------------------------
logdir = Path(config["data_dir"]) / "logs"
logdir.mkdir(parents=True, exist_ok=True)
logfile = str(logdir / f"load-{time.strftime('%Y%m%d-%H%M%S')}.log")
server = odoo_peer.OdooPeer(env.cr.dbname, logfile, login="tech0", password="tech0-bench")
server.start = lambda: None  # noqa: E731 - started below, with workers
command = server._command(
    "--http-port",
    str(server.port),
    "--http-interface",
    "127.0.0.1",
    "--workers",
    str(options.workers),
    "--max-cron-threads",
    "1",
    "--db-filter",
    f"^{env.cr.dbname}$",
    "--log-level",
    "info",
    "--logfile",
    logfile,
    "--limit-time-real",
    "300",
    "--limit-time-cpu",
    "300",
)
# Its own process group: stopping it stops its workers too, a cron worker busy in a job included.
process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)  # noqa: S603 - our own Odoo
URL = server.url
deadline = time.monotonic() + 180
while time.monotonic() < deadline:
    try:
        if requests.get(f"{URL}/web/login", timeout=5).status_code == 200:
            break
    except requests.RequestException:
        pass
    time.sleep(1)
else:
    process.terminate()
    raise SystemExit(f"the server did not start (see {logfile})")
DB = env.cr.dbname


# --- simulated users -----------------------------------------------------------------------------------
class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = {}
        self.errors = {}
        self.server_errors = 0
        self.created, self.done = set(), set()

    def record(self, op, seconds, error=None):
        with self.lock:
            self.times.setdefault(op, []).append(seconds)
            if error:
                self.errors[op] = self.errors.get(op, 0) + 1


def timed(stats, op, func, *args, **kwargs):
    start = time.perf_counter()
    try:
        result = func(*args, **kwargs)
    except (xmlrpc.client.Fault, xmlrpc.client.ProtocolError, requests.RequestException, OSError) as error:
        stats.record(op, time.perf_counter() - start, error)
        if isinstance(error, xmlrpc.client.ProtocolError) and error.errcode >= 500:
            with stats.lock:
                stats.server_errors += 1
        return None
    stats.record(op, time.perf_counter() - start)
    return result


class Rpc:
    def __init__(self, login, password):
        common = xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/common")
        self.uid = common.authenticate(DB, login, password, {})
        self.password = password
        self.proxy = xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.proxy.execute_kw(DB, self.uid, self.password, model, method, list(args), kwargs)


def web_session(login, password):
    session = requests.Session()
    response = session.post(
        f"{URL}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": DB, "login": login, "password": password}},
        timeout=30,
    )
    response.raise_for_status()
    return session


def technician(n, stop, stats):
    rpc = Rpc(f"tech{n}", f"tech{n}-bench")
    mine = installations.ids
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
            {"operator_signature": PNG, "operator_signatory": f"Technicien {n}"},
        )
        pause()
        if timed(stats, "fiche: validate", rpc, "hvac.intervention", "action_done", [fiche]) is not None:
            with stats.lock:
                stats.done.add(fiche)
        pause()


def office_user(n, stop, stats):
    rpc = Rpc(f"office{n}", f"office{n}-bench")
    session = web_session(f"office{n}", f"office{n}-bench")
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
            fiche = random.choice(rows)["id"]

            def pdf(fiche=fiche):
                response = session.get(f"{URL}/report/pdf/hvac_connect.report_hvac_intervention/{fiche}", timeout=120)
                if response.status_code >= 500:
                    with stats.lock:
                        stats.server_errors += 1
                response.raise_for_status()
                return response

            timed(stats, "office: print fiche PDF", pdf)
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
                "destination_partner_id": destination.id,
                "transporter_partner_id": transporter.id,
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
                "partner_id": buyer.id,
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

        def page(path):
            response = session.get(f"{URL}{path}", timeout=60)
            if response.status_code >= 500:
                with stats.lock:
                    stats.server_errors += 1
            response.raise_for_status()
            return response

        timed(stats, "portal: fiches list", page, "/my/fiches")
        pause()
        timed(stats, "portal: installations list", page, "/my/installations")
        pause()


def pause():
    if options.think:
        time.sleep(random.expovariate(1 / options.think))


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


SERIALIZATION = re.compile(r"could not serialize access|SerializationFailure|concurrent update|deadlock detected", re.I)


def run(load):
    stop, stats, threads = threading.Event(), Stats(), []
    kinds = [technician] * round(load * 0.6) + [office_user] * round(load * 0.25)
    kinds += [holder] * (load - len(kinds))
    counters = {}
    for kind in kinds:
        n = counters[kind] = counters.get(kind, -1) + 1
        threads.append(threading.Thread(target=kind, args=(n, stop, stats), daemon=True))
    log_start = os.path.getsize(logfile)
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(options.seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=180)
    elapsed = time.perf_counter() - start
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
        f"\n{load} users ({kinds.count(technician)} technicians, {kinds.count(office_user)} office, {kinds.count(holder)} holders), {elapsed:.0f} s, think time {options.think} s"
    )
    print(f"{'operation':<32} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for op in sorted(stats.times):
        times = stats.times[op]
        print(
            f"{op:<32} {len(times):6d} {statistics.median(times) * 1000:8.0f} {percentile(times, 0.95) * 1000:8.0f} {stats.errors.get(op, 0):7d}"
        )
    print(f"calls per second: {calls / elapsed:.1f}")
    print(f"HTTP 5xx: {stats.server_errors}")
    print(f"serialization failures in the server log: {len(serialization)} (on installations: {drafts})")
    print(
        f"fiches created: {len(stats.created)}, lost: {len(stats.created - found)}; validated: {len(stats.done)}, lost: {len(stats.done - done_found)}"
    )


try:
    for load in LOADS:
        run(load)
finally:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    td.stop()
    chorus.stop()
    print(f"server log: {logfile}")
