"""Item rows: read, insert, update and query. Lists are stored as JSON text."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.item import COLUMNS, KEYS, LIST_COLUMNS, OPEN
from oa_cli.errors import NotFound
from oa_cli.i18n import t
from oa_cli.ledger.schema import ITEM_INDEXES

SELECT = "SELECT " + ", ".join(COLUMNS) + " FROM items"


def from_row(row: sqlite3.Row | tuple[Any, ...]) -> dict[str, Any]:
    """A row of `SELECT` (columns in COLUMNS order) as an item dict."""
    item = dict(zip(COLUMNS, row, strict=True))
    for key in LIST_COLUMNS:
        item[key] = _from_db_list(item[key])
    return item


def _from_db_list(text: str | None) -> list[str]:
    return json.loads(text) if text and text != "[]" else []


def _to_db(key: str, value: Any) -> Any:
    if key in LIST_COLUMNS:
        return json.dumps(list(value), ensure_ascii=False) if value else "[]"
    return value


def get(conn: sqlite3.Connection, item_id: int) -> dict[str, Any]:
    row = conn.execute(SELECT + " WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise NotFound(t("item {id} not found", id=item_id))
    return from_row(row)


def insert(conn: sqlite3.Connection, item: dict[str, Any]) -> int:
    keys = [k for k in COLUMNS if k in item and (k != "id" or item[k] is not None)]
    sql = "INSERT INTO items ({}) VALUES ({})".format(", ".join(keys), ", ".join("?" * len(keys)))
    cur = conn.execute(sql, [_to_db(k, item[k]) for k in keys])
    return int(cur.lastrowid or 0)


def insert_many(conn: sqlite3.Connection, items: list[dict[str, Any]]) -> None:
    """Insert items that each carry every column, `id` included (see `next_id`)."""
    sql = "INSERT INTO items ({}) VALUES ({})".format(
        ", ".join(COLUMNS), ", ".join("?" * len(COLUMNS))
    )
    conn.executemany(sql, [[_to_db(k, item[k]) for k in COLUMNS] for item in items])


def next_id(conn: sqlite3.Connection) -> int:
    """The id AUTOINCREMENT would give the next item: never one used before."""
    row = conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'items'), 0),"
        " coalesce((SELECT max(id) FROM items), 0))"
    ).fetchone()
    return int(row[0]) + 1


def update(conn: sqlite3.Connection, item_id: int, changes: dict[str, Any]) -> None:
    keys = [k for k in changes if k in COLUMNS and k != "id"]
    if not keys:
        return
    sql = "UPDATE items SET {} WHERE id = ?".format(", ".join(f"{k} = ?" for k in keys))
    conn.execute(sql, [*(_to_db(k, changes[k]) for k in keys), item_id])


@contextlib.contextmanager
def bulk_load(conn: sqlite3.Connection, rows: int) -> Iterator[None]:
    """Inside a write transaction, around inserting `rows` items: when that at least
    doubles the ledger, drop the item indexes and build them once at the end (sorted
    builds beat a million random inserts), with a page cache large enough for the load."""
    existing = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    rebuild = rows >= 10_000 and rows >= existing
    conn.execute(f"PRAGMA cache_size = -{256 * 1024}")  # KiB: 256 MiB
    if rebuild:
        for name in ITEM_INDEXES:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
    yield
    if rebuild:
        for name, ddl in ITEM_INDEXES.items():
            conn.execute(f"CREATE INDEX {name} ON {ddl}")


@dataclass
class Query:
    """What `list` and friends ask for; turned into one parameterised SELECT."""

    statuses: tuple[str, ...] = OPEN
    unit: str | None = None
    leader: str | None = None
    priority: str | None = None
    tag: str | None = None
    overdue_before: str | None = None  # due < this date (ISO), open items only
    due_until: str | None = None  # due <= this date (ISO)
    search: str | None = None
    sort: str = "due"
    limit: int | None = None


_OPEN_SQL = "status IN ('registered', 'assigned')"  # as in the partial index items_open
_SORTS = {
    "due": "due, id",
    "id": "id",
    "received": "received_at, id",
}


def _where(query: Query) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if query.statuses == OPEN:  # a literal, so the partial index items_open applies
        where.append(_OPEN_SQL)
    elif query.statuses:
        where.append("status IN ({})".format(", ".join("?" * len(query.statuses))))
        params.extend(query.statuses)
    for column, value in (
        ("unit", query.unit),
        ("leader", query.leader),
        ("priority", query.priority),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if query.tag is not None:
        where.append("EXISTS (SELECT 1 FROM json_each(items.tags) WHERE value = ?)")
        params.append(query.tag)
    if query.overdue_before is not None:
        where.append(f"{_OPEN_SQL} AND due < ?")
        params.append(query.overdue_before)
    if query.due_until is not None:
        where.append("due <= ?")
        params.append(query.due_until)
    if query.search:
        pattern = (
            "%" + query.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        fields = ("title", "body", "doc_no", "leader", "unit")
        where.append("(" + " OR ".join(f"{f} LIKE ? ESCAPE '\\'" for f in fields) + ")")
        params.extend([pattern] * len(fields))
    return (" WHERE " + " AND ".join(where) if where else ""), params


def _hint(query: Query) -> str:
    """Open items in due order, filtered at most by date (overdue, the default list), are
    read front to back from the items_open index; SQLite would pick the status index and
    sort."""
    others = (query.unit, query.leader, query.priority, query.tag, query.search)
    if query.statuses == OPEN and query.sort == "due" and all(v is None for v in others):
        return " INDEXED BY items_open"
    return ""


def _rows(conn: sqlite3.Connection, columns: str, query: Query) -> sqlite3.Cursor:
    """`SELECT columns FROM items` filtered, sorted and limited as `query` says."""
    where, params = _where(query)
    sql = f"SELECT {columns} FROM items{_hint(query)}{where} ORDER BY {_SORTS[query.sort]}"
    if query.limit is not None:
        sql += " LIMIT ?"
        params.append(query.limit)
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: the hot path of every listing
    return cursor.execute(sql, params)


def select(conn: sqlite3.Connection, query: Query) -> Iterator[dict[str, Any]]:
    for row in _rows(conn, ", ".join(COLUMNS), query):
        yield from_row(row)


def count(conn: sqlite3.Connection, query: Query) -> int:
    where, params = _where(query)
    return int(conn.execute("SELECT count(*) FROM items" + where, params).fetchone()[0])


# -- item objects built by SQLite --------------------------------------------
# For json/jsonl each item's SPEC object is the stored column `doc` (schema m003),
# made by SQLite's json_object(): byte-identical to
# json.dumps(obj, ensure_ascii=False, separators=(",", ":")), which
# tests/test_output.py checks. It is read as UTF-8 bytes, never decoded. Only
# `overdue`/`overdue_days` depend on the day: they are stored as false/0 and patched
# for overdue rows with the working days since their due date. (Inside a JSON string
# every '"' is escaped, so the stored `"overdue":false,` can only be the key itself.)

_NOT_OVERDUE = b'"overdue":false,"overdue_days":0,'
_BATCH = 512


def stored_doc(item: dict[str, Any]) -> str:
    """The `doc` column SQLite keeps for `item` (for `verify`)."""
    obj = {key: item.get(key) for key in KEYS}
    obj["overdue"], obj["overdue_days"] = False, 0
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _overdue_days(
    conn: sqlite3.Connection, calendar: WorkCalendar, today: dt.date
) -> dict[str, int]:
    """overdue_days per due date of an open overdue item: working days d, due < d <= today."""
    oldest = conn.execute(
        f"SELECT min(due) FROM items WHERE {_OPEN_SQL} AND due < ?", (today.isoformat(),)
    ).fetchone()[0]
    found: dict[str, int] = {}
    day = dt.date.fromisoformat(oldest) if oldest is not None else today
    while day < today:
        found[day.isoformat()] = calendar.count(day, today)
        day += dt.timedelta(days=1)
    return found


def _overdue_patches(
    conn: sqlite3.Connection, calendar: WorkCalendar, today: dt.date
) -> dict[bytes, bytes]:
    """Per due date of an open overdue item, what replaces its stored not-overdue pair."""
    return {
        day.encode(): b'"overdue":true,"overdue_days":%d,' % days
        for day, days in _overdue_days(conn, calendar, today).items()
    }


def select_values(
    conn: sqlite3.Connection, query: Query, today: dt.date, calendar: WorkCalendar
) -> Iterator[list[Any]]:
    """The items of `query` as lists of values in KEYS order, as domain.item.to_json gives
    them (for tsv and csv), without building a dict per item."""
    days = _overdue_days(conn, calendar, today)
    overdue = f"{_OPEN_SQL} AND due < '{today.isoformat()}'"
    columns = ", ".join(
        overdue if key == "overdue" else "0" if key == "overdue_days" else key for key in KEYS
    )
    lists = [KEYS.index(key) for key in LIST_COLUMNS]
    flag, due = KEYS.index("overdue"), KEYS.index("due")
    for row in _rows(conn, columns, query):
        values = list(row)
        for index in lists:
            values[index] = _from_db_list(values[index])
        if values[flag]:
            values[flag], values[flag + 1] = True, days[values[due]]
        else:
            values[flag] = False
        yield values


def _doc_columns(today: str) -> str:
    """The stored object as bytes, and for an overdue row its due date (else NULL)."""
    return (
        f"CAST(doc AS BLOB), CASE WHEN {_OPEN_SQL} AND due < '{today}' THEN CAST(due AS BLOB) END"
    )


def _patched(rows: sqlite3.Cursor, patches: dict[bytes, bytes]) -> Iterator[list[bytes]]:
    """Batches of item objects from `_doc_columns` rows, `overdue` patched in."""
    while batch := rows.fetchmany(_BATCH):
        yield [
            doc if due is None else doc.replace(_NOT_OVERDUE, patches[due], 1) for doc, due in batch
        ]


def select_json(
    conn: sqlite3.Connection, query: Query, today: dt.date, calendar: WorkCalendar
) -> Iterator[list[bytes]]:
    """The SPEC item objects of `query` as UTF-8 JSON, in batches (lists of bytes)."""
    patches = _overdue_patches(conn, calendar, today)
    return _patched(_rows(conn, _doc_columns(today.isoformat()), query), patches)


def daily_sections(
    calendar: WorkCalendar, today: dt.date, due_soon_until: dt.date, first_within: int, every: int
) -> dict[str, str]:
    """The WHERE clause of each daily section: the rules of domain.rules, in SQL. The open
    sections start with the literal `_OPEN_SQL`, so the partial indexes may serve them."""
    day, until = today.isoformat(), due_soon_until.isoformat()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    # "more than N working days since x" is x < a date (timestamps compare by their date)
    first_by = calendar.earliest_within(today, first_within).isoformat()
    every_by = calendar.earliest_within(today, every).isoformat()
    return {
        "to_assign": f"{_OPEN_SQL} AND status = 'registered'",
        "due_soon": f"{_OPEN_SQL} AND status = 'assigned' AND due >= '{day}' AND due <= '{until}'",
        "overdue": f"{_OPEN_SQL} AND due < '{day}'",
        "awaiting_feedback": (
            f"{_OPEN_SQL} AND status = 'assigned' AND assigned_at IS NOT NULL AND ("
            f"(feedback_count = 0 AND assigned_at < '{first_by}') OR (feedback_count > 0"
            f" AND coalesce(last_feedback_at, assigned_at) < '{every_by}'))"
        ),
        # `+status`: the closed_at index finds today's few, not the status index all closed
        "closed_today": f"+status = 'closed' AND closed_at >= '{day}' AND closed_at < '{tomorrow}'",
    }


# Which index reads each daily section fastest (measured): the two big ones come front
# to back from items_open, whose entries hold the objects; the small ones from the
# status index. Each count comes from the slimmest index that answers it alone.
# SQLite, without statistics, would take the status index for all. None: its choice.
_SECTION_INDEX = {
    "to_assign": "items_status_due",
    "due_soon": "items_status_due",
    "overdue": "items_open",
    "awaiting_feedback": "items_open",
    "closed_today": None,
}
_COUNT_INDEX = {
    "to_assign": "items_status_due",
    "due_soon": "items_status_due",
    "overdue": "items_status_due",
    "awaiting_feedback": "items_awaiting",
    "closed_today": None,
}


def _from(index: str | None) -> str:
    return "items" if index is None else f"items INDEXED BY {index}"


def _daily_summary(
    conn: sqlite3.Connection, sections: dict[str, str], today: dt.date
) -> dict[str, int]:
    """Every count of the daily summary, each from the index that answers it alone."""
    day, tomorrow = today.isoformat(), (today + dt.timedelta(days=1)).isoformat()

    def count(where: str, index: str | None = None) -> int:
        return int(conn.execute(f"SELECT count(*) FROM {_from(index)} WHERE {where}").fetchone()[0])

    # overdue and its cards in one pass over the overdue part of the status index
    overdue, yellow, red = conn.execute(
        "SELECT count(*), coalesce(sum(card = 'yellow'), 0), coalesce(sum(card = 'red'), 0)"
        f" FROM {_from(_COUNT_INDEX['overdue'])} WHERE {sections['overdue']}"
    ).fetchone()
    summary = {
        name: overdue if name == "overdue" else count(where, _COUNT_INDEX[name])
        for name, where in sections.items()
    }
    summary["open"] = count(_OPEN_SQL, "items_status_due")
    summary["received_today"] = count(
        f"received_at >= '{day}' AND received_at < '{tomorrow}' AND {_OPEN_SQL}", "items_received"
    )
    summary["yellow"], summary["red"] = yellow, red
    return summary


def _section(
    conn: sqlite3.Connection, name: str, where: str, patches: dict[bytes, bytes]
) -> Iterator[bytes]:
    """One daily section's item objects, comma-joined, a due date at a time: SQLite joins
    the objects (in id order, as the index holds them), Python only patches `overdue`,
    which every open item due before today is (closed_today's items are not)."""
    if name == "closed_today":
        patches = {}
    cursor = conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(
        f"SELECT CAST(due AS BLOB), CAST(group_concat(doc, ',') AS BLOB)"
        f" FROM {_from(_SECTION_INDEX[name])} WHERE {where} GROUP BY due ORDER BY due"
    )
    for due, docs in rows:
        patch = patches.get(due)  # only overdue rows' due dates have one
        yield docs if patch is None else docs.replace(_NOT_OVERDUE, patch)


def daily_json(
    conn: sqlite3.Connection,
    out: BinaryIO,
    calendar: WorkCalendar,
    today: dt.date,
    due_soon_until: dt.date,
    first_within: int,
    every: int,
) -> dict[str, int]:
    """Write `oa daily --format json` to `out` as UTF-8, every section streamed from the
    stored item objects; return the summary.

    The same rules as domain.rules / domain.reports: tests compare the two byte for byte."""
    day = today.isoformat()
    sections = daily_sections(calendar, today, due_soon_until, first_within, every)
    summary = _daily_summary(conn, sections, today)
    head = json.dumps({"date": day, "summary": summary}, ensure_ascii=False, separators=(",", ":"))
    out.write(head[:-1].encode() + b',"sections":{')
    patches = _overdue_patches(conn, calendar, today)
    for index, (name, where) in enumerate(sections.items()):
        out.write(f'{"," if index else ""}"{name}":['.encode())
        for number, docs in enumerate(_section(conn, name, where, patches)):
            if number:
                out.write(b",")
            out.write(docs)
        out.write(b"]")
    out.write(b"}}\n")
    return summary


def unassigned_before(conn: sqlite3.Connection, day: dt.date) -> int:
    """Items still registered that were received before `day` (for `daily --check`)."""
    sql = (
        "SELECT count(*) FROM items WHERE status = 'registered' AND substr(received_at, 1, 10) < ?"
    )
    return int(conn.execute(sql, (day.isoformat(),)).fetchone()[0])
