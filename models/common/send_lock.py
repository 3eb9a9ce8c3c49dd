"""One sender at a time for a record, across the commits a send makes.

A row lock (SELECT … FOR UPDATE) ends at the first commit, and a send commits before each
outside call; a second click or worker arriving after that commit would take the "sending"
state for a lost answer and retry at once. A session-level advisory lock lasts until it is
released, whatever the commits in between.
"""

from contextlib import contextmanager

from psycopg2.extensions import TRANSACTION_STATUS_INERROR

from odoo.exceptions import UserError
from odoo.modules import module


@contextmanager
def exclusive_send(record, message):
    """Run the block only if no other session is sending ``record``; else ``message`` (a UserError)."""
    cr = record.env.cr
    key = [record._table, record.id]
    cr.execute("SELECT pg_try_advisory_lock(%s::regclass::oid::int, %s)", key)
    if not cr.fetchone()[0]:
        raise UserError(message)
    try:
        yield
    finally:
        _release(cr, key)


def _release(cr, key):
    connection = getattr(cr, "_cnx", None)
    if connection is not None and connection.get_transaction_status() == TRANSACTION_STATUS_INERROR:
        if module.current_test:
            return  # the test's savepoint is rolled back by the test itself
        cr.rollback()  # rolled back anyway; the lock must not outlive the failed request
    cr.execute("SELECT pg_advisory_unlock(%s::regclass::oid::int, %s)", key)
