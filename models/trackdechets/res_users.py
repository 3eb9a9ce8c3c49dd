from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ...clients.trackdechets import TrackdechetsError, web_pages

TOKEN_STATES = [
    ("none", "No token"),
    ("valid", "Valid"),
    ("invalid", "Unknown or revoked token"),
    ("email_mismatch", "Different e-mail address"),
    ("unreachable", "Trackdéchets unreachable"),
]
EXPORT_GROUP = "hvac_connect.group_trackdechets_export"
CONTACT_MANAGER_GROUP = "hvac_connect.group_trackdechets_contact_manager"


class ResUsers(models.Model):
    """A personal Trackdéchets token per user: Trackdéchets accounts are nominative.

    The token carries ``groups=base.group_system`` and is listed in SELF_READABLE/WRITEABLE
    fields, the way Odoo protects a user's own secrets: its owner reads and writes it from
    the preferences, settings managers from the user form, nobody else.
    """

    _inherit = "res.users"

    hvac_trackdechets_token = fields.Char("Trackdéchets API token", groups="base.group_system", copy=False)
    hvac_trackdechets_token_state = fields.Selection(
        TOKEN_STATES, "Trackdéchets token", default="none", readonly=True, copy=False
    )
    hvac_trackdechets_token_message = fields.Char("Trackdéchets token check", readonly=True, copy=False)
    hvac_trackdechets_token_checked_at = fields.Datetime("Trackdéchets token checked on", readonly=True, copy=False)
    hvac_is_trackdechets_contact = fields.Boolean("Trackdéchets contact", compute="_compute_hvac_trackdechets_contact")
    hvac_can_be_trackdechets_contact = fields.Boolean(
        "Can be the Trackdéchets contact", compute="_compute_hvac_trackdechets_contact"
    )
    hvac_trackdechets_contact_problems = fields.Char(
        "Why not the Trackdéchets contact", compute="_compute_hvac_trackdechets_contact"
    )
    # Where the token comes from, beside the field it is pasted in (seed 000): the company's
    # environment decides between production and sandbox, whose accounts and tokens differ.
    hvac_trackdechets_login_url = fields.Char("Trackdéchets login page", compute="_compute_hvac_trackdechets_urls")
    hvac_trackdechets_tokens_url = fields.Char(
        "Trackdéchets API tokens page", compute="_compute_hvac_trackdechets_urls"
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + [
            "hvac_trackdechets_token",
            "hvac_trackdechets_token_state",
            "hvac_trackdechets_token_message",
            "hvac_trackdechets_token_checked_at",
            "hvac_trackdechets_login_url",
            "hvac_trackdechets_tokens_url",
        ]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["hvac_trackdechets_token"]

    @api.depends("company_id.hvac_trackdechets_environment")
    def _compute_hvac_trackdechets_urls(self):
        for user in self:
            pages = web_pages(user.company_id.hvac_trackdechets_environment)
            user.hvac_trackdechets_login_url = pages["login"]
            user.hvac_trackdechets_tokens_url = pages["tokens"]

    # --- the company's contact -------------------------------------------------------------
    @api.depends("active", "firstname", "lastname", "email", "groups_id", "company_id.hvac_trackdechets_contact_id")
    @api.depends_context("company")
    def _compute_hvac_trackdechets_contact(self):
        contact = self.env.company.hvac_trackdechets_contact_id
        for user in self:
            user.hvac_is_trackdechets_contact = user == contact
            problems = user._hvac_contact_problems()
            user.hvac_can_be_trackdechets_contact = not problems
            # Shown beside the button, which stays visible: the administrator sees why it cannot be used.
            user.hvac_trackdechets_contact_problems = "; ".join(problems) if problems and user != contact else False

    def _hvac_contact_problems(self):
        """What keeps this user from being the company's Trackdéchets contact (seed 000)."""
        self.ensure_one()
        problems = []
        if not self.active:
            problems.append(_("the user is archived"))
        if not self.has_group(EXPORT_GROUP):
            problems.append(_("the user lacks the right to export BSFF to Trackdéchets"))
        if not (self.firstname and self.lastname and self.email):
            problems.append(_("first name, last name and e-mail must all be filled in"))
        if self.env.company not in self.company_ids:
            problems.append(_("the user does not belong to %s", self.env.company.name))
        if self == self.env.company.hvac_trackdechets_contact_id:
            problems.append(_("the user already is the Trackdéchets contact"))
        return problems

    def action_hvac_designate_trackdechets_contact(self):
        self.ensure_one()
        if not self.env.user.has_group(CONTACT_MANAGER_GROUP):
            raise AccessError(
                _("Only users with the right “Can define a Trackdéchets contact” can designate the contact.")
            )
        problems = self._hvac_contact_problems()
        if problems:
            raise UserError(
                _(
                    "%(user)s cannot be the Trackdéchets contact: %(problems)s.",
                    user=self.name,
                    problems="; ".join(problems),
                )
            )
        self.env.company.sudo().hvac_trackdechets_contact_id = self
        return True

    # --- the token ---------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users.filtered(lambda u: u.sudo().hvac_trackdechets_token)._hvac_check_trackdechets_token()
        return users

    def write(self, vals):
        res = super().write(vals)
        if "hvac_trackdechets_token" in vals:
            self._hvac_check_trackdechets_token()
        return res

    @api.onchange("hvac_trackdechets_token")
    def _onchange_hvac_trackdechets_token(self):
        # The seed's "click outside the field" check: the verdict shows before saving.
        state, message = self._hvac_token_verdict(self.hvac_trackdechets_token)
        self.hvac_trackdechets_token_state, self.hvac_trackdechets_token_message = state, message
        if state not in ("valid", "none"):
            return {"warning": {"title": _("Trackdéchets API token"), "message": message}}
        return None

    def action_hvac_check_trackdechets_token(self):
        # The token is its owner's secret: checking it calls Trackdéchets with it and writes the
        # verdict on the user. Its owner, or a settings manager, asks for that; nobody else.
        if any(user != self.env.user for user in self) and not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only its owner or an administrator checks a Trackdéchets token."))
        self._hvac_check_trackdechets_token()
        return True

    def _hvac_check_trackdechets_token(self):
        for user in self:
            state, message = user._hvac_token_verdict(user.sudo().hvac_trackdechets_token)
            user.sudo().write(
                {
                    "hvac_trackdechets_token_state": state,
                    "hvac_trackdechets_token_message": message,
                    "hvac_trackdechets_token_checked_at": fields.Datetime.now(),
                }
            )

    def _hvac_token_verdict(self, token):
        """(state, French message) for ``token``, asked live to Trackdéchets with ``me``."""
        self.ensure_one()
        if not token:
            return "none", _("No Trackdéchets API token.")
        try:
            me = self.company_id._hvac_trackdechets_client(token.strip()).me()
        except TrackdechetsError as error:
            if error.code == "unauthenticated":
                return "invalid", _(
                    "Trackdéchets does not know this key: it is wrong or was revoked. Create a new token in Trackdéchets (Mon compte › Applications et API) and paste it here."
                )
            return "unreachable", _("Trackdéchets could not be reached or answered too slowly. Try again later.")
        if (me.get("email") or "").strip().lower() != (self.email or "").strip().lower():
            return "email_mismatch", _(
                "This key belongs to the Trackdéchets account %(td_email)s, but your Odoo e-mail is %(odoo_email)s. Trackdéchets accounts are personal: use your own key, or make both e-mails the same.",
                td_email=me.get("email"),
                odoo_email=self.email or _("(none)"),
            )
        return "valid", _("Votre clé est valide")

    def _hvac_trackdechets_token_or_raise(self):
        """The user's token, for a call made on their behalf; a clear refusal otherwise."""
        self.ensure_one()
        user = self.sudo()
        if user.hvac_trackdechets_token_state != "valid" or not user.hvac_trackdechets_token:
            reason = user.hvac_trackdechets_token_message or _("No Trackdéchets API token.")
            raise UserError(
                _(
                    "%(user)s has no valid Trackdéchets API token (%(reason)s). Paste your token in Preferences › Trackdéchets (the menu under your name, top right).",
                    user=self.name,
                    reason=reason,
                )
            )
        return user.hvac_trackdechets_token.strip()
