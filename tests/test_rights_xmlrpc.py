"""Rights and states, tried from outside as an attacker would: XML-RPC as each group of the
module and as a plain internal user. Every rule is the server's: a field readonly in a view or a
hidden button is not tried here, because XML-RPC ignores them.

One table per kind of check; a new protected field, state or action is covered by a new row.
"""

import base64
import xmlrpc.client

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import HvacConnectCase
from .pkcs7_factory import bundle, make_chain

# Who tries: every group of the module, and an internal user without any of them.
USERS = {
    "internal": "base.group_user",
    "technician": "base.group_user,hvac_connect.group_hvac_user",
    "manager": "base.group_user,hvac_connect.group_hvac_manager",
    "exporter": "base.group_user,hvac_connect.group_trackdechets_full,hvac_connect.group_hvac_manager",
    "share_user": "base.group_user,hvac_connect.group_share_user",
    "share_admin": "base.group_user,hvac_connect.group_share_admin,hvac_connect.group_hvac_manager",
    "chorus_user": "base.group_user,hvac_connect.group_chorus_user",
    "chorus_manager": "base.group_user,hvac_connect.group_chorus_manager",
}
EVERYONE = tuple(USERS)

# (record key, field, value): a write refused to everyone. The record keys name a record in
# the state of the key (see _make_records).
PROTECTED_WRITES = [
    ("fiche_draft", "state", "done"),
    ("fiche_draft", "name", "FI/FAUX/0001"),
    ("fiche_done", "state", "draft"),
    ("fiche_done", "state", "cancel"),
    ("fiche_done", "name", "FI/FAUX/0002"),
    ("fiche_done", "charged_virgin_kg", 5.0),
    ("fiche_done", "recovered_treatment_kg", 0.5),
    ("fiche_done", "observations", "Corrigée après coup"),
    ("fiche_done", "date", "2020-01-01"),
    ("fiche_done", "bsff_number", "BSFF-20260101-FAUX"),
    ("fiche_draft", "bsff_number", "BSFF-20260101-FAUX"),
    ("fiche_done", "access_token", "jeton-choisi"),
    ("fiche_done", "holder_signed_via", "portal"),
    ("fiche_done", "holder_signed_on", "2026-01-01"),
    ("fiche_cancel", "state", "draft"),
    ("fiche_cancel", "observations", "Corrigée après coup"),
    ("move_done", "quantity_kg", 0.5),
    ("move_done", "direction", "empty"),
    ("bsff_draft", "state", "processed"),
    ("bsff_draft", "td_id", "BSFF-20260101-FAUX"),
    ("bsff_signed", "state", "draft"),
    ("bsff_signed", "td_id", False),
    ("bsff_signed", "send_reference", False),
    ("bsff_signed", "send_create_attempted", False),
    ("bsff_signed", "send_started_at", False),
    ("bsff_draft", "send_create_attempted_at", "2026-01-01 00:00:00"),
    ("bsff_signed", "weight_kg", 99.0),
    ("bsff_signed", "destination_partner_id", False),
    ("packaging_signed", "numero", "BT-9999"),
    ("packaging_signed", "weight_kg", 1.0),
    ("packaging_signed", "td_packaging_id", False),
    ("packaging_signed", "acceptation_status", "ACCEPTED"),
    ("packaging_draft", "td_packaging_id", "pkg-faux"),
    ("bsff_fiche_signed", "numero", "FI/FAUX/0003"),
    ("bsff_fiche_signed", "weight_kg", 1.0),
    ("bsff_fiche_signed", "td_fiche_id", False),
    ("share_to_evaluate", "state", "approved"),
    ("share_to_evaluate", "state", "available"),
    ("share_to_evaluate", "role", "operator"),
    ("share_to_evaluate", "level", "customer"),
    ("share_to_evaluate", "installation_ids", "OTHER_INSTALLATIONS"),
    ("share_to_evaluate", "our_details_on_documents", True),
    ("share_to_evaluate", "page_count", 3),
    ("share_to_evaluate", "side", "requester"),
    ("share_requested", "state", "available"),
    ("share_requested", "page_count", 1),
    ("connection_active", "state", "ended"),
    ("connection_active", "suspended_by", "peer"),
    ("connection_active", "peer_url", "https://pirate.example"),
    ("connection_active", "company_id", "OTHER_COMPANY"),
    ("sheet_draft", "state", "active"),
    ("sheet_sent", "state", "active"),
    ("sheet_sent", "activated_date", "2026-01-01"),
    ("sheet_sent", "partner_app_code", "VFE999"),
    ("certificate", "not_after", "2099-01-01 00:00:00"),
    ("certificate", "expiry_reminded", True),
    ("invoice", "hvac_chorus_invoice_id", 4242),
    ("invoice", "hvac_chorus_send_state", "sent"),
    ("invoice", "hvac_chorus_status", "MISE_EN_PAIEMENT"),
    ("invoice", "hvac_chorus_send_error", False),
    ("invoice", "hvac_chorus_deposit_sent_at", "2026-01-01 00:00:00"),
    ("flow_unknown", "state", "ERROR"),
    ("flow_unknown", "move_ids", [(5, 0, 0)]),
    ("flow_unknown", "deposit_sent_at", "2026-01-01 00:00:00"),
    ("flow_unknown", "name", "CPP0000000000000000000042"),
]

