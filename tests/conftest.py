"""Shared fixtures: a fresh workspace with a controllable clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests import pgserver
from workbench.workspace import Workspace


class Clock:
    """A clock tests can move; starts on Monday 2026-11-02 09:00 UTC."""

    def __init__(self, start: dt.datetime | None = None):
        self.now = start or dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += dt.timedelta(**kwargs)


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def _tracked_fixtures_stay_untouched():
    """No test may write into tests/fixtures (the files are tracked; tests use copies)."""
    before = _listing(FIXTURES)
    yield
    after = _listing(FIXTURES)
    if after != before:
        changed = sorted(set(before.items()) ^ set(after.items()))
        pytest.fail(f"The suite changed tests/fixtures: {changed}", pytrace=False)


@pytest.fixture(autouse=True)
def _unexpected_crash_box_fails(request, monkeypatch):
    """Anywhere in the suite, the app's 'unexpected error' box fails the test that caused it
    (tests/ui's dialog recorder does the same for its tests; a test about the box says so)."""
    from ui import messages

    shown: list[BaseException] = []
    monkeypatch.setattr(messages, "crash", lambda parent, exc: shown.append(exc))
    yield
    if shown and not request.node.get_closest_marker("crash_box"):
        pytest.fail(f"The app showed its 'unexpected error' box: {shown!r}", pytrace=False)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ws_path(request, tmp_path):
    """Where the `ws` workspace lives: tmp_path/test.cnew, or with CNE_TEST_ENGINE=postgresql
    the URL (a str) of a database of its own on the test server, holding a fresh workspace."""
    if pgserver.engine() != "postgresql":
        yield tmp_path / "test.cnew"
        return
    databases = request.getfixturevalue("pg_databases")
    url = databases.workspace()
    yield url
    databases.release(url)


@pytest.fixture(scope="session")
def pg_databases():
    """Fresh PostgreSQL databases (tests/pgserver.py): a server of yours (CNE_TEST_POSTGRES) or
    a temporary one started for this run."""
    import os

    server = None
    url = os.environ.get(pgserver.SERVER_ENV)
    if not url:
        server = pgserver.TemporaryServer()
        url = server.start()
    databases = pgserver.Databases(url)
    yield databases
    databases.close()
    if server is not None:
        server.stop()


@pytest.fixture
def pg_url(pg_databases):
    """The URL of a new, empty PostgreSQL database."""
    url = pg_databases.empty()
    yield url
    pg_databases.drop(url)


# A test using one of these reaches the workspace through the engine under test.
ENGINE_FIXTURES = {"ws", "ws_path", "workspace_copy", "pg_databases", "pg_url"}


def pytest_collection_modifyitems(config, items):
    """With CNE_TEST_ENGINE=postgresql the suite runs again on PostgreSQL: the tests that reach
    a workspace through the engine (ENGINE_FIXTURES), except those marked `sqlite_only` (about
    the workspace file itself: its bytes, locks, backups, a raw SQLite tool)."""
    if pgserver.engine() != "postgresql":
        return

    def runs(item) -> bool:
        uses = set(getattr(item, "fixturenames", ()))
        return bool(uses & ENGINE_FIXTURES) and not item.get_closest_marker("sqlite_only")

    dropped = [i for i in items if not runs(i)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [i for i in items if runs(i)]


@pytest.fixture
def workspace_copy(request, tmp_path):
    """copy(path) -> a copy of that workspace file on the engine under test (a file in
    tmp_path, or a database of its own, through `workbench copy`)."""
    import shutil

    made: list[str] = []

    def copy(path):
        if pgserver.engine() == "postgresql":
            from workbench.maintenance import copying

            url = request.getfixturevalue("pg_databases").empty()
            made.append(url)
            copying.copy_workspace(path, url)
            return url
        dest = tmp_path / Path(path).name
        shutil.copy(path, dest)
        return dest

    yield copy
    for url in made:
        request.getfixturevalue("pg_databases").drop(url)


@pytest.fixture
def ws(ws_path, clock):
    """A fresh workspace at ws_path (the same seeded directory on either engine)."""
    if pgserver.engine() == "postgresql":
        workspace = Workspace.open(ws_path, actor="analyst.one")
    else:
        workspace = Workspace.create(ws_path, actor="analyst.one")
    workspace.clock = clock
    yield workspace
    workspace.close()


@pytest.fixture
def council(ws) -> None:
    """The Director and the USCG and CBP liaisons the coordination tests address."""
    from workbench import directory

    directory.add_person(ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"])
    directory.add_person(
        ws,
        "Capt. Lee Odiña",
        title="Assistant Commandant for Operations",
        organization="USCG",
        roles=["liaison"],
    )
    directory.add_person(
        ws, "Pat Moreno", title="Deputy Commissioner", organization="CBP", roles=["liaison"]
    )


@pytest.fixture(autouse=True)
def workspace_key_dir(tmp_path_factory, monkeypatch):
    """Workspace keys go to a folder of the test's own, never the developer's data folder."""
    from workbench.authority import workspace_key

    path = tmp_path_factory.mktemp("keys")
    monkeypatch.setenv(workspace_key.KEY_DIR_ENV, str(path))
    return path


@pytest.fixture(autouse=True)
def reviewer_clock(clock, monkeypatch):
    """Review mode reads the same test clock as the workspace: responses date inside requests."""
    from workbench.exchange import review

    monkeypatch.setattr(review, "_utc_now", clock)
    return clock


class SoftToken:
    """A SoftHSM2 token (label `cne-test`, user PIN 1234) holding the keys loaded into it."""

    module = "/usr/lib/softhsm/libsofthsm2.so"
    label = "cne-test"
    pin = "1234"

    def __init__(self, identities: dict):
        self.identities = identities  # key label -> tests.pki.Identity


@pytest.fixture(scope="session")
def soft_token(tmp_path_factory):
    """One SoftHSM2 token per test run with an RSA key `alice` and an EC key `bob`.

    SoftHSM reads its configuration once per process, so the token is made before the module
    is first loaded and shared by every test.
    """
    import os
    import subprocess

    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    from tests import pki

    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", SoftToken.label,
         "--pin", SoftToken.pin, "--so-pin", "5678"],
        check=True, capture_output=True,
    )  # fmt: skip
    identities = {
        "alice": pki.make("Alice Token", kind="rsa"),
        "bob": pki.make("Bob Token", kind="ec"),
    }
    for number, (label, ident) in enumerate(identities.items(), start=1):
        key_file = base / f"{label}.pem"
        key_file.write_bytes(ident.key_pem())
        subprocess.run(
            ["softhsm2-util", "--import", str(key_file), "--token", SoftToken.label,
             "--label", label, "--id", f"{number:02x}", "--pin", SoftToken.pin],
            check=True, capture_output=True,
        )  # fmt: skip
    token = pkcs11.lib(SoftToken.module).get_token(token_label=SoftToken.label)
    with token.open(rw=True, user_pin=SoftToken.pin) as session:
        for number, (label, ident) in enumerate(identities.items(), start=1):
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: label,
                    Attribute.ID: bytes([number]),
                    Attribute.VALUE: ident.der,
                    Attribute.SUBJECT: ident.cert.subject.public_bytes(),
                }
            )
    return SoftToken(identities)


@pytest.fixture(autouse=True)
def identity_file(tmp_path_factory, monkeypatch):
    """Who-am-I choices go to a folder of the test's own, never the developer's settings."""
    from workbench.authority import identity

    path = tmp_path_factory.mktemp("identity") / "identity.json"
    monkeypatch.setenv(identity.IDENTITY_ENV, str(path))
    return path
