"""Item rows: read, insert, update, and the one query builder every listing, report
section and rule selection goes through. Lists are stored as JSON text."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import operator
import sqlite3
from collections.abc import Iterator
from typing import Any

from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.fields import as_item
from oa_cli.domain.item import COLUMNS, KEYS, LIST_COLUMNS, OPEN, STATUSES, Item
from oa_cli.domain.selection import Selection
from oa_cli.errors import InvalidInput, NotFound
from oa_cli.i18n import t
from oa_cli.ledger.schema import EVENT_INDEXES, ITEM_INDEXES

SELECT = "SELECT " + ", ".join(COLUMNS) + " FROM items"


def from_row(row: sqlite3.Row | tuple[Any, ...]) -> Item:
    """A row of `SELECT` (columns in COLUMNS order) as an item dict."""
    item = dict(zip(COLUMNS, row, strict=True))
    for key in LIST_COLUMNS:
        item[key] = _from_db_list(item[key])
    return as_item(item)


def _from_db_list(text: str | None) -> list[str]:
    return json.loads(text) if text and text != "[]" else []


def _to_db(key: str, value: Any) -> Any:
    if key in LIST_COLUMNS:
        return json.dumps(list(value), ensure_ascii=False) if value else "[]"
    return value


def get(conn: sqlite3.Connection, item_id: int) -> Item:
    row = conn.execute(SELECT + " WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise NotFound(t("item {id} not found", id=item_id))
    return from_row(row)


def exists(conn: sqlite3.Connection, item_id: int) -> bool:
    return conn.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone() is not None


_INSERT_COLUMNS = (*COLUMNS, "title_key")


def insert_many(conn: sqlite3.Connection, items: list[Item]) -> None:
    """Insert items that each carry every column and `title_key` (and `id`, see next_id)."""
    sql = "INSERT INTO items ({}) VALUES ({})".format(
        ", ".join(_INSERT_COLUMNS), ", ".join("?" * len(_INSERT_COLUMNS))
    )
    conn.executemany(sql, map(_insert_row, items))


_LISTS_AT = tuple(_INSERT_COLUMNS.index(key) for key in LIST_COLUMNS)
_INSERT_VALUES = operator.itemgetter(*_INSERT_COLUMNS)


def _insert_row(item: Item) -> list[Any]:
    """An item's values in _INSERT_COLUMNS order, as the database keeps them (only the
    lists need changing: the import's hot path)."""
    row = list(_INSERT_VALUES(item))
    for index in _LISTS_AT:
        found = row[index]
        row[index] = json.dumps(list(found), ensure_ascii=False) if found else "[]"
    return row


def next_id(conn: sqlite3.Connection) -> int:
    """The id AUTOINCREMENT would give the next item: never one used before."""
    row = conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'items'), 0),"
        " coalesce((SELECT max(id) FROM items), 0))"
    ).fetchone()
    return _usable(int(row[0]) + 1)


MAX_ID = 2**53 - 1  # ids stay exact in every JSON reader


def _usable(item_id: int) -> int:
    if item_id > MAX_ID:
        raise InvalidInput(t("the ledger has used every id up to {max}", max=MAX_ID))
    return item_id


def update(conn: sqlite3.Connection, item_id: int, changes: dict[str, Any]) -> None:
    keys = [k for k in changes if k in _INSERT_COLUMNS and k != "id"]
    if not keys:
        return
    sql = "UPDATE items SET {} WHERE id = ?".format(", ".join(f"{k} = ?" for k in keys))
    conn.execute(sql, [*(_to_db(k, changes[k]) for k in keys), item_id])


def same_title(conn: sqlite3.Connection, key: str, since: str) -> list[int]:
    """Open items, or items received since `since`, whose normalised title is `key`."""
    rows = conn.execute(
        f"SELECT id FROM items WHERE title_key = ? AND ({_OPEN_SQL} OR received_at >= ?)"
        " ORDER BY id",
        (key, since),
    )
    return [row[0] for row in rows]


@contextlib.contextmanager
def bulk_load(conn: sqlite3.Connection, rows: int) -> Iterator[None]:
    """Inside a write transaction, around inserting `rows` items: when that at least
    doubles the ledger, drop the item and journal indexes and build them once at the end
    (sorted builds beat a million random inserts), with a page cache large enough for
    the load."""
    existing = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    rebuild = rows >= 10_000 and rows >= existing
    conn.execute(f"PRAGMA cache_size = -{64 * 1024}")  # KiB: 64 MiB, so a load stays flat
    indexes = {**ITEM_INDEXES, **EVENT_INDEXES}
    if rebuild:
        for name in indexes:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
    yield
    if rebuild:
        for name, ddl in indexes.items():
            conn.execute(f"CREATE INDEX {name} ON {ddl}")


