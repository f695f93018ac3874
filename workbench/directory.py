"""The directory of organizations and people, seeded with the Coordinating Council."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbench import audit
from workbench.errors import NotFound, WorkbenchError
from workbench.use_cases import use_case

ORG_KINDS = {
    "cne": "CNE",
    "dhs": "DHS component",
    "federal": "Federal partner",
    "slt": "State, local or tribal",
    "other": "Other",
}
ROLES = {
    "analyst": "Analyst",
    "director": "Director",
    "liaison": "Liaison",
    "detailee": "Detailee",
    "external_reviewer": "External reviewer",
}

# (code, name, kind, liaison title) — from DOMAIN.md.
SEED_ORGANIZATIONS = [
    ("CNE", "Office of Counternarcotics Enforcement", "cne", "Director"),
    ("USCG", "U.S. Coast Guard", "dhs", "Assistant Commandant for Operations"),
    ("CBP", "U.S. Customs and Border Protection", "dhs", "Deputy Commissioner"),
    (
        "ICE",
        "U.S. Immigration and Customs Enforcement",
        "dhs",
        "Deputy Assistant Secretary for Operations",
    ),
    ("I&A", "Office of Intelligence and Analysis", "dhs", "Principal Deputy Assistant Secretary"),
    ("OPS", "Office of Operations Coordination", "dhs", "Deputy Director"),
    ("PLCY", "Office of Policy", "dhs", "Deputy Assistant Secretary"),
    ("S&T", "Science and Technology Directorate", "dhs", ""),
    ("FLETC", "Federal Law Enforcement Training Centers", "dhs", ""),
    ("DEA", "Drug Enforcement Administration", "federal", ""),
    ("DOJ", "Department of Justice", "federal", ""),
    ("ONDCP", "Office of National Drug Control Policy", "federal", ""),
    ("FBI", "Federal Bureau of Investigation", "federal", ""),
    ("DoD", "Department of Defense", "federal", ""),
    ("State", "Department of State", "federal", ""),
    ("Treasury", "Department of the Treasury", "federal", ""),
]


@dataclass(frozen=True)
class Organization:
    id: int
    code: str
    name: str
    kind: str
    liaison_title: str

    @property
    def kind_label(self) -> str:
        return ORG_KINDS[self.kind]


@dataclass(frozen=True)
class Role:
    role: str
    designated_on: str | None = None
    position_description: str = ""


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    title: str
    organization_id: int | None
    organization_code: str | None
    email: str
    roles: tuple[Role, ...]

    def has_role(self, role: str) -> bool:
        return any(r.role == role for r in self.roles)


def seed_directory(ws) -> None:
    for code, name, kind, title in SEED_ORGANIZATIONS:
        ws.db.execute(
            "INSERT INTO organizations (code, name, kind, liaison_title) VALUES (?, ?, ?, ?)",
            [code, name, kind, title],
        )
    audit.record(
        ws, "directory.seed", "organizations", None, codes=[o[0] for o in SEED_ORGANIZATIONS]
    )


def _org(row) -> Organization:
    return Organization(row["id"], row["code"], row["name"], row["kind"], row["liaison_title"])


def organizations(ws) -> list[Organization]:
    # Remembered until the file changes: the gate and the coordination view each ask several
    # times per refresh, and a solicitation's directory holds hundreds of agencies.
    return list(ws.cached("directory.organizations", lambda: tuple(_read_organizations(ws))))


def _read_organizations(ws) -> list[Organization]:
    return [
        _org(r)
        for r in ws.db.query(
            "SELECT * FROM organizations ORDER BY CASE kind WHEN 'cne' THEN 0 WHEN 'dhs' THEN 1 "
            "WHEN 'federal' THEN 2 WHEN 'slt' THEN 3 ELSE 4 END, id"
        )
    ]


def cne_codes(ws) -> frozenset[str]:
    """The codes of CNE's own offices: their equities need no outside review."""
    return frozenset(o.code for o in organizations(ws) if o.kind == "cne")


