"""A second Odoo server on loopback, on its own database with hvac_connect: the other company's
server in the two-server sharing tests and in the sharing benchmark.

It runs the same Odoo, addons and PostgreSQL as the current process (same configuration file),
with no cron thread: the tests run its jobs when they choose, through ``run_cron``, so that
calls between the two servers happen while the test waits for them. It is driven over
XML-RPC as its administrator, as an integration would.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import xmlrpc.client

import odoo
from odoo.tools import SQL, config

ODOO_BIN = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
START_TIMEOUT = 120


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooPeer:
    def __init__(self, dbname, logfile, login="admin", password="admin", env=None):
        self.dbname = dbname
        # The peer may call back into the database of ``env`` while we wait for it: it must see
        # what we wrote, and we must see what it wrote.
        self.env = env
        self.logfile = logfile
        self.login, self.password = login, password
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.uid = None

    def _command(self, *extra):
        command = [
            sys.executable,
            ODOO_BIN,
            "-d",
            self.dbname,
            "--addons-path",
            config["addons_path"],
            "--data-dir",
            config["data_dir"],
        ]
        if config.rcfile and os.path.exists(config.rcfile):
            command += ["-c", config.rcfile]
        for option, key in (("--db_host", "db_host"), ("--db_port", "db_port"), ("--db_user", "db_user")):
            if config[key]:
                command += [option, str(config[key])]
        return command + list(extra)

    def create(self, timeout=900):  # pylint: disable=method-required-super  (not a model: the peer's database)
        """A fresh database with hvac_connect (no demo data)."""
        subprocess.run(
            self._command(
                "-i",
                "hvac_connect",
                "--without-demo=all",
                "--stop-after-init",
                "--log-level=warn",
                "--logfile",
                self.logfile,
            ),
            check=True,
            timeout=timeout,
        )

    def start(self):
        command = self._command(
            "--http-port",
            str(self.port),
            "--http-interface",
            "127.0.0.1",
            "--max-cron-threads",
            "0",
            "--workers",
            "0",
            "--db-filter",
            f"^{self.dbname}$",
            "--log-level",
            "info",
            "--logfile",
            self.logfile,
        )
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL)  # noqa: S603 - our own Odoo, our arguments
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the peer Odoo server stopped at start (see {self.logfile})")
            with contextlib.suppress(OSError, xmlrpc.client.Error):
                self.uid = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common").authenticate(
                    self.dbname, self.login, self.password, {}
                )
                if self.uid:
                    return self
            time.sleep(0.5)
        raise RuntimeError(f"the peer Odoo server did not answer within {START_TIMEOUT} s (see {self.logfile})")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def drop(self):
        """Stop the server and drop its database and filestore. (Not Odoo's ``exp_drop``: when
        the current process was started with ``-d``, it sees no other database and does nothing.)"""
        self.stop()
        odoo.sql_db.close_db(self.dbname)
        with contextlib.closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
            cr._cnx.autocommit = True
            cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(self.dbname)))
        shutil.rmtree(config.filestore(self.dbname), ignore_errors=True)

    # --- driving it ------------------------------------------------------------------------------
    def call(self, model, method, *args, context=None, **kwargs):
        if context:
            kwargs["context"] = context
        proxy = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
        if self.env is not None:
            self.env.flush_all()
        try:
            return proxy.execute_kw(self.dbname, self.uid, self.password, model, method, list(args), kwargs)
        finally:
            if self.env is not None:
                self.env.invalidate_all()

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        found = self.call("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], ["res_id"])
        return found[0]["res_id"]

    def run_cron(self, xmlid):
        """Run a scheduled job now, as Odoo's scheduler would."""
        return self.call("ir.cron", "method_direct_trigger", [self.ref(xmlid)])

    def read(self, model, ids, fields):  # pylint: disable=method-required-super  (not a model: a call over XML-RPC)
        return self.call(model, "read", ids, fields)
