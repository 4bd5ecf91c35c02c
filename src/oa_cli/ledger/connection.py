"""The one place that opens the ledger: file mode, WAL, busy timeout, migrations."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from oa_cli.errors import OaError
from oa_cli.i18n import t
from oa_cli.ledger import schema

BUSY_TIMEOUT_MS = 60_000
MIN_SQLITE = (3, 31, 0)


def open_ledger(
    path: Path, on_upgrade: Callable[[int, int, Path], None] | None = None
) -> sqlite3.Connection:
    """Open (creating if needed) the ledger at `path`, migrated to the current schema.
    `on_upgrade(old, new, backup)` is told before an existing ledger is upgraded."""
    if sqlite3.sqlite_version_info < MIN_SQLITE:  # stored generated columns (schema 3)
        raise OaError(
            t(
                "oa needs SQLite {need} or newer; this Python has {have}",
                need=".".join(map(str, MIN_SQLITE)),
                have=sqlite3.sqlite_version,
            )
        )
    _create_file(path)
    try:
        conn = sqlite3.connect(
            str(path),
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        version = schema.current_version(conn)
    except sqlite3.DatabaseError as exc:
        raise OaError(t("{path}: not a usable ledger: {error}", path=path, error=exc)) from None
    if version > schema.SCHEMA_VERSION:
        raise OaError(
            t(
                "{path}: made by a newer oa (schema {version}); upgrade oa",
                path=path,
                version=version,
            )
        )
    if version < schema.SCHEMA_VERSION:
        _upgrade(conn, path, version, on_upgrade)
    return conn


def _create_file(path: Path) -> None:
    if path.exists():
        return
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise OaError(
            t("cannot create ledger {path}: {error}", path=path, error=exc.strerror)
        ) from None


def _upgrade(
    conn: sqlite3.Connection,
    path: Path,
    version: int,
    on_upgrade: Callable[[int, int, Path], None] | None,
) -> None:
    if version > 0:
        # A snapshot before anything changes (taken outside the write lock: the backup
        # API cannot copy from a connection holding one).
        backup = _backup_before_upgrade(conn, path, version)
        if on_upgrade is not None:
            on_upgrade(version, schema.SCHEMA_VERSION, backup)
    with write(conn):
        # Re-check inside the write lock: another process may have migrated meanwhile.
        if schema.current_version(conn) >= schema.SCHEMA_VERSION:
            return
        # Each migration runs in a savepoint of this one transaction: the upgrade
        # is all or nothing, and a second process waits instead of racing it.
        schema.migrate(conn)


def _backup_before_upgrade(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    dest = path.with_name(f"{path.name}.schema{version}.bak")
    n = 1
    while dest.exists():
        n += 1
        dest = path.with_name(f"{path.name}.schema{version}.{n}.bak")
    target = sqlite3.connect(str(dest))
    try:
        os.chmod(dest, 0o600)
        conn.backup(target)
    finally:
        target.close()
    return dest


@contextlib.contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken with BEGIN IMMEDIATE so writers queue, not fail."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def backup_to(conn: sqlite3.Connection, dest: Path, *, force: bool = False) -> None:
    """Copy the ledger with SQLite's online backup: one consistent snapshot, writers go on."""
    if dest.exists() and not force:
        raise OaError(t("{path} exists; use --force to overwrite it", path=dest))
    if dest.is_dir():
        raise OaError(t("{path} is a folder; give a file name", path=dest))
    tmp = dest.with_name(f".{dest.name}.oa-tmp")
    try:
        tmp.unlink(missing_ok=True)
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        target = sqlite3.connect(str(tmp))
        try:
            conn.backup(target)
        finally:
            target.close()
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OaError(t("cannot write {path}: {error}", path=dest, error=exc.strerror)) from None
