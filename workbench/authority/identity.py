"""Who is acting: a person in the directory, remembered per OS account, never the OS login.

The choice is kept in a small JSON file in the user's configuration folder (one entry per
workspace id), read by the app and the command line alike. `act_as` sets it on a Workspace
handle; every audit entry then records that person and, separately, the OS account.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from workbench import directory
from workbench.errors import NotFound, RuleViolation, WorkbenchError

IDENTITY_ENV = "CNE_WORKBENCH_IDENTITY"  # tests and managed installs point this elsewhere


def identity_file() -> Path:
    override = os.environ.get(IDENTITY_ENV)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "DHS CNE" / "identity.json"


def _load() -> dict:
    try:
        data = json.loads(identity_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(data: dict) -> None:
    from workbench.files import write_atomic

    path = identity_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(data, indent=1, sort_keys=True))


def find_person(ws, ref: int | str) -> directory.Person:
    """A directory person by id or by name (case-insensitive, exact)."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
        return directory.person(ws, int(ref))
    name = str(ref).strip().casefold()
    matches = [p for p in directory.people(ws) if p.name.casefold() == name]
    if not matches:
        raise NotFound(f"No one named {str(ref).strip()!r} is in the directory.")
    if len(matches) > 1:
        raise WorkbenchError(
            f"{len(matches)} people are named {matches[0].name}; give the id instead "
            f"({', '.join(str(p.id) for p in matches)})."
        )
    return matches[0]


def act_as(ws, ref: int | str | None) -> directory.Person | None:
    """Make ws act for this person (None: no one identified)."""
    signer = getattr(ws, "signer", None)
    if ref is None:
        ws.person_id = None
        ws.actor = "unidentified"
        ws.signer = None
        return None
    person = find_person(ws, ref)
    if signer is not None and signer.person_id != person.id:
        ws.signer = None  # a key unlocked by one person never signs for the next
    ws.person_id = person.id
    ws.actor = person.name
    return person


@contextlib.contextmanager
def acting_as(ws, ref: int | str | None):
    """Temporarily act for another person (tests; a decision recorded on the spot)."""
    saved = (ws.person_id, ws.actor, getattr(ws, "signer", None))
    try:
        yield act_as(ws, ref)
    finally:
        ws.person_id, ws.actor, ws.signer = saved


def current(ws) -> directory.Person | None:
    """The person ws acts for, or None."""
    if ws.person_id is None:
        return None
    try:
        return directory.person(ws, ws.person_id)
    except NotFound:
        return None


def require_person(ws) -> directory.Person:
    person = current(ws)
    if person is None:
        raise RuleViolation(
            "Say who you are first (Authority → Who Am I…, or --as NAME on the command line)."
        )
    return person


def remembered(ws) -> int | None:
    """The person this OS account last chose in this workspace, if still in the directory."""
    value = _load().get(ws.workspace_id or "")
    if not isinstance(value, int):
        return None
    try:
        directory.person(ws, value)
    except NotFound:
        return None
    return value


def remember(ws, person_id: int | None) -> None:
    """Remember (or, with None, forget) who this OS account is in this workspace."""
    data = _load()
    key = ws.workspace_id or ""
    if person_id is None:
        data.pop(key, None)
    else:
        directory.person(ws, person_id)
        data[key] = person_id
    _save(data)


def restore(ws) -> directory.Person | None:
    """Act as the remembered person, when there is one."""
    pid = remembered(ws)
    return act_as(ws, pid) if pid is not None else None
