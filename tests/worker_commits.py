"""A scheduled job's commits inside a test, and its worker killed between two of them.

Tests run in one transaction that ``commit()`` leaves alone. Here each commit of the job is a
savepoint instead, and ``kill()`` rolls back to the last one, as PostgreSQL does with the
transaction of a worker the watchdog killed (``--limit-time-real``) or that was recycled: what
the job committed stays, what it was doing is gone.
"""

from contextlib import contextmanager
from unittest.mock import patch

from odoo.tools import SQL

from odoo.addons.hvac_connect.models.common import commit as commit_module

SAVEPOINT = "hvac_worker_committed"


class WorkerKilled(Exception):
    """Raised where the worker dies; the test catches it and calls ``kill()``."""


class Worker:
    def __init__(self, env):
        self.env = env
        self.commits = 0

    def commit(self):
        self.env.cr.flush()
        self.env.cr.execute(SQL("SAVEPOINT %s", SQL.identifier(SAVEPOINT)))
        self.commits += 1

    def run(self, job):
        """``job()`` until the worker dies in it; True when it did. Not ``assertRaises``: Odoo's
        wraps the block in a savepoint whose rollback would undo the job's commits too."""
        try:
            job()
        except WorkerKilled:
            self.kill()
            return True
        return False

    def kill(self):
        """What PostgreSQL keeps of the dead worker's transaction: up to its last commit."""
        self.env.cr.execute(SQL("ROLLBACK TO SAVEPOINT %s", SQL.identifier(SAVEPOINT)))
        self.env.cr.clear()
        self.env.invalidate_all(flush=False)


@contextmanager
def committing_worker(env):
    worker = Worker(env)
    env.cr.flush()
    env.cr.execute(f"SAVEPOINT {SAVEPOINT}")  # the job's own transaction starts here
    with patch.object(commit_module, "can_commit", return_value=True), patch.object(env.cr, "commit", worker.commit):
        yield worker
