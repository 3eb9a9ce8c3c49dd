"""Every public method of the module's models, called over XML-RPC as each role on a record in each
state, against the one table of who may call what (tests/method_matrix.py). The methods come from
the registry, not from a list: a new one fails here until it is classified."""

import contextlib
import datetime
import inspect
import logging
import xmlrpc.client
from unittest.mock import patch

import requests

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from . import method_matrix
from .common import HvacConnectCase
from .test_buttons_web_client import _local_only_send
from .test_rights_xmlrpc import TestRightsXmlrpc

_logger = logging.getLogger(__name__)
MODULE = "odoo.addons.hvac_connect"
# What a refusal comes back as over /xmlrpc/2: UserError (and its ValidationError, MissingError),
# AccessDenied, AccessError. Code 1 is an application error: a traceback.
REFUSALS = {2, 3, 4}
OK = "allowed"
REFUSED = "refused"


def module_public_methods(registry):
    """{(model, method): function} for every public method a class of this module defines on a
    model that has records (abstract mixins are counted on the models that inherit them)."""
    found = {}
    for name in sorted(registry):
        model_class = registry[name]
        if model_class._abstract:
            continue
        for cls in type.mro(model_class):
            if not cls.__module__.startswith(MODULE):
                continue
            for attr, value in vars(cls).items():
                if not attr.startswith("_") and inspect.isfunction(value):
                    found.setdefault((name, attr), value)
    return found


def is_model_method(function):
    """Called without ids: ``@api.model`` and ``@api.model_create_multi``."""
    return getattr(function, "_api", None) in ("model", "model_create")


