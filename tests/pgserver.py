"""A throwaway PostgreSQL server for the tests, and fresh workspaces cloned from a template.

`CNE_TEST_POSTGRES=postgresql://…` (a maintenance database on a server where that account may
create databases) uses a server you run; otherwise one is started from Debian's `postgresql`
package in a temporary folder, on a Unix socket only. The server refuses to run as root, so as
root it runs as the `postgres` account the package creates (or CNE_TEST_PG_USER).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import urllib.parse
from pathlib import Path

SERVER_ENV = "CNE_TEST_POSTGRES"
ENGINE_ENV = "CNE_TEST_ENGINE"
USER_ENV = "CNE_TEST_PG_USER"
PASSWORD_ROLE = "pw_tester"  # signs in with a password on the test server (pg_hba.conf)


def engine() -> str:
    """The engine the core suite's `ws` fixture opens: "sqlite" (default) or "postgresql"."""
    value = os.environ.get(ENGINE_ENV, "sqlite").strip().lower()
    if value not in ("sqlite", "postgresql"):
        raise RuntimeError(f"{ENGINE_ENV} must be sqlite or postgresql, not {value!r}")
    return value


def bin_dir() -> Path:
    """The newest installed server's programs (initdb, pg_ctl, postgres)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    if which:
        return Path(which).resolve().parent
    raise RuntimeError(
        "PostgreSQL is not installed (no initdb): run tools/setup-env test, which installs "
        "Debian's postgresql package, or set CNE_TEST_POSTGRES to a server's URL."
    )


class TemporaryServer:
    """initdb + pg_ctl in a new folder under the system's temporary folder, listening only on a
    Unix socket there (not in pytest's tmp folder: the server's account must reach it)."""

    def __init__(self, *, durable: bool = False) -> None:
        import tempfile

        # Tests run with fsync and synchronous commit off; a bench measures a server as it runs.
        self.durable = durable
        self.folder = Path(tempfile.mkdtemp(prefix="cne-pg-"))
        self.data = self.folder / "data"
        self.bin = bin_dir()
        self.run_as: str | None = None
        if os.geteuid() == 0:
            self.run_as = os.environ.get(USER_ENV, "postgres")
            try:
                pwd.getpwnam(self.run_as)
            except KeyError:
                raise RuntimeError(
                    f"Running as root, the test server needs an ordinary account to run as; "
                    f"{self.run_as!r} does not exist (set {USER_ENV})."
                ) from None

    def _run(self, *args: str) -> None:
        command = [str(a) for a in args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {result.stderr or result.stdout}")

    def start(self) -> str:
        if self.run_as:
            account = pwd.getpwnam(self.run_as)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self._run(
            self.bin / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        # One account signs in with a password (the app's password prompt and keyring are
        # tested against it); every other connection here is trusted.
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"local all {PASSWORD_ROLE} scram-sha-256\n" + hba.read_text())
        options = f"-k {self.folder} -c listen_addresses='' -c max_connections=300"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            self.bin / "pg_ctl", "-D", self.data, "-l", self.folder / "server.log",
            "-o", options, "-w", "start",
        )  # fmt: skip
        host = urllib.parse.quote(str(self.folder), safe="")
        return f"postgresql://postgres@/postgres?host={host}"

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "stop")
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


# What a workspace's schema is made of: a test that changed it (dropped a trigger, disabled one,
# granted a privilege) returns a database that must be made again, not reset.
_SHAPE = """
SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
    SELECT 'c:' || relname || relkind::text || coalesce(relacl::text, '') || relrowsecurity::text
        FROM pg_class WHERE relnamespace = 'public'::regnamespace
    UNION ALL SELECT 't:' || tgname || tgenabled::text FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'public'::regnamespace
    UNION ALL SELECT 'f:' || proname || md5(prosrc) FROM pg_proc
        WHERE pronamespace = 'public'::regnamespace
    UNION ALL SELECT 'a:' || attrelid::regclass::text || attname || atttypid::text
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace = 'public'::regnamespace AND attnum > 0 AND NOT attisdropped
    UNION ALL SELECT 'p:' || polname || polcmd::text FROM pg_policy
    UNION ALL SELECT 'n:' || conname || pg_get_constraintdef(oid) FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace
) AS s(x)
"""


class Databases:
    """Databases on one server for the tests: empty ones, and workspaces.

    A workspace is a copy of one seeded template. A test's workspace database is reset to the
    template's rows when the test ends and handed to the next test (a copy per test costs a
    checkpoint and ~10 MB); one whose schema the test changed is dropped and copied afresh.
    """

    def __init__(self, admin_url: str):
        import psycopg

        self.admin_url = admin_url
        self.admin = psycopg.connect(admin_url, autocommit=True)
        self.prefix = f"cne_test_{os.getpid()}"
        self._numbers = itertools.count(1)
        self.template: str | None = None
        self.made: list[str] = []
        self.free: list[str] = []
        self._resetters: dict = {}
        self._seed: list[tuple[str, list[str], list[tuple]]] = []
        self._sequences: list[tuple[str, int | None]] = []
        self._shape = ""
        row = self.admin.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        # Resetting switches triggers off (session_replication_role): a superuser's right.
        self.can_reset = bool(row.fetchone()[0])

    def url(self, dbname: str) -> str:
        parts = urllib.parse.urlsplit(self.admin_url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + dbname))

    def empty(self) -> str:
        """A new, empty database's URL."""
        name = f"{self.prefix}_{next(self._numbers)}"
        self.admin.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return self.url(name)

    def _make_template(self) -> None:
        import psycopg

        from workbench.workspace import Workspace

        name = f"{self.prefix}_template"
        self.admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        self.admin.execute(f'CREATE DATABASE "{name}"')
        Workspace.create(self.url(name), actor="analyst.one").close()
        self.template = name
        self.made.append(name)
        with psycopg.connect(self.url(name), autocommit=True) as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            for table in tables:
                cur = conn.execute(f'SELECT * FROM "{table}"')
                columns = [d.name for d in cur.description or ()]
                self._seed.append((table, columns, cur.fetchall()))
            self._sequences = [
                (r[0], r[1])
                for r in conn.execute(
                    "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
                )
            ]
            self._shape = conn.execute(_SHAPE).fetchone()[0]

    def workspace(self) -> str:
        """A database holding a fresh, seeded workspace (a reset one, or a new copy)."""
        if self.template is None:
            self._make_template()
        if self.free:
            return self.url(self.free.pop())
        name = f"{self.prefix}_{next(self._numbers)}"
        # FILE_COPY (PostgreSQL 15+) copies a small template faster than writing it to the WAL.
        strategy = " STRATEGY FILE_COPY" if self.admin.info.server_version >= 150000 else ""
        self.admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"{strategy}')
        self.made.append(name)
        return self.url(name)

    def release(self, url: str) -> None:
        """The test is done with this workspace: reset it for the next one, or drop it."""
        name = urllib.parse.urlsplit(url).path.lstrip("/")
        if not self.can_reset or not self._reset(name):
            self.drop(url)
            return
        self.free.append(name)

    def _reset(self, name: str) -> bool:
        import psycopg

        conn = self._resetters.get(name)
        if conn is None:
            conn = psycopg.connect(self.url(name), autocommit=True)
            self._resetters[name] = conn
        try:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if conn.execute(_SHAPE).fetchone()[0] != self._shape:
                return False
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")
                # DELETE, not TRUNCATE: a few rows each, and no new files for ~130 relations.
                for table, _, _ in self._seed:
                    conn.execute(f'DELETE FROM "{table}"')
                with conn.cursor() as cur:
                    for table, columns, rows in self._seed:
                        if rows:
                            cols = ", ".join(f'"{c}"' for c in columns)
                            with cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                                for row in rows:
                                    copy.write_row(row)
                for seq, value in self._sequences:
                    conn.execute("SELECT setval(%s, %s, %s)", [seq, value or 1, value is not None])
            return True
        except psycopg.Error:
            conn.close()
            del self._resetters[name]
            return False

    def drop(self, url: str) -> None:
        name = urllib.parse.urlsplit(url).path.lstrip("/")
        conn = self._resetters.pop(name, None)
        if conn is not None:
            conn.close()
        self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.made:
            self.made.remove(name)
        if name in self.free:
            self.free.remove(name)

    def close(self) -> None:
        for conn in self._resetters.values():
            conn.close()
        self._resetters.clear()
        for name in list(self.made):
            try:
                self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception:
                pass
        self.admin.close()
