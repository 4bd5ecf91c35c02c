"""A PostgreSQL connection that speaks the sqlite3 connection's small dialect, so the
shared query code runs on it: `execute` with `?` marks, `executemany` (COPY for big
INSERTs), `cursor()` whose rows read by index and by name, and the few SQLite
spellings of `ledger.items` translated (`_DIALECT`). psycopg is imported lazily."""

from __future__ import annotations

import contextlib
import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from oa_cli.domain.dates import minute
from oa_cli.errors import OaError
from oa_cli.i18n import t

CONNECT_TIMEOUT_S = 5
RECONNECT_FOR_S = 10.0
COPY_FROM = 200  # an INSERT of this many rows or more goes through COPY

# SQLite spelling in ledger.items / store.Ledger → PostgreSQL, side by side.
_DIALECT = (
    (" INDEXED BY items_open_counts", ""),  # the planner picks PostgreSQL's own indexes
    (" INDEXED BY items_open", ""),
    (" INDEXED BY items_received", ""),
    (" INDEXED BY items_closed_at", ""),
    (
        "EXISTS (SELECT 1 FROM json_each(items.co_units) WHERE value = ?)",
        "items.co_units::jsonb @> jsonb_build_array(?::text)",
    ),
    (
        "EXISTS (SELECT 1 FROM json_each(items.tags) WHERE value = ?)",
        "items.tags::jsonb @> jsonb_build_array(?::text)",
    ),
    *(
        (f"json_extract(data, '$.{key}')", f"(data::jsonb ->> '{key}')")
        for key in ("card", "previous_due", "due", "answered")
    ),
    (" LIKE ? ESCAPE", " ILIKE ? ESCAPE"),  # SQLite's LIKE ignores ASCII case
    ("CAST(doc AS BLOB)", "convert_to(doc, 'UTF8')"),
    ("CAST(due AS BLOB)", "convert_to(due, 'UTF8')"),
    ("CAST(report_due AS BLOB)", "convert_to(report_due, 'UTF8')"),
)
_INSERT = re.compile(r"INSERT INTO (\w+) \(([\w, ]+)\) VALUES \([?, ]+\)$")


@functools.lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """SQLite-flavoured SQL as PostgreSQL takes it through psycopg (`?` → `%s`)."""
    for sqlite, pg in _DIALECT:
        sql = sql.replace(sqlite, pg)
    return sql.replace("%", "%%").replace("?", "%s")


