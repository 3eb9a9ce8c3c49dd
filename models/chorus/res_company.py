from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ...clients.chorus_pro import DEFAULT_TIMEOUT, ChorusProClient, ChorusProError
from ..common.batch import Job, again_soon, in_batches
from ..common.siret import siret_digits
from .chorus_errors import chorus_error_message

CHORUS_MANAGER = "hvac_connect.group_chorus_manager"

CHORUS_ENVIRONMENTS = [
    ("production", "Production"),
    ("qualification", "Qualification (sandbox)"),
]

CHORUS_CONNECTION_STATES = [
    ("untested", "Not tested"),
    ("ok", "Connected"),
    ("error", "Connection failed"),
]


CREDENTIAL_FIELDS = {
    "hvac_chorus_environment",
    "hvac_chorus_piste_client_id",
    "hvac_chorus_piste_client_secret",
    "hvac_chorus_login",
    "hvac_chorus_password",
}
# What the declaration of the PISTE connection on Chorus Pro asks (seed 002 §3.6): kept to
# fill it in again or to answer Chorus Pro's support, never sent by Odoo.
PISTE_DECLARATION_FIELDS = {
    "hvac_chorus_piste_app_name",
    "hvac_chorus_piste_usage",
    "hvac_chorus_tech_contact_name",
    "hvac_chorus_tech_contact_email",
    "hvac_chorus_tech_contact_phone",
}
CHORUS_SETTINGS = (
    CREDENTIAL_FIELDS
    | PISTE_DECLARATION_FIELDS
    | {
        "hvac_chorus_password_expiry",
        "hvac_chorus_password_reminded",
        "hvac_chorus_check_engagement",
    }
)
PISTE_USAGES = [("editor", "Software vendor"), ("operator", "Operator")]


def _structure_siret(structure):
    # Our notes (research §2) saw the SIRET under "identifiant"; the Structures API calls it
    # "identifiantStructure".
    return siret_digits(structure.get("identifiant") or structure.get("identifiantStructure"))


