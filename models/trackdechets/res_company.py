from odoo import _, fields, models
from odoo.exceptions import AccessError

from ...clients.trackdechets import DEFAULT_TIMEOUT, TrackdechetsClient

CONTACT_MANAGER_GROUP = "hvac_connect.group_trackdechets_contact_manager"

TRACKDECHETS_ENVIRONMENTS = [
    ("production", "Production (api.trackdechets.beta.gouv.fr)"),
    ("sandbox", "Sandbox (api.sandbox.trackdechets.beta.gouv.fr)"),
]


class ResCompany(models.Model):
    # mail.thread: a change of Trackdéchets contact is traced in the company's chatter; the
    # activities remind Chorus managers of an expiring technical password.
    _name = "res.company"
    _inherit = ["res.company", "mail.thread", "mail.activity.mixin"]

    hvac_trackdechets_environment = fields.Selection(
        TRACKDECHETS_ENVIRONMENTS, "Trackdéchets environment", default="production", required=True
    )
    hvac_trackdechets_contact_id = fields.Many2one(
        "res.users",
        "Trackdéchets contact",
        tracking=True,
        copy=False,
        help="The company's referent named on every BSFF it sends. Designate one from the users list.",
    )
    hvac_trackdechets_synced_at = fields.Char(
        "Trackdéchets changes read up to",
        readonly=True,
        copy=False,
        help="Trackdéchets' own time stamp (updatedAt) of the last change read by the sync.",
    )

    hvac_trackdechets_sync_stopped = fields.Char(
        "Trackdéchets follow-up stopped",
        readonly=True,
        copy=False,
        help="Why the hourly follow-up of the BSFF stopped, said once to the company's managers, until it works again.",
    )

    def write(self, vals):
        # The contact is designated with its button, which checks the right and the conditions.
        if "hvac_trackdechets_contact_id" in vals and not self.env.su:
            raise AccessError(_("Designate the Trackdéchets contact with “Désigner contact Trackdéchets” on the user."))
        return super().write(vals)

    def _hvac_trackdechets_client(self, token):
        """A client for ``token`` on this company's environment.

        ``hvac_connect.trackdechets_endpoint`` (system parameter) replaces the official URL,
        for a proxy or a local test server.
        """
        params = self.env["ir.config_parameter"].sudo()
        return TrackdechetsClient(
            token,
            environment=self.hvac_trackdechets_environment or "production",
            url=params.get_param("hvac_connect.trackdechets_endpoint") or None,
            timeout=float(params.get_param("hvac_connect.trackdechets_timeout") or DEFAULT_TIMEOUT),
        )

    # --- the hourly follow-up stopped -----------------------------------------------------------
    def _hvac_trackdechets_sync_blocker(self):
        """(key, message function) when the follow-up cannot run until a person acts, else None.

        The key tells one stop from another, so that each is said once; the message is written
        in each reader's language."""
        self.ensure_one()
        contact = self.hvac_trackdechets_contact_id
        if not contact:
            return "no_contact", lambda env: env._(
                "The hourly follow-up of %s's BSFF on Trackdéchets is stopped: the company has no Trackdéchets contact."
                " Designate one with “Désigner contact Trackdéchets” on a user who exports BSFF.",
                self.name,
            )
        user = contact.sudo()
        if user.hvac_trackdechets_token_state == "valid" and user.hvac_trackdechets_token:
            return None
        return f"token:{contact.id}", lambda env: env._(
            "The hourly follow-up of %(company)s's BSFF on Trackdéchets is stopped: the Trackdéchets API token of"
            " %(contact)s, the company's contact, is not valid (%(reason)s). %(contact)s pastes a new token in"
            " Preferences › Trackdéchets, or another user is designated as the contact.",
            company=self.name,
            contact=contact.name,
            reason=user.hvac_trackdechets_token_message or env._("No Trackdéchets API token."),
        )

    def _hvac_trackdechets_sync_managers(self):
        """Who can set the follow-up going again: the contact, and whoever may designate another."""
        managers = self.env.ref(CONTACT_MANAGER_GROUP).sudo().users | self.hvac_trackdechets_contact_id
        return managers.filtered(lambda user: self in user.company_ids and user.active and not user.share)

    def _hvac_trackdechets_sync_stopped(self, key, message):
        """Say it once per stop: in the company's chatter, and an activity for each manager."""
        self.ensure_one()
        if self.hvac_trackdechets_sync_stopped == key:
            return
        company = self.sudo()
        company.hvac_trackdechets_sync_stopped = key
        company.with_context(lang=self.partner_id.lang or self.env.lang).message_post(
            body=message(company.with_context(lang=self.partner_id.lang or self.env.lang).env)
        )
        for user in self._hvac_trackdechets_sync_managers():
            in_their_language = company.with_context(lang=user.lang or self.env.lang)
            in_their_language.activity_schedule(
                "hvac_connect.mail_activity_type_trackdechets_sync",
                user_id=user.id,
                summary=in_their_language.env._("Trackdéchets follow-up stopped"),
                note=message(in_their_language.env),
            )

    def _hvac_trackdechets_sync_resumed(self):
        self.ensure_one()
        if not self.hvac_trackdechets_sync_stopped:
            return
        company = self.sudo()
        company.hvac_trackdechets_sync_stopped = False
        company.activity_unlink(["hvac_connect.mail_activity_type_trackdechets_sync"])
        in_company_language = company.with_context(lang=self.partner_id.lang or self.env.lang)
        in_company_language.message_post(
            body=in_company_language.env._("The hourly follow-up of the BSFF on Trackdéchets works again.")
        )
