"""The one place the module commits a transaction of its own.

A send records each step in the database before its outside call, and a batch job keeps each
page it finished: both commit so that a crash, a lost answer or the next page's failure leaves
what was done recoverable. Build on ``commit()``; never call ``cr.commit()`` elsewhere.
"""

from odoo.modules import module
from odoo.tools import config


def can_commit():
    """Core's rule (``account.move._can_commit``): never inside a test, whose transaction is
    rolled back at its end, nor on a server started with ``--test-enable``."""
    return not config["test_enable"] and not module.current_test


def commit(env):
    """Commit ``env``'s transaction where core would; else leave it to the caller's transaction."""
    if can_commit():
        env.cr.commit()  # pylint: disable=invalid-commit
