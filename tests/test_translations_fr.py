"""French as the users read it: every term of i18n/fr.po reaches the database, and a walk
through the module's menus in French finds none of the module's terms left in English."""

from pathlib import Path

import polib
from lxml import etree

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "i18n" / "fr.po"
# Odoo reads fr.po merged with the .pot, whose references win (odoo/tools/translate.py
# PoFileReader): both must name existing records.
POT = ROOT / "i18n" / "hvac_connect.pot"
# Attributes of a view's nodes that Odoo translates (odoo/tools/translate.py TRANSLATED_ATTRS).
TRANSLATED_ATTRS = ("string", "help", "placeholder", "title", "confirm", "sum", "avg", "aria-label", "alt")
WASTE_CODE_FIELDS = (("hvac.refrigerant", "bsff_waste_code"), ("hvac.bsff", "waste_code"))


def po_entries():
    return [entry for entry in polib.pofile(str(PO)) if not entry.obsolete]


def load_french(env):
    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"]._load_module_terms(["hvac_connect"], ["fr_FR"], overwrite=True)


@tagged("post_install", "-at_install")
class TestFrenchTerms(TransactionCase):
    def test_every_record_term_names_a_record(self):
        """A ``model:``/``model_terms:`` line names the record its French goes to: one that does
        not exist is French never loaded (polib wrote '-' for the '*' of the waste codes)."""
        data = self.env["ir.model.data"].sudo()
        missing, checked = [], 0
        entries = po_entries() + [entry for entry in polib.pofile(str(POT)) if not entry.obsolete]
        for entry in entries:
            for occurrence, _line in entry.occurrences:
                kind, _sep, target = occurrence.partition(":")
                if kind not in ("model", "model_terms"):
                    continue
                module, _dot, name = target.split(":", 1)[1].partition(".")
                checked += 1
                if not data.search_count([("module", "=", module), ("name", "=", name)]):
                    missing.append(f"{occurrence} ({entry.msgid[:40]!r})")
        self.assertGreater(checked, 2000)
        self.assertEqual(missing, [])

    def test_waste_codes_in_french_on_install(self):
        load_french(self.env)
        for model, field in WASTE_CODE_FIELDS:
            with self.subTest(model=model):
                labels = dict(self.env[model].with_context(lang="fr_FR").fields_get([field])[field]["selection"])
                self.assertEqual(labels["14 06 01*"], "14 06 01* - Chlorofluorocarbones, HCFC, HFC")
                self.assertEqual(
                    labels["16 05 04*"], "16 05 04* - Gaz en récipients à pression contenant des substances dangereuses"
                )

    def test_waste_codes_in_french_after_an_upgrade(self):
        """A database that kept the English (loaded before the fix) gets the French when the module
        is upgraded: the upgrade loads fr.po without overwriting, which fills what is missing."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE ir_model_fields_selection s SET name = jsonb_build_object('en_US', s.name->>'en_US')
                 FROM ir_model_fields f WHERE f.id = s.field_id AND f.model IN %s""",
            [tuple(model for model, _field in WASTE_CODE_FIELDS)],
        )
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        labels = dict(
            self.env["hvac.bsff"].with_context(lang="fr_FR").fields_get(["waste_code"])["waste_code"]["selection"]
        )
        self.assertEqual(labels["14 06 01*"], "14 06 01* - Chlorofluorocarbons, HCFC, HFC", "the English left behind")
        self.env["ir.module.module"]._load_module_terms(["hvac_connect"], ["fr_FR"])
        self.env.registry.clear_cache()
        labels = dict(
            self.env["hvac.bsff"].with_context(lang="fr_FR").fields_get(["waste_code"])["waste_code"]["selection"]
        )
        self.assertEqual(labels["14 06 01*"], "14 06 01* - Chlorofluorocarbones, HCFC, HFC")

    def test_rights_read_as_rights(self):
        """The rights line of the user form shows the right's name, no technical tag."""
        groups = self.env["res.groups"].search(
            [("category_id.parent_id", "=", self.env.ref("hvac_connect.module_category_hvac_connect").id)]
        )
        self.assertTrue(groups)
        self.assertEqual([g.name for g in groups if "[" in g.name or "]" in g.name], [])


@tagged("post_install", "-at_install")
class TestFrenchSession(HttpCase):
    def test_waste_codes_read_back_in_a_french_session(self):
        """The labels the web client receives when a French user opens a BSFF or a fluid."""
        load_french(self.env)
        new_test_user(
            self.env,
            "technicienne",
            groups="base.group_user,hvac_connect.group_trackdechets_full",
            lang="fr_FR",
            name="Léa Fabre",
        )
        self.authenticate("technicienne", "technicienne")
        for model, field in WASTE_CODE_FIELDS:
            with self.subTest(model=model):
                views = self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": model,
                        "method": "get_views",
                        "args": [],
                        "kwargs": {"views": [[False, "form"]], "context": {"lang": "fr_FR"}},
                    },
                )
                labels = dict(views["models"][model]["fields"][field]["selection"])
                self.assertEqual(labels["14 06 01*"], "14 06 01* - Chlorofluorocarbones, HCFC, HFC")
                self.assertNotIn("Chlorofluorocarbons", str(views))