def shown_names(ws) -> dict[str, str]:
    """What to show for each organization code: the code (USCG, CBP), except for state, local
    and tribal agencies, whose codes a solicitation makes up ("C1SSO-2"): their names."""

    def read() -> dict[str, str]:
        return {
            r["code"]: r["name"] if r["kind"] == "slt" else r["code"]
            for r in ws.db.query("SELECT code, name, kind FROM organizations")
        }

    return ws.cached("directory.shown_names", read)


def organization(ws, ref: int | str) -> Organization:
    if isinstance(ref, int):
        row = next(ws.db.query("SELECT * FROM organizations WHERE id = ?", [ref]), None)
    else:
        row = next(ws.db.query("SELECT * FROM organizations WHERE code = ?", [ref.strip()]), None)
    if row is None:
        raise NotFound(f"No organization {ref!r} in the directory.")
    return _org(row)


def organization_ids(ws, codes) -> list[int]:
    return [organization(ws, c).id for c in codes]


@use_case
def add_organization(ws, code: str, name: str, kind: str, liaison_title: str = "") -> int:
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise WorkbenchError("An organization needs a code and a name.")
    if kind not in ORG_KINDS:
        raise WorkbenchError(f"Unknown organization kind {kind!r}.")
    if next(ws.db.query("SELECT 1 FROM organizations WHERE code = ?", [code]), None):
        raise WorkbenchError(f"An organization with code {code} already exists.")
    cur = ws.db.execute(
        "INSERT INTO organizations (code, name, kind, liaison_title) VALUES (?, ?, ?, ?)",
        [code, name, kind, liaison_title.strip()],
    )
    audit.record(
        ws, "organization.add", "organization", cur.lastrowid, code=code, name=name, kind=kind
    )
    return cur.lastrowid


@use_case
def update_organization(
    ws, org_id: int, *, name: str | None = None, liaison_title: str | None = None
) -> None:
    org = organization(ws, org_id)
    changes = {}
    if name is not None and name.strip() and name.strip() != org.name:
        changes["name"] = name.strip()
    if liaison_title is not None and liaison_title.strip() != org.liaison_title:
        changes["liaison_title"] = liaison_title.strip()
    if not changes:
        return
    sets = ", ".join(f"{k} = ?" for k in changes)
    ws.db.execute(f"UPDATE organizations SET {sets} WHERE id = ?", [*changes.values(), org_id])
    audit.record(ws, "organization.update", "organization", org_id, **changes)


def people(
    ws,
    *,
    organization_id: int | None = None,
    role: str | None = None,
    person_id: int | None = None,
) -> list[Person]:
    where = " WHERE 1=1"
    params: list = []
    if person_id is not None:
        where += " AND p.id = ?"
        params.append(person_id)
    if organization_id is not None:
        where += " AND p.organization_id = ?"
        params.append(organization_id)
    if role is not None:
        where += (
            " AND EXISTS (SELECT 1 FROM person_roles pr WHERE pr.person_id = p.id AND pr.role = ?)"
        )
        params.append(role)
    rows = list(
        ws.db.query(
            "SELECT p.*, o.code AS org_code FROM people p "
            "LEFT JOIN organizations o ON o.id = p.organization_id"
            + where
            + " ORDER BY p.name COLLATE NOCASE",
            params,
        )
    )
    roles: dict[int, list[Role]] = {}
    # Only the roles of the people found: one person's lookup must not read the whole table.
    for r in ws.db.query(
        "SELECT * FROM person_roles WHERE person_id IN (SELECT p.id FROM people p"
        + where
        + ") ORDER BY id",
        params,
    ):
        roles.setdefault(r["person_id"], []).append(
            Role(r["role"], r["designated_on"], r["position_description"])
        )
    return [
        Person(
            r["id"],
            r["name"],
            r["title"],
            r["organization_id"],
            r["org_code"],
            r["email"],
            tuple(roles.get(r["id"], ())),
        )
        for r in rows
    ]


def person(ws, person_id: int) -> Person:
    found = people(ws, person_id=person_id)
    if not found:
        raise NotFound(f"No person with id {person_id} in the directory.")
    return found[0]


