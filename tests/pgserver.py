"""A throwaway PostgreSQL 15 server for the tests: one per session, one database per test.

`initdb` and `pg_ctl` run as the `postgres` user, trust authentication, listening only
on a unix socket in a private temporary folder (no TCP). The server is started on first
use (`shared_server()`) and stopped at the end of the session (conftest). Use in a test
module:

    from pgserver import PgServer, pg_server_fixture, pg_url_fixture  # noqa: F401

`pg_url` is a fresh empty database's `postgresql://` URL; `pg_server` is the server
(its socket folder, `psql(...)`, `restart()`, `new_database()`). `Ledgers` gives the
`oa` fixture's `[pg]` ledgers: fresh databases holding an empty, current ledger."""

from __future__ import annotations

import itertools
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest

BIN = Path(os.environ.get("OA_PG_BIN", "/usr/lib/postgresql/15/bin"))
_names = itertools.count(1)


def _as_postgres(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    runner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(
        [*runner, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def _have_postgres() -> str | None:
    """None when a server can be started here, else why not."""
    if not (BIN / "initdb").exists():
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            return f"PostgreSQL is not installed ({BIN}/initdb missing) and not root to install it"
        done = subprocess.run(
            ["apt-get", "install", "-y", "-q", "postgresql"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        if done.returncode != 0 or not (BIN / "initdb").exists():
            return "PostgreSQL is not installed and apt-get install postgresql failed"
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        return "there is no postgres user to run the server as"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'oa-cli[postgres]')"
    return None


class PgServer:
    """A running server in `root` (data in root/data, socket in root)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.log = root / "server.log"

    @property
    def socket_dir(self) -> str:
        return str(self.root)

    def url(self, database: str, user: str = "postgres") -> str:
        return f"postgresql:///{database}?host={self.root}&user={user}"

    def _ctl(self, *args: str) -> None:
        options = f"-c listen_addresses='' -c unix_socket_directories='{self.root}' -c fsync=off"
        options += " -c synchronous_commit=off -c full_page_writes=off"
        done = _as_postgres(
            str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
            "-o", options, *args,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"pg_ctl {args[0]} failed: {done.stderr}{self.log.read_text()}")

    def start(self) -> None:
        os.chown(self.root, *_postgres_ids())
        self.root.chmod(0o700)
        done = _as_postgres(
            str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr}")
        self._ctl("start")
        # Other users (the test process, unit logins) reach the socket through root.
        self.root.chmod(0o711)

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def psql(
        self, database: str, sql: str, user: str = "postgres"
    ) -> subprocess.CompletedProcess[str]:
        """Run `sql` through psql as `user` (no password: trust)."""
        return subprocess.run(
            [str(BIN / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-h", str(self.root), "-U", user, "-d", database, "-c", sql],
            capture_output=True, text=True, timeout=30, check=False,
            env={**os.environ, "PGCONNECT_TIMEOUT": "5"},
        )  # fmt: skip

    def new_database(self) -> tuple[str, str]:
        """A fresh empty database: (name, URL)."""
        name = f"oa_test_{os.getpid()}_{next(_names)}"
        done = self.psql("postgres", f'CREATE DATABASE "{name}"')
        if done.returncode != 0:
            raise RuntimeError(f"create database failed: {done.stderr}")
        return name, self.url(name)


def _postgres_ids() -> tuple[int, int]:
    import pwd

    entry = pwd.getpwnam("postgres")
    return entry.pw_uid, entry.pw_gid


_server: PgServer | None = None
_why_not: str | None = None


def shared_server() -> PgServer:
    """The session's one server, started on first use (skips the test when it cannot be)."""
    global _server, _why_not
    if _server is None and _why_not is None:
        _why_not = _have_postgres()
        if _why_not is None:
            root = Path(tempfile.mkdtemp(prefix="oa-pg-"))
            server = PgServer(root)
            try:
                server.start()
            except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
                shutil.rmtree(root, ignore_errors=True)
                _why_not = f"cannot start a PostgreSQL server: {exc}"
            else:
                _server = server
    if _server is None:
        pytest.skip(_why_not)
    return _server


def stop_shared_server() -> None:
    """Stop the session's server, if one was started (conftest calls it at the end)."""
    global _server
    if _server is not None:
        server, _server = _server, None
        try:
            server.stop()
        finally:
            shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session", name="pg_server")
def pg_server_fixture() -> PgServer:
    return shared_server()


@pytest.fixture(name="pg_url")
def pg_url_fixture(pg_server: PgServer) -> str:
    """A fresh empty database's URL (connects as the superuser `postgres`)."""
    return pg_server.new_database()[1]


class Ledgers:
    """Fresh ledgers on the shared server, each a copy of one migrated template: a test's
    ledger is ready in a CREATE DATABASE, not a migration. They connect as `user`
    (a superuser made here), who is then the actor of every change. A thread makes the
    next ones and drops the used ones while the tests run."""

    TEMPLATE = "oa_template"
    AHEAD = 2

    def __init__(self, server: PgServer, user: str) -> None:
        import psycopg

        from oa_cli.ledger.pg import open_pg

        self.server, self.user = server, user
        with psycopg.connect(server.url("postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE ROLE "{user}" SUPERUSER LOGIN')
            admin.execute(f'CREATE DATABASE {self.TEMPLATE} OWNER "{user}"')
            open_pg(server.url(self.TEMPLATE, user)).close()
            admin.execute(f"ALTER DATABASE {self.TEMPLATE} WITH ALLOW_CONNECTIONS false")
        self._ready: queue.Queue[str | BaseException] = queue.Queue()
        self._work: queue.Queue[str | None] = queue.Queue()
        for _ in range(self.AHEAD):
            self._work.put("")
        self._thread = threading.Thread(target=self._run, name="pg-ledgers", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        """Work: "" makes a database ready, a name drops that database, None stops."""
        import psycopg

        admin: psycopg.Connection[Any] | None = None
        while (job := self._work.get()) is not None:
            for attempt in range(20):  # a test may be restarting the server: wait for it
                try:
                    if admin is None or admin.closed:
                        admin = psycopg.connect(self.server.url("postgres"), autocommit=True)
                    self._do(admin, job)
                    break
                except psycopg.OperationalError as exc:
                    admin = None
                    if attempt == 19:
                        if not job:
                            self._ready.put(exc)
                        break
                    time.sleep(0.5)
                except BaseException as exc:  # told to the test that waits
                    if not job:
                        self._ready.put(exc)
                    break
        if admin is not None:
            admin.close()

    def _do(self, admin: Any, job: str) -> None:
        if job:
            admin.execute(f"DROP DATABASE IF EXISTS {job} WITH (FORCE)")
            return
        name = f"oa_ledger_{next(_names)}"
        admin.execute(f'CREATE DATABASE {name} TEMPLATE {self.TEMPLATE} OWNER "{self.user}"')
        self._ready.put(name)

    def new(self) -> str:
        """A fresh database holding an empty, current ledger: its URL."""
        self._work.put("")  # the one after
        got = self._ready.get(timeout=120)
        if isinstance(got, BaseException):
            raise RuntimeError(f"cannot make a ledger database: {got}") from got
        return self.server.url(got, self.user)

    def drop(self, url: str) -> None:
        """Drop the database of `url` (soon, by the thread)."""
        self._work.put(url.split("?")[0].rsplit("/", 1)[-1])

    def close(self) -> None:
        self._work.put(None)
        self._thread.join(timeout=60)
