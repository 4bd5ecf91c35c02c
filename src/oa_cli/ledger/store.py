"""The ledger as the rest of oa sees it: named operations on one object. No SQL
leaves `ledger/`; actions and commands never see a connection."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.fields import as_item
from oa_cli.domain.item import Item
from oa_cli.domain.selection import Selection
from oa_cli.ledger import items as rows
from oa_cli.ledger import scan
from oa_cli.ledger.connection import write
from oa_cli.ledger.history import STEPS as steps_sql

MAX_IN = 5000  # ids one IN list should hold; beyond, rows are kept as they are read


def _listed(item_ids: Iterable[int] | None) -> tuple[tuple[int, ...] | None, set[int] | None]:
    """Item ids for an IN list, or (too many for one) a set to keep rows by."""
    if item_ids is None:
        return None, None
    ids = tuple(item_ids)
    return (ids, None) if len(ids) <= MAX_IN else (None, set(ids))


class Ledger:
    """One open ledger (SQLite). Writes happen inside `transaction()`."""

    commits = 0  # write transactions committed by this invocation

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path

    def close(self) -> None:
        self.conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with write(self.conn):
            yield
        self.commits += 1

    # -- items -------------------------------------------------------------
    def get(self, item_id: int) -> Item:
        return rows.get(self.conn, item_id)

    def exists(self, item_id: int) -> bool:
        return rows.exists(self.conn, item_id)

    def insert(self, item: Item) -> int:
        """Insert a new item (its `id` is given when it is not None); return its id."""
        if item.get("id") is None:
            item["id"] = rows.next_id(self.conn)
        rows.insert_many(self.conn, [item])
        return int(item["id"])

    def insert_many(self, items: list[Item]) -> None:
        rows.insert_many(self.conn, items)

    def next_id(self) -> int:
        return rows.next_id(self.conn)

    def update(self, item_id: int, changes: dict[str, Any]) -> None:
        rows.update(self.conn, item_id, changes)

    def unscheduled(self) -> list[Item]:
        """Assigned items owing no report by any date: assigned before schema 4 kept
        report deadlines (`actions.upgrade`)."""
        found = self.conn.execute(
            rows.SELECT + " WHERE status = 'assigned' AND report_due IS NULL ORDER BY id"
        )
        return [rows.from_row(row) for row in found]

    def select(self, sel: Selection) -> Iterator[Item]:
        return rows.select(self.conn, sel)

    def count(self, sel: Selection) -> int:
        return rows.count(self.conn, sel)

    def loaded(self) -> None:
        """After a bulk load (PostgreSQL analyses; SQLite reads through named indexes)."""

    def require_office(self) -> None:
        """Refuse a login that may not write as the office (PostgreSQL only: a file has
        no logins), for a command that may find nothing to write."""

    def ids(self, sel: Selection) -> Iterator[int]:
        """The ids `sel` selects, in id order, without reading the items."""
        found: Iterator[int] = rows.ids(self.conn, sel)
        return found

    def ids_and(self, sel: Selection, column: str) -> Iterator[tuple[int, Any]]:
        """(id, value of `column`) of the items `sel` selects, in id order."""
        found: Iterator[tuple[int, Any]] = rows.ids(self.conn, sel, column)
        return found

    def select_json(
        self, sel: Selection, today: dt.date, calendar: WorkCalendar
    ) -> Iterator[list[bytes]]:
        return scan.select_json(self.conn, sel, today, calendar)

    def scan_json(
        self,
        sels: dict[str, Selection],
        today: dt.date,
        calendar: WorkCalendar,
        by_unit: bool = False,
    ) -> scan.Scanned:
        return scan.scan_json(self.conn, sels, today, calendar, by_unit)

    def select_values(
        self, sel: Selection, today: dt.date, calendar: WorkCalendar
    ) -> Iterator[list[Any]]:
        return rows.select_values(self.conn, sel, today, calendar)

    def counts_by_unit(self, sel: Selection) -> dict[str | None, int]:
        return rows.counts_by_unit(self.conn, sel)

    def successor(self, item_id: int) -> int | None:
        return rows.successor(self.conn, item_id)

    def same_title(self, key: str, since: str) -> list[int]:
        return rows.same_title(self.conn, key, since)

    def bulk_load(self, n: int) -> contextlib.AbstractContextManager[None]:
        return rows.bulk_load(self.conn, n)

    def first_load(self, n: int) -> contextlib.AbstractContextManager[None]:
        """Around the transaction of a load of `n` items (`connection.written_once`)."""
        from oa_cli.ledger.connection import written_once

        return written_once(self.conn, n)

    def item_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM items").fetchone()[0])

    def snapshot(self, until: str) -> Ledger:
        """The items as the journal had them before `until` (an ISO date or time), in a
        ledger of their own in memory, so every query reads them the same way."""
        from oa_cli.ledger import schema
        from oa_cli.ledger.journal import replay

        items = replay(self.events(until=until))
        conn = sqlite3.connect(":memory:", isolation_level=None)
        schema.migrate(conn)
        for item in items.values():
            item["title_key"] = ""
        rows.insert_many(conn, [as_item(item) for item in items.values()])
        return Ledger(conn)

    def items_through(self, ids: Iterable[int], seq: int) -> dict[int, Item]:
        """The items of these ids as the journal had them just after event `seq`."""
        from oa_cli.ledger.journal import replay

        found = replay(e for e in self.events(item_ids=ids) if e["seq"] <= seq)
        return {item_id: as_item(item) for item_id, item in found.items()}

    def latest_reports(
        self, ids: Iterable[int], *, through: int | None = None, until: str | None = None
    ) -> dict[int, str]:
        """The text of each item's latest counted report (办理情况); with `through`, as
        it was just after that event; with `until`, as the journal had it before that
        time (an ISO date or time, as `snapshot` reads it)."""
        from oa_cli.domain.workflow import still_counted

        steps: dict[int, list[tuple[str, str]]] = {}
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            found_steps = self._report_steps(wanted[start : start + 500])
            for seq, at, item_id, action, text in found_steps:
                if (through is None or seq <= through) and (until is None or at < until):
                    steps.setdefault(item_id, []).append((action, text))
        found = {item_id: still_counted(s) for item_id, s in steps.items()}
        return {item_id: texts[-1] for item_id, texts in found.items() if texts}

    def _report_steps(self, ids: list[int]) -> Iterable[tuple[int, str, int, str, str]]:
        """(seq, at, item_id, action, text) of the items' reports and returns, in
        journal order."""
        marks = ", ".join("?" * len(ids))
        return self.conn.execute(
            "SELECT seq, at, item_id, action, json_extract(data, '$.text') FROM events"
            f" WHERE item_id IN ({marks}) AND action IN ('feedback', 'return') ORDER BY seq",
            ids,
        )

    def last_notice_number(self, year: int) -> int:
        row = self.conn.execute(
            "SELECT max(json_extract(data, '$.notice.number')) FROM events"
            " WHERE action = 'remind' AND json_extract(data, '$.notice.year') = ?",
            (year,),
        ).fetchone()
        return int(row[0] or 0)

    def notice_reminds(self, year: int, number: int) -> list[tuple[int, int, str, str, str | None]]:
        """(seq, item_id, at, unit, reply-by date or None) of the 催办 the issued notice
        〔year〕number号 recorded."""
        found = self.conn.execute(
            "SELECT seq, item_id, at, json_extract(data, '$.notice.unit'),"
            " json_extract(data, '$.notice.reply_by')"
            " FROM events"
            " WHERE action = 'remind'"
            " AND json_extract(data, '$.notice.year') = ?"
            " AND json_extract(data, '$.notice.number') = ? ORDER BY seq",
            (year, number),
        )
        return [
            (int(seq), int(item_id), str(at), str(unit), by) for seq, item_id, at, unit, by in found
        ]

    def issued_notices(self) -> list[tuple[int, int, str, str, list[int]]]:
        """(year, number, unit, first 催办's time, item ids) of every issued notice, in
        year and number order: the office's register of notices."""
        found = self.conn.execute(
            "SELECT json_extract(data, '$.notice.year'), json_extract(data, '$.notice.number'),"
            " json_extract(data, '$.notice.unit'), min(at), group_concat(item_id) FROM"
            " (SELECT * FROM events WHERE action = 'remind' ORDER BY seq)"
            " WHERE json_extract(data, '$.notice.number') IS NOT NULL"
            " GROUP BY 1, 2, 3 ORDER BY 1, 2"
        )
        return [_notice_row(*row) for row in found]

    # -- journal -------------------------------------------------------------
    def journal(self, *, at: str, recorded_at: str, actor: str) -> Any:
        from oa_cli.ledger.journal import Journal

        return Journal(self.conn, at=at, recorded_at=recorded_at, actor=actor)

    def events(
        self,
        item_id: int | None = None,
        since: str | None = None,
        until: str | None = None,
        actions: Iterable[str] | None = None,
        item_ids: Iterable[int] | None = None,
    ) -> Iterator[dict[str, Any]]:
        from oa_cli.ledger.journal import iter_events

        ids, keep = _listed(item_ids)
        found = iter_events(self.conn, item_id, since, until, tuple(actions or ()), ids)
        return found if keep is None else (e for e in found if e["item_id"] in keep)

    # What the assessment reads of an event: item, action, time and a few facts of it.
    HISTORY = steps_sql  # the facts of an event that the reports read

    def history(
        self, actions: Iterable[str], item_ids: Iterable[int] | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """(item_id, action, at, card, previous_due, due, answered) of the events of
        `actions`, in journal order (the facts read by the database, not decoded)."""
        wanted = tuple(actions)
        where = "action IN ({}) AND item_id IS NOT NULL".format(", ".join("?" * len(wanted)))
        params: list[Any] = list(wanted)
        ids, keep = _listed(item_ids)
        if ids is not None:
            where += " AND item_id IN ({})".format(", ".join("?" * len(ids)) or "NULL")
            params.extend(ids)
        rows_ = self.conn.execute(f"{self.HISTORY} WHERE {where} ORDER BY seq", params)
        return (tuple(r) for r in rows_ if keep is None or r[0] in keep)

    def head(self) -> tuple[int, str]:
        from oa_cli.ledger.journal import GENESIS

        row = self.conn.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    def event_hash(self, seq: int) -> str | None:
        row = self.conn.execute("SELECT hash FROM events WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else str(row[0])

    def event_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def last_event_day(self) -> str | None:
        row = self.conn.execute("SELECT max(at) FROM events").fetchone()
        return None if row[0] is None else str(row[0])[:10]

    # -- units ---------------------------------------------------------------
    def units(self) -> list[tuple[str, str, str | None]]:
        return [
            (r[0], r[1], r[2])
            for r in self.conn.execute("SELECT code, name, contact FROM units ORDER BY code")
        ]

    def add_unit(self, code: str, name: str, contact: str | None) -> None:
        self.conn.execute(
            "INSERT INTO units (code, name, contact) VALUES (?, ?, ?)", (code, name, contact)
        )

    # -- what escalate --auto did -------------------------------------------
    def alerted(self, day: str) -> set[int]:
        """The items `escalate --auto` already alerted on `day`."""
        found = self.conn.execute(
            "SELECT item_id FROM auto_actions WHERE day = ? AND rule = 'alert'", (day,)
        )
        return {r[0] for r in found}

    def mark_auto(self, marks: list[tuple[int, str, str, int]]) -> None:
        self.conn.executemany(
            "INSERT INTO auto_actions (item_id, rule, day, seq) VALUES (?, ?, ?, ?)", marks
        )

    def auto_marks(self) -> Iterator[tuple[int, str, str, int]]:
        yield from self.conn.execute("SELECT item_id, rule, day, seq FROM auto_actions")

    # -- evidence files --------------------------------------------------------
    def put_evidence(self, sha256: str, data: bytes) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO evidence (sha256, size, data) VALUES (?, ?, ?)",
            (sha256, len(data), data),
        )

    def evidence_matching(self, prefix: str) -> list[str]:
        found = self.conn.execute(
            "SELECT sha256 FROM evidence WHERE sha256 >= ? AND sha256 < ? ORDER BY sha256",
            (prefix, prefix + "g"),
        )
        return [r[0] for r in found]

    def evidence_bytes(self, sha256: str) -> bytes | None:
        row = self.conn.execute("SELECT data FROM evidence WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else bytes(row[0])

    def evidence_all(self) -> Iterator[tuple[str, int, bytes]]:
        for sha, size, data in self.conn.execute("SELECT sha256, size, data FROM evidence"):
            yield sha, size, bytes(data)

    # -- integrity and copies ---------------------------------------------------
    def integrity_problems(self) -> list[str]:
        return [
            f"database: {r[0]}" for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"
        ]

    def chain_problems(self) -> list[str]:
        from oa_cli.ledger.journal import check_chain

        return check_chain(self.conn)

    def stored_items(self) -> Iterator[tuple[Item, str]]:
        """Every item row with its stored JSON object, in id order (for verify)."""
        from oa_cli.domain.item import COLUMNS

        for row in self.conn.execute(f"SELECT {', '.join(COLUMNS)}, doc FROM items ORDER BY id"):
            yield rows.from_row(row[:-1]), row[-1]

    # Every table's rows, for `oa copy` (the item table's stored object is derived).
    TABLES = {
        "items": (*rows._INSERT_COLUMNS,),
        "events": (
            "seq",
            "item_id",
            "at",
            "recorded_at",
            "actor",
            "action",
            "data",
            "prev_hash",
            "hash",
        ),
        "units": ("code", "name", "contact"),
        "auto_actions": ("item_id", "rule", "day", "seq"),
        "evidence": ("sha256", "size", "data"),
    }

    def dump(self, table: str) -> Iterator[list[tuple[Any, ...]]]:
        columns = ", ".join(self.TABLES[table])
        cursor = self.conn.execute(f"SELECT {columns} FROM {table} ORDER BY rowid")
        while batch := cursor.fetchmany(1000):
            yield [tuple(r) for r in batch]

    def load(self, table: str, batch: list[tuple[Any, ...]]) -> None:
        columns = self.TABLES[table]
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            batch,
        )

    def is_empty(self) -> bool:
        return not any(
            self.conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in self.TABLES
        )

    def backup_to(self, dest: Path, *, force: bool = False) -> None:
        from oa_cli.ledger.connection import backup_to

        backup_to(self.conn, dest, force=force)

    # -- a unit's own writes ---------------------------------------------------------
    def unit_write(
        self,
        action: str,
        item_id: int,
        at: str,
        facts: dict[str, Any],
        files: Sequence[tuple[str, bytes]] = (),
    ) -> Item | None:
        """`ack` or `feedback` (`facts`: by; text, progress, ref) written by the ledger
        itself when the login is a unit's (PostgreSQL), which builds the event and the
        item's changes: the item as it then is. None: this login writes as the office
        does (always on SQLite, which has no logins)."""
        return None

    # -- the journal as the weekly update and the assessment read it -----------------
    def moves(
        self, since: str, until: str, actions: Iterable[str], *, titled: bool
    ) -> Iterator[list[tuple[Any, ...]]]:
        """(item_id, at, action, actor, data text, title, unit) of the events of
        `actions` with since <= at < until, by item then journal order, in batches
        (title and unit with `titled`, of the items this ledger holds; else None)."""
        from oa_cli.ledger import history

        return history.moves(self.conn, since, until, tuple(actions), titled)

    def counts_by_units(self, sels: dict[str, Selection]) -> dict[str, dict[str | None, int]]:
        """How many items each selection selects, per lead unit, in one pass."""
        from oa_cli.ledger import history

        return history.counts_by_unit(self.conn, sels)

    def titles(self, ids: Iterable[int]) -> dict[int, tuple[str, str | None]]:
        """(title, lead unit) of the items among `ids` (at most a few thousand)."""
        from oa_cli.ledger import history

        return history.titles(self.conn, ids)

    def steps_by_item(self, actions: Iterable[str]) -> Iterator[list[tuple[Any, ...]]]:
        """What `history` gives, by item then journal order, in batches."""
        from oa_cli.ledger import history

        return history.steps_by_item(self.conn, tuple(actions))

    # -- printed item tables (ledger/rows.py) -----------------------------------
    def printed_rows(
        self, sel: Selection, today: dt.date, calendar: WorkCalendar
    ) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of a printed item table (ledger.rows.PRINTED), in batches."""
        from oa_cli.ledger.rows import printed_rows

        return printed_rows(self.conn, sel, today, calendar)

    def scan_printed(
        self,
        sels: dict[str, Selection],
        today: dt.date,
        calendar: WorkCalendar,
        made: scan.Made,
        numbered: bytes,
    ) -> scan.Scanned:
        """The printed rows of several selections in one pass, each made once by `made`
        and spooled per selection, numbered (ledger.rows.scan_printed)."""
        from oa_cli.ledger.rows import scan_printed

        return scan_printed(self.conn, sels, today, calendar, made, numbered)


def _notice_row(
    year: Any, number: Any, unit: Any, at: Any, ids: Any
) -> tuple[int, int, str, str, list[int]]:
    """A row of `issued_notices` as the register holds it."""
    return int(year), int(number), str(unit), str(at), [int(i) for i in str(ids).split(",")]
