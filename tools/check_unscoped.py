#!/usr/bin/env python
"""Find lookups of personal-data models that bypass the app's access layer.

Rules (each finding fails CI):
- In views, forms and template tags, a personal-data model's manager may only
  be used as `Model.objects.visible_to(actor)`: every other use must go
  through the app's access.py.
- Anywhere outside migrations: no raw SQL (`.raw(`, `.extra(`, `cursor()`), but for
  statements that read no row: COPY of new rows in porch/core/bulk.py (ADR 0022), and the
  database wall's policies and principal settings in porch/core/rls.py (ADR 0032).

Usage: python tools/check_unscoped.py [paths...]   (default: porch/)
"""

from __future__ import annotations

import ast
import functools
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from porch.core import modules


@functools.cache
def personal_models() -> frozenset[str]:
    """The class names of every model a module declares as holding personal data
    (porch/<app>/module.py). A model nobody declares fails the forgotten-declaration test."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    return frozenset(declared.model.rsplit(".", 1)[1] for declared in modules.personal_models())


# views.py and forms.py, and any file named like them (staff_views.py, oncall_forms.py).
SCOPED_FILES = ("views.py", "forms.py")
RAW_SQL_CALLS = frozenset({"raw", "extra", "cursor"})
RAW_SQL_ALLOWED = ("porch/core/bulk.py", "porch/core/rls.py")


def findings_in(path: Path, source: str) -> list[str]:
    tree = ast.parse(source, filename=str(path))
    problems: list[str] = []
    scoped = path.name.endswith(SCOPED_FILES) or "templatetags" in path.parts
    for node in ast.walk(tree):
        if scoped and isinstance(node, ast.Attribute) and node.attr == "objects":
            target = node.value
            if isinstance(target, ast.Name) and target.id in personal_models():
                parent_ok = _is_visible_to_call(tree, node)
                if not parent_ok:
                    problems.append(
                        f"{path}:{node.lineno}: {target.id}.objects used directly; "
                        "get it through the app's access.py or .visible_to(actor)"
                    )
        if _is_raw_sql_call(node) and "migrations" not in path.parts and not path.as_posix().endswith(RAW_SQL_ALLOWED):
            problems.append(f"{path}:{getattr(node, 'lineno', 0)}: raw SQL outside a migration")
    return problems


def _is_raw_sql_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RAW_SQL_CALLS


def _is_visible_to_call(tree: ast.AST, objects_node: ast.Attribute) -> bool:
    """`.visible_to(actor)`, or `.none()` (a form field's placeholder: it returns nothing)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.value is objects_node:
            return node.attr in ("visible_to", "none")
    return False


def main(argv: list[str]) -> int:
    roots = [Path(arg) for arg in argv] or [Path("porch")]
    problems: list[str] = []
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for path in files:
            if "tests" in path.parts:
                continue
            problems.extend(findings_in(path, path.read_text()))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} unscoped lookup(s) found.")
        return 1
    print("No unscoped lookups of personal data.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