# -- the one query builder ----------------------------------------------------

_OPEN_SQL = "status IN ('registered', 'assigned')"  # as in the partial index items_open
_SORTS = {"due": "due, id", "id": "id", "received": "received_at, id"}
# Simple comparisons: Selection field → SQL with one parameter.
_BOUNDS = {
    "unit": "unit = ?",
    "leader": "leader = ?",
    "priority": "priority = ?",
    "card_not": "coalesce(card, '') != ?",
    "due_before": "due < ?",
    "due_from": "due >= ?",
    "due_until": "due <= ?",
    "report_due_before": "report_due < ?",
    "unacked_assigned_before": "acked_at IS NULL AND assigned_at < ?",
    "assigned_before": "assigned_at < ?",
    "no_report_since": "coalesce(last_feedback_at, '') < ?",
    "received_before": "received_at < ?",
    "received_from": "received_at >= ?",
    "closed_from": "closed_at >= ?",
    "closed_before": "closed_at < ?",
}


def _where(sel: Selection) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if sel.statuses and set(sel.statuses) <= set(OPEN):
        # the literal of the partial open indexes, so they may serve any open selection
        where.append(_OPEN_SQL)
        if len(set(sel.statuses)) == 1:
            where.append(f"status = '{sel.statuses[0]}'")
    elif sel.statuses:  # literals (known words only)
        if not set(sel.statuses) <= set(STATUSES):
            raise ValueError(sel.statuses)
        where.append("status IN ({})".format(", ".join(f"'{s}'" for s in sel.statuses)))
    for name, sql in _BOUNDS.items():
        value = getattr(sel, name)
        if value is not None:
            where.append(sql)
            params.append(value)
    if sel.ids is not None:
        where.append("id IN ({})".format(", ".join("?" * len(sel.ids)) or "NULL"))
        params.extend(sel.ids)
    if sel.carded:
        where.append("card IS NOT NULL")
    if sel.card is not None:
        where.append("card IS NULL" if sel.card == "none" else "card = ?")
        params.extend([] if sel.card == "none" else [sel.card])
    if sel.unit_or_co is not None:
        where.append(
            "(unit = ? OR EXISTS (SELECT 1 FROM json_each(items.co_units) WHERE value = ?))"
        )
        params.extend([sel.unit_or_co, sel.unit_or_co])
    if sel.tag is not None:
        where.append("EXISTS (SELECT 1 FROM json_each(items.tags) WHERE value = ?)")
        params.append(sel.tag)
    if sel.search:
        pattern = "%" + sel.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        fields = ("title", "body", "doc_no", "leader", "unit")
        where.append("(" + " OR ".join(f"{f} LIKE ? ESCAPE '\\'" for f in fields) + ")")
        params.extend([pattern + "%"] * len(fields))
    return (" WHERE " + " AND ".join(where) if where else ""), params


def _open_only(sel: Selection) -> bool:
    """Open items filtered at most by dates, cards and status: what the partial open
    indexes hold (SQLite, without statistics, would pick another index and sort)."""
    others = (sel.unit, sel.unit_or_co, sel.leader, sel.priority, sel.tag, sel.search, sel.ids)
    return (
        bool(sel.statuses)
        and set(sel.statuses) <= set(OPEN)
        and all(v is None for v in others)
        and sel.closed_from is None
        and sel.closed_before is None
    )


def open_test(sel: Selection) -> tuple[str, list[Any]]:
    """`sel`'s condition (an open-only selection) on a row read from the open items, as
    an SQL expression and its parameters: its own test that the row is open is left out,
    every such row passing it. What a pass over items_open counts or sorts rows by."""
    where, params = _where(sel.but(limit=None))
    return where.removeprefix(" WHERE ").removeprefix(f"{_OPEN_SQL} AND "), params


def _hint(sel: Selection) -> str:
    """Listings in due order read items_open front to back: its entries hold what the
    rules read and the stored object, so the rows are never touched."""
    if sel.sort == "due" and _open_only(sel):
        return " INDEXED BY items_open"
    return _window(sel)


def _slim(sel: Selection) -> str:
    """The index a count or a list of ids reads: the slim items_open_counts for open
    selections, else a date window's index."""
    return " INDEXED BY items_open_counts" if _open_only(sel) else _window(sel)


def _window(sel: Selection) -> str:
    """Items received, or closed, within a window (a week's report, stats --from --to)
    are found through that date's index: SQLite, without statistics, would rather read
    every row of the statuses in due order than sort a few."""
    if _open_only(sel) or sel.ids is not None:
        return ""
    if sel.received_from is not None and sel.received_before is not None:
        return " INDEXED BY items_received"
    if sel.closed_from is not None and sel.closed_before is not None:
        return " INDEXED BY items_closed_at"
    return ""