# (model, values): a create refused to everyone (protected values, or a locked parent).
PROTECTED_CREATES = [
    ("hvac.intervention", {"installation_id": "INSTALLATION", "state": "done"}),
    ("hvac.intervention", {"installation_id": "INSTALLATION", "name": "FI/FAUX/0004"}),
    ("hvac.intervention", {"installation_id": "INSTALLATION", "bsff_number": "BSFF-20260101-FAUX"}),
    ("hvac.intervention", {"installation_id": "INSTALLATION", "access_token": "jeton-choisi"}),
    ("hvac.container.move", {"intervention_id": "fiche_done", "container_id": "CONTAINER", "quantity_kg": 1.0}),
    ("hvac.bsff", {"state": "processed"}),
    ("hvac.bsff", {"td_id": "BSFF-20260101-FAUX"}),
    ("hvac.bsff.packaging", {"bsff_id": "bsff_signed", "numero": "BT-7777", "weight_kg": 1.0}),
    ("hvac.bsff.packaging", {"bsff_id": "bsff_draft", "numero": "BT-7778", "td_packaging_id": "pkg-faux"}),
    ("hvac.bsff.fiche", {"bsff_id": "bsff_signed", "numero": "FI/FAUX/0005", "weight_kg": 1.0}),
    ("hvac.share", {"name": "Partage forcé", "connection_id": "connection_active", "state": "available"}),
    (
        "hvac.share",
        {"name": "Partage forcé", "connection_id": "connection_active", "installation_ids": "OTHER_INSTALLATIONS"},
    ),
    ("hvac.connection", {"state": "active", "peer_url": "https://pirate.example"}),
    ("hvac.chorus.connection.sheet", {"partner_app_code": "VFE061", "state": "active"}),
]

# Record keys whose deletion is refused to everyone.
PROTECTED_UNLINKS = [
    "fiche_done",
    "fiche_cancel",
    "move_done",
    "bsff_signed",
    "packaging_signed",
    "bsff_fiche_signed",
    "connection_active",
    "sheet_sent",
]

# (record key, method, users refused): an action called by a user without its group.
ACTIONS = [
    ("fiche_draft", "action_done", ("internal", "chorus_user", "chorus_manager")),
    ("fiche_done", "action_cancel", ("internal", "technician", "share_user", "chorus_user", "chorus_manager")),
    ("bsff_draft", "action_send", ("internal", "technician", "manager", "share_user", "share_admin", "chorus_user")),
    (
        "share_to_evaluate",
        "action_reject",
        ("internal", "technician", "manager", "exporter", "share_user", "chorus_user"),
    ),
    ("share_granted", "action_revoke", ("internal", "technician", "manager", "share_user", "chorus_user")),
    ("connection_active", "action_suspend", ("internal", "technician", "share_user", "chorus_manager")),
    ("connection_active", "action_end", ("internal", "technician", "share_user", "chorus_manager")),
    ("sheet_draft", "action_submit", ("internal", "technician", "chorus_user", "share_admin")),
    ("sheet_sent", "action_activate", ("internal", "technician", "chorus_user", "share_admin")),
    ("sheet_sent", "action_deactivate", ("internal", "technician", "chorus_user", "share_admin")),
    ("invoice", "action_hvac_chorus_send", ("internal", "technician", "share_admin")),
    ("invoice", "action_hvac_chorus_find", ("internal", "technician", "share_admin")),
    ("flow_unknown", "action_release", ("internal", "technician", "share_admin", "chorus_user")),
]

