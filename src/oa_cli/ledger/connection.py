"""The one place that opens the ledger: file checks, mode, WAL, busy timeout, migrations.

Nothing here writes to a file before it is known to be an oa ledger (or empty): the
header and `sqlite_master` are read through a read-only connection first."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

from oa_cli.errors import OaError
from oa_cli.i18n import os_error, t
from oa_cli.ledger import schema
from oa_cli.outfile import interrupt_on_terminate

BUSY_TIMEOUT_MS = 60_000
# A new ledger's page: an item row and its open-index entry (each holding the stored
# object) are most of a kilobyte, and at 4 KiB a third of the index pages stayed empty.
PAGE_SIZE = 8192
MIN_SQLITE = (3, 31, 0)
SQLITE_HEADER = b"SQLite format 3\x00"
OA_TABLES = frozenset({"items", "events"})


class LedgerConnection(sqlite3.Connection):
    """A connection that knows its ledger file and whether it may write."""

    path: Path
    read_only: bool = False


def open_ledger(
    path: Path,
    on_upgrade: Callable[[int, int, Path], None] | None = None,
    *,
    create: bool = True,
) -> sqlite3.Connection:
    """Open the ledger at `path`, migrated to the current schema.

    `create=False` (read commands): a missing or 0-byte file is an error, never created.
    `create=True` (write commands): a missing or 0-byte file becomes a new ledger (0600).
    A ledger that cannot be written (read-only media) opens read-only; `write()` on it
    is refused. `on_upgrade(old, new, backup)` is told before an existing ledger is upgraded."""
    _check_sqlite_version()
    tables = _inspect(path, create=create)
    if tables is None:  # missing or 0 bytes, and create=True
        _create_file(path)
    conn = _connect(path, new=tables is None)
    try:
        version = schema.current_version(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise OaError(t("{path}: not a usable ledger: {error}", path=path, error=exc)) from None
    if version > schema.SCHEMA_VERSION:
        conn.close()
        raise OaError(
            t(
                "{path}: made by a newer oa (schema {version}); upgrade oa",
                path=path,
                version=version,
            )
        )
    if version < schema.SCHEMA_VERSION:
        if not create and version == 0:
            conn.close()
            raise OaError(t("no ledger at {path}", path=path))
        if conn.read_only:
            conn.close()
            raise OaError(
                t(
                    "{path} is read-only and made by an older oa (schema {version});"
                    " open it once where it can be written to upgrade it",
                    path=path,
                    version=version,
                )
            )
        _upgrade(conn, path, version, on_upgrade)
    return conn


def _check_sqlite_version() -> None:
    if sqlite3.sqlite_version_info < MIN_SQLITE:  # stored generated columns (schema 3)
        raise OaError(
            t(
                "oa needs SQLite {need} or newer; this Python has {have}",
                need=".".join(map(str, MIN_SQLITE)),
                have=sqlite3.sqlite_version,
            )
        )


def _inspect(path: Path, *, create: bool) -> frozenset[str] | None:
    """The user tables of the file at `path`, or None when it is missing or empty
    (and may be created). Refuses, without writing anything, what is not a ledger."""
    if path.is_symlink() and not path.exists():
        raise OaError(
            t(
                "{path} is a link to {target}, which does not exist; give the ledger's real path",
                path=path,
                target=os.readlink(path),
            )
        )
    if path.is_dir():
        raise OaError(t("{path} is a folder; give a file name", path=path))
    if path.exists() and not path.is_file():  # /dev/null, a pipe, a socket: never a ledger
        raise _not_a_file(path)
    try:
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        header = None
    except OSError as exc:
        raise OaError(
            t("cannot read ledger {path}: {error}", path=path, error=os_error(exc))
        ) from None
    if not header:  # missing or 0 bytes
        if not create:
            raise OaError(t("no ledger at {path}", path=path))
        return None
    if header != SQLITE_HEADER:
        raise OaError(
            t("{path} is not an oa ledger (not an SQLite database); left untouched", path=path)
        )
    tables = _user_tables(path)
    if tables and not OA_TABLES.issubset(tables):
        raise OaError(
            t(
                "{path} is an SQLite database of another program (tables: {tables});"
                " left untouched",
                path=path,
                tables=", ".join(sorted(tables)[:5]),
            )
        )
    return tables


def _not_a_file(path: Path) -> OaError:
    return OaError(t("{path} is not a regular file; give a ledger file's path", path=path))


def _user_tables(path: Path) -> frozenset[str]:
    conn = _connect_read_only(path)
    try:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise OaError(t("{path}: not a usable ledger: {error}", path=path, error=exc)) from None
    finally:
        conn.close()
    return frozenset(row[0] for row in rows)


def _create_file(path: Path) -> None:
    """A new empty ledger file, mode 0600; every missing parent folder 0700."""
    try:
        _make_parents(path.parent)
        try:  # O_EXCL never follows a link, so a link planted meanwhile is not followed
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:  # a 0-byte file, or another process created it meanwhile
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced by a device meanwhile
                raise _not_a_file(path)
            with contextlib.suppress(PermissionError):  # someone else's 0-byte file
                os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
    except OSError as exc:
        raise OaError(
            t("cannot create ledger {path}: {error}", path=path, error=os_error(exc))
        ) from None


def _make_parents(folder: Path) -> None:
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for each in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            each.mkdir(mode=0o700)


def _connect(path: Path, *, new: bool) -> LedgerConnection:
    """A read-write connection in WAL mode, or a read-only one when the file or its
    folder cannot be written (archived media); `new`: the file was empty (`_inspect`)."""
    if not _can_write(path):
        return _connect_read_only(path)
    conn = _new_connection(str(path), uri=False)
    try:
        if new:  # only before the first table: an existing ledger keeps its pages
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            _wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.OperationalError as exc:
        conn.close()
        if "readonly" in str(exc) or "unable to open" in str(exc):  # read-only file system
            return _connect_read_only(path)
        raise OaError(t("{path}: not a usable ledger: {error}", path=path, error=exc)) from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise OaError(t("{path}: not a usable ledger: {error}", path=path, error=exc)) from None
    conn.path = path
    return conn


def _can_write(path: Path) -> bool:
    folder = path.resolve().parent
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def _connect_read_only(path: Path, *, rolled: bool = False) -> LedgerConnection:
    """`mode=ro`, or `immutable=1` when not even the -shm file can be made; never over
    an unfinished write (a hot -journal, as a killed first load leaves): a writer rolls
    it back first, and without write access `immutable` would read the half-written
    file, so that is refused."""
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    for suffix in ("", "&immutable=1"):
        journal = Path(f"{path}-journal")
        if suffix and not rolled and journal.exists() and journal.stat().st_size > 0:
            if not _can_write(path):
                raise OaError(
                    t(
                        "{path} has an unfinished write ({journal}); open it once with"
                        " write access to roll it back",
                        path=path,
                        journal=journal.name,
                    )
                )
            _roll_back(path)  # then a journal still there is not hot: SQLite passed it
            return _connect_read_only(path, rolled=True)
        conn = _new_connection(uri + suffix, uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            conn.close()
            continue
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise OaError(t("{path}: not a usable ledger: {error}", path=path, error=exc)) from None
        conn.path = path
        conn.read_only = True
        return conn
    raise OaError(t("cannot read ledger {path}: {error}", path=path, error="unable to open"))


def _wal(conn: sqlite3.Connection) -> None:
    """Put the ledger in WAL mode; while another process holds it in a rollback journal
    (the first load, `written_once`), it is read and written as it is, and the next
    opening tries again."""
    try:
        with _not_waiting(conn):
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise


@contextlib.contextmanager
def _not_waiting(conn: sqlite3.Connection) -> Iterator[None]:
    """A change of journal mode tried once: another process holding the ledger is an
    answer at once, not a wait of the busy timeout."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _roll_back(path: Path) -> None:
    """Open the file read-write for a moment: SQLite rolls a hot journal back (as any
    writer's first read does) and removes it."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise OaError(t("{path}: not a usable ledger: {error}", path=path, error=exc)) from None
    finally:
        conn.close()


def _new_connection(database: str, *, uri: bool) -> LedgerConnection:
    conn = sqlite3.connect(
        database,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
        uri=uri,
        factory=LedgerConnection,
    )
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


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
    try:
        _snapshot(conn, dest)
    except (OSError, sqlite3.Error) as exc:
        error = os_error(exc) if isinstance(exc, OSError) else str(exc)
        raise OaError(t("cannot write {path}: {error}", path=dest, error=error)) from None
    return dest


def _snapshot(conn: sqlite3.Connection, dest: Path) -> None:
    """Copy the ledger to `dest` with SQLite's online backup, through a hidden temporary
    file renamed only when complete: `dest` is the whole copy or does not exist, and
    the temporary file is removed on any error or interrupt."""
    with interrupt_on_terminate():
        fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".oa-tmp")
        os.close(fd)  # mkstemp: mode 0600
        tmp = Path(name)
        try:
            target = sqlite3.connect(name, isolation_level=None)
            try:
                target.execute("PRAGMA journal_mode = OFF")  # no -journal file left behind
                conn.backup(target)
            finally:
                target.close()
            _fsync(tmp)
            os.replace(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)  # gone already after the rename


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken with BEGIN IMMEDIATE so writers queue, not fail."""
    if getattr(conn, "read_only", False):
        raise OaError(
            t(
                "{path} is read-only: this command would change the ledger",
                path=getattr(conn, "path", "ledger"),
            )
        )
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


