"""What the weekly update and the assessment read of the journal, streamed in item order
so a report over a million items holds one item's events at a time. Shared by SQLite and
PostgreSQL (plain SQL; `pg_conn` translates the few SQLite spellings)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from oa_cli.domain.selection import Selection
from oa_cli.ledger.items import _OPEN_SQL as OPEN_SQL
from oa_cli.ledger.items import _open_only as open_only
from oa_cli.ledger.items import counts_by_unit as counts_of
from oa_cli.ledger.items import open_test

_BATCH = 1024


def _cursor(conn: Any, sql: str, params: list[Any]) -> Any:
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples
    return cursor.execute(sql, params)


def _batches(cursor: Any) -> Iterator[list[tuple[Any, ...]]]:
    while batch := cursor.fetchmany(_BATCH):
        yield batch if type(batch[0]) is tuple else [tuple(row) for row in batch]


def _marks(values: tuple[Any, ...]) -> str:
    return ", ".join("?" * len(values)) or "NULL"


def moves(
    conn: Any, since: str, until: str, actions: tuple[str, ...], titled: bool
) -> Iterator[list[tuple[Any, ...]]]:
    """(item_id, at, action, actor, data text, title, unit) of the events of `actions`
    with since <= at < until, by item then journal order, in batches; with `titled`, of
    the items this ledger holds and with their title and lead unit, else those two None.
    The data is the text the journal stored and hashed: canonical JSON (sorted keys,
    compact)."""
    columns, join = (
        ("items.title, items.unit", " JOIN items ON items.id = item_id")
        if titled
        else ("NULL, NULL", "")
    )
    sql = (
        f"SELECT item_id, at, action, actor, data, {columns} FROM events{join}"
        f" WHERE at >= ? AND at < ? AND action IN ({_marks(actions)}) AND item_id IS NOT NULL"
        " ORDER BY item_id, seq"
    )
    return _batches(_cursor(conn, sql, [since, until, *actions]))


def counts_by_unit(conn: Any, sels: dict[str, Selection]) -> dict[str, dict[str | None, int]]:
    """How many items each selection selects, per lead unit: the open selections in one
    pass over the open items' index, each other through its date window's index (a unit
    none of them selects may show with 0)."""
    found: dict[str, dict[str | None, int]] = {name: {} for name in sels}
    opened = [name for name, sel in sels.items() if open_only(sel)]
    if opened:
        wheres = [open_test(sels[name]) for name in opened]
        columns = ", ".join(f"sum(CASE WHEN {sql} THEN 1 ELSE 0 END)" for sql, _ in wheres)
        params = [value for _, values in wheres for value in values]
        rows = conn.execute(
            f"SELECT unit, {columns} FROM items INDEXED BY items_open WHERE {OPEN_SQL}"
            " GROUP BY unit",
            params,
        )
        for unit, *counts in rows:
            for name, n in zip(opened, counts, strict=True):
                if n:
                    found[name][unit] = int(n)
    for name, sel in sels.items():
        if name not in opened:
            found[name] = counts_of(conn, sel)
    return found


def titles(conn: Any, ids: Iterable[int]) -> dict[int, tuple[str, str | None]]:
    """(title, lead unit) of the items among `ids` (at most a few thousand)."""
    wanted = tuple(ids)
    found = conn.execute(
        f"SELECT id, title, unit FROM items WHERE id IN ({_marks(wanted)})", wanted
    )
    return {row[0]: (row[1], row[2]) for row in found}


# What the assessment reads of an event: item, action, time and a few facts of it (the
# same columns as Ledger.HISTORY).
STEPS = (  # the facts of an event the reports read (store.Ledger.history too)
    "SELECT item_id, action, at, json_extract(data, '$.card'),"
    " json_extract(data, '$.previous_due'), json_extract(data, '$.due'),"
    " json_extract(data, '$.answered') FROM events"
)


def steps_by_item(conn: Any, actions: tuple[str, ...]) -> Iterator[list[tuple[Any, ...]]]:
    """(item_id, action, at, card, previous_due, due, answered) of the events of
    `actions`, by item then journal order, in batches."""
    sql = (
        f"{STEPS} WHERE action IN ({_marks(actions)}) AND item_id IS NOT NULL ORDER BY item_id, seq"
    )
    return _batches(_cursor(conn, sql, list(actions)))
