"""Shared fixtures: a fresh workspace with a controllable clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

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
def ws_path(tmp_path):
    return tmp_path / "test.cnew"


@pytest.fixture
def ws(ws_path, clock):
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
