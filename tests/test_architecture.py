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
    # sqlite-utils is the file engine's path, psycopg the PostgreSQL one.
    return name in sys.stdlib_module_names or name in {
        "sqlite_utils",
        "psycopg",
        "db",
        "__future__",
    }


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


def test_db_imports_only_the_standard_library_sqlite_utils_and_psycopg():
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


def _module_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Which of our modules each of our modules imports, at any depth in its body."""
    mods = {}
    for package in ("workbench", "ui", "db"):
        for p in _modules(package, root):
            name = ".".join(p.relative_to(root).with_suffix("").parts)
            mods[name.removesuffix(".__init__")] = p
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, p in mods.items():
        pkg = m if p.name == "__init__.py" else m.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                subs = [f"{base}.{a.name}" for a in node.names]
                targets = [t for t in subs if t in mods] or [base]
            else:
                continue
            for t in targets:
                while t and t not in mods:
                    t = t.rpartition(".")[0]
                # A package importing its own submodules is containment, not a circle.
                if t and t != m and not t.startswith(m + "."):
                    graph[m].add(t)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles():
    """Function-level imports count too: a circle hidden in a function is still a circle."""
    assert _cycles(_module_graph()) == []


def test_the_pdf_package_reads_no_workspace():
    """Snapshot in, bytes out: nothing in workbench.pdf imports the store or a use-case."""
    graph = _module_graph()
    for module, targets in graph.items():
        if module.startswith("workbench.pdf.") or module == "workbench.pdf":
            outside = {t for t in targets if not t.startswith("workbench.pdf")}
            # markdown_model is pure (the shared Markdown parser and inline model, no store);
            # so is images (checks an image's bytes; the PDF checks an SVG again on drawing).
            allowed = {"workbench.errors", "workbench.markdown_model", "workbench.images"}
            assert outside <= allowed, (module, outside)
