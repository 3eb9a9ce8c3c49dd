"""Scheduled jobs under many workers: a batch of rows at a time, taken, done and committed
before the next, and the scheduler told how far the job got.

A job never waits for a row another transaction holds (a user saving it, another worker): it
leaves it (``FOR NO KEY UPDATE SKIP LOCKED``) to a later run. It never holds a row longer than
one batch: a commit ends each. What a batch did is kept on the records themselves (a date
reminded, a page imported, a state), so a worker killed mid-way (the ``--limit-time-real``
watchdog, ``--limit-memory-hard``) loses at most the batch under way, which the next run does
again; the commit helper keeps tests in one transaction.
"""

import time
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import fields
from odoo.tools import SQL, config

from .commit import commit

BATCH_SIZE = 100
# A row skipped because someone held it is tried again this much later, not a whole interval later.
RETRY_SKIPPED = timedelta(minutes=5)
# Odoo's scheduler calls a job that reports work left up to ten times in a row (ir_cron's
# MAX_BATCH_PER_CRON_JOB) before the worker pings its watchdog again: each call gets a share of
# the real-time limit that keeps the ten of them under it, with room for the last batch.
CALLS_PER_RUN = 10


def take(records):
    """``records`` whose rows no other transaction holds, locked until the next commit, in
    their order; the others are left for a later batch or run."""
    if not records:
        return records
    free = _lock_free(records.env.cr, records._table, records.ids)
    taken = records.browse([record_id for record_id in records.ids if record_id in free])
    taken.invalidate_recordset()  # read again what the holder may have committed before us
    return taken


def _lock_free(cr, table, ids):
    query = SQL("SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE SKIP LOCKED", SQL.identifier(table), tuple(ids))
    try:
        with cr.savepoint(flush=False):
            cr.execute(query, log_exceptions=False)
            return {row[0] for row in cr.fetchall()}
    except pg_errors.SerializationFailure:
        if len(ids) == 1:
            # Changed and committed by someone else since this transaction began (repeatable
            # read): the next batch, in a new transaction, sees it.
            return set()
    return set().union(*(_lock_free(cr, table, [record_id]) for record_id in ids))


def in_batches(records, work, size=None, job=None):
    """``work(batch)`` on ``records``, ``size`` at a time in their order: each batch taken
    (``take``), worked and committed before the next. Returns the records left because another
    transaction held them; a job that must not wait a whole interval for them triggers itself.
    A job of several steps passes one ``job`` to each, so that the scheduler sees their sum."""
    size = size or BATCH_SIZE
    skipped = records.browse()
    if job is None:
        job = Job(records.env, len(records))
    else:
        job.left += len(records)
    for start in range(0, len(records), size):
        chunk = records[start : start + size]
        batch = take(chunk)
        skipped |= chunk - batch
        if batch:
            work(batch)
        going_on = job.step(len(batch), len(chunk))
        records.env.invalidate_all()  # committed: memory stays bounded by one batch
        if not going_on:
            break
    return skipped


def again_soon(env, cron_xmlid, skipped):
    """Run the job ``cron_xmlid`` again soon when ``skipped`` holds rows it left to their holder."""
    if skipped:
        env.ref(cron_xmlid).sudo()._trigger(fields.Datetime.now() + RETRY_SKIPPED)


class Job:
    """How far a scheduled job got: ``step()`` after each batch commits it, tells the scheduler
    what is done and left (``ir.cron._notify_progress``: a job with work left is called again,
    one killed mid-way is run again), and says whether this call may take another batch."""

    def __init__(self, env, total):
        self.env = env
        self.done = 0
        self.left = total
        self.deadline = _deadline(env)

    def step(self, done, examined=None):
        """``done`` records (or pages) finished, out of ``examined`` (as many by default)."""
        self.done += done
        self.left = max(0, self.left - (done if examined is None else examined))
        self.env["ir.cron"]._notify_progress(done=self.done, remaining=self.left)
        commit(self.env)
        return not (self.left and self.deadline and time.monotonic() > self.deadline)


def _deadline(env):
    """When a call of the scheduler's should stop taking batches, or None: only the scheduler's
    own calls (``cron_id`` in context, ``ir.cron._run_job``) in a server with workers, whose
    watchdog kills a job past the real-time limit, have one."""
    if not env.context.get("cron_id") or not config["workers"]:
        return None
    limit = config["limit_time_real_cron"]
    if limit is None or limit < 0:
        limit = config["limit_time_real"]
    if not limit or limit <= 0:
        return None
    return time.monotonic() + limit / (2 * CALLS_PER_RUN)