def liaison_for(ws, organization_id: int) -> Person | None:
    found = people(ws, organization_id=organization_id, role="liaison")
    return found[0] if found else None


def liaisons(ws) -> dict[int, Person]:
    """Each organization's liaison (as `liaison_for` names them), read at once: a send to many
    organizations reads the directory once, not once per organization."""
    out: dict[int, Person] = {}
    for p in people(ws, role="liaison"):
        if p.organization_id is not None:
            out.setdefault(p.organization_id, p)
    return out


def _check_roles(roles) -> list[Role]:
    out = []
    for r in roles:
        r = r if isinstance(r, Role) else Role(r)
        if r.role not in ROLES:
            raise WorkbenchError(f"Unknown role {r.role!r}.")
        if r.designated_on:
            try:
                designated = dt.date.fromisoformat(r.designated_on).isoformat()
            except (TypeError, ValueError):
                raise WorkbenchError(
                    f"{r.designated_on!r} is not a designation date (use YYYY-MM-DD)."
                ) from None
            r = Role(r.role, designated, r.position_description)
        out.append(r)
    return out


@use_case
def add_person(
    ws,
    name: str,
    *,
    title: str = "",
    organization: str | int | None = None,
    email: str = "",
    roles=(),
) -> int:
    name = name.strip()
    if not name:
        raise WorkbenchError("A person needs a name.")
    org_id = _org_ref(ws, organization)
    cur = ws.db.execute(
        "INSERT INTO people (name, title, organization_id, email, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [name, title.strip(), org_id, email.strip(), ws.now()],
    )
    pid = cur.lastrowid
    checked = _check_roles(roles)
    _write_roles(ws, pid, checked)
    audit.record(
        ws,
        "person.add",
        "person",
        pid,
        name=name,
        title=title,
        organization_id=org_id,
        roles=[r.role for r in checked],
    )
    return pid


def _org_ref(ws, ref) -> int | None:
    if ref is None or ref == "":
        return None
    return organization(ws, ref).id


def _write_roles(ws, person_id: int, roles: list[Role]) -> None:
    ws.db.execute("DELETE FROM person_roles WHERE person_id = ?", [person_id])
    for r in roles:
        ws.db.execute(
            "INSERT INTO person_roles (person_id, role, designated_on, position_description) "
            "VALUES (?, ?, ?, ?)",
            [person_id, r.role, r.designated_on, r.position_description],
        )


@use_case
def update_person(
    ws,
    person_id: int,
    *,
    name: str | None = None,
    title: str | None = None,
    organization: str | int | None = None,
    email: str | None = None,
    roles=None,
) -> None:
    old = person(ws, person_id)
    changes: dict = {}
    if name is not None:
        if not name.strip():
            raise WorkbenchError("A person needs a name.")
        changes["name"] = name.strip()
    if title is not None:
        changes["title"] = title.strip()
    if email is not None:
        changes["email"] = email.strip()
    if organization is not None:
        changes["organization_id"] = _org_ref(ws, organization)
    # A dialog saves every field; only what differs is written and recorded.
    current = {
        "name": old.name,
        "title": old.title,
        "email": old.email,
        "organization_id": old.organization_id,
    }
    changes = {k: v for k, v in changes.items() if current[k] != v}
    if changes:
        sets = ", ".join(f"{k} = ?" for k in changes)
        ws.db.execute(f"UPDATE people SET {sets} WHERE id = ?", [*changes.values(), person_id])
    if roles is not None:
        checked = _check_roles(roles)
        if tuple(checked) != old.roles:
            _write_roles(ws, person_id, checked)
            changes["roles"] = [r.role for r in checked]
    if changes:
        audit.record(ws, "person.update", "person", person_id, **changes)


@use_case
def remove_person(ws, person_id: int) -> None:
    p = person(ws, person_id)
    ws.db.execute("DELETE FROM people WHERE id = ?", [person_id])
    audit.record(ws, "person.remove", "person", person_id, name=p.name)