class ResCompany(models.Model):
    """Chorus Pro credentials: one PISTE application and one technical account per company.

    Secrets carry ``groups`` so that only Chorus managers can read them, whatever the view.
    """

    _inherit = "res.company"

    hvac_chorus_environment = fields.Selection(
        CHORUS_ENVIRONMENTS, "Chorus Pro environment", default="production", required=True, groups=CHORUS_MANAGER
    )
    hvac_chorus_piste_client_id = fields.Char("PISTE client id", groups=CHORUS_MANAGER, copy=False)
    hvac_chorus_piste_client_secret = fields.Char("PISTE client secret", groups=CHORUS_MANAGER, copy=False)
    hvac_chorus_login = fields.Char("Chorus Pro technical account login", groups=CHORUS_MANAGER, copy=False)
    hvac_chorus_password = fields.Char("Chorus Pro technical account password", groups=CHORUS_MANAGER, copy=False)
    hvac_chorus_password_expiry = fields.Date("Technical password expires on", groups=CHORUS_MANAGER, copy=False)
    hvac_chorus_password_reminded = fields.Boolean("Password reminder sent", copy=False, groups=CHORUS_MANAGER)
    hvac_chorus_piste_app_name = fields.Char(
        "PISTE application name",
        groups=CHORUS_MANAGER,
        copy=False,
        help="The production application's name on PISTE: unique, it links PISTE and Chorus Pro in the declaration.",
    )
    hvac_chorus_piste_usage = fields.Selection(
        PISTE_USAGES,
        "PISTE usage type",
        groups=CHORUS_MANAGER,
        copy=False,
        help="Declared on Chorus Pro with the PISTE connection (Type utilisation Éditeur/Opérateur).",
    )
    hvac_chorus_tech_contact_name = fields.Char("Technical contact", groups=CHORUS_MANAGER, copy=False)
    hvac_chorus_tech_contact_email = fields.Char("Technical contact e-mail", groups=CHORUS_MANAGER, copy=False)
    hvac_chorus_tech_contact_phone = fields.Char("Technical contact phone", groups=CHORUS_MANAGER, copy=False)
    hvac_chorus_connection_state = fields.Selection(
        CHORUS_CONNECTION_STATES, "Chorus Pro connection", default="untested", readonly=True, copy=False
    )
    hvac_chorus_connection_message = fields.Char("Chorus Pro connection message", readonly=True, copy=False)
    hvac_chorus_connection_date = fields.Datetime("Chorus Pro connection checked on", readonly=True, copy=False)
    hvac_chorus_synced_at = fields.Datetime("Chorus Pro statuses read on", readonly=True, copy=False)
    hvac_chorus_check_engagement = fields.Boolean(
        "Check engagement numbers on Chorus Pro",
        help="Before sending, look the engagement number up with Chorus Pro's Engagements API: the buyer must have created it on Chorus Pro. "
        "Chorus itself checks this only for the State's own services.",
    )
    hvac_chorus_structure_id = fields.Integer(
        "Chorus Pro structure id",
        readonly=True,
        copy=False,
        help="Our own structure's technical id on Chorus Pro, fetched by the connection test.",
    )

    # --- the connection ---------------------------------------------------------------------
    def _hvac_chorus_client(self):
        """A client on this company's credentials and environment.

        System parameters ``hvac_connect.chorus_token_url`` and ``hvac_connect.chorus_api_url``
        replace the official URLs (a proxy, or a local test server).
        """
        self.ensure_one()
        company = self.sudo()
        params = self.env["ir.config_parameter"].sudo()
        return ChorusProClient(
            company.hvac_chorus_piste_client_id,
            company.hvac_chorus_piste_client_secret,
            company.hvac_chorus_login,
            company.hvac_chorus_password,
            environment=company.hvac_chorus_environment or "production",
            token_url=params.get_param("hvac_connect.chorus_token_url") or None,
            api_url=params.get_param("hvac_connect.chorus_api_url") or None,
            timeout=float(params.get_param("hvac_connect.chorus_timeout") or DEFAULT_TIMEOUT),
        )

    def _hvac_chorus_missing_credentials(self):
        """Labels of the credentials still empty: said before any call, since Chorus (or
        PISTE) would only answer with an unhelpful refusal or seem unreachable."""
        company = self.sudo()
        required = (
            "hvac_chorus_piste_client_id",
            "hvac_chorus_piste_client_secret",
            "hvac_chorus_login",
            "hvac_chorus_password",
        )
        return [company._fields[name]._description_string(self.env) for name in required if not company[name]]

    def action_hvac_chorus_test_connection(self):
        """The *Tester la connexion* button: the connection checked now, on the saved credentials."""
        self._check_chorus_manager()
        for company in self:
            company._hvac_chorus_test_connection()
        return True

    def _hvac_chorus_test_connection(self):
        self.ensure_one()
        missing = self._hvac_chorus_missing_credentials()
        if missing:
            values = {
                "hvac_chorus_connection_state": "untested",
                "hvac_chorus_connection_message": self.env._("Not tested: fill in %s first.", ", ".join(missing)),
            }
        else:
            try:
                structures = self._hvac_chorus_client().check_connection()
            except ChorusProError as error:
                values = {
                    "hvac_chorus_connection_state": "error",
                    "hvac_chorus_connection_message": chorus_error_message(self.env, error),
                }
            else:
                values = self._hvac_chorus_own_structure(structures)
        self.sudo().write(dict(values, hvac_chorus_connection_date=fields.Datetime.now()))

    def _hvac_chorus_own_structure(self, structures):
        """The connection's outcome from the supplier structures of the technical account: ours
        is the one with our SIRET. Another one would deposit invoices whose supplier is not the
        company every invoice names."""
        self.ensure_one()
        siret = siret_digits(self.siret)
        own = next((s for s in structures if _structure_siret(s) == siret), None) if siret else None
        if own:
            return {
                "hvac_chorus_connection_state": "ok",
                "hvac_chorus_connection_message": self.env._(
                    "Connected to Chorus Pro as %(name)s (SIRET %(siret)s).",
                    name=own.get("designationStructure"),
                    siret=siret,
                ),
                "hvac_chorus_structure_id": own["idStructureCPP"],
            }
        found = ", ".join(f"{s.get('designationStructure')} ({_structure_siret(s)})" for s in structures)
        if not siret:
            message = self.env._(
                "Our company has no SIRET: set it on the company; the technical account invoices for %s.", found
            )
        else:
            message = self.env._(
                "The technical account invoices for %(found)s, not for our SIRET %(siret)s: attach it to our "
                "structure on Chorus Pro, or correct the company's SIRET.",
                found=found,
                siret=siret,
            )
        return {
            "hvac_chorus_connection_state": "error",
            "hvac_chorus_connection_message": message,
            "hvac_chorus_structure_id": 0,
        }

    def _hvac_chorus_missing_declaration(self):
        """Labels of what the PISTE connection's declaration on Chorus Pro asks and is not recorded."""
        company = self.sudo()
        required = (
            "hvac_chorus_piste_app_name",
            "hvac_chorus_piste_usage",
            "hvac_chorus_tech_contact_name",
            "hvac_chorus_tech_contact_email",
        )
        return [company._fields[name]._description_string(self.env) for name in required if not company[name]]

    def _check_chorus_manager(self):
        if not self.env.user.has_group(CHORUS_MANAGER):
            raise AccessError(self.env._("Only Chorus Pro managers can change or test the Chorus Pro connection."))

    def write(self, vals):
        writer = self
        # Chorus managers may write their company (access rights), so that the Chorus Pro
        # connection form is editable for them: its Chorus Pro settings, nothing else.
        user = self.env.user
        if (
            not self.env.su
            and set(vals) - CHORUS_SETTINGS
            and user.has_group(CHORUS_MANAGER)
            and not user.has_group("base.group_erp_manager")
        ):
            raise AccessError(self.env._("A Chorus Pro manager changes only the Chorus Pro settings of the company."))
        if vals and set(vals) <= CHORUS_SETTINGS and not self.env.su and self.env.user.has_group(CHORUS_MANAGER):
            # Chorus managers keep their company's Chorus settings without being Odoo administrators.
            if self - self.env.user.company_ids:
                raise AccessError(self.env._("You can only change the Chorus Pro settings of your own companies."))
            writer = self.sudo()
        if {"hvac_chorus_password", "hvac_chorus_password_expiry"} & set(
            vals
        ) and "hvac_chorus_password_reminded" not in vals:
            vals = dict(vals, hvac_chorus_password_reminded=False)  # a new password or expiry: remind again
        changed = set(vals) & CREDENTIAL_FIELDS and "hvac_chorus_connection_state" not in vals
        # Our structure on Chorus Pro is the one with our SIRET: a new SIRET is tested again.
        siret_changed = (
            self.filtered(lambda c: c.hvac_chorus_connection_state != "untested")
            if ({"siret", "siren", "nic"} & set(vals) and "hvac_chorus_connection_state" not in vals)
            else self.browse()
        )
        if changed:
            # Not called from here: a slow or down Chorus would hold the save, inside the user's
            # transaction. The button tests at once; the credentials job tests in the background.
            vals = dict(
                vals,
                hvac_chorus_connection_state="untested",
                hvac_chorus_connection_message=self.env._(
                    "Credentials changed: use “Tester la connexion”, or Odoo tests them in the background."
                ),
            )
        res = super(ResCompany, writer).write(vals)
        if siret_changed and not changed:
            siret_changed.sudo().write(
                {
                    "hvac_chorus_connection_state": "untested",
                    "hvac_chorus_connection_message": self.env._(
                        "SIRET changed: use “Tester la connexion”, or Odoo tests it in the background."
                    ),
                }
            )
        if changed or siret_changed:
            self.env.ref("hvac_connect.ir_cron_chorus_password")._trigger()
        return res

    @api.model
    def action_hvac_chorus_open_settings(self):
        """The current company's Chorus Pro connection, for Chorus managers (Chorus Pro menu)."""
        self._check_chorus_manager()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.company",
            "res_id": self.env.company.id,
            "view_mode": "form",
            "views": [(self.env.ref("hvac_connect.res_company_view_form_chorus").id, "form")],
            "name": self.env._("Chorus Pro connection"),
        }

    @api.model
    def _cron_hvac_chorus_credentials(self):
        """Test the connection of each company whose credentials changed since their last test
        (the save triggers this job), then remind the expiring technical passwords."""
        untested = self.sudo().search([("hvac_chorus_connection_state", "=", "untested")])
        untested = untested.filtered(lambda company: not company._hvac_chorus_missing_credentials())
        job = Job(self.env, 0)
        # One company a transaction: its row is held during the call to Chorus Pro only.
        held = in_batches(untested, lambda batch: batch._hvac_chorus_test_connection(), size=1, job=job)
        held |= self._cron_chorus_password_reminder(job)
        again_soon(self.env, "hvac_connect.ir_cron_chorus_password", held)

    @api.model
    def _cron_chorus_password_reminder(self, job=None):
        """An activity for the Chorus managers 15 days before the technical password expires.
        Returns the companies left to whoever holds them."""
        limit = fields.Date.context_today(self) + timedelta(days=15)
        companies = self.sudo().search(
            [
                ("hvac_chorus_password_expiry", "!=", False),
                ("hvac_chorus_password_expiry", "<=", limit),
                ("hvac_chorus_password_reminded", "=", False),
            ]
        )
        return in_batches(companies, lambda batch: batch._hvac_chorus_remind_password(), job=job)

    def _hvac_chorus_remind_password(self):
        managers = self.env.ref(CHORUS_MANAGER).users
        for company in self:
            for user in managers.filtered(lambda u, c=company: c in u.company_ids):
                company.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=company.hvac_chorus_password_expiry,
                    user_id=user.id,
                    summary=self.env._("Chorus Pro technical password expires"),
                    note=self.env._(
                        "Renew the technical account's password on Chorus Pro before %s, then enter it in Odoo.",
                        company.hvac_chorus_password_expiry,
                    ),
                )
        self.write({"hvac_chorus_password_reminded": True})
