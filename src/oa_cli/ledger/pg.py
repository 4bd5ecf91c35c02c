"""The ledger on PostgreSQL: `open_pg(url)` gives a `PgLedger`, which has every
operation of `store.Ledger`. Most are the SQLite ones, run through `pg_conn.PgConn`
(the sqlite3 dialect over psycopg); where the SQL must differ (ids, the head row,
the stored object, evidence, copies) the method is overridden here."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from oa_cli.domain.fields import as_item, change, value
from oa_cli.domain.item import Item
from oa_cli.errors import NotFound, OaError
from oa_cli.i18n import t
from oa_cli.ledger import items as rows
from oa_cli.ledger import pg_schema
from oa_cli.ledger.journal import Journal
from oa_cli.ledger.pg_conn import PgConn, is_pg_url, redact
from oa_cli.ledger.store import Ledger

__all__ = ["PgJournal", "PgLedger", "is_pg_url", "open_pg"]


def open_pg(
    url: str,
    on_upgrade: Callable[[int, int, Path], None] | None = None,
    *,
    create: bool = True,
) -> PgLedger:
    """Open the ledger in the PostgreSQL database at `url`, migrated to the current
    schema. `create=False`: a database without a ledger is an error, never set up.
    Before an older ledger is upgraded, a SQLite copy of it is written (see
    `backup_path`) and `on_upgrade(old, new, copy)` is told."""
    ledger = PgLedger(url)
    try:
        version = pg_schema.current_version(ledger.conn)
        if version > pg_schema.SCHEMA_VERSION:
            raise OaError(
                t(
                    "{path}: made by a newer oa (schema {version}); upgrade oa",
                    path=redact(url),
                    version=version,
                )
            )
        if version == 0 and not create:
            raise OaError(t("no ledger at {path}", path=redact(url)))
        if version == 0:
            _refuse_foreign(ledger, url)
        if version < pg_schema.SCHEMA_VERSION:
            if version > 0:
                _require_owner(ledger, url, version)
                copy = backup_path(url, version)
                ledger.backup_to(copy)
                if on_upgrade is not None:
                    on_upgrade(version, pg_schema.SCHEMA_VERSION, copy)
            with ledger.raw_transaction():
                pg_schema.migrate(ledger.conn)
        ledger._login_rights()  # known before anything can be refused
    except BaseException:
        ledger.close()
        raise
    return ledger


def _require_owner(ledger: PgLedger, url: str, version: int) -> None:
    """Only the ledger's owner can upgrade it (its functions and indexes are the
    owner's): another login is told so, before any backup copy is made."""
    if not ledger.owned():
        raise OaError(
            t(
                "{path}: the ledger is at schema {old} and this oa needs {new}: its owner"
                " must open it once to upgrade it",
                path=redact(url),
                old=version,
                new=pg_schema.SCHEMA_VERSION,
            )
        )


def _refuse_foreign(ledger: PgLedger, url: str) -> None:
    """A database that holds another program's tables is left as it is, as on SQLite."""
    found = ledger.conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
    ).fetchall()
    if found:
        names = ", ".join(r[0] for r in found[:5])
        raise OaError(
            t(
                "{path} is a database of another program (tables: {tables}); left untouched",
                path=redact(url),
                tables=names,
            )
        )


