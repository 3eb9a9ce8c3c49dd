"""Another database session, as a second Odoo worker would hold: it takes the send lock of a
record while the test tries to send it."""

from contextlib import contextmanager

from odoo import sql_db


@contextmanager
def sending_elsewhere(record):
    cr = sql_db.db_connect(record.env.cr.dbname).cursor()
    key = [record._table, record.id]
    try:
        cr.execute("SELECT pg_advisory_lock(%s::regclass::oid::int, %s)", key)
        yield
        cr.execute("SELECT pg_advisory_unlock(%s::regclass::oid::int, %s)", key)
    finally:
        cr.close()