@tagged("post_install", "-at_install")
class TestFrenchMenus(TransactionCase):
    """Every menu of the module, every view its action opens, in English then in French: a term of
    the module shown identical in both languages while fr.po translates it is English left."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.french = {entry.msgid: entry.msgstr for entry in po_entries()}
        cls.our_actions = set(
            cls.env["ir.model.data"]
            .sudo()
            .search([("module", "=", "hvac_connect"), ("model", "=like", "ir.actions.%")])
            .mapped("res_id")
        )

    def _menus(self):
        ids = (
            self.env["ir.model.data"]
            .sudo()
            .search([("module", "=", "hvac_connect"), ("model", "=", "ir.ui.menu")])
            .mapped("res_id")
        )
        return self.env["ir.ui.menu"].browse(ids)

    def _window(self, action):
        """(model, [(view id, type)]) of a menu's action; a server action is run to get it."""
        if action._name == "ir.actions.server":
            result = action.with_user(self.env.ref("base.user_admin")).run()
            return result["res_model"], [tuple(v) for v in result["views"]]
        if action._name != "ir.actions.act_window":
            return None, []
        modes = action.view_mode.split(",")
        views = [(view_id, mode) for view_id, mode in action.views if mode in modes]
        return action.res_model, [*views, (False, "search")]

    def _arch_pairs(self, en_arch, fr_arch):
        en_nodes, fr_nodes = list(etree.fromstring(en_arch).iter()), list(etree.fromstring(fr_arch).iter())
        self.assertEqual(len(en_nodes), len(fr_nodes), "a translation does not change a view's shape")
        for en, fr in zip(en_nodes, fr_nodes, strict=True):
            if en.getparent() is None and en.tag in ("search", "list"):
                continue  # never shown (a default search view's is the model's untranslated _description)
            for attr in TRANSLATED_ATTRS:
                if en.get(attr):
                    yield en.get(attr), fr.get(attr)
            for part in ("text", "tail"):
                if (getattr(en, part) or "").strip():
                    yield getattr(en, part).strip(), (getattr(fr, part) or "").strip()

    def _field_pairs(self, en_models, fr_models):
        Fields = self.env["ir.model.fields"]
        for model, described in en_models.items():
            for name, en in described["fields"].items():
                if "hvac_connect" not in (Fields._get(model, name).modules or ""):
                    continue  # a core field: core's own translations, not loaded here
                fr = fr_models[model]["fields"][name]
                for key in ("string", "help"):
                    if en.get(key):
                        yield en[key], fr.get(key)
                for (_value, en_label), (_same, fr_label) in zip(
                    en.get("selection") or [], fr.get("selection") or [], strict=True
                ):
                    yield en_label, fr_label

    def test_no_term_of_the_module_left_in_english(self):
        english_left, views_seen, pairs = set(), set(), 0
        for menu in self._menus():
            candidates = [(menu.name, menu.with_context(lang="fr_FR").name)]
            model, views = self._window(menu.action) if menu.action else (None, [])
            if model:
                action = menu.action
                candidates.append((action.name, action.with_context(lang="fr_FR").name))
                for view_id, view_type in views:
                    if (model, view_id, view_type) in views_seen:
                        continue
                    views_seen.add((model, view_id, view_type))
                    en, fr = (
                        self.env[model].with_context(lang=lang).get_views([(view_id, view_type)], {"toolbar": True})
                        for lang in ("en_US", "fr_FR")
                    )
                    candidates += self._arch_pairs(en["views"][view_type]["arch"], fr["views"][view_type]["arch"])
                    candidates += self._field_pairs(en["models"], fr["models"])
                    for key in ("print", "action"):
                        for en_bound, fr_bound in zip(
                            en["views"][view_type].get("toolbar", {}).get(key, []),
                            fr["views"][view_type].get("toolbar", {}).get(key, []),
                            strict=True,
                        ):
                            if en_bound["id"] in self.our_actions:  # another module's binding: its own terms
                                candidates.append((en_bound["name"], fr_bound["name"]))
            for en_text, fr_text in candidates:
                pairs += 1
                french = self.french.get(en_text)
                if french and french != en_text and fr_text == en_text:
                    english_left.add(f"{menu.complete_name}: {en_text!r} (fr.po: {french!r})")
        self.assertGreaterEqual(len(views_seen), 35, "the walk went through the module's views")
        self.assertGreater(pairs, 1000)
        self.assertEqual(sorted(english_left), [])
