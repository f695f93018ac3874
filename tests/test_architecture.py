"""The layering rule ui → workbench → db, checked over the source with `ast`."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path, root: Path = ROOT) -> list[tuple[str, int]]:
    """Top-level package names a module imports (relative imports resolve to its own package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    own = path.relative_to(root).parts[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            name = own if node.level else (node.module or "").split(".")[0]
            found.append((name, node.lineno))
    return found


def _modules(package: str, root: Path = ROOT) -> list[Path]:
    return sorted((root / package).rglob("*.py"))


def _workbench_may_import(name: str) -> bool:
    return name not in {"PySide6", "shiboken6", "ui"}


def _db_may_import(name: str) -> bool:
    return name in sys.stdlib_module_names or name in {"sqlite_utils", "db", "__future__"}


RULES = {"workbench": _workbench_may_import, "db": _db_may_import}


def _violations(package: str, root: Path = ROOT) -> list[str]:
    return [
        f"{path.relative_to(root)}:{line} imports {name}"
        for path in _modules(package, root)
        for name, line in _imports(path, root)
        if not RULES[package](name)
    ]


def test_the_packages_exist():
    assert len(_modules("workbench")) > 5 and len(_modules("db")) >= 3


def test_workbench_never_imports_qt_or_ui():
    assert _violations("workbench") == []


def test_db_imports_only_the_standard_library_and_sqlite_utils():
    assert _violations("db") == []


@pytest.mark.parametrize(
    ("source", "package", "bad"),
    [
        ("from PySide6.QtCore import QObject\n", "workbench", "PySide6"),
        ("import ui.app\n", "workbench", "ui"),
        ("from workbench import audit\n", "db", "workbench"),
        ("import requests\n", "db", "requests"),
        ("def lazy():\n    import PySide6\n", "db", "PySide6"),
    ],
)
def test_the_checker_catches_each_kind_of_violation(tmp_path, source, package, bad):
    (tmp_path / package).mkdir()
    (tmp_path / package / "bad.py").write_text('"""Bad."""\n' + source)
    (tmp_path / package / "good.py").write_text("import json\nfrom . import bad\n")
    line = source.count("\n") + 1
    assert _violations(package, tmp_path) == [f"{package}/bad.py:{line} imports {bad}"]
