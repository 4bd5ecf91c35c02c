"""`oa verify`: database integrity, the journal's hash chain, and replay against item rows."""

from __future__ import annotations

import sqlite3

from oa_cli.domain.item import COLUMNS
from oa_cli.ledger import items as store
from oa_cli.ledger.journal import check_chain, replay


def verify(conn: sqlite3.Connection) -> list[str]:
    """Every problem found, one line each; empty when the ledger is sound."""
    problems = [
        f"database: {row[0]}" for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"
    ]
    problems += check_chain(conn)
    problems += compare_replay(conn)
    return problems


def compare_replay(conn: sqlite3.Connection) -> list[str]:
    try:
        expected = replay(conn)
    except ValueError:
        return ["journal: an event's data cannot be read; replay impossible"]
    problems = []
    seen = set()
    for row in conn.execute(f"SELECT {', '.join(COLUMNS)}, doc FROM items ORDER BY id"):
        item = store.from_row(row[:-1])
        seen.add(item["id"])
        want = expected.get(item["id"])
        if want is None:
            problems.append(f"item {item['id']}: not in the journal")
            continue
        diff = [k for k in COLUMNS if item[k] != want[k]]
        if row[-1] != store.stored_doc(item):
            diff.append("JSON object")
        if diff:
            problems.append(
                f"item {item['id']}: stored {', '.join(diff)} differ from the journal's replay"
            )
    for item_id in sorted(set(expected) - seen):
        problems.append(f"item {item_id}: in the journal but missing from the ledger")
    return problems
