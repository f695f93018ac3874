"""The directory: seeded Coordinating Council organizations, added organizations and people."""

from __future__ import annotations

import pytest

from workbench import audit, directory
from workbench.directory import Role
from workbench.errors import NotFound, WorkbenchError


def test_seed_has_the_council_with_liaison_titles(ws):
    orgs = {o.code: o for o in directory.organizations(ws)}
    assert set(orgs) == {o[0] for o in directory.SEED_ORGANIZATIONS}
    assert orgs["USCG"].liaison_title == "Assistant Commandant for Operations"
    assert orgs["CBP"].liaison_title == "Deputy Commissioner"
    assert orgs["ICE"].liaison_title == "Deputy Assistant Secretary for Operations"
    assert orgs["I&A"].liaison_title == "Principal Deputy Assistant Secretary"
    assert orgs["DOJ"].kind_label == "Federal partner"
    assert directory.organizations(ws)[0].code == "CNE"  # CNE first, then DHS, then federal


def test_organization_lookup(ws):
    assert directory.organization(ws, "uscg").code == "USCG"
    uscg = directory.organization(ws, " USCG ")
    assert directory.organization(ws, uscg.id) == uscg
    assert directory.organization_ids(ws, ["CBP", "ice"]) == [
        directory.organization(ws, "CBP").id,
        directory.organization(ws, "ICE").id,
    ]
    with pytest.raises(NotFound, match="No organization 'ZZZ'"):
        directory.organization(ws, "ZZZ")
    with pytest.raises(NotFound):
        directory.organization(ws, 9999)


def test_add_and_update_organization(ws):
    org_id = directory.add_organization(
        ws, " MCSO ", "Mesquite County Sheriff's Office", "slt", "Sheriff"
    )
    org = directory.organization(ws, "MCSO")
    assert (org.id, org.kind_label, org.liaison_title) == (
        org_id,
        "State, local or tribal",
        "Sheriff",
    )
    assert directory.organizations(ws)[-1].code == "MCSO"  # SLT after federal partners
    directory.update_organization(ws, org_id, name="Mesquite County Sheriff", liaison_title="")
    org = directory.organization(ws, org_id)
    assert (org.name, org.liaison_title) == ("Mesquite County Sheriff", "")
    count = len(audit.entries(ws))
    directory.update_organization(ws, org_id, name="Mesquite County Sheriff")
    assert len(audit.entries(ws)) == count


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("uscg", "Duplicate", "dhs"), "already exists"),
        (("", "No code", "dhs"), "code and a name"),
        (("X", " ", "dhs"), "code and a name"),
        (("X", "Bad kind", "county"), "Unknown organization kind"),
    ],
)
def test_add_organization_refuses_bad_input(ws, args, message):
    with pytest.raises(WorkbenchError, match=message):
        directory.add_organization(ws, *args)
    assert len(directory.organizations(ws)) == len(directory.SEED_ORGANIZATIONS)


def test_add_person_with_roles(ws):
    pid = directory.add_person(
        ws,
        " Rowan Tidewell ",
        title="Assistant Commandant for Operations",
        organization="USCG",
        email="rowan@example.org",
        roles=[Role("liaison", "2025-10-01")],
    )
    p = directory.person(ws, pid)
    assert (p.name, p.organization_code, p.email) == ("Rowan Tidewell", "USCG", "rowan@example.org")
    assert p.has_role("liaison") and not p.has_role("analyst")
    assert p.roles == (Role("liaison", "2025-10-01", ""),)
    uscg = directory.organization(ws, "USCG")
    assert directory.liaison_for(ws, uscg.id) == p
    assert directory.liaison_for(ws, directory.organization(ws, "CBP").id) is None
    (entry,) = audit.entries(ws, action_prefix="person.add")
    assert entry.details["roles"] == ["liaison"]


def test_a_detailee_keeps_a_position_description(ws):
    pd = "Advises CNE on illicit finance."
    pid = directory.add_person(
        ws, "Casey Example", organization="ICE", roles=[Role("detailee", None, pd), "analyst"]
    )
    roles = directory.person(ws, pid).roles
    assert [r.role for r in roles] == ["detailee", "analyst"]
    assert roles[0].position_description == pd


