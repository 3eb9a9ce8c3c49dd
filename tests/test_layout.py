"""The code's layout rules, read from the source: a new file that breaks one fails here."""

import ast
import re
from pathlib import Path

from odoo.tests import BaseCase, tagged

ROOT = Path(__file__).resolve().parent.parent
AREAS = ("common", "fluids", "trackdechets", "chorus", "sharing")


def _python_files(*folders):
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def _model_of(cls):
    name = inherit = None
    for node in cls.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
            if target == "_name" and isinstance(value, ast.Constant):
                name = value.value
            elif target == "_inherit" and isinstance(value, ast.Constant):
                inherit = value.value
            elif target == "_inherit" and isinstance(value, ast.List) and isinstance(value.elts[0], ast.Constant):
                inherit = value.elts[0].value
    return name or inherit


def _relative_imports(path):
    """The modules ``path`` imports from this addon, as paths relative to the addon's root."""
    package = path.parent.relative_to(ROOT).parts
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            yield "/".join(base + tuple((node.module or "").split(".")))


@tagged("standard", "at_install")
class TestLayout(BaseCase):
    def test_each_class_is_named_after_its_model(self):
        wrong = []
        for path in _python_files("models", "wizards"):
            for cls in (n for n in ast.parse(path.read_text()).body if isinstance(n, ast.ClassDef)):
                model = _model_of(cls)
                expected = model and "".join(part.capitalize() for part in re.split(r"[._]", model))
                if expected and cls.name != expected:
                    wrong.append(f"{path.relative_to(ROOT)}: {cls.name} defines {model}, expected {expected}")
        self.assertEqual(wrong, [])

    def test_models_and_wizards_live_in_an_area(self):
        loose = [
            str(path.relative_to(ROOT))
            for folder in ("models", "wizards")
            for path in (ROOT / folder).glob("*.py")
            if path.name != "__init__.py"
        ]
        self.assertEqual(loose, [])
        areas = {path.name for path in (ROOT / "models").iterdir() if path.is_dir() and path.name != "__pycache__"}
        self.assertEqual(areas, set(AREAS))

    def test_imports_follow_the_layers(self):
        wrong = []
        for path in _python_files("clients"):
            if re.search(r"^\s*(from|import) odoo\b", path.read_text(), re.M):
                wrong.append(f"{path.relative_to(ROOT)} imports Odoo")
            wrong += [
                f"{path.relative_to(ROOT)} imports {target}"
                for target in _relative_imports(path)
                if not target.startswith("clients")
            ]
        for path in _python_files("models/common"):
            wrong += [
                f"{path.relative_to(ROOT)} imports {target}"
                for target in _relative_imports(path)
                if target.startswith("models/") and not target.startswith("models/common")
            ]
        for path in _python_files("models", "clients"):
            wrong += [
                f"{path.relative_to(ROOT)} imports {target}"
                for target in _relative_imports(path)
                if target.startswith(("wizards", "controllers", "tests"))
            ]
        self.assertEqual(wrong, [])

    def test_no_comment_cites_an_issue(self):
        cited = []
        for path in _python_files("models", "wizards", "controllers", "clients", "tests", "tools", "bench"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(r"\bissues? #?\d+", line, re.I):
                    cited.append(f"{path.relative_to(ROOT)}:{number}")
        self.assertEqual(cited, [])
