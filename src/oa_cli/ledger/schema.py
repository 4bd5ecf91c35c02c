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