@tagged("post_install", "-at_install")
class TestMethodMatrix(HvacConnectCase, HttpCase):
    # The records the rights test makes, in their states.
    _fiche = classmethod(TestRightsXmlrpc._fiche.__func__)
    _bsff = classmethod(TestRightsXmlrpc._bsff.__func__)
    _connection = classmethod(TestRightsXmlrpc._connection.__func__)
    _share = classmethod(TestRightsXmlrpc._share.__func__)
    _sheet = classmethod(TestRightsXmlrpc._sheet.__func__)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.siret = "73282932000074"
        cls.users = {}
        for role, groups in method_matrix.ROLES.items():
            if role == "admin":
                cls.users[role] = cls.env.ref("base.user_admin")
            elif role == "public":
                cls.users[role] = cls.env.ref("base.public_user")
            else:
                cls.users[role] = new_test_user(
                    cls.env,
                    f"mx_{role}",
                    groups=groups,
                    company_id=cls.company.id,
                    company_ids=[Command.set(cls.company.ids)],
                )
        cls.installation = cls.make_installation(charge=12.0)
        cls.container = cls.env["hvac.container"].create(
            {"name": "BT-0101", "refrigerant_id": cls.fluid.id, "capacity_kg": 10.0, "tare_kg": 7.9, "volume_l": 13.6}
        )
        cls.records = cls._records()

    @classmethod
    def _records(cls):
        """{model: {state: record}} of the models with records; wizards are made per role."""
        env = cls.env
        fiche_draft, fiche_done, fiche_cancel = cls._fiche("draft"), cls._fiche("done"), cls._fiche("cancel")
        bsff_draft, bsff_signed = cls._bsff("draft"), cls._bsff("signed_by_emitter")
        connection = cls._connection(cls.company)
        suspended = cls._connection(cls.company)
        suspended._hvac_set_protected({"state": "suspended", "suspended_by": "us", "peer_public_id": "peer-susp"})
        ended = cls._connection(cls.company)
        ended._hvac_set_protected({"state": "ended", "peer_public_id": "peer-ended"})
        invited = env["hvac.connection"]._hvac_create_protected({"company_id": cls.company.id, "side": "inviter"})
        share_user = cls.users["share_user"]
        sheet_draft, sheet_sent = cls._sheet("draft"), cls._sheet("sent")
        journal = env["account.journal"].create({"name": "Opérations diverses", "code": "ODMX", "type": "general"})
        move = env["account.move"].create({"move_type": "entry", "journal_id": journal.id})
        # This year's: the done fiches above are in it, so it has lines.
        balance = env["hvac.fluid.balance"].create({"year": fields.Date.today().year})
        balance.action_compute()
        env["hvac.chorus.onboarding.step"]._ensure_steps(cls.company)
        flow = env["hvac.chorus.flow"]._hvac_create_protected({"move_ids": [Command.set(move.ids)]})
        records = {
            "hvac.intervention": {"draft": fiche_draft, "done": fiche_done, "cancel": fiche_cancel},
            "hvac.container.move": {"draft": fiche_draft.container_move_ids, "done": fiche_done.container_move_ids},
            "hvac.bsff": {"draft": bsff_draft, "signed_by_emitter": bsff_signed},
            "hvac.bsff.packaging": {"draft": bsff_draft.packaging_ids, "signed_by_emitter": bsff_signed.packaging_ids},
            "hvac.bsff.fiche": {"draft": bsff_draft.fiche_ids, "signed_by_emitter": bsff_signed.fiche_ids},
            "hvac.connection": {"invited": invited, "active": connection, "suspended": suspended, "ended": ended},
            "hvac.share": {
                "to_evaluate": cls._share(connection, "to_evaluate", level_requested="installation"),
                "requested": cls._share(connection.with_user(share_user), "requested", side="requester"),
                "available": cls._share(
                    connection,
                    "available",
                    role="operator",
                    level="installation",
                    installation_ids=[Command.set(cls.installation.ids)],
                    granted_at="2026-01-01 00:00:00",
                ),
                "received": cls._share(
                    connection.with_user(share_user),
                    "available",
                    side="requester",
                    role="operator",
                    level="installation",
                    page_count=1,
                ),
                "revoked": cls._share(connection, "revoked", level="installation", role="operator"),
            },
            "hvac.chorus.connection.sheet": {"draft": sheet_draft, "sent": sheet_sent},
            "hvac.chorus.connection.certificate": {"any": sheet_draft.certificate_ids},
            "hvac.chorus.connection.sheet.interface": {
                "any": sheet_draft.interface_ids[:1]
                or env["hvac.chorus.connection.sheet.interface"].create(
                    {"sheet_id": sheet_draft.id, "code_id": env["hvac.chorus.interface.code"].search([], limit=1).id}
                )
            },
            "hvac.chorus.flow": {"any": flow},
            "hvac.chorus.onboarding.step": {"any": env["hvac.chorus.onboarding.step"].search([], limit=1)},
            "hvac.fluid.balance": {"any": balance},
            "hvac.fluid.balance.line": {"any": balance.line_ids[:1]},
            "hvac.installation": {"any": cls.installation},
            "hvac.site": {"any": cls.site},
            "hvac.refrigerant": {"any": cls.fluid},
            "account.move": {"draft": move},
            "res.company": {"any": cls.company},
            "res.partner": {"any": cls.customer},
            "res.users": {"any": cls.technician},
        }
        return {
            model: {state: record for state, record in states.items() if record} for model, states in records.items()
        }

    # --- wizards, made by the role that calls them (a wizard is its maker's) -----------------------
    def _wizard_values(self):
        invoice = self.records["account.move"]["draft"]
        return {
            "hvac.chorus.followup": {"any": {"move_id": invoice.id, "action": "complete"}},
            "hvac.chorus.send": {"any": {"move_id": invoice.id, "vat_regime": "TVA_SUR_DEBIT"}},
            "hvac.connection.accept": {"any": {"code": "pas-un-code"}},
            "hvac.intervention.bsff.create": {
                "any": {"intervention_ids": [Command.set(self.records["hvac.intervention"]["done"].ids)]}
            },
            "hvac.share.evaluate": {
                "to_evaluate": {
                    "share_id": self.records["hvac.share"]["to_evaluate"].id,
                    "level": "installation",
                    "role": "operator",
                    "installation_ids": [Command.set(self.installation.ids)],
                }
            },
            "hvac.share.process": {"received": {"share_id": self.records["hvac.share"]["received"].id}},
            "hvac.share.withdraw": {
                "available": {
                    "share_id": self.records["hvac.share"]["available"].id,
                    "installation_ids": [Command.set(self.installation.ids)],
                }
            },
            "res.config.settings": {"any": {}},
        }

    def _states(self, model):
        if model in self.records:
            return list(self.records[model])
        return list(self._wizard_values().get(model, {}))

    def _record(self, model, state, role):
        if model in self.records:
            return self.records[model][state]
        values = self._wizard_values()[model][state]
        return self.env[model].with_user(self.users[role]).sudo().create(values)

    # --- the call -------------------------------------------------------------------------------
    def _args(self, model, method, rule, function, record):
        if rule.args:
            return list(rule.args(self, record))
        if method == "write":
            return [{}]  # the write access itself, whatever the fields
        if method == "create":
            # A record like the state's one, as the role would create it.
            values = record.sudo().copy_data()[0]
            return [[{name: self._plain(value) for name, value in values.items() if not isinstance(value, list)}]]
        if method == "default_get":
            return [list(self.env[model]._fields)]
        return []

    @staticmethod
    def _plain(value):
        """A value XML-RPC carries as Odoo reads it back."""
        if isinstance(value, datetime.datetime):
            return fields.Datetime.to_string(value)
        if isinstance(value, datetime.date):
            return fields.Date.to_string(value)
        if isinstance(value, bytes):
            return value.decode()
        return value

    def _call(self, role, model, method, rule, function, record):
        """OK, REFUSED, or the traceback of a crash (anything else)."""
        user = self.users[role]
        args = self._args(model, method, rule, function, record)
        if not (rule.model_method or is_model_method(function)):
            args = [record.ids, *args]
        password = user.login if role not in ("admin", "public") else ("admin" if role == "admin" else "")
        try:
            self.xmlrpc_object.execute_kw(self.env.cr.dbname, user.id, password, model, method, args, {})
        except xmlrpc.client.Fault as fault:
            if fault.faultCode in REFUSALS:
                return REFUSED
            if fault.faultString.rstrip().endswith("cannot marshal None unless allow_none is enabled"):
                # The method ran and answered None (or an action holding None): XML-RPC cannot say
                # it, the web client's JSON-RPC does. Allowed, as far as rights go.
                return OK
            return fault.faultString[-1500:]
        return OK

    def _observe(self, model, method, rule, function):
        """{(state, role): outcome}, each call undone before the next."""
        seen = {}
        for state in self._states(model):
            for role in method_matrix.ROLES:
                self.env.flush_all()
                with contextlib.closing(self.env.cr.savepoint(flush=False)):
                    try:
                        try:
                            record = self._record(model, state, role)
                            self.env.flush_all()
                        except Exception as error:  # noqa: BLE001 - said as the outcome, a failure
                            seen[state, role] = f"the record could not be made: {error!r}"
                            continue
                        seen[state, role] = self._call(role, model, method, rule, function, record)
                    finally:
                        self.env.flush_all()
                        self.env.invalidate_all()
                self.env.invalidate_all()
        self.env.registry.clear_cache()
        return seen

    # --- the tests ------------------------------------------------------------------------------
    def test_every_public_method_is_classified(self):
        methods = module_public_methods(self.env.registry)
        self.assertIn(("hvac.share", "action_reject"), methods)
        self.assertIn(("account.move", "action_hvac_chorus_send"), methods)
        missing = sorted(set(methods) - set(method_matrix.METHODS))
        self.assertFalse(
            missing,
            "public methods not classified in tests/method_matrix.py METHODS (who may call them, in which "
            "state; see its docstring):\n" + "\n".join(f"    {key!r}: Rule(...)," for key in missing),
        )
        stale = sorted(set(method_matrix.METHODS) - set(methods))
        self.assertFalse(stale, f"classified methods that no longer exist: {stale}")

    def test_every_model_has_records_to_call(self):
        models = {model for model, _method in module_public_methods(self.env.registry)}
        without = sorted(model for model in models if not self._states(model))
        self.assertFalse(without, "give these models a record in each state in TestMethodMatrix._records()")

    def test_each_role_gets_what_the_table_says(self):
        methods = module_public_methods(self.env.registry)
        wrong = []
        with (
            patch.object(requests.Session, "send", _local_only_send),
            mute_logger("odoo.http", "odoo.addons.base.controllers.rpc", "odoo.sql_db"),
        ):
            for (model, method), function in sorted(methods.items()):
                rule = method_matrix.METHODS.get((model, method))
                if rule is None:
                    # test_every_public_method_is_classified fails for it; the log says what it does.
                    _logger.info("%s", self._proposal(model, method, function))
                    continue
                for (state, role), outcome in self._observe(model, method, rule, function).items():
                    expected = OK if rule.allows(role, state) else REFUSED
                    if outcome != expected:
                        wrong.append(f"{model}.{method} [{state}] as {role}: expected {expected}, got {outcome}")
        self.assertFalse(wrong, "\n".join(wrong))

    def _proposal(self, model, method, function):
        """What the method does today, as a line of METHODS, for whoever classifies it."""
        seen = self._observe(model, method, method_matrix.Rule(), function)
        crashes = sorted(
            {
                f"{state}/{role}: {outcome[-300:]}"
                for (state, role), outcome in seen.items()
                if outcome not in (OK, REFUSED)
            }
        )
        states = self._states(model)
        allowed = {state: tuple(r for r in method_matrix.ROLES if seen[state, r] == OK) for state in states}
        open_states = tuple(state for state in states if allowed[state])
        roles = {allowed[state] for state in open_states}
        if len(roles) <= 1:
            line = f"Rule({next(iter(roles), ())!r}, states={open_states if open_states != tuple(states) else None!r})"
        else:
            line = f"per state {allowed!r}"
        return f"unclassified {(model, method)!r}: today {line}" + "".join(f"\n    crash {c}" for c in crashes)

    def test_a_new_public_method_fails_until_classified(self):
        """A method added to a model (here at run time) is found, and the test above fails for it."""

        def action_hvac_matrix_probe(self):
            # It reads the record, as a real action does: Odoo checks nothing for a method that
            # reads nothing (the matrix found such methods answered even to a portal user).
            return bool(self.mapped("name"))

        model_class = self.env.registry["hvac.installation"]
        ours = next(cls for cls in type.mro(model_class) if cls.__module__.startswith(MODULE))
        ours.action_hvac_matrix_probe = action_hvac_matrix_probe
        self.addCleanup(delattr, ours, "action_hvac_matrix_probe")
        methods = module_public_methods(self.env.registry)
        self.assertIn(("hvac.installation", "action_hvac_matrix_probe"), methods)
        with self.assertRaisesRegex(AssertionError, "action_hvac_matrix_probe"):
            self.test_every_public_method_is_classified()
        key = ("hvac.installation", "action_hvac_matrix_probe")
        with patch.dict(method_matrix.METHODS, {key: method_matrix.Rule(method_matrix.TECHNICIANS)}):
            self.test_every_public_method_is_classified()
            rule = method_matrix.METHODS[key]
            with mute_logger("odoo.http", "odoo.addons.base.controllers.rpc"):
                seen = self._observe(*key, rule, action_hvac_matrix_probe)
        self.assertEqual(seen["any", "technician"], OK)
        self.assertEqual(seen["any", "portal"], REFUSED)
        self.assertEqual(seen["any", "public"], REFUSED)