def backup_path(url: str, version: int) -> Path:
    """Where the copy before an upgrade goes: the user data folder, named by database."""
    import platformdirs

    folder = Path(platformdirs.user_data_dir("oa", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", url.split("?")[0].rsplit("/", 1)[-1]) or "ledger"
    stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    return folder / f"{name}.schema{version}.{stamp}.bak"


class PgJournal(Journal):
    """The journal on PostgreSQL: the last event is the head row (locked by the write
    transaction), and every append moves it."""

    def _last(self) -> tuple[int, str]:
        if self._head is None:
            row = self.conn.execute("SELECT seq, hash FROM head").fetchone()
            self._head = (int(row[0]), str(row[1]))
        return self._head

    def append_many(self, events: list[tuple[Any, ...]]) -> int:
        seq = super().append_many(events)
        assert self._head is not None
        self.conn.execute("UPDATE head SET seq = ?, hash = ?", self._head)
        return seq


class PgLedger(Ledger):
    """One open ledger on PostgreSQL. Writes happen inside `transaction()`, which first
    locks the head row: writers queue (as SQLite's BEGIN IMMEDIATE makes them), so
    the journal stays one chain however many clerks write at once."""

    conn: PgConn  # type: ignore[assignment]

    def __init__(self, url: str) -> None:
        super().__init__(PgConn(url, self._refusal), None)  # type: ignore[arg-type]
        self.url = url
        self._rights: tuple[str, str | None, bool] | None = None

    # -- who is writing ---------------------------------------------------------
    @property
    def login(self) -> str:
        """The database login: the actor of every change on PostgreSQL."""
        return self._login_rights()[0]

    def _login_rights(self) -> tuple[str, str | None, bool]:
        if self._rights is None:
            row = self.conn.execute(
                "SELECT session_user, oa_login_unit(), has_table_privilege('items', 'INSERT')"
            ).fetchone()
            self._rights = (str(row[0]), row[1], bool(row[2]))
        return self._rights

    def _refusal(self) -> str:
        login, unit, writes = self._rights or (redact(self.url), None, True)
        if unit is not None:
            return t(
                "the login {login} may only read the items of {unit} and record ack and"
                " feedback on them",
                login=login,
                unit=unit,
            )
        if not writes:
            return t("the login {login} may only read this ledger", login=login)
        return t("the login {login} is not allowed to do this in this ledger", login=login)

    def owned(self) -> bool:
        """Whether this login is (or acts as) the ledger's owner: it may upgrade the
        ledger and create logins."""
        owns = self.conn.execute(
            "SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables"
            " WHERE schemaname = current_schema() AND tablename = 'items'"
        ).fetchone()
        return bool(owns and owns[0])

    def writes_as_office(self) -> bool:
        """Whether this login may write as the office (not a unit's, not read-only)."""
        _, unit, writes = self._login_rights()
        return unit is None and writes

    def get(self, item_id: int) -> Item:
        """The item; for a unit's login, an item it cannot see is said to be not among
        its unit's (it may be another unit's, or transferred away), not merely missing."""
        try:
            return super().get(item_id)
        except NotFound:
            login, unit, _ = self._login_rights()
            if unit is None:
                raise
            raise NotFound(
                t(
                    "item {id} is not among the items of {unit} (the login {login} sees"
                    " only those)",
                    id=item_id,
                    unit=unit,
                    login=login,
                )
            ) from None

    def require_office(self) -> None:
        """Refuse, in one line, a login that may not write as the office (a unit's or a
        read-only one): for a command that may find nothing to write, and so would
        otherwise not be refused (`escalate --auto`)."""
        _, unit, writes = self._login_rights()
        if unit is not None or not writes:
            raise OaError(self._refusal())

    # -- transactions -----------------------------------------------------------
    @contextlib.contextmanager
    def raw_transaction(self, *, snapshot: bool = False) -> Iterator[None]:
        """One transaction; a connection lost since the last command is made again
        first. `snapshot`: a read-only view that does not move while others write."""
        import psycopg

        conn = self.conn
        for attempt in (1, 2):
            try:
                tx = conn.raw.transaction()
                tx.__enter__()
                break
            except psycopg.OperationalError as exc:
                if attempt == 2:
                    raise conn.fault(exc) from None
                conn.reconnect()
        conn.in_transaction = True
        try:
            if snapshot:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        except BaseException as exc:
            conn.in_transaction = False
            with contextlib.suppress(psycopg.Error):
                tx.__exit__(type(exc), exc, exc.__traceback__)
            raise
        conn.in_transaction = False
        try:
            tx.__exit__(None, None, None)
        except psycopg.Error as exc:
            raise conn.fault(exc) from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction. A unit's login locks nothing here (it may not): its
        write function locks the head row itself, and any other write is refused."""
        with self.raw_transaction():
            if self._login_rights()[1] is None:
                self.conn.execute("SELECT seq FROM head FOR UPDATE")
            yield
        self.commits += 1

    def unit_write(
        self,
        action: str,
        item_id: int,
        at: str,
        facts: dict[str, Any],
        files: Sequence[tuple[str, bytes]] = (),
    ) -> Item | None:
        """A unit's login writes through the server's functions (schema 5), which
        decide every changed column and the event; the office writes itself (None)."""
        if self._login_rights()[1] is None:
            return None
        if action == "ack":
            self.conn.execute("SELECT oa_unit_ack(?, ?, ?)", (item_id, facts.get("by"), at))
        else:
            self.conn.execute(
                "SELECT oa_unit_feedback(?, ?, ?::int, ?, ?, ?::text[], ?::bytea[], ?)",
                (
                    item_id,
                    facts["text"],
                    facts.get("progress"),
                    facts.get("ref"),
                    facts.get("by"),
                    [name for name, _ in files],
                    [data for _, data in files],
                    at,
                ),
            )
        return self.get(item_id)

    # -- items --------------------------------------------------------------------
    def insert(self, item: Item) -> int:
        if item.get("id") is None:
            item["id"] = self.next_id()
        self.insert_many([item])
        return int(item["id"])

    def insert_many(self, items: list[Item]) -> None:
        if not items:
            return
        columns = (*rows._INSERT_COLUMNS, "doc")
        batch = [
            [*(rows._to_db(k, value(item, k)) for k in rows._INSERT_COLUMNS), rows.stored_doc(item)]
            for item in items
        ]
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(f"INSERT INTO items ({', '.join(columns)}) VALUES ({marks})", batch)
        top = max(int(item["id"]) for item in items)
        self.conn.execute("UPDATE head SET last_item_id = greatest(last_item_id, ?)", (top,))

    def next_id(self) -> int:
        row = self.conn.execute(
            "SELECT greatest(last_item_id, coalesce((SELECT max(id) FROM items), 0)) FROM head"
        ).fetchone()
        return rows._usable(int(row[0]) + 1)

    def update(self, item_id: int, changes: dict[str, Any]) -> None:
        """Change columns and rewrite the stored object from the whole new row."""
        keys = [k for k in changes if k in rows._INSERT_COLUMNS and k != "id"]
        if not keys:
            return
        item = rows.get(self.conn, item_id)  # type: ignore[arg-type]
        change(item, {k: changes[k] for k in keys})
        sets = ", ".join(f"{k} = ?" for k in (*keys, "doc"))
        values = [*(rows._to_db(k, changes[k]) for k in keys), rows.stored_doc(item)]
        self.conn.execute(f"UPDATE items SET {sets} WHERE id = ?", (*values, item_id))

    def first_load(self, n: int) -> contextlib.AbstractContextManager[None]:
        """The server keeps its own log: nothing to change around a load."""
        return contextlib.nullcontext()

    @contextlib.contextmanager
    def bulk_load(self, n: int) -> Iterator[None]:
        """PostgreSQL keeps its indexes through a load; a large one is then analysed."""
        yield
        if n >= 10_000:
            self.loaded()

    def loaded(self) -> None:
        """Fresh statistics after a bulk load, so the planner reads the ledger as it now
        is (without them it guesses a few hundred rows and sorts on disk)."""
        self.conn.execute("ANALYZE items, events")

    def _report_steps(self, ids: list[int]) -> Iterable[tuple[int, str, int, str, str]]:
        return self.conn.execute(
            "SELECT seq, at, item_id, action, data::jsonb ->> 'text' FROM events"
            " WHERE item_id = ANY(?) AND action IN ('feedback', 'return') ORDER BY seq",
            (ids,),
        )

    def last_notice_number(self, year: int) -> int:
        row = self.conn.execute(
            "SELECT max((data::jsonb #>> '{notice,number}')::bigint) FROM events"
            " WHERE action = 'remind' AND data::jsonb #>> '{notice,year}' = ?",
            (str(year),),
        ).fetchone()
        return int(row[0] or 0)

    def notice_reminds(self, year: int, number: int) -> list[tuple[int, int, str, str, str | None]]:
        found = self.conn.execute(
            "SELECT seq, item_id, at, data::jsonb #>> '{notice,unit}',"
            " data::jsonb #>> '{notice,reply_by}'"
            " FROM events"
            " WHERE action = 'remind'"
            " AND data::jsonb #>> '{notice,year}' = ?"
            " AND data::jsonb #>> '{notice,number}' = ? ORDER BY seq",
            (str(year), str(number)),
        )
        return [
            (int(seq), int(item_id), str(at), str(unit), by) for seq, item_id, at, unit, by in found
        ]

    def issued_notices(self) -> list[tuple[int, int, str, str, list[int]]]:
        from oa_cli.ledger.store import _notice_row

        found = self.conn.execute(
            "SELECT (data::jsonb #>> '{notice,year}')::int AS y,"
            " (data::jsonb #>> '{notice,number}')::int AS n, data::jsonb #>> '{notice,unit}',"
            " min(at), string_agg(item_id::text, ',' ORDER BY seq) FROM events"
            " WHERE action = 'remind' AND data::jsonb #>> '{notice,number}' IS NOT NULL"
            " GROUP BY 1, 2, 3 ORDER BY 1, 2"
        )
        return [_notice_row(*row) for row in found]

    # -- journal ------------------------------------------------------------------
    def journal(self, *, at: str, recorded_at: str, actor: str) -> Any:
        """The journal; the actor is the database login, whatever `--as` said."""
        return PgJournal(self.conn, at=at, recorded_at=recorded_at, actor=self.login)  # type: ignore[arg-type]

    def head(self) -> tuple[int, str]:
        row = self.conn.execute("SELECT seq, hash FROM head").fetchone()
        return int(row[0]), str(row[1])

    # -- evidence -------------------------------------------------------------------
    def put_evidence(self, sha256: str, data: bytes) -> None:
        self.conn.execute(
            "INSERT INTO evidence (sha256, size, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (sha256, len(data), data),
        )

    # -- integrity and copies ---------------------------------------------------------
    def integrity_problems(self) -> list[str]:
        """The head row must be the last event, and no item above its last id. A unit's
        login sees part of the journal only: it cannot check it, and is told so."""
        login, unit, _ = self._login_rights()
        if unit is not None:
            raise OaError(
                t(
                    "the login {login} sees only the items of {unit}: oa verify checks the"
                    " whole ledger and is run by the office",
                    login=login,
                    unit=unit,
                )
            )
        problems = []
        last = self.conn.execute(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        head = self.head()
        if (tuple(last) if last else (0, pg_schema.GENESIS)) != head:
            problems.append(f"database: the head row ({head[0]}) is not the last event")
        row = self.conn.execute(
            "SELECT (SELECT max(id) FROM items) > last_item_id FROM head"
        ).fetchone()
        if row[0]:
            problems.append("database: an item id is above the head row's last item id")
        return problems

    _ORDER = {
        "items": "id",
        "events": "seq",
        "units": "code",
        "auto_actions": "seq, item_id, rule",
        "evidence": "sha256",
    }

    def dump(self, table: str) -> Iterator[list[tuple[Any, ...]]]:
        columns = ", ".join(self.TABLES[table])
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {self._ORDER[table]}")
        while batch := cursor.fetchmany(1000):
            yield [tuple(r) for r in batch]

    def load(self, table: str, batch: list[tuple[Any, ...]]) -> None:
        """Rows of `dump` (in its order); the head row follows them. Items get their stored
        JSON object made here, as every write on PostgreSQL makes it."""
        if table == "items":
            items = []
            for row in batch:
                item = dict(zip(rows._INSERT_COLUMNS, row, strict=True))
                for key in rows.LIST_COLUMNS:
                    item[key] = rows._from_db_list(item[key])
                items.append(as_item(item))
            self.insert_many(items)
            return
        super().load(table, batch)
        if table == "events" and batch:
            last = batch[-1]
            self.conn.execute(
                "UPDATE head SET seq = ?, hash = ? WHERE seq < ?", (last[0], last[8], last[0])
            )

    def backup_to(self, dest: Path, *, force: bool = False) -> None:
        """Write a SQLite ledger file of one consistent view of this ledger."""
        from oa_cli.ledger.pg_backup import backup_to_sqlite

        backup_to_sqlite(self, dest, force=force)
