"""One rule for every record with a lifecycle: which fields may change in which state, and
which fields only the module's own methods may set. Enforced in create/write/unlink whatever
the caller (XML-RPC, JSON-RPC, a form, sudo()): a field marked readonly in a view or a hidden
button is not a rule. The module's methods pass through one greppable path:
``_hvac_set_protected(vals)`` / ``_hvac_create_protected(vals_list)`` /
``with self._hvac_protected():``.

The trust is a ContextVar, not a context key: a context key can be sent over RPC, a ContextVar
lives in the worker's memory and is only set by this code.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

_TRUSTED = ContextVar("hvac_lifecycle_trusted", default=False)

# Fields of mail.thread / mail.activity.mixin: the chatter and activities stay usable in any state.
CHATTER_PREFIXES = ("message_", "activity_", "website_message_")


# In ``_hvac_editable_states``: every field of the model may change in that state (but the
# state's ``_hvac_fixed_fields``).
ALL = None


@contextmanager
def hvac_protected_path():
    """The module's own code sets protected fields inside this block (and only there)."""
    token = _TRUSTED.set(True)
    try:
        yield
    finally:
        _TRUSTED.reset(token)


class HvacLifecycleMixin(models.AbstractModel):
    """Inherit it and declare:

    - ``_hvac_protected_fields``: fields only the module's methods set (state, numbers,
      remote ids, send markers...). Refused in write, and in create unless the value is empty or
      the field's default.
    - ``_hvac_editable_states``: ``{state: ALL | set of fields}``; a state not listed allows no
      field. None: no state rule. The state is the record's ``_hvac_state_field``, or, with
      ``_hvac_parent_field`` set, its parent's (a line follows its document).
    - ``_hvac_fixed_fields``: ``{state: set of fields}`` that may not change in a state whose
      editable fields are ``ALL`` (a request's connection once it is asked).
    - ``_hvac_deletable_states``: states in which unlink is allowed (None: any); refine with
      ``_hvac_unlink_refusal()``.
    """

    _name = "hvac.lifecycle.mixin"
    _description = "Record with a lifecycle protected on the server"

    _hvac_state_field = "state"
    _hvac_parent_field = None
    _hvac_protected_fields = frozenset()
    _hvac_editable_states = None
    _hvac_fixed_fields = {}
    _hvac_deletable_states = None

    # --- the one explicit path ---------------------------------------------------------------
    @api.model
    def _hvac_protected(self):
        """``with self._hvac_protected(): ...``: writes inside may set protected fields."""
        return hvac_protected_path()

    def _hvac_set_protected(self, vals):
        with hvac_protected_path():
            return self.write(vals)

    @api.model
    def _hvac_create_protected(self, vals_list):
        with hvac_protected_path():
            return self.create(vals_list)

    @api.model
    def _hvac_trusted(self):
        # Data files load while the registry is being built: no RPC reaches a registry that is
        # not ready, so demo and data records may carry their state.
        return _TRUSTED.get() or not self.pool.ready

    # --- the checks --------------------------------------------------------------------------
    def _hvac_lifecycle_state(self):
        record = self[self._hvac_parent_field] if self._hvac_parent_field else self
        return record[self._hvac_state_field]

    @api.model
    def _hvac_label(self, name):
        field = self._fields.get(name)
        return field.get_description(self.env)["string"] if field else name

    def _hvac_check_write(self, vals):
        if self._hvac_trusted():
            return
        names = {name for name in vals if not name.startswith(CHATTER_PREFIXES)}
        protected = names & set(self._hvac_protected_fields)
        if protected:
            raise AccessError(
                self.env._(
                    "%(fields)s of %(model)s can only be set by the application's own actions.",
                    fields=", ".join(sorted(self._hvac_label(name) for name in protected)),
                    model=self._description,
                )
            )
        if self._hvac_editable_states is None or not names:
            return
        for record in self:
            state = record._hvac_lifecycle_state()
            locked = sorted(names - record._hvac_editable_fields(state, names))
            if locked:
                raise UserError(record._hvac_locked_message(state, locked))

    def _hvac_editable_fields(self, state, names):
        """Which of ``names`` may change in ``state``."""
        if state not in self._hvac_editable_states:
            return set()
        editable = self._hvac_editable_states[state]
        if editable is ALL:
            return names - set(self._hvac_fixed_fields.get(state, ()))
        return names & set(editable)

    def _hvac_locked_message(self, state, locked):
        """Why ``locked`` fields cannot change in ``state`` (a model may say it its own way)."""
        return self.env._(
            "%(record)s is %(state)s: %(fields)s can no longer be changed.",
            record=self.display_name,
            state=self._hvac_state_label(state),
            fields=", ".join(sorted(self._hvac_label(name) for name in locked)),
        )

    def _hvac_state_label(self, state):
        model = self[self._hvac_parent_field] if self._hvac_parent_field else self
        field = model._fields[self._hvac_state_field]
        return dict(field._description_selection(self.env)).get(state, state)

    @api.model
    def _hvac_check_create(self, vals_list):
        if self._hvac_trusted():
            return
        defaults = {key[8:]: value for key, value in self.env.context.items() if key.startswith("default_")}
        for vals in vals_list:
            for name in set(self._hvac_protected_fields) & (set(vals) | set(defaults)):
                value = vals.get(name, defaults.get(name))
                field = self._fields[name]
                default = field.default(self) if field.default else False
                if (
                    value
                    and value != default
                    and not (field.type in ("one2many", "many2many") and not _commands_add(value))
                ):
                    raise AccessError(
                        self.env._(
                            "%(field)s of %(model)s can only be set by the application's own actions.",
                            field=self._hvac_label(name),
                            model=self._description,
                        )
                    )

    def _hvac_check_parent_editable(self):
        """A line created on a document follows the document's state."""
        if self._hvac_trusted() or not self._hvac_parent_field or self._hvac_editable_states is None:
            return
        for record in self:
            state = record._hvac_lifecycle_state()
            editable = self._hvac_editable_states.get(state, frozenset())
            if editable is not ALL and not editable:
                raise UserError(
                    self.env._(
                        "%(parent)s is %(state)s: no %(model)s can be added to it.",
                        parent=record[self._hvac_parent_field].display_name,
                        state=record._hvac_state_label(state),
                        model=self._description,
                    )
                )

    def _hvac_unlink_refusal(self):
        """The reason this record may not be deleted, or None."""
        if self._hvac_deletable_states is not None and self._hvac_lifecycle_state() not in self._hvac_deletable_states:
            return self.env._(
                "%(record)s is %(state)s: it cannot be deleted.",
                record=self.display_name,
                state=self._hvac_state_label(self._hvac_lifecycle_state()),
            )
        return None

    # --- the ORM entry points ------------------------------------------------------------------
    def copy_data(self, default=None):
        # A copy starts where a new record starts: what only the module's actions set (states,
        # numbers, remote ids, what was granted) is left to its default, or the copy's create
        # would be refused as a forged value. A value given in ``default`` is still checked.
        vals_list = super().copy_data(default)
        for vals in vals_list:
            for name in set(self._hvac_protected_fields) - set(default or {}):
                vals.pop(name, None)
        return vals_list

    @api.model_create_multi
    def create(self, vals_list):
        self._hvac_check_create(vals_list)
        records = super().create(vals_list)
        records._hvac_check_parent_editable()
        return records

    def write(self, vals):
        self._hvac_check_write(vals)
        result = super().write(vals)
        if self._hvac_parent_field in vals:
            self._hvac_check_parent_editable()  # moved onto another document: that one's state counts
        return result

    def unlink(self):
        # Uninstalling the module deletes its data as superuser (a context key alone is forgeable).
        uninstalling = self.env.su and self.env.context.get(MODULE_UNINSTALL_FLAG)
        if not self._hvac_trusted() and not uninstalling:
            for record in self:
                refusal = record._hvac_unlink_refusal()
                if refusal:
                    raise UserError(refusal)
        return super().unlink()


def _commands_add(value):
    """Whether x2many commands add or set anything (an empty set or clear is harmless)."""
    if not isinstance(value, list | tuple):
        return bool(value)
    for command in value:
        if isinstance(command, list | tuple) and command:
            if command[0] in (5,) or (command[0] == 6 and not command[2]):
                continue
        return True
    return False
