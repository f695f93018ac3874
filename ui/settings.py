"""Remembered preferences (QSettings): recent workspaces, theme, window layout."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

ORGANIZATION = "DHS CNE"
APPLICATION = "CNE Workbench"
MAX_RECENT = 8


def settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


def _as_list(value) -> list[str]:
    # QSettings hands back a bare string for a one-element list on some backends.
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value]


def recent_workspaces() -> list[str]:
    return _as_list(settings().value("workspace/recent"))


def _key(path) -> str:
    """A file's resolved path; a shared workspace's address as shown (never its password)."""
    from workbench.workspace import is_server

    return str(path) if is_server(path) else str(Path(path).resolve())


def remember_workspace(path: str | Path) -> None:
    path = _key(path)
    recent = [p for p in recent_workspaces() if p != path]
    recent.insert(0, path)
    s = settings()
    s.setValue("workspace/recent", recent[:MAX_RECENT])
    s.setValue("workspace/last", path)


def forget_workspace(path: str | Path) -> None:
    path = _key(path)
    s = settings()
    s.setValue("workspace/recent", [p for p in recent_workspaces() if p != path])
    if s.value("workspace/last") == path:
        s.remove("workspace/last")


def last_workspace() -> str | None:
    value = settings().value("workspace/last")
    return str(value) if value else None


def theme() -> str:
    value = settings().value("view/theme", "system")
    return value if value in ("system", "light", "dark") else "system"


def set_theme(name: str) -> None:
    settings().setValue("view/theme", name)