# (model, users): models a group only reads (ACL narrowed: Chorus' statuses are Chorus' facts).
READ_ONLY = [
    ("hvac.chorus.invoice.status", ("chorus_user", "chorus_manager")),
]

# Records of another company: neither searched, grouped, read, exported nor written.
OTHER_COMPANY = [
    ("hvac.installation", "name"),
    ("hvac.intervention", "observations"),
    ("hvac.container.move", "quantity_kg"),
    ("hvac.bsff", "transporter_plates"),
    ("hvac.bsff.packaging", "numero"),
    ("hvac.connection", "name"),
    ("hvac.share", "description"),
    ("hvac.chorus.connection.sheet", "comment"),
]


def p7b():
    return base64.b64encode(bundle(*make_chain())).decode()


@tagged("post_install", "-at_install")
class TestRightsXmlrpc(HvacConnectCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.siret = "73282932000074"
        cls.other_company = cls.env["res.company"].create({"name": "Clim Savoie", "siret": "55208131766522"})
        cls.users = {
            key: new_test_user(
                cls.env,
                f"rx_{key}",
                groups=groups,
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )
            for key, groups in USERS.items()
        }
        cls.installation = cls.make_installation(charge=12.0)
        cls.container = cls.env["hvac.container"].create(
            {"name": "BT-0101", "refrigerant_id": cls.fluid.id, "capacity_kg": 10.0, "tare_kg": 7.9, "volume_l": 13.6}
        )
        cls.records = cls._make_records()
        cls.others = cls._make_other_company_records()

    @classmethod
    def _fiche(cls, state):
        fiche = cls.make_intervention(
            cls.installation,
            nature="maintenance",
            recovered_treatment_kg=2.0,
            container_move_ids=[
                Command.create({"container_id": cls.container.id, "direction": "fill", "quantity_kg": 2.0}),
            ],
        )
        if state in ("done", "cancel"):
            fiche.action_done()
        if state == "cancel":
            fiche.action_cancel()
        return fiche

    @classmethod
    def _bsff(cls, state):
        values = {
            "waste_description": "R410A",
            "packaging_ids": [Command.create({"numero": "BT-0101", "volume_l": 13.6, "weight_kg": 2.0})],
        }
        bsff = cls.env["hvac.bsff"].create(values)
        bsff.fiche_ids = [Command.create({"numero": "FI/2026/0001", "weight_kg": 2.0})]
        if state == "signed_by_emitter":
            bsff._hvac_set_protected(
                {
                    "state": state,
                    "td_id": "BSFF-20260101-AAAA",
                    "send_reference": "odoo:ref",
                    "send_started_at": "2026-01-01 00:00:00",
                    "send_create_attempted": True,
                }
            )
            bsff.packaging_ids._hvac_set_protected({"td_packaging_id": "pkg-1"})
            bsff.fiche_ids._hvac_set_protected({"td_fiche_id": "fi-1"})
        return bsff

    @classmethod
    def _connection(cls, company):
        return cls.env["hvac.connection"]._hvac_create_protected(
            {
                "company_id": company.id,
                "side": "inviter",
                "state": "active",
                "peer_url": "https://froid-savoie.example",
                "peer_public_id": f"peer-{company.id}",
                "peer_company_name": "Froid Savoie",
                "secret": "s" * 64,
            }
        )

    @classmethod
    def _share(cls, connection, state, side="owner", **values):
        return connection.env["hvac.share"]._hvac_create_protected(
            {
                "name": f"Partage {state}",
                "connection_id": connection.id,
                "side": side,
                "state": state,
                "peer_share_id": f"p-{state}-{side}",
                **values,
            }
        )

    @classmethod
    def _sheet(cls, state, company=None):
        sheet = cls.env["hvac.chorus.connection.sheet"].create(
            {
                "mode": "edi",
                "protocol": "sftp",
                "partner_app_code": "VFE060",
                "company_id": (company or cls.company).id,
                "contact_name": "Jeanne Martin",
                "contact_phone": "04 72 00 00 00",
                "contact_email": "jeanne.martin@froid-lyonnais.fr",
                "certificate_ids": [Command.create({"role": "client", "file": p7b(), "filename": "client.p7b"})],
            }
        )
        if state != "draft":
            sheet._hvac_set_protected({"state": state, "sent_date": "2026-01-05"})
        return sheet

    @classmethod
    def _make_records(cls):
        fiche_done = cls._fiche("done")
        bsff_draft, bsff_signed = cls._bsff("draft"), cls._bsff("signed_by_emitter")
        connection = cls._connection(cls.company)
        journal = cls.env["account.journal"].create(
            {"name": "Opérations diverses Chorus", "code": "ODCH", "type": "general"}
        )
        sheet_draft = cls._sheet("draft")
        invoice = cls.env["account.move"].create({"move_type": "entry", "journal_id": journal.id})
        return {
            "fiche_draft": cls._fiche("draft"),
            "fiche_done": fiche_done,
            "fiche_cancel": cls._fiche("cancel"),
            "move_done": fiche_done.container_move_ids,
            "bsff_draft": bsff_draft,
            "bsff_signed": bsff_signed,
            "packaging_draft": bsff_draft.packaging_ids,
            "packaging_signed": bsff_signed.packaging_ids,
            "bsff_fiche_signed": bsff_signed.fiche_ids,
            "connection_active": connection,
            "share_to_evaluate": cls._share(connection, "to_evaluate", level_requested="installation"),
            # A requester's share asks the peer on creation: made as a sharing user.
            "share_requested": cls._share(connection.with_user(cls.users["share_user"]), "requested", side="requester"),
            "share_granted": cls._share(
                connection,
                "available",
                role="operator",
                level="installation",
                installation_ids=[Command.set(cls.installation.ids)],
                granted_at="2026-01-01 00:00:00",
                transferred_at="2026-01-01 01:00:00",
            ),
            "sheet_draft": sheet_draft,
            "sheet_sent": cls._sheet("sent"),
            "certificate": sheet_draft.certificate_ids,
            "invoice": invoice,
            "flow_unknown": cls.env["hvac.chorus.flow"]._hvac_create_protected(
                {"state": "UNKNOWN", "move_ids": [Command.set(invoice.ids)], "deposit_sent_at": "2026-12-01 08:00:00"}
            ),
        }

    @classmethod
    def _make_other_company_records(cls):
        other = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.other_company.id]))
        site = other["hvac.site"].create(
            {
                "name": "Savoie - entrepôt",
                "partner_id": cls.customer.id,
                "zip": "73000",
                "company_id": cls.other_company.id,
            }
        )
        installation = other["hvac.installation"].create(
            {
                "name": "Groupe Savoie",
                "building_id": site.building_ids.id,
                "refrigerant_id": cls.fluid.id,
                "charge_kg": 8.0,
            }
        )
        container = other["hvac.container"].create(
            {
                "name": "BT-SAV-1",
                "refrigerant_id": cls.fluid.id,
                "capacity_kg": 10.0,
                "tare_kg": 7.9,
                "company_id": cls.other_company.id,
            }
        )
        fiche = other["hvac.intervention"].create(
            {
                "installation_id": installation.id,
                "company_id": cls.other_company.id,
                "nature": "dismantling",
                "recovered_treatment_kg": 1.0,
                "container_move_ids": [
                    Command.create({"container_id": container.id, "direction": "fill", "quantity_kg": 1.0})
                ],
            }
        )
        bsff = other["hvac.bsff"].create(
            {
                "company_id": cls.other_company.id,
                "packaging_ids": [Command.create({"numero": "BT-SAV-1", "weight_kg": 1.0})],
            }
        )
        connection = cls._connection(cls.other_company)
        return {
            "hvac.installation": installation,
            "hvac.intervention": fiche,
            "hvac.container.move": fiche.container_move_ids,
            "hvac.bsff": bsff,
            "hvac.bsff.packaging": bsff.packaging_ids,
            "hvac.connection": connection,
            "hvac.share": cls._share(connection, "to_evaluate"),
            "hvac.chorus.connection.sheet": cls._sheet("draft", cls.other_company),
        }

    # --- the XML-RPC side ----------------------------------------------------------------------------
    def _call(self, user, model, method, *args, **kwargs):
        login = self.users[user].login
        uid = self.users[user].id
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, login, model, method, list(args), kwargs)

    def _refused(self, user, model, method, *args, **kwargs):
        """The call is refused with a user-facing error (AccessError, UserError, ValidationError,
        all logged by Odoo at WARNING or less: the "Exception during request handling" ERROR of
        a crash would be a bug)."""
        with (
            mute_logger("odoo.http", "odoo.addons.base.controllers.rpc"),
            self.assertRaises(xmlrpc.client.Fault) as caught,
        ):
            self._call(user, model, method, *args, **kwargs)
        self.assertNotIn("Traceback", caught.exception.faultString.splitlines()[0])
        return caught.exception

    def _try(self, user, model, method, *args, **kwargs):
        """The call's answer, or None when it is refused."""
        try:
            with mute_logger("odoo.http", "odoo.addons.base.controllers.rpc"):
                return self._call(user, model, method, *args, **kwargs)
        except xmlrpc.client.Fault:
            return None

    def _value(self, value):
        specials = {
            "OTHER_INSTALLATIONS": lambda: [(6, 0, self.others["hvac.installation"].ids)],
            "OTHER_COMPANY": lambda: self.other_company.id,
            "INSTALLATION": lambda: self.installation.id,
            "CONTAINER": lambda: self.container.id,
        }
        if isinstance(value, str) and value in specials:
            return specials[value]()
        if isinstance(value, str) and value in self.records:
            return self.records[value].id
        return value

    def _snapshot(self, record, field):
        record.invalidate_recordset()
        return record.sudo()[field]

    # --- the tables ---------------------------------------------------------------------------------
    def test_protected_fields_are_refused_to_every_user(self):
        for key, field, value in PROTECTED_WRITES:
            record = self.records[key]
            before = self._snapshot(record, field)
            for user in EVERYONE:
                with self.subTest(record=key, field=field, user=user):
                    self._refused(user, record._name, "write", record.ids, {field: self._value(value)})
                    self.assertEqual(self._snapshot(record, field), before, "nothing written")

    def test_protected_creates_are_refused_to_every_user(self):
        for model, values in PROTECTED_CREATES:
            values = {name: self._value(value) for name, value in values.items()}
            count = self.env[model].sudo().search_count([])
            for user in EVERYONE:
                with self.subTest(model=model, values=values, user=user):
                    self._refused(user, model, "create", [values])
                    self.assertEqual(self.env[model].sudo().search_count([]), count, "nothing created")

    def test_locked_records_are_not_deleted(self):
        for key in PROTECTED_UNLINKS:
            record = self.records[key]
            for user in EVERYONE:
                with self.subTest(record=key, user=user):
                    self._refused(user, record._name, "unlink", record.ids)
                    self.assertTrue(record.sudo().exists())

    def test_actions_need_their_group(self):
        for key, method, users in ACTIONS:
            record = self.records[key]
            for user in users:
                with self.subTest(record=key, method=method, user=user):
                    self._refused(user, record._name, method, record.ids)

    def test_read_only_models(self):
        move = self.records["invoice"]
        status = self.env["hvac.chorus.invoice.status"].sudo().create({"move_id": move.id, "code": "DEPOSEE"})
        for model, users in READ_ONLY:
            for user in users:
                with self.subTest(model=model, user=user):
                    self._refused(user, model, "write", status.ids, {"code": "MISE_EN_PAIEMENT"})
                    self._refused(user, model, "create", [{"move_id": move.id, "code": "MISE_EN_PAIEMENT"}])
                    self._refused(user, model, "unlink", status.ids)

    def test_other_company_records_are_out_of_reach(self):
        for model, field in OTHER_COMPANY:
            record = self.others[model]
            for user in EVERYONE:
                with self.subTest(model=model, user=user):
                    domain = [("id", "in", record.ids)]
                    found = self._try(user, model, "search", domain) or []  # None: no access to the model at all
                    self.assertEqual(found, [], "not found")
                    groups = self._try(user, model, "read_group", domain, ["id:count"], []) or []
                    self.assertFalse([g for g in groups if g.get("id") or g.get("__count")], "not counted")
                    self._refused(user, model, "read", record.ids, [field])
                    self._refused(user, model, "export_data", record.ids, [field])
                    self._refused(user, model, "write", record.ids, {field: self._snapshot(record, field)})

    # --- what happened before, one by one -------------------------------------------------------------
    def test_share_user_cannot_approve_a_share(self):
        share = self.records["share_to_evaluate"]
        self._refused(
            "share_user",
            "hvac.share",
            "write",
            share.ids,
            {
                "state": "approved",
                "role": "operator",
                "level": "customer",
                "installation_ids": [(6, 0, self.others["hvac.installation"].ids)],
            },
        )
        self._refused(
            "share_user",
            "hvac.share.evaluate",
            "create",
            [{"share_id": share.id, "level": "installation", "role": "operator"}],
        )
        self.assertRecordValues(share.sudo(), [{"state": "to_evaluate", "role": False, "level": False}])

    def test_share_admin_cannot_grant_another_company_installations(self):
        share = self.records["share_to_evaluate"]
        wizard = self._call(
            "share_admin",
            "hvac.share.evaluate",
            "create",
            [
                {
                    "share_id": share.id,
                    "level": "installation",
                    "role": "operator",
                    "installation_ids": [(6, 0, self.others["hvac.installation"].ids)],
                }
            ],
        )
        # Refused, or granted without what the administrator cannot read: never theirs.
        self._try("share_admin", "hvac.share.evaluate", "action_approve", [wizard])
        self.assertFalse(share.sudo().installation_ids & self.others["hvac.installation"])
        values = {
            "level": "installation",
            "role": "operator",
            "installation_ids": [Command.set(self.others["hvac.installation"].ids)],
        }
        with self.assertRaises(AccessError):
            share.with_user(self.users["share_admin"])._decide("approved", values)

    def test_done_fiche_stays_done_and_kept(self):
        fiche = self.records["fiche_done"]
        self._refused("manager", "hvac.intervention", "write", fiche.ids, {"state": "draft"})
        self._call("manager", "hvac.intervention", "action_cancel", fiche.ids)
        self._call("manager", "hvac.intervention", "action_draft", fiche.ids)
        self.assertRecordValues(fiche, [{"state": "cancel"}])  # numbered: never back to draft
        self._refused("manager", "hvac.intervention", "unlink", fiche.ids)
        self.assertTrue(fiche.exists())

    def test_signed_bsff_cannot_be_reset(self):
        bsff = self.records["bsff_signed"]
        self._refused(
            "exporter",
            "hvac.bsff",
            "write",
            bsff.ids,
            {"state": "draft", "td_id": False, "send_create_attempted": False},
        )
        self._refused("exporter", "hvac.bsff.packaging", "unlink", bsff.packaging_ids.ids)
        self._refused("exporter", "hvac.bsff.fiche", "write", bsff.fiche_ids.ids, {"weight_kg": 50.0})
        self.assertRecordValues(bsff.sudo(), [{"state": "signed_by_emitter", "td_id": "BSFF-20260101-AAAA"}])

    def test_moves_of_a_done_fiche_are_frozen(self):
        move = self.records["move_done"]
        self._refused("technician", "hvac.container.move", "write", move.ids, {"quantity_kg": 9.0})
        self._refused("technician", "hvac.container.move", "unlink", move.ids)
        draft = self.records["fiche_draft"]
        self._refused(
            "technician",
            "hvac.container.move",
            "write",
            draft.container_move_ids.ids,
            {"intervention_id": self.records["fiche_done"].id},
        )
        self.assertEqual(move.sudo().quantity_kg, 2.0)

    def test_allowed_edits_still_work(self):
        """The locks are not walls: what each state allows goes through."""
        self._call("technician", "hvac.intervention", "write", self.records["fiche_draft"].ids, {"observations": "RAS"})
        self._call(
            "technician",
            "hvac.container.move",
            "write",
            self.records["fiche_draft"].container_move_ids.ids,
            {"quantity_kg": 1.5},
        )
        self._call(
            "exporter", "hvac.bsff", "write", self.records["bsff_signed"].ids, {"transporter_plates": "AB-123-CD"}
        )
        self._call("exporter", "hvac.bsff.packaging", "write", self.records["packaging_draft"].ids, {"weight_kg": 2.5})
        self._call(
            "share_user", "hvac.share", "write", self.records["share_requested"].ids, {"description": "Contrat 2026"}
        )
        self._call(
            "chorus_manager",
            "hvac.chorus.connection.sheet",
            "write",
            self.records["sheet_draft"].ids,
            {"comment": "Dossier PISTE"},
        )
        self._call("manager", "hvac.intervention", "message_post", self.records["fiche_done"].ids, body="Vu sur site")
        self.assertEqual(self.records["fiche_draft"].observations, "RAS")
