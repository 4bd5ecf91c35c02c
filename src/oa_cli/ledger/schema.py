"""Schema migrations (sqlite-utils `Migrations`), one transaction each.

`PRAGMA user_version` mirrors the number of applied migrations, so a command
on a current ledger checks one integer and never imports sqlite-utils.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

MIGRATIONS: list[tuple[str, Callable[[Any], None]]] = []


def migration(fn: Callable[[Any], None]) -> Callable[[Any], None]:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: Any) -> None:
    db.execute(
        """
        CREATE TABLE items (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            body TEXT,
            source TEXT NOT NULL,
            leader TEXT,
            doc_no TEXT,
            priority TEXT NOT NULL,
            status TEXT NOT NULL,
            unit TEXT,
            co_units TEXT NOT NULL DEFAULT '[]',
            owner TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            received_at TEXT NOT NULL,
            assigned_at TEXT,
            due TEXT NOT NULL,
            original_due TEXT NOT NULL,
            closed_at TEXT,
            close_basis TEXT,
            close_ref TEXT,
            card TEXT,
            feedback_count INTEGER NOT NULL DEFAULT 0,
            last_feedback_at TEXT,
            remind_count INTEGER NOT NULL DEFAULT 0,
            created_by TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX items_status_due ON items(status, due, id)")
    db.execute("CREATE INDEX items_unit ON items(unit, status)")
    db.execute(
        """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            item_id INTEGER,
            at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            data TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX events_item ON events(item_id, seq)")
    db.execute(
        "CREATE TABLE units (code TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, contact TEXT)"
    )
    # What `escalate --auto` already did: one row per item, rule and day, so a second
    # run (or a concurrent one) on the same day does nothing twice.
    db.execute(
        "CREATE TABLE auto_actions (item_id INTEGER NOT NULL, rule TEXT NOT NULL,"
        " day TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (item_id, rule, day))"
    )


@migration
def m002_report_indexes(db: Any) -> None:
    """Indexes for the daily `closed_today` section and the journal scans of `stats`."""
    db.execute("CREATE INDEX items_closed_at ON items(closed_at)")
    db.execute("CREATE INDEX events_action ON events(action, item_id)")


# The item object of SPEC as SQLite's json_object() writes it: byte-identical to
# json.dumps(obj, ensure_ascii=False, separators=(",", ":")). `overdue` depends on the
# day it is read, so it is stored as false/0 and spliced in by ledger.items.
_M003_COLUMNS = (
    ("id", "INTEGER PRIMARY KEY AUTOINCREMENT", "id"),
    ("title", "TEXT NOT NULL", "title"),
    ("body", "TEXT", "body"),
    ("source", "TEXT NOT NULL", "source"),
    ("leader", "TEXT", "leader"),
    ("doc_no", "TEXT", "doc_no"),
    ("priority", "TEXT NOT NULL", "priority"),
    ("status", "TEXT NOT NULL", "status"),
    ("unit", "TEXT", "unit"),
    ("co_units", "TEXT NOT NULL DEFAULT '[]'", "json(co_units)"),
    ("owner", "TEXT", "owner"),
    ("tags", "TEXT NOT NULL DEFAULT '[]'", "json(tags)"),
    ("received_at", "TEXT NOT NULL", "received_at"),
    ("assigned_at", "TEXT", "assigned_at"),
    ("due", "TEXT NOT NULL", "due"),
    ("original_due", "TEXT NOT NULL", "original_due"),
    ("closed_at", "TEXT", "closed_at"),
    ("close_basis", "TEXT", "close_basis"),
    ("close_ref", "TEXT", "close_ref"),
    ("card", "TEXT", "card"),
    ("overdue", None, "json('false')"),
    ("overdue_days", None, "0"),
    ("feedback_count", "INTEGER NOT NULL DEFAULT 0", "feedback_count"),
    ("last_feedback_at", "TEXT", "last_feedback_at"),
    ("remind_count", "INTEGER NOT NULL DEFAULT 0", "remind_count"),
    ("created_by", "TEXT NOT NULL", "created_by"),
)


# The item indexes of schema 3, as m003 made them (frozen: schema 4 has its own).
_M003_INDEXES = {
    "items_status_due": "items(status, due, id, card)",
    "items_unit": "items(unit, status)",
    "items_closed_at": "items(closed_at)",
    "items_received": "items(received_at)",
    "items_open": "items(due, id, status, card, feedback_count, assigned_at, last_feedback_at,"
    " received_at, doc) WHERE status IN ('registered', 'assigned')",
    "items_awaiting": "items(feedback_count, assigned_at, last_feedback_at)"
    " WHERE status = 'assigned'",
}


@migration
def m003_item_documents(db: Any) -> None:
    """Keep each item's JSON object in a stored generated column `doc`, so listings and
    reports stream it instead of building 26 keys per row. SQLite cannot add a stored
    column in place, so the table is rebuilt with the same rows and id sequence."""
    columns = [(name, ddl) for name, ddl, _ in _M003_COLUMNS if ddl is not None]
    doc = ", ".join(f"'{name}', {expr}" for name, _, expr in _M003_COLUMNS)
    names = ", ".join(name for name, _ in columns)
    db.execute(
        "CREATE TABLE items_new ("
        + ", ".join(f"{name} {ddl}" for name, ddl in columns)
        + f", doc TEXT GENERATED ALWAYS AS (json_object({doc})) STORED)"
    )
    db.execute(f"INSERT INTO items_new ({names}) SELECT {names} FROM items ORDER BY id")
    last = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'items'").fetchone()
    db.execute("DROP TABLE items")
    db.execute("ALTER TABLE items_new RENAME TO items")
    db.execute("DELETE FROM sqlite_sequence WHERE name = 'items'")
    if last is not None:
        db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('items', ?)", last)
    for name, ddl in _M003_INDEXES.items():
        db.execute(f"CREATE INDEX {name} ON {ddl}")


# Schema 4: the office workflow (签收, 报送时限, 备注, 周期), evidence files, and a
# normalised title for the duplicate check. Frozen: later schemas add their own.
_M004_COLUMNS = (
    ("id", "INTEGER PRIMARY KEY AUTOINCREMENT", "id"),
    ("title", "TEXT NOT NULL", "title"),
    ("body", "TEXT", "body"),
    ("source", "TEXT NOT NULL", "source"),
    ("leader", "TEXT", "leader"),
    ("doc_no", "TEXT", "doc_no"),
    ("priority", "TEXT NOT NULL", "priority"),
    ("status", "TEXT NOT NULL", "status"),
    ("unit", "TEXT", "unit"),
    ("co_units", "TEXT NOT NULL DEFAULT '[]'", "json(co_units)"),
    ("owner", "TEXT", "owner"),
    ("tags", "TEXT NOT NULL DEFAULT '[]'", "json(tags)"),
    ("received_at", "TEXT NOT NULL", "received_at"),
    ("assigned_at", "TEXT", "assigned_at"),
    ("due", "TEXT NOT NULL", "due"),
    ("original_due", "TEXT NOT NULL", "original_due"),
    ("closed_at", "TEXT", "closed_at"),
    ("close_basis", "TEXT", "close_basis"),
    ("close_ref", "TEXT", "close_ref"),
    ("card", "TEXT", "card"),
    ("overdue", None, "json('false')"),
    ("overdue_days", None, "0"),
    ("feedback_count", "INTEGER NOT NULL DEFAULT 0", "feedback_count"),
    ("last_feedback_at", "TEXT", "last_feedback_at"),
    ("remind_count", "INTEGER NOT NULL DEFAULT 0", "remind_count"),
    ("created_by", "TEXT NOT NULL", "created_by"),
    ("remark", "TEXT", "remark"),
    ("acked_at", "TEXT", "acked_at"),
    ("report_due", "TEXT", "report_due"),
    ("report_overdue_days", None, "0"),
    ("repeat", "TEXT", "repeat"),
    ("previous_id", "INTEGER", "previous_id"),
)
_M004_INDEXES = {
    "items_status_due": "items(status, due, id, card)",
    "items_unit": "items(unit, status)",
    "items_closed_at": "items(closed_at)",
    "items_received": "items(received_at)",
    "items_open": "items(due, id, status, card, assigned_at, acked_at, report_due,"
    " received_at, doc) WHERE status IN ('registered', 'assigned')",
    "items_open_counts": "items(status, due, card, assigned_at, acked_at, report_due,"
    " received_at) WHERE status IN ('registered', 'assigned')",
    "items_title_key": "items(title_key)",
    "items_previous": "items(previous_id) WHERE previous_id IS NOT NULL",
}


def _m004_title_key(title: str | None) -> str:
    import unicodedata

    return "".join(
        ch
        for ch in unicodedata.normalize("NFKC", title or "").casefold()
        if unicodedata.category(ch)[0] not in "PZSC"
    )


@migration
def m004_workflow(db: Any) -> None:
    """New item columns (remark, acked_at, report_due, repeat, previous_id, and the
    internal title_key), the item object rebuilt with them in SPEC order; evidence
    files; automatic reminders of older versions no longer counted as 催办."""
    conn = db.conn
    conn.create_function("m004_title_key", 1, _m004_title_key, deterministic=True)
    columns = [(name, ddl) for name, ddl, _ in _M004_COLUMNS if ddl is not None]
    doc = ", ".join(f"'{name}', {expr}" for name, _, expr in _M004_COLUMNS)
    old = [
        name
        for name, _ in columns
        if name not in ("remark", "acked_at", "report_due", "repeat", "previous_id")
    ]
    db.execute(
        "CREATE TABLE items_new ("
        + ", ".join(f"{name} {ddl}" for name, ddl in columns)
        + f", title_key TEXT NOT NULL DEFAULT '', doc TEXT GENERATED ALWAYS AS"
        f" (json_object({doc})) STORED)"
    )
    names = ", ".join(old)
    db.execute(
        f"INSERT INTO items_new ({names}, title_key) SELECT {names}, m004_title_key(title)"
        " FROM items ORDER BY id"
    )
    # 催办 counts only reminders made by hand: the creating event's count plus each
    # remind event without a rule (older `escalate --auto` wrote ones with a rule).
    db.execute(
        "UPDATE items_new SET remind_count ="
        " coalesce((SELECT json_extract(data, '$.remind_count') FROM events"
        "  WHERE item_id = items_new.id AND action IN ('add', 'import') ORDER BY seq LIMIT 1), 0)"
        " + (SELECT count(*) FROM events WHERE item_id = items_new.id AND action = 'remind'"
        "  AND json_extract(data, '$.rule') IS NULL)"
    )
    last = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'items'").fetchone()
    db.execute("DROP TABLE items")
    db.execute("ALTER TABLE items_new RENAME TO items")
    db.execute("DELETE FROM sqlite_sequence WHERE name = 'items'")
    if last is not None:
        db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('items', ?)", last)
    for name, ddl in _M004_INDEXES.items():
        db.execute(f"CREATE INDEX {name} ON {ddl}")
    db.execute(
        "CREATE TABLE evidence (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL)"
    )
    db.execute("CREATE INDEX events_at ON events(at)")


@migration
def m005_unit_functions(db: Any) -> None:
    """Nothing on SQLite: a file has no logins (PostgreSQL's step of that name gives a
    unit's login its two write functions)."""


@migration
def m006_alerts_by_day(db: Any) -> None:
    """What `escalate --auto` did on a day, found without reading every day's rows."""
    db.execute("CREATE INDEX auto_actions_day ON auto_actions(day, rule, item_id)")


# items_open of schema 7: also what a printed row shows and the lead unit a weekly counts
# by, so reading the open items in due order never looks up the table (frozen).
_M007_ITEMS_OPEN = (
    "items(due, id, status, card, assigned_at, acked_at, report_due, received_at, doc,"
    " title, unit, leader, owner, feedback_count, last_feedback_at)"
    " WHERE status IN ('registered', 'assigned')"
)


@migration
def m007_open_rows(db: Any) -> None:
    """Printed reports and the weekly's counts per unit read the open items from one index."""
    db.execute("DROP INDEX items_open")
    db.execute(f"CREATE INDEX items_open ON {_M007_ITEMS_OPEN}")


@migration
def m008_unit_times_in_order(db: Any) -> None:
    """Nothing on SQLite: a file has no unit logins. PostgreSQL's step of that name dates
    a unit's ack and report no earlier than its item's latest event, and lets only the
    lead unit sign for an assignment."""


# The item indexes as the current schema has them: import drops and remakes them
# around a bulk load. Open items are read in due order from items_open, which holds
# what the daily rules read, the stored object and a printed row; it is partial, so
# its size follows the open items, not the ledger.
ITEM_INDEXES = {**_M004_INDEXES, "items_open": _M007_ITEMS_OPEN}
# The journal's indexes as m001, m002 and m005 made them: a bulk load remakes them too
# (appending a million events to three indexes costs more than sorting them once).
EVENT_INDEXES = {
    "events_item": "events(item_id, seq)",
    "events_action": "events(action, item_id)",
    "events_at": "events(at)",
}


SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> None:
    """Apply pending migrations, each in its own transaction, then record the version."""
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    migrations = sqlite_utils.Migrations("oa")
    for name, fn in MIGRATIONS:
        migrations(name=name)(fn)
    migrations.apply(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
