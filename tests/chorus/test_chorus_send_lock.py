"""The send locks (Chorus invoice, BSFF), tried against a second database session as another
Odoo worker holds them. Row locks only meet on a row both sessions see, so the record is committed
before the test's own transaction starts, and deleted after it (test data is otherwise never
committed)."""

from contextlib import closing

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import TransactionCase, get_db_name, tagged


def _committed(dbname, model, make):
    """Any committed row of ``model``; if there is none (tests run without demo data), one made
    by ``make(env)`` and committed here: (id, whether this test made it)."""
    with Registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if record := env[model].search([], limit=1):
            return record.id, False
        record = make(env)
        cr.commit()  # pylint: disable=invalid-commit  (another session must see it: the point of the test)
        return record.id, True


def _delete(dbname, model, record_id):
    with Registry(dbname).cursor() as cr:
        api.Environment(cr, SUPERUSER_ID, {})[model].browse(record_id).unlink()
        cr.commit()  # pylint: disable=invalid-commit  (what the test committed goes)


def _make_move(env):
    journal = env["account.journal"].search([("type", "=", "general")], limit=1)
    return env["account.move"].create(
        {"move_type": "entry", "journal_id": journal.id, "company_id": journal.company_id.id}
    )


class LockCase(TransactionCase):
    _model = _make = None

    @classmethod
    def setUpClass(cls):
        # Before super(): the test's transaction (repeatable read) then sees the committed row.
        dbname = get_db_name()
        record_id, made_here = _committed(dbname, cls._model, cls._make)
        if made_here:
            cls.addClassCleanup(_delete, dbname, cls._model, record_id)  # after the test's cursor is closed
        super().setUpClass()
        cls.record = cls.env[cls._model].browse(record_id)

    def _other_session_locks(self, mode):
        """A second session holding ``mode`` on the record's row; closed by the cleanup."""
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(other.close)
        self.addCleanup(other.rollback)
        # NOWAIT there too: the test's own transaction must not be holding that row.
        query = f"SELECT id FROM {self.record._table} WHERE id = %s FOR {mode} NOWAIT"  # noqa: S608 - our table and lock mode
        other.execute(query, [self.record.id])
        self.assertEqual(other.fetchall(), [(self.record.id,)], "the other session sees and locks the committed row")
        return other

    def assertTransactionGoesOn(self):
        self.env.cr.execute("SELECT 1")
        self.assertEqual(self.env.cr.fetchall(), [(1,)], "the test's transaction goes on")


@tagged("post_install", "-at_install")
class TestChorusSendLock(LockCase):
    _model = "account.move"
    _make = staticmethod(_make_move)

    def test_a_wizard_open_elsewhere_does_not_block_a_send_but_a_send_does(self):
        # Another user opening the send wizard: a row pointing to the invoice holds KEY SHARE on it.
        other = self._other_session_locks("KEY SHARE")
        with closing(self.env.cr.savepoint()):  # rolled back: our lock goes with it
            self.record._hvac_chorus_lock()  # not refused
        other.rollback()
        # A real send elsewhere holds the row for update: refused, without poisoning our transaction.
        self._other_session_locks("NO KEY UPDATE")
        with self.assertRaisesRegex(UserError, "being sent to Chorus Pro by someone else"), self.env.cr.savepoint():
            self.record._hvac_chorus_lock()
        self.assertTransactionGoesOn()


@tagged("post_install", "-at_install")
class TestBsffSendLock(LockCase):
    _model = "hvac.bsff"
    _make = staticmethod(lambda env: env["hvac.bsff"].create({}))

    def test_a_send_elsewhere_is_refused_with_its_message(self):
        self._other_session_locks("UPDATE")
        # The send's own path: refused at its lock, before any token is used.
        with self.assertRaisesRegex(UserError, "being sent by someone else"), self.env.cr.savepoint():
            self.record._send("token-never-used")
        self.assertTransactionGoesOn()