@contextlib.contextmanager
def written_once(conn: sqlite3.Connection, rows: int) -> Iterator[None]:
    """Around the transaction (outside it) of a load of `rows` items into a ledger with
    no events yet: kept in a rollback journal instead of the WAL, the load is written
    once, not twice (into the WAL, then by the checkpoint into the file: as much disk
    again as the ledger, and the time). A rollback journal holds nothing for pages the
    file did not have, and a killed load still leaves the ledger as it was. WAL again
    after; when another connection has the ledger open, the load stays in WAL."""
    if rows < 10_000 or getattr(conn, "read_only", False) or ledger_file(conn) is None:
        yield
        return
    switched = False
    if conn.execute("SELECT NOT EXISTS (SELECT 1 FROM events)").fetchone()[0]:
        # another connection holding the ledger keeps the load in WAL
        with _not_waiting(conn), contextlib.suppress(sqlite3.OperationalError):
            switched = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    if switched:
        conn.execute("PRAGMA synchronous = FULL")  # a rollback journal's safe setting
    try:
        yield
    finally:
        if switched:
            conn.execute("PRAGMA synchronous = NORMAL")
            with contextlib.suppress(sqlite3.OperationalError):  # else the next opening does
                conn.execute("PRAGMA journal_mode = WAL")


def ledger_file(conn: sqlite3.Connection) -> Path | None:
    """The file of the connection's main database (None in memory)."""
    for row in conn.execute("PRAGMA database_list").fetchall():
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


def backup_to(conn: sqlite3.Connection, dest: Path, *, force: bool = False) -> None:
    """Copy the ledger with SQLite's online backup: one consistent snapshot, writers go on."""
    from oa_cli.outfile import check_dest_writable, refuse_ledger, refuse_special

    ledger = ledger_file(conn)
    if ledger is not None:
        refuse_ledger(dest, ledger)
    refuse_special(dest)
    check_dest_writable(dest)
    if dest.exists() and not force:
        raise OaError(t("{path} exists; use --force to overwrite it", path=dest))
    try:
        _snapshot(conn, dest)
    except (OSError, sqlite3.Error) as exc:
        error = os_error(exc) if isinstance(exc, OSError) else str(exc)
        raise OaError(t("cannot write {path}: {error}", path=dest, error=error)) from None
