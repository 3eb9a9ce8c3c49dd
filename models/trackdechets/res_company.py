from odoo import _, fields, models
from odoo.exceptions import AccessError

from ...clients.trackdechets import DEFAULT_TIMEOUT, TrackdechetsClient

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
