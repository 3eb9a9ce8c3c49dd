"""The Chorus send lock, tried against a second database session as another Odoo worker holds
it. Row locks only meet on a row both sessions see, so the invoice is committed before the test's
own transaction starts, and deleted after it (test data is otherwise never committed)."""

from contextlib import closing

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import TransactionCase, get_db_name, tagged


def _committed_move(dbname):
    """Any committed account_move row; if there is none (tests run without demo data), one
    committed here: (move id, whether this test made it)."""
    with Registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if move := env["account.move"].search([], limit=1):
            return move.id, False
        journal = env["account.journal"].search([("type", "=", "general")], limit=1)
        move = env["account.move"].create(
            {"move_type": "entry", "journal_id": journal.id, "company_id": journal.company_id.id}
        )
        cr.commit()
        return move.id, True


def _delete_move(dbname, move_id):
    with Registry(dbname).cursor() as cr:
        api.Environment(cr, SUPERUSER_ID, {})["account.move"].browse(move_id).unlink()
        cr.commit()


@tagged("post_install", "-at_install")
class TestChorusSendLock(TransactionCase):
    @classmethod
    def setUpClass(cls):
        # Before super(): the test's transaction (repeatable read) then sees the committed row.
        dbname = get_db_name()
        move_id, made_here = _committed_move(dbname)
        if made_here:
            cls.addClassCleanup(_delete_move, dbname, move_id)  # runs after the test's cursor is closed
        super().setUpClass()
        cls.move = cls.env["account.move"].browse(move_id)

    def _other_session_locks(self, mode):
        """A second session holding ``mode`` on the invoice's row; the caller closes it."""
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(other.close)
        self.addCleanup(other.rollback)
        # NOWAIT there too: the test's own transaction must not be holding that row.
        other.execute(f"SELECT id FROM account_move WHERE id = %s FOR {mode} NOWAIT", [self.move.id])  # noqa: S608 - a lock mode of ours
        self.assertEqual(other.fetchall(), [(self.move.id,)], "the other session sees and locks the committed row")
        return other

    def test_a_wizard_open_elsewhere_does_not_block_a_send_but_a_send_does(self):
        # Another user opening the send wizard: a row pointing to the invoice holds KEY SHARE on it.
        other = self._other_session_locks("KEY SHARE")
        with closing(self.env.cr.savepoint()):  # rolled back: our lock goes with it
            self.move._hvac_chorus_lock()  # not refused
        other.rollback()
        # A real send elsewhere holds the row for update: refused, without poisoning our transaction.
        self._other_session_locks("NO KEY UPDATE")
        with self.assertRaisesRegex(UserError, "being sent to Chorus Pro by someone else"), self.env.cr.savepoint():
            self.move._hvac_chorus_lock()
        self.env.cr.execute("SELECT 1")
        self.assertEqual(self.env.cr.fetchall(), [(1,)], "the test's transaction goes on")
