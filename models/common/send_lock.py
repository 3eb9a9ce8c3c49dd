"""One sender at a time for a record, across the commits a send makes, and the wait before a
send whose answer was lost is tried again.

A row lock (SELECT … FOR UPDATE) ends at the first commit, and a send commits before each
outside call; a second click or worker arriving after that commit would take the "sending"
state for a lost answer and retry at once. A session-level advisory lock lasts until it is
released, whatever the commits in between.
"""

from contextlib import contextmanager
from datetime import timedelta

from psycopg2 import errors as pg_errors
from psycopg2.extensions import TRANSACTION_STATUS_INERROR

from odoo import fields
from odoo.exceptions import UserError
from odoo.modules import module
from odoo.tools import SQL

# Beyond the remote side's own cut-off: its clock and ours, and the time its answer takes.
RETRY_MARGIN = timedelta(seconds=30)


@contextmanager
def exclusive_send(record, message):
    """Run the block only if no other session is sending ``record``; else ``message`` (a UserError).
    The record's row is locked too, and read again: what the other sender committed is seen."""
    cr = record.env.cr
    key = [record._table, record.id]
    cr.execute("SELECT pg_try_advisory_lock(%s::regclass::oid::int, %s)", key)
    if not cr.fetchone()[0]:
        raise UserError(message)
    try:
        lock_rows(record, message)
        yield
    finally:
        _release(cr, key)


def lock_rows(records, message):
    """Lock ``records``' rows until the next commit, or refuse with ``message`` (a UserError) when
    another transaction holds them: a double click or a second worker stops here."""
    if not records:
        return
    try:
        # NO KEY UPDATE: a row that merely points to the record (another user's wizard being
        # opened on it) holds a KEY SHARE lock, which FOR UPDATE would wait for. Logged as a
        # refusal, not a bad query: no ERROR line.
        records.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                SQL.identifier(records._table),
                tuple(records.ids),
            ),
            log_exceptions=False,
        )
    except pg_errors.LockNotAvailable:
        # The message was built before: once the lock is refused, the transaction answers no more query.
        raise UserError(message) from None
    records.invalidate_recordset()


def retry_after(sent_at, cutoff):
    """When a call sent at ``sent_at`` whose answer was lost may be looked for and tried again:
    once the remote side, which gives up after ``cutoff``, surely has. False when it may now."""
    if not sent_at:
        return False
    after = sent_at + cutoff + RETRY_MARGIN
    return after if after > fields.Datetime.now() else False


def local_time(record, when):
    """``when`` (UTC, as stored) as the user reads it on the clock."""
    return fields.Datetime.context_timestamp(record, when).strftime("%H:%M:%S")


def _release(cr, key):
    connection = getattr(cr, "_cnx", None)
    if connection is not None and connection.get_transaction_status() == TRANSACTION_STATUS_INERROR:
        if module.current_test:
            return  # the test's savepoint is rolled back by the test itself
        cr.rollback()  # rolled back anyway; the lock must not outlive the failed request
    cr.execute("SELECT pg_advisory_unlock(%s::regclass::oid::int, %s)", key)