def rows(conn: sqlite3.Connection, columns: str, sel: Selection) -> sqlite3.Cursor:
    """`SELECT columns FROM items`, filtered, sorted and limited as `sel` says."""
    where, params = _where(sel)
    sql = f"SELECT {columns} FROM items{_hint(sel)}{where} ORDER BY {_SORTS[sel.sort]}"
    if sel.limit is not None:
        sql += " LIMIT ?"
        params.append(sel.limit)
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: the hot path of every listing
    return cursor.execute(sql, params)


def ids(conn: sqlite3.Connection, sel: Selection, column: str | None = None) -> Iterator[Any]:
    """The ids of `sel` in id order (or (id, column) pairs), read from the slim
    items_open_counts when it holds the selection: what a rule acts on, not the items."""
    if column is not None and column not in COLUMNS:
        raise ValueError(column)
    where, params = _where(sel.but(limit=None))
    hint = _slim(sel)
    cursor = conn.cursor()
    cursor.row_factory = None
    found = cursor.execute(
        f"SELECT id{', ' + column if column else ''} FROM items{hint}{where} ORDER BY id", params
    )
    return (row if column else row[0] for row in found)


def select(conn: sqlite3.Connection, sel: Selection) -> Iterator[Item]:
    for row in rows(conn, ", ".join(COLUMNS), sel):
        yield from_row(row)


def count(conn: sqlite3.Connection, sel: Selection) -> int:
    """How many items `sel` selects; open selections from the slim items_open_counts."""
    where, params = _where(sel.but(limit=None))
    hint = _slim(sel)
    return int(conn.execute(f"SELECT count(*) FROM items{hint}{where}", params).fetchone()[0])


# -- item objects built by SQLite --------------------------------------------
# For json/jsonl each item's SPEC object is the stored column `doc` (schema m004),
# made by SQLite's json_object(): byte-identical to
# json.dumps(obj, ensure_ascii=False, separators=(",", ":")). It is read as UTF-8
# bytes, never decoded. The keys that depend on the report date are stored as
# false/0 and patched: `overdue`/`overdue_days` per due date, `report_overdue_days`
# per report_due, by `ledger.scan`. (Inside a JSON string every '"' is escaped, so the
# stored `"overdue":false,` can only be the key itself.)


def stored_doc(item: Item) -> str:
    """The `doc` column SQLite keeps for `item` (for `verify`)."""
    obj = {key: item.get(key) for key in KEYS}
    obj["overdue"], obj["overdue_days"], obj["report_overdue_days"] = False, 0, 0
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def select_values(
    conn: sqlite3.Connection, sel: Selection, today: dt.date, calendar: WorkCalendar
) -> Iterator[list[Any]]:
    """The items of `sel` as lists of values in KEYS order, as domain.item.to_json gives
    them (for tsv and csv), without building a dict per item."""
    day = today.isoformat()
    computed = {
        "overdue": f"{_OPEN_SQL} AND due < '{day}'",
        "overdue_days": "0",
        "report_overdue_days": f"status = 'assigned' AND report_due < '{day}'",
    }
    columns = ", ".join(computed.get(key, key) for key in KEYS)
    lists = [KEYS.index(key) for key in LIST_COLUMNS]
    flag, due = KEYS.index("overdue"), KEYS.index("due")
    late, report_due = KEYS.index("report_overdue_days"), KEYS.index("report_due")
    count_since = calendar.count_since
    for row in rows(conn, columns, sel):
        values = list(row)
        for index in lists:
            values[index] = _from_db_list(values[index])
        if values[flag]:
            values[flag], values[flag + 1] = True, count_since(values[due], today)
        else:
            values[flag] = False
        values[late] = count_since(values[report_due], today) if values[late] else 0
        yield values


def counts_by_unit(conn: sqlite3.Connection, sel: Selection) -> dict[str | None, int]:
    """How many items `sel` selects, per lead unit (a date window through its index)."""
    where, params = _where(sel.but(limit=None))
    found = conn.execute(
        f"SELECT unit, count(*) FROM items{_window(sel)}{where} GROUP BY unit", params
    )
    return {unit: int(n) for unit, n in found}


def successor(conn: sqlite3.Connection, item_id: int) -> int | None:
    """The item registered as the next of `item_id`'s series, if any."""
    row = conn.execute(
        "SELECT id FROM items WHERE previous_id = ? ORDER BY id LIMIT 1", (item_id,)
    ).fetchone()
    return None if row is None else int(row[0])