def test_people_filters(ws):
    a = directory.add_person(ws, "zoe Analyst", organization="CNE", roles=["analyst"])
    b = directory.add_person(ws, "Adam Director", organization="CNE", roles=["director"])
    c = directory.add_person(ws, "No Org Reviewer", roles=["external_reviewer"])
    assert [p.id for p in directory.people(ws)] == [b, c, a]
    cne = directory.organization(ws, "CNE").id
    assert [p.id for p in directory.people(ws, organization_id=cne)] == [b, a]
    assert [p.id for p in directory.people(ws, role="external_reviewer")] == [c]
    assert directory.person(ws, c).organization_code is None
    with pytest.raises(NotFound, match="No person with id 9999"):
        directory.person(ws, 9999)


def test_the_liaisons_read_at_once_are_the_ones_named_one_by_one(ws):
    directory.add_person(ws, "Zed Liaison", organization="USCG", roles=["liaison", "detailee"])
    directory.add_person(ws, "Amy Liaison", organization="USCG", roles=["liaison"])
    directory.add_person(ws, "Cal Officer", organization="CBP", roles=["external_reviewer"])
    directory.add_person(ws, "Dee Liaison", organization="ICE", roles=["liaison"])
    every = directory.liaisons(ws)
    for o in directory.organizations(ws):
        assert every.get(o.id) == directory.liaison_for(ws, o.id), o.code
    uscg = every[directory.organization(ws, "USCG").id]
    assert uscg.name == "Amy Liaison"  # the first by name, as liaison_for names them
    assert directory.organization(ws, "CBP").id not in every
    zed = directory.people(ws, role="detailee")[0]
    assert [r.role for r in zed.roles] == ["liaison", "detailee"]  # each person's own roles


@pytest.mark.parametrize(
    ("kwargs", "message", "error"),
    [
        ({"name": "  "}, "needs a name", WorkbenchError),
        ({"name": "X", "roles": ["boss"]}, "Unknown role", WorkbenchError),
        ({"name": "X", "organization": "NOPE"}, "No organization", NotFound),
        (
            {"name": "X", "roles": [Role("liaison", "last spring")]},
            "designation date",
            WorkbenchError,
        ),
    ],
)
def test_add_person_refuses_bad_input(ws, kwargs, message, error):
    with pytest.raises(error, match=message):
        directory.add_person(ws, **kwargs)
    assert directory.people(ws) == []


def test_update_and_remove_person(ws):
    pid = directory.add_person(ws, "Sam Example", organization="CBP", roles=["liaison"])
    directory.update_person(
        ws, pid, title="Deputy Commissioner", organization="ICE", roles=[Role("detailee")]
    )
    p = directory.person(ws, pid)
    assert (p.title, p.organization_code, [r.role for r in p.roles]) == (
        "Deputy Commissioner",
        "ICE",
        ["detailee"],
    )
    directory.update_person(ws, pid, organization="")
    assert directory.person(ws, pid).organization_id is None
    with pytest.raises(WorkbenchError, match="needs a name"):
        directory.update_person(ws, pid, name=" ")
    directory.remove_person(ws, pid)
    with pytest.raises(NotFound):
        directory.person(ws, pid)
    assert not list(ws.db.query("SELECT * FROM person_roles"))
    with pytest.raises(NotFound):
        directory.remove_person(ws, pid)


def test_an_organization_with_people_cannot_be_deleted_underneath_them(ws):
    directory.add_person(ws, "Pat Example", organization="OPS")
    with pytest.raises(Exception, match="(?i)foreign key"):
        with ws.db.atomic():
            ws.db.execute("DELETE FROM organizations WHERE code = 'OPS'")
    assert directory.organization(ws, "OPS")


def test_saving_a_person_unchanged_writes_no_entry(ws):
    pid = directory.add_person(
        ws, "Sam Example", title="Deputy", organization="CBP", roles=[Role("liaison", "2026-01-05")]
    )
    count = len(audit.entries(ws))
    directory.update_person(
        ws,
        pid,
        name="Sam Example",
        title="Deputy",
        organization="CBP",
        email="",
        roles=[Role("liaison", "2026-01-05")],
    )
    assert len(audit.entries(ws)) == count
    directory.update_person(
        ws, pid, title="Deputy Commissioner", roles=[Role("liaison", "2026-01-05")]
    )
    (entry,) = audit.entries(ws, action_prefix="person.update")
    assert entry.details == {"title": "Deputy Commissioner"}
