"""Every ``type="object"`` button of the module's views, called as the web client calls it.

The web client posts ``/web/dataset/call_button`` with the record ids as first argument: a
method declared ``@api.model`` or taking extra arguments then fails with a TypeError that a
test calling the method from Python never sees. A UserError (a business check refusing) means
the button ran and is fine here; the other tests check what each button does.
"""

import json
from unittest.mock import patch
from urllib.parse import urlsplit

import requests
from lxml import etree

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

# What a UserError or AccessError comes back as: the method ran, a check refused.
BUSINESS_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.RedirectWarning",
}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
_real_send = requests.Session.send


def _local_only_send(session, request, **kwargs):
    """Tests never reach the internet: a button calling a remote service sees it unreachable."""
    if urlsplit(request.url).hostname in LOCAL_HOSTS:
        return _real_send(session, request, **kwargs)
    raise requests.ConnectionError(f"no network in tests: {request.url}")


def module_object_buttons(env, module="hvac_connect"):
    """(model, method) of every object button in the views this module defines or extends."""
    view_ids = (
        env["ir.model.data"].sudo().search([("module", "=", module), ("model", "=", "ir.ui.view")]).mapped("res_id")
    )
    buttons = set()
    for view in env["ir.ui.view"].sudo().browse(view_ids):
        arch = etree.fromstring(view.arch_db.encode())
        for button in arch.iter("button"):
            if button.get("type") == "object" and button.get("name"):
                buttons.add((_button_model(env, view.model, button), button.get("name")))
    return sorted(buttons)


def _button_model(env, model, button):
    """A button inside a relational field's sub-view acts on that field's comodel."""
    for field_node in reversed(list(button.iterancestors("field"))):
        field = env[model]._fields.get(field_node.get("name"))
        if field is not None and field.relational:
            model = field.comodel_name
    return model


@tagged("post_install", "-at_install")
class TestButtonsWebClient(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.env.company.write({"hvac_capacity_number": "CAP-2024-0042", "hvac_capacity_category": "I"})
        customer = env["res.partner"].create(
            {"name": "Clinique du Parc", "is_company": True, "siret": "73282932000074"}
        )
        site = env["hvac.site"].create({"name": "Clinique", "partner_id": customer.id, "zip": "69003"})
        fluid = env.ref("hvac_connect.refrigerant_r_410a")
        installation = env["hvac.installation"].create(
            {"name": "Groupe froid", "building_id": site.building_ids.id, "refrigerant_id": fluid.id, "charge_kg": 10.0}
        )
        env["hvac.intervention"].create({"installation_id": installation.id})
        env["hvac.connection"].with_user(env.ref("base.user_admin")).action_invite()

    def _record_id(self, model):
        """A record the button can act on; a missing id still checks the signature."""
        record = self.env[model].sudo().with_context(active_test=False).search([], limit=1)
        return record.id or 999999999

    def _call_button(self, model, method, record_id):
        payload = {"model": model, "method": method, "args": [[record_id]], "kwargs": {"context": {"lang": "en_US"}}}
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": payload})
        response = self.url_open("/web/dataset/call_button", data=body, headers={"Content-Type": "application/json"})
        response.raise_for_status()
        return response.json().get("error")

    def test_every_object_button_accepts_the_web_client_call(self):
        buttons = module_object_buttons(self.env)
        self.assertGreater(len(buttons), 30, "the views' buttons were collected")
        self.assertIn(("hvac.connection", "action_invite"), buttons)
        self.authenticate("admin", "admin")
        with patch.object(requests.Session, "send", _local_only_send), mute_logger("odoo.http"):
            for model, method in buttons:
                with self.subTest(model=model, method=method):
                    error = self._call_button(model, method, self._record_id(model))
                    if error:
                        data = error.get("data", {})
                        self.assertIn(
                            data.get("name"),
                            BUSINESS_ERRORS,
                            f"{model}.{method}: {data.get('message')}\n{data.get('debug', '')[-1500:]}",
                        )

    def test_an_api_model_button_is_caught(self):
        """The check itself: an @api.model method called with ids is a TypeError."""
        self.authenticate("admin", "admin")
        with mute_logger("odoo.http"):
            error = self._call_button("res.users", "action_get", 2)
        self.assertNotIn(error["data"]["name"], BUSINESS_ERRORS)