class _Row(tuple[Any, ...]):
    """A row readable by position (as a tuple) and by column name (as sqlite3.Row)."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


def _named_rows(cursor: Any) -> Callable[[Any], Any]:
    names = {c.name: i for i, c in enumerate(cursor.description or ())}

    def make(values: Any) -> _Row:
        row = _Row(values)
        row.names = names
        return row

    return make


class _Cursor:
    """What `ledger.items` and `ledger.journal` use of a sqlite3 cursor."""

    def __init__(self, conn: PgConn) -> None:
        self._conn = conn
        self.row_factory: Any = "named"  # None: plain tuples (the listings' hot path)
        self._cur: Any = None

    def execute(self, sql: str, params: Iterable[Any] = ()) -> _Cursor:
        self._cur = self._conn.run(sql, params, plain=self.row_factory is None)
        return self

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchmany(self, size: int) -> list[Any]:
        return list(self._cur.fetchmany(size))

    def fetchall(self) -> list[Any]:
        return list(self._cur.fetchall())

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cur)


class PgConn:
    """A psycopg connection behind the sqlite3 calls oa makes; reconnects between
    transactions when the server went away (a restart), and turns database errors
    into one OaError line."""

    def __init__(self, url: str, login_rights: Callable[[], str]) -> None:
        self.url = url
        self.raw = connect(url)
        self.in_transaction = False
        self._rights = login_rights

    def close(self) -> None:
        self.raw.close()

    def cursor(self) -> _Cursor:
        return _Cursor(self)

    def execute(self, sql: str, params: Iterable[Any] = ()) -> Any:
        return self.run(sql, params, plain=False)

    def run(self, sql: str, params: Iterable[Any], *, plain: bool) -> Any:
        import psycopg

        query, args = translate(sql), tuple(params)
        for attempt in (1, 2):
            cur = (
                self.raw.cursor(binary=True) if plain else self.raw.cursor(row_factory=_named_rows)
            )
            try:
                return cur.execute(query, args)
            except psycopg.OperationalError as exc:
                if attempt == 2 or self.in_transaction or not self.raw.broken:
                    raise self.fault(exc) from None
                self.reconnect()
            except psycopg.Error as exc:
                raise self.fault(exc) from None
        raise AssertionError("unreachable")

    def executemany(self, sql: str, batch: list[Any]) -> None:
        import psycopg

        found = _INSERT.match(sql)
        try:
            if found and len(batch) >= COPY_FROM:
                table, columns = found.groups()
                with self.raw.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in batch:
                        copy.write_row(values)
            elif batch:
                self.raw.cursor().executemany(translate(sql), batch)
        except psycopg.Error as exc:
            raise self.fault(exc) from None

    def reconnect(self) -> None:
        """A new connection, waiting up to RECONNECT_FOR_S for a restarting server."""
        import psycopg

        with contextlib.suppress(Exception):
            self.raw.close()
        deadline = time.monotonic() + RECONNECT_FOR_S
        while True:
            try:
                self.raw = connect(self.url, quiet=True)
                return
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise unreachable(self.url, exc) from None
                time.sleep(0.2)

    def fault(self, exc: Exception) -> OaError:
        import psycopg

        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            return OaError(self._rights())
        said = _UNIT_REFUSALS.get(getattr(exc, "sqlstate", None) or "")
        if said is not None:
            detail = getattr(getattr(exc, "diag", None), "message_detail", None) or ""
            return OaError(said(detail))
        if isinstance(exc, psycopg.OperationalError):
            return OaError(
                t(
                    "lost the connection to the ledger {url}: {error}; nothing was written",
                    url=redact(self.url),
                    error=first,
                )
            )
        return OaError(t("PostgreSQL refused: {error}", error=first))


# What the server's functions for a unit's login (schema 5) refuse, in the user's words.
_UNIT_REFUSALS: dict[str, Callable[[str], str]] = {
    "OA001": lambda day: t(
        "the office's working days around {day} are not on the ledger, so the next report's"
        " deadline cannot be set: ask the office to run oa grant once more",
        day=day,
    ),
    "OA002": lambda at: t(
        "a unit's login records ack and feedback at the present time: {at} is before the"
        " assignment or the item's latest event, or later than now",
        at=minute(at),
    ),
    "OA003": lambda unit: t(
        "only the lead unit {unit} signs for this item (ack); a co-unit sends its part as feedback",
        unit=unit,
    ),
}


def redact(url: str) -> str:
    """The URL without its password (in the user part or as a query parameter)."""
    url = re.sub(r"(://[^:/@?]*):[^@/?]*@", r"\1:***@", url)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", url)


def unreachable(url: str, exc: Exception) -> OaError:
    first = (str(exc).strip().splitlines() or ["?"])[0]
    if "password" in first:
        first = t("the server asks for a password (set it in ~/.pgpass or PGPASSWORD)")
    return OaError(t("cannot reach the ledger {url}: {error}", url=redact(url), error=first))


def connect(url: str, *, quiet: bool = False) -> Any:
    """A connection in autocommit (transactions are explicit); never prompts."""
    try:
        import psycopg
    except ImportError:
        raise OaError(
            t("a postgresql:// ledger needs the driver: pip install 'oa-cli[postgres]'")
        ) from None
    try:
        conn = psycopg.connect(
            url,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="oa",
        )
        # a writer waits for another at most as long as on SQLite (busy timeout)
        conn.execute("SET lock_timeout = '60s'")
        return conn
    except psycopg.OperationalError as exc:
        if quiet:
            raise
        raise unreachable(url, exc) from None
    except psycopg.ProgrammingError as exc:  # a malformed URL
        raise unreachable(url, exc) from None


def is_pg_url(db: object) -> bool:
    """Whether `--db` names a PostgreSQL ledger."""
    return str(db).startswith(("postgresql://", "postgres://"))
