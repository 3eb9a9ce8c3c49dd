"""Who may call each public method of the module's models over XML-RPC, in which state.

tests/test_method_matrix.py finds every public method (no leading underscore) that a class of
this module defines on a model, from the registry, and calls it over XML-RPC as each role below
on a record in each state the test makes. A method missing from METHODS fails the test: adding
a public method means deciding here who may call it.

To classify a method, add a line to METHODS:

    ("hvac.share", "action_reject"): Rule(SHARE_ADMINS, states=("to_evaluate",)),

``roles``: who may call it (the call returns), or ``{state: roles}`` where that depends on the
state; ``states``: the record states in which they may
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
# Designating the Trackdéchets contact is a right apart: it does not send or delete BSFF.
TD_EXPORTERS = ("td_export", "td_full", "admin")
TD_FULL = ("td_full", "admin")
CHORUS_USERS = ("chorus_user", "chorus_manager", "admin")
CHORUS_MANAGERS = ("chorus_manager", "admin")
SHARE_USERS = ("share_user", "share_admin", "admin")
SHARE_ADMINS = ("share_admin", "admin")
INTERNAL = ("internal", *TECHNICIANS, "chorus_user", "chorus_manager")
LOGGED_IN = (*INTERNAL, "portal")


@dataclass(frozen=True)
class Rule:
    roles: tuple = ()
    states: tuple | None = None
    args: object = None
    model_method: bool = False
    note: str = field(default="", compare=False)

    def allows(self, role, state):
        if isinstance(self.roles, dict):  # {state: roles}, when who may call depends on the state
            return role in self.roles.get(state, ())
        return role in self.roles and (self.states is None or state in self.states)


# Read as: who gets an answer (the others a refusal), on the records the test makes in each state.
# ``create``, ``write`` and ``unlink`` are the module's overrides (and the lifecycle mixin's): the
# call is made with a record like the state's one, ``{}`` and nothing; what each field allows is
# tests/test_rights_xmlrpc.py's. An empty ``write`` is no write: Odoo answers it without checking
# (account.move's, LOGGED_IN). A method that only returns an action (``action_view_*``,
# ``action_send_*`` composers, ``default_get``) is answered to whoever may read the record; the
# action then opens with the user's own rights. NOBODY: every role is refused on the test's
# records, most by a business check of what those records lack (a draft BSFF is incomplete, the
# invoice is not sent, the wizard's share has no page, the partner has no SIRET): the rights
# behind them are tested by the area's own tests.
METHODS = {
    ("account.move", "action_view_hvac_interventions"): Rule(CHORUS_USERS),
    ("account.move", "copy_data"): Rule(CHORUS_USERS),
    ("account.move.line", "create"): Rule(
        CHORUS_USERS,
        args=lambda test, line: [
            [{"move_id": line.move_id.id, "account_id": line.account_id.id, "name": "Écart", "debit": 0.0}]
        ],
        note="A line that keeps the entry balanced.",
    ),
    ("account.move.line", "write"): Rule(LOGGED_IN),
    ("hvac.bsff", "copy_data"): Rule(TECHNICIANS),
    ("hvac.bsff.fiche", "copy_data"): Rule(TECHNICIANS),
    ("hvac.bsff.packaging", "copy_data"): Rule(TECHNICIANS),
    ("hvac.chorus.connection.certificate", "copy_data"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.connection.sheet", "copy_data"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.connection.sheet.interface", "copy_data"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.flow", "action_release"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.flow", "copy_data"): Rule(CHORUS_USERS),
    ("hvac.chorus.flow", "create"): Rule(CHORUS_USERS, note="An empty flow: its invoices are set by the send only."),
    ("hvac.chorus.flow", "unlink"): Rule(NOBODY),
    ("hvac.chorus.flow", "write"): Rule(CHORUS_USERS),
    ("hvac.chorus.onboarding.step", "copy_data"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.onboarding.step", "create"): Rule(NOBODY),
    ("hvac.chorus.onboarding.step", "unlink"): Rule(NOBODY),
    ("hvac.chorus.onboarding.step", "write"): Rule(CHORUS_MANAGERS),
    ("hvac.connection", "copy"): Rule(SHARE_ADMINS, note="A new invitation."),
    ("hvac.connection", "copy_data"): Rule(SHARE_USERS),
    ("hvac.container.move", "copy_data"): Rule(TECHNICIANS),
    ("hvac.detector", "write"): Rule(MANAGERS),
    ("hvac.installation", "create"): Rule(MANAGERS),
    ("hvac.intervention", "action_clear_signatures"): Rule(TECHNICIANS, states=("draft",)),
    ("hvac.intervention", "action_invoice"): Rule(CHORUS_USERS, note="The invoicing right, which Chorus users hold."),
    ("hvac.intervention", "action_invoice_contracts"): Rule(
        NOBODY, note="No contract customer has a fiche to invoice among the test's records."
    ),
    ("hvac.intervention", "action_view_invoices"): Rule(ADMIN, note="Reads the fiche and its invoices: both rights."),
    ("hvac.intervention", "copy_data"): Rule(TECHNICIANS),
    ("hvac.intervention", "get_portal_url"): Rule(TECHNICIANS),
    ("hvac.intervention.clear.signatures", "action_confirm"): Rule(TECHNICIANS),
    ("hvac.intervention.invoice", "action_create_invoices"): Rule(
        NOBODY, note="The test's fiche has no billing set up; the rights are test_billing_rights_xmlrpc's."
    ),
    ("hvac.intervention.invoice", "default_get"): Rule(LOGGED_IN),
    ("hvac.intervention.line", "copy_data"): Rule(TECHNICIANS),
    ("hvac.intervention.line", "create"): Rule(
        TECHNICIANS, note="Billing lines are corrected on a done fiche until it is invoiced."
    ),
    ("hvac.intervention.line", "unlink"): Rule(
        TECHNICIANS, note="Billing lines are corrected on a done fiche until it is invoiced."
    ),
    ("hvac.intervention.line", "write"): Rule(TECHNICIANS),
    ("hvac.label.print", "action_print"): Rule(TECHNICIANS),
    ("hvac.label.print", "default_get"): Rule(LOGGED_IN),
    ("hvac.qualification", "write"): Rule(MANAGERS),
    ("hvac.share", "copy_data"): Rule(SHARE_USERS),
    ("account.move", "action_hvac_chorus_complete"): Rule(CHORUS_USERS),
    ("account.move", "action_hvac_chorus_find"): Rule(NOBODY),
    ("account.move", "action_hvac_chorus_recycle"): Rule(CHORUS_USERS),
    ("account.move", "action_hvac_chorus_send"): Rule(CHORUS_USERS),
    ("account.move", "action_hvac_chorus_send_flow"): Rule(NOBODY),
    ("account.move", "create"): Rule(CHORUS_USERS),
    ("account.move", "unlink"): Rule(CHORUS_USERS),
    ("account.move", "write"): Rule(LOGGED_IN),
    ("hvac.bsff", "action_check"): Rule(NOBODY),
    ("hvac.bsff", "action_download_pdf"): Rule(NOBODY),
    ("hvac.bsff", "action_send"): Rule(NOBODY),
    ("hvac.bsff", "action_send_in_background"): Rule(NOBODY, note="needs the caller's Trackdéchets key"),
    ("hvac.bsff", "action_sync"): Rule(TECHNICIANS, states=("draft",)),
    ("hvac.bsff", "create"): Rule(TECHNICIANS),
    ("hvac.bsff", "unlink"): Rule(TD_EXPORTERS, states=("draft",)),
    ("hvac.bsff", "write"): Rule(TECHNICIANS),
    ("hvac.bsff.fiche", "create"): Rule(TECHNICIANS, states=("draft",)),
    ("hvac.bsff.fiche", "unlink"): Rule(TECHNICIANS, states=("draft",)),
    ("hvac.bsff.fiche", "write"): Rule(TECHNICIANS),
    ("hvac.bsff.packaging", "create"): Rule(TECHNICIANS, states=("draft",)),
    ("hvac.bsff.packaging", "unlink"): Rule(TECHNICIANS, states=("draft",)),
    ("hvac.bsff.packaging", "write"): Rule(TECHNICIANS),
    ("hvac.chorus.connection.certificate", "create"): Rule(NOBODY),
    ("hvac.chorus.connection.certificate", "unlink"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.connection.certificate", "write"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.connection.sheet", "action_activate"): Rule(CHORUS_MANAGERS, states=("sent",)),
    ("hvac.chorus.connection.sheet", "action_deactivate"): Rule(CHORUS_MANAGERS, states=("sent",)),
    ("hvac.chorus.connection.sheet", "action_print"): Rule(INTERNAL),
    ("hvac.chorus.connection.sheet", "action_submit"): Rule(NOBODY),
    ("hvac.chorus.connection.sheet", "create"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.connection.sheet", "default_get"): Rule((*TECHNICIANS, "chorus_manager")),
    ("hvac.chorus.connection.sheet", "unlink"): Rule(CHORUS_MANAGERS, states=("draft",)),
    ("hvac.chorus.connection.sheet", "write"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.connection.sheet.interface", "create"): Rule(NOBODY),
    ("hvac.chorus.connection.sheet.interface", "unlink"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.connection.sheet.interface", "write"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.flow", "action_follow"): Rule(CHORUS_USERS),
    ("hvac.chorus.followup", "action_confirm"): Rule(NOBODY),
    ("hvac.chorus.onboarding.step", "action_open"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.onboarding.step", "action_tick"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.onboarding.step", "action_untick"): Rule(CHORUS_MANAGERS),
    ("hvac.chorus.send", "action_next"): Rule(CHORUS_USERS),
    ("hvac.chorus.send", "action_previous"): Rule(CHORUS_USERS),
    ("hvac.chorus.send", "action_send"): Rule(NOBODY),
    ("hvac.chorus.send", "default_get"): Rule(LOGGED_IN),
    ("hvac.connection", "action_end"): Rule(SHARE_ADMINS, states=("invited", "active", "suspended")),
    ("hvac.connection", "action_invite"): Rule(SHARE_ADMINS),
    ("hvac.connection", "action_request_share"): Rule(SHARE_USERS, states=("active",)),
    ("hvac.connection", "action_resume"): Rule(SHARE_ADMINS, states=("suspended",)),
    ("hvac.connection", "action_suspend"): Rule(SHARE_ADMINS, states=("invited", "active", "suspended")),
    ("hvac.connection", "create"): Rule(
        SHARE_ADMINS, note="What is protected is not taken: a new invitation, as action_invite makes."
    ),
    ("hvac.connection", "unlink"): Rule(NOBODY),
    ("hvac.connection", "write"): Rule(SHARE_ADMINS),
    ("hvac.connection.accept", "action_accept"): Rule(NOBODY),
    ("hvac.container.move", "create"): Rule(TECHNICIANS, states=("draft",)),
    ("hvac.container.move", "unlink"): Rule(TECHNICIANS, states=("draft",)),
    ("hvac.container.move", "write"): Rule(TECHNICIANS),
    ("hvac.fluid.balance", "action_compute"): Rule(MANAGERS),
    ("hvac.fluid.balance", "action_export_xlsx"): Rule(MANAGERS),
    ("hvac.fluid.balance", "action_open_issue_containers"): Rule(MANAGERS),
    ("hvac.fluid.balance", "action_print"): Rule(MANAGERS),
    ("hvac.fluid.balance.line", "action_open_bsff"): Rule(MANAGERS),
    ("hvac.fluid.balance.line", "action_open_containers"): Rule(MANAGERS),
    ("hvac.fluid.balance.line", "action_open_fiches"): Rule(MANAGERS),
    ("hvac.installation", "action_print_register"): Rule(INTERNAL),
    ("hvac.installation", "action_send_leak_check_notice"): Rule(LOGGED_IN),
    ("hvac.installation", "action_send_register"): Rule(LOGGED_IN),
    ("hvac.installation", "action_view_interventions"): Rule(LOGGED_IN),
    ("hvac.installation", "write"): Rule(MANAGERS),
    ("hvac.intervention", "action_cancel"): Rule(
        {"draft": TECHNICIANS, "done": MANAGERS, "cancel": TECHNICIANS},
        note="A validated fiche is cancelled by a manager only.",
    ),
    ("hvac.intervention", "action_done"): Rule(TECHNICIANS),
    ("hvac.intervention", "action_draft"): Rule(TECHNICIANS),
    ("hvac.intervention", "action_print"): Rule(INTERNAL),
    ("hvac.intervention", "action_request_holder_signature"): Rule(NOBODY),
    ("hvac.intervention", "create"): Rule(TECHNICIANS),
    ("hvac.intervention", "default_get"): Rule(TECHNICIANS),
    ("hvac.intervention", "unlink"): Rule(TECHNICIANS, states=("draft",)),
    ("hvac.intervention", "write"): Rule(TECHNICIANS),
    ("hvac.intervention.bsff.create", "action_create"): Rule(TECHNICIANS),
    ("hvac.intervention.bsff.create", "default_get"): Rule(LOGGED_IN),
    ("hvac.refrigerant", "create"): Rule(NOBODY),
    ("hvac.refrigerant", "write"): Rule(MANAGERS),
    ("hvac.share", "action_fetch"): Rule(SHARE_USERS),
    ("hvac.share", "action_open_process"): Rule(NOBODY),
    ("hvac.share", "action_reject"): Rule(SHARE_ADMINS, states=("to_evaluate",)),
    ("hvac.share", "action_request"): Rule(SHARE_USERS),
    ("hvac.share", "action_revoke"): Rule(SHARE_ADMINS, states=("available",)),
    ("hvac.share", "create"): Rule(
        SHARE_USERS, note="What is protected is not taken: a new request, whatever the state copied."
    ),
    ("hvac.share", "unlink"): Rule(NOBODY),
    ("hvac.share", "write"): Rule(SHARE_USERS),
    ("hvac.share.evaluate", "action_approve"): Rule(SHARE_ADMINS),
    ("hvac.share.evaluate", "default_get"): Rule(LOGGED_IN),
    ("hvac.share.process", "action_back"): Rule(SHARE_USERS),
    ("hvac.share.process", "action_process"): Rule(NOBODY),
    ("hvac.share.process", "action_review"): Rule(SHARE_USERS),
    ("hvac.share.process", "create"): Rule(SHARE_USERS),
    ("hvac.share.withdraw", "action_withdraw"): Rule(SHARE_ADMINS),
    ("hvac.site", "action_view_installations"): Rule(TECHNICIANS),
    ("hvac.site", "create"): Rule(MANAGERS),
    ("res.company", "action_hvac_chorus_open_settings"): Rule(CHORUS_MANAGERS),
    ("res.company", "action_hvac_chorus_test_connection"): Rule(CHORUS_MANAGERS),
    ("res.company", "write"): Rule(
        CHORUS_MANAGERS, note="A Chorus manager writes the Chorus Pro settings of the company, nothing else."
    ),
    ("res.config.settings", "action_hvac_chorus_test_connection"): Rule(ADMIN),
    ("res.partner", "action_hvac_check_trackdechets"): Rule(NOBODY),
    ("res.partner", "action_hvac_chorus_lookup"): Rule(NOBODY),
    ("res.partner", "hvac_td_is_destination"): Rule(INTERNAL),
    ("res.partner", "hvac_td_is_transporter"): Rule(INTERNAL),
    # Its owner"s secret, checked live: its owner or a settings manager (the test"s record is another user).
    ("res.users", "action_hvac_check_trackdechets_token"): Rule(ADMIN),
    ("res.users", "action_hvac_designate_trackdechets_contact"): Rule(NOBODY),
    ("res.users", "create"): Rule(ADMIN),
    ("res.users", "write"): Rule(ADMIN),
}
