# Benchmark, run by `./dev bench recycle [--slips 20] [--delay 2] [--limit 120]` inside
# `odoo-bin shell` (``env`` is given; the options come through HVAC_BENCH_ARGS, set by ./dev).
# A long job under a worker the server kills: BSFF queued with the list's *Send to Trackdéchets*
# (``action_send_in_background``) are sent by the cron worker of a real multi-worker Odoo whose
# watchdog kills any job running longer than ``--limit`` seconds (``--limit-time-real-cron``),
# while the fake Trackdéchets answers each call ``--delay`` seconds after applying it: sending
# one slip takes several calls, so the worker dies in the middle of sends; and the first answer of
# each step of a send (--cut) is held until the worker waiting for it is killed: a call that
# Trackdéchets applied and whose answer never came back. It waits until no slip is queued
# and prints how many times the worker was killed, how many slips were sent, and what
# Trackdéchets holds: one BSFF per slip (a duplicate is a slip sent twice) and the fiches the
# slips carry (a fiche created twice is left over there). It asserts nothing: it measures.
import argparse
import os
import re
import shlex
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import odoo.addons.hvac_connect as hvac_connect

sys.path.insert(0, str(Path(hvac_connect.__file__).parent / "bench"))
import world  # noqa: E402

parser = argparse.ArgumentParser(prog="./dev bench recycle")
parser.add_argument("--slips", type=int, default=20, help="BSFF queued (default 20)")
parser.add_argument("--delay", type=float, default=2.0, help="seconds each Trackdéchets answer takes (default 2)")
# Odoo's default (--limit-time-real). Its cron worker pings the watchdog before it sleeps (up to
# 70 s when no job is due), not after: a job gets what is left of the limit after that sleep.
parser.add_argument("--limit", type=int, default=120, help="the cron worker's real-time limit, in s (default 120)")
parser.add_argument(
    "--cut",
    default="CreateFiche,CreateDraftBsff,PublishBsff,SignBsff",
    help="calls whose first answer is held until the worker is killed (default: each step of a send)",
)
parser.add_argument("--timeout", type=int, default=1200, help="give up after this many seconds (default 1200)")
options = parser.parse_args(shlex.split(os.environ.get("HVAC_BENCH_ARGS", "")))
env = env  # noqa: F821, PLW0127 - provided by odoo-bin shell

the = world.build(env, 2)
office = the.office[0]
Wizard = env["hvac.intervention.bsff.create"].with_user(office)
slips = env["hvac.bsff"]
for fiche in the.recoveries[: options.slips]:
    wizard = Wizard.create(
        {
            "intervention_ids": [(6, 0, fiche.ids)],
            "destination_partner_id": the.destination.id,
            "transporter_partner_id": the.transporter.id,
        }
    )
    slips |= slips.browse(wizard.action_create()["res_id"])
