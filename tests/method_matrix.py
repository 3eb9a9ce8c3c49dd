"""Who may call each public method of the module's models over XML-RPC, in which state.

tests/test_method_matrix.py finds every public method (no leading underscore) that a class of
this module defines on a model, from the registry, and calls it over XML-RPC as each role below
on a record in each state the test makes. A method missing from METHODS fails the test: adding
a public method means deciding here who may call it.

To classify a method, add a line to METHODS:

    ("hvac.share", "action_reject"): Rule(SHARE_ADMINS, states=("to_evaluate",)),

``roles``: who may call it (the call returns); ``states``: the record states in which they may
(None: every state). Every other (role, state) must be refused with a user-facing error
(AccessError, UserError, ValidationError, MissingError); anything else (a TypeError, a database
error) fails whatever the table says. ``args``: what the call passes after the ids (a function
of the test and the record, for a method that needs arguments); ``model_method``: an
``@api.model`` method, called without ids. A ``note`` says why, when it is not obvious.
"""

from dataclasses import dataclass, field

# Who calls: every group of the module, the administrator, a portal user and the public user
# (who cannot log in over XML-RPC: every call of theirs must be refused).
ROLES = {
    "internal": "base.group_user",
    "technician": "base.group_user,hvac_connect.group_hvac_user",
    "manager": "base.group_user,hvac_connect.group_hvac_manager",
    "td_export": "base.group_user,hvac_connect.group_trackdechets_export",
    "td_contact_manager": "base.group_user,hvac_connect.group_trackdechets_contact_manager",
    "td_full": "base.group_user,hvac_connect.group_trackdechets_full,hvac_connect.group_hvac_manager",
    "chorus_user": "base.group_user,hvac_connect.group_chorus_user",
    "chorus_manager": "base.group_user,hvac_connect.group_chorus_manager",
    "share_user": "base.group_user,hvac_connect.group_share_user",
    "share_admin": "base.group_user,hvac_connect.group_share_admin,hvac_connect.group_hvac_manager",
    "admin": None,  # base.user_admin, as installed
    "portal": "base.group_portal",
    "public": None,  # base.public_user
}
NOBODY = ()
ADMIN = ("admin",)
TECHNICIANS = (
    "technician",
    "manager",
    "td_export",
    "td_contact_manager",
    "td_full",
    "share_user",
    "share_admin",
    "admin",
)
MANAGERS = ("manager", "td_full", "share_admin", "admin")
TD_EXPORTERS = ("td_export", "td_contact_manager", "td_full", "admin")
TD_FULL = ("td_full", "admin")
CHORUS_USERS = ("chorus_user", "chorus_manager", "admin")
CHORUS_MANAGERS = ("chorus_manager", "admin")
SHARE_USERS = ("share_user", "share_admin", "admin")
SHARE_ADMINS = ("share_admin", "admin")
INTERNAL = ("internal", *TECHNICIANS, "chorus_user", "chorus_manager")


@dataclass(frozen=True)
class Rule:
    roles: tuple = ()
    states: tuple | None = None
    args: object = None
    model_method: bool = False
    note: str = field(default="", compare=False)

    def allows(self, role, state):
        return role in self.roles and (self.states is None or state in self.states)


METHODS = {}
