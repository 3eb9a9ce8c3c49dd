"""Odoo's own click-everywhere over the module's menus, as the administrator and as the demo
technician, in French, on the demo data; and, from each menu of the module whose view makes
records, New then Save with the smallest valid record, through the form as a user fills it."""

import json
from datetime import date

from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.convert import convert_file

from .common import HvacConnectCase

ROOT_MENU = "hvac_connect.menu_hvac_root"
CLICKBOT = f"odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader').startClickEverywhere({ROOT_MENU!r});"
NEW_RECORD_KEY = "hvac_connect.new_record"


@tagged("post_install", "-at_install")
class TestClickEverywhere(HttpCase):
    allow_end_on_form = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("fr_FR")
        env["ir.module.module"].search([("name", "in", ("base", "web", "mail", "hvac_connect"))])._update_translations(
            ["fr_FR"]
        )
        # The test database has no demo data: base's demo user, which the demo files name, is made here.
        if not env.ref("base.user_demo", raise_if_not_found=False):
            user = new_test_user(env, "demo", groups="base.group_user", name="Demo User")
            env["ir.model.data"].create(
                [
                    {"module": "base", "name": "user_demo", "model": "res.users", "res_id": user.id},
                    {"module": "base", "name": "partner_demo", "model": "res.partner", "res_id": user.partner_id.id},
                ]
            )
        with env["hvac.intervention"]._hvac_protected():
            for name in get_manifest("hvac_connect")["demo"]:
                convert_file(env, "hvac_connect", name, {}, mode="init", kind="demo")
        env.company.write(HvacConnectCase.cerfa_company_values())
        # A share is requested over an active connection: one, as after a pairing.
        env["hvac.connection"]._hvac_create_protected(
            {
                "company_id": env.company.id,
                "side": "inviter",
                "state": "active",
                "peer_url": "https://odoo.clim-services.fr",
                "peer_public_id": "clim-services-1",
                "peer_company_name": "Clim Services",
                "peer_siret": "44306184100047",
                "secret": "c" * 64,
            }
        )
        cls.admin = env.ref("base.user_admin")
        cls.technician = env.ref("base.user_demo")
        (cls.admin | cls.technician).write({"lang": "fr_FR", "tz": "Europe/Paris"})
        if "tour_enabled" in env["res.users"]._fields:
            (cls.admin | cls.technician).write({"tour_enabled": False})

    def _click_everywhere(self, login):
        # The first page of a new language builds its bundles: not within the browser's 20 s.
        self.authenticate(login, login)
        self.url_open("/odoo", timeout=300).raise_for_status()
        self.browser_js(
            "/odoo",
            CLICKBOT,
            "odoo.isReady === true",
            login=login,
            timeout=900,
            success_signal="clickbot test succeeded",
        )

    def test_click_everywhere_as_admin(self):
        self._click_everywhere("admin")

    def test_click_everywhere_as_demo_technician(self):
        self.assertTrue(self.technician.has_group("hvac_connect.group_hvac_user"), "the demo user is a technician")
        self._click_everywhere("demo")

    # --- New, then Save, from each menu -----------------------------------------------------------
    def _menus(self):
        """(menu, its section or None, action) of each menu under the root that opens records in a
        view where New is offered."""
        root = self.env.ref(ROOT_MENU)
        found = []
        for menu in self.env["ir.ui.menu"].search([("id", "child_of", root.id), ("action", "!=", False)]):
            action = menu.action
            if action._name != "ir.actions.act_window" or "form" not in action.view_mode:
                continue
            model = self.env[action.res_model]
            views = model.get_views([(False, "list"), (False, "form")])["views"]
            if any('create="0"' in views[kind]["arch"] or 'create="false"' in views[kind]["arch"] for kind in views):
                continue
            section = menu.parent_id if menu.parent_id != root else None
            found.append((menu, section, action))
        return found

    def _value(self, name, field):
        """(kind, what the user types, the value) for a required field the form leaves empty."""
        if field.type == "many2one":
            # Typed as a user types it: the name the autocomplete searches.
            comodel = self.env[field.comodel_name].with_user(self.admin).with_company(self.admin.company_id)
            record = comodel.search([], limit=1)
            return "many2one", record[record._rec_name] if record else "", record
        if field.type == "selection":
            value = field.get_values(self.env)[0]
            return "selection", value, value
        if field.type == "date":
            # Typed in the French format of the user's language.
            return "char", date.today().strftime("%d/%m/%Y"), date.today()
        if field.type in ("float", "monetary"):
            return "number", "1,5", 1.5
        if field.type == "integer":
            value = date.today().year - 1 if name == "year" else 1
            return "number", str(value), value
        return "char", f"Essai {field.string}", f"Essai {field.string}"

    def _job(self, menu, section, action):
        """What a user fills, in the form's order: each required field still empty once the
        fields before it are set (defaults and onchanges fill the others, as in the browser)."""
        model = self.env[action.res_model].with_user(self.admin)
        arch = etree.fromstring(model.get_views([(False, "form")])["views"]["form"]["arch"])
        form = Form(model)
        fields, seen = [], set()
        for node in arch.iter("field"):
            name = node.get("name")
            field = model._fields.get(name)
            if name in seen or not field or not field.required or any(a.tag == "field" for a in node.iterancestors()):
                continue
            seen.add(name)
            if form[name]:
                continue
            kind, typed, value = self._value(name, field)
            try:
                form[name] = value
            except AssertionError:
                continue  # read-only in the form
            fields.append({"name": name, "kind": kind, "value": typed})
        return {
            # A record of the list is opened first, and New clicked from its form; a list grouped
            # by default shows groups, not records, to open.
            "open_first": bool(model.search_count([], limit=1))
            and "search_default_group" not in (action.context or ""),
            "title": action.with_context(lang="fr_FR").name,
            "root": ROOT_MENU,
            "section": section and section.get_external_id()[section.id],
            "menu": menu.get_external_id()[menu.id],
            "fields": fields,
        }

    def test_new_record_from_each_menu(self):
        menus = self._menus()
        self.assertIn("hvac_connect.menu_hvac_installation", [m.get_external_id()[m.id] for m, _s, _a in menus])
        for menu, section, action in menus:
            job = self._job(menu, section, action)
            with self.subTest(menu=job["menu"], fields=job["fields"]):
                model = self.env[action.res_model]
                before = model.search_count([])
                code = (
                    f"localStorage.setItem({NEW_RECORD_KEY!r}, {json.dumps(json.dumps(job))});"
                    "odoo.startTour('hvac_connect_new_record_tour', {stepDelay: 0, startUrl: '/odoo'});"
                )
                self.start_tour(
                    "/odoo",
                    "hvac_connect_new_record_tour",
                    login="admin",
                    code=code,
                    ready="odoo.isReady === true",
                    timeout=120,
                )
                self.assertEqual(model.search_count([]), before + 1, f"{job['menu']}: one record saved")