slips.with_user(office).action_send_in_background()
# Odoo waits for an answer longer than the worker may live: the watchdog, not a timeout, ends it.
env["ir.config_parameter"].sudo().set_param("hvac_connect.trackdechets_timeout", str(options.limit + 60))
env.cr.commit()
the.td.answer_delay = options.delay
# When each call was applied, to tell which answers the kills cut. Each step named in --cut is
# cut once, on its own slip, a quarter of the queue apart: in between, runs that end normally
# reset Odoo's count of kills in a row (three of them and it gives the job up for an interval).
applied = []
apply_call = the.td.execute
steps = [step for step in options.cut.split(",") if step]
to_cut = {(step, slips[len(slips) * n // len(steps)].name) for n, step in enumerate(steps)}
held = set()
slip_of_fiche = {line.numero: line.bsff_id.name for line in slips.fiche_ids}


def reference_of(bsff):
    """Our send reference on a BSFF, as sent (an input) or as Trackdéchets holds it."""
    return ((bsff or {}).get("emitter") or {}).get("customInfo")


def slip_named(body):
    variables = body.get("variables") or {}
    values = variables.get("input") or {}
    if "numero" in values:
        return slip_of_fiche.get(values["numero"])
    reference = reference_of(values) or reference_of(the.td.bsffs.get(variables.get("id")))
    return reference.split(":")[1] if reference else None


def execute(token, body):
    answer = apply_call(token, body)
    step, slip = body.get("operationName"), slip_named(body)
    label = f"{step} of {slip}"
    applied.append((datetime.now(), label))
    if (step, slip) in to_cut:
        to_cut.discard((step, slip))
        held.add(label)
        time.sleep(options.limit + 10)
    return answer


the.td.execute = execute

process, url, logfile = world.start_server(
    env,
    "recycle",
    "--workers",
    "1",
    "--max-cron-threads",
    "1",
    "--limit-time-real-cron",
    str(options.limit),
)
start = time.monotonic()
try:
    while time.monotonic() < start + options.timeout:
        time.sleep(5)
        env.invalidate_all()
        env.cr.rollback()
        if not slips.filtered("send_queued_by"):
            break
finally:
    world.stop_server(process)
    the.td.stop()
    the.chorus.stop()
elapsed = time.monotonic() - start

with open(logfile, errors="replace") as log:
    text = log.read()
kill_times = {}
for stamp, pid in re.findall(
    r"^(\S+ \S+) \d+ ERROR \S+ odoo.service.server: WorkerCron \((\d+)\) timeout after", text, re.M
):
    kill_times.setdefault(pid, datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f"))
kills = len(kill_times)
found_again = len(re.findall(r"found on Trackdéchets after a lost answer", text))
given_up = len(re.findall(r"Job '.*' \(\d+\) timed out", text))
env.invalidate_all()
env.cr.rollback()
sent = slips.filtered(lambda slip: slip.td_id and slip.state not in ("draft", "sending"))
queued = slips.filtered("send_queued_by")
failed = slips.filtered("send_error")
references = Counter(reference_of(bsff) for bsff in the.td.bsffs.values())
ours = [references[slip.send_reference] for slip in slips if slip.send_reference]
numeros = Counter(fiche["numero"] for fiche in the.td.fiches.values())
expected_fiches = set(slips.fiche_ids.mapped("numero"))
print(f"\n{len(slips)} BSFF queued; cron worker limited to {options.limit} s; each answer {options.delay} s late")
print(f"cron worker killed by the watchdog: {kills} times (server log: {logfile})")
for when in sorted(kill_times.values()):
    before = [(at, name) for at, name in applied if at <= when]
    at, name = before[-1] if before else (when, "nothing")
    pending = (when - at).total_seconds() < options.delay or name in held
    print(
        f"  killed at {when:%H:%M:%S}, {(when - at).total_seconds():.0f} s after Trackdéchets applied {name}"
        + (": its answer never came back" if pending else "")
    )
print(f"slips found again by their reference after a lost creation answer: {found_again}")
print(f"job given up by Odoo after three kills in a row (rescheduled an interval later): {given_up} times")
print(
    f"sent and signed: {len(sent)} of {len(slips)} in {elapsed:.0f} s; still queued: {len(queued)}; errors: {len(failed)}"
)
for slip in failed:
    print(f"  {slip.name}: {slip.send_error}")
print(
    f"on Trackdéchets: {sum(ours)} BSFF for our {len(ours)} slips sent"
    f" (created twice: {sum(count - 1 for count in ours if count > 1)})"
)
print(
    f"fiches on Trackdéchets: {sum(numeros[n] for n in expected_fiches)} for {len(expected_fiches)} fiches"
    f" (created twice: {sum(numeros[n] - 1 for n in expected_fiches if numeros[n] > 1)})"
)
for slip in sent:
    if reference_of(the.td.bsffs.get(slip.td_id)) != slip.send_reference:
        print(f"  {slip.name}: {slip.td_id} on Trackdéchets is not this slip")
