"""Item rows: read, insert, update and query. Lists are stored as JSON text."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.item import COLUMNS, KEYS, LIST_COLUMNS, OPEN
from oa_cli.errors import NotFound
from oa_cli.i18n import t

SELECT = "SELECT " + ", ".join(COLUMNS) + " FROM items"


def from_row(row: sqlite3.Row | tuple[Any, ...]) -> dict[str, Any]:
    """A row of `SELECT` (columns in COLUMNS order) as an item dict."""
    item = dict(zip(COLUMNS, row, strict=True))
    for key in LIST_COLUMNS:
        value = item[key]
        item[key] = json.loads(value) if value and value != "[]" else []
    return item


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


def update(conn: sqlite3.Connection, item_id: int, changes: dict[str, Any]) -> None:
    keys = [k for k in changes if k in COLUMNS and k != "id"]
    if not keys:
        return
    sql = "UPDATE items SET {} WHERE id = ?".format(", ".join(f"{k} = ?" for k in keys))
    conn.execute(sql, [*(_to_db(k, changes[k]) for k in keys), item_id])


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


_SORTS = {
    "due": "due, id",
    "id": "id",
    "received": "received_at, id",
}


def _where(query: Query) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if query.statuses:
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
        where.append("status IN ('registered', 'assigned') AND due < ?")
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


def _rows(conn: sqlite3.Connection, columns: str, query: Query) -> Iterator[tuple[Any, ...]]:
    """`SELECT columns FROM items` filtered, sorted and limited as `query` says."""
    where, params = _where(query)
    sql = f"SELECT {columns} FROM items{where} ORDER BY {_SORTS[query.sort]}"
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
# For json/jsonl the whole SPEC object is made by SQLite's json_object(), in C:
# byte-identical to json.dumps(obj, ensure_ascii=False, separators=(",", ":")),
# which tests/test_output.py checks. `overdue_days` comes from a cumulative
# working-day table, so no Python runs per item.

_OPEN_SQL = "status IN ('registered', 'assigned')"


def _json_expr(today: str, cum_today: int) -> str:
    overdue = f"({_OPEN_SQL} AND due < '{today}')"
    parts = []
    for key in KEYS:
        if key in LIST_COLUMNS:
            expr = f"json({key})"
        elif key == "overdue":
            expr = f"json(CASE WHEN {overdue} THEN 'true' ELSE 'false' END)"
        elif key == "overdue_days":
            expr = (
                f"CASE WHEN {overdue} THEN {cum_today} - "
                "(SELECT cum FROM temp.oa_workdays w WHERE w.day = items.due) ELSE 0 END"
            )
        else:
            expr = key
        parts.append(f"'{key}', {expr}")
    return "json_object(" + ", ".join(parts) + ")"


def _workday_table(
    conn: sqlite3.Connection, calendar: WorkCalendar, today: dt.date, feedback: bool = False
) -> int:
    """Fill temp.oa_workdays from the oldest date a rule counts from to today; return
    cum(today). cum(d) is the number of working days in (oldest, d]."""
    dates = [f"SELECT min(due) FROM items WHERE {_OPEN_SQL} AND due < :today"]
    if feedback:
        dates += [
            "SELECT min(substr(assigned_at, 1, 10)) FROM items WHERE status = 'assigned'",
            "SELECT min(substr(last_feedback_at, 1, 10)) FROM items WHERE status = 'assigned'",
        ]
    found = [conn.execute(sql, {"today": today.isoformat()}).fetchone()[0] for sql in dates]
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS oa_workdays (day TEXT PRIMARY KEY, cum INTEGER NOT NULL)"
        " WITHOUT ROWID"
    )
    conn.execute("DELETE FROM temp.oa_workdays")
    oldest = min((d for d in found if d is not None and d <= today.isoformat()), default=None)
    if oldest is None:
        return 0
    day, cum, rows = dt.date.fromisoformat(oldest), 0, []
    while day <= today:
        rows.append((day.isoformat(), cum))
        day += dt.timedelta(days=1)
        cum += calendar.is_workday(day)
    conn.executemany("INSERT INTO temp.oa_workdays VALUES (?, ?)", rows)
    return rows[-1][1]


def _cum(expr: str) -> str:
    return f"(SELECT cum FROM temp.oa_workdays w WHERE w.day = {expr})"


def select_json(
    conn: sqlite3.Connection, query: Query, today: dt.date, calendar: WorkCalendar
) -> Iterator[str]:
    """The SPEC item objects of `query` as JSON text, one string per item."""
    cum_today = _workday_table(conn, calendar, today)
    for (text,) in _rows(conn, _json_expr(today.isoformat(), cum_today), query):
        yield text


def daily_json(
    conn: sqlite3.Connection,
    out: TextIO,
    calendar: WorkCalendar,
    today: dt.date,
    due_soon_until: dt.date,
    first_within: int,
    every: int,
) -> dict[str, int]:
    """Write `oa daily --format json` to `out`, every section selected and encoded by
    SQLite and streamed (flat memory); return the summary.

    The same rules as domain.rules / domain.reports: tests compare the two byte for byte."""
    cum_today = _workday_table(conn, calendar, today, feedback=True)
    day, until = today.isoformat(), due_soon_until.isoformat()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assigned = _cum("substr(assigned_at, 1, 10)")
    last = _cum("substr(coalesce(last_feedback_at, assigned_at), 1, 10)")
    awaiting = (
        "status = 'assigned' AND assigned_at IS NOT NULL AND ("
        f"(feedback_count = 0 AND {cum_today} - {assigned} > {first_within})"
        f" OR (feedback_count > 0 AND {cum_today} - {last} > {every}))"
    )
    sections = {
        "to_assign": "status = 'registered'",
        "due_soon": f"status = 'assigned' AND due >= '{day}' AND due <= '{until}'",
        "overdue": f"{_OPEN_SQL} AND due < '{day}'",
        "awaiting_feedback": awaiting,
        "closed_today": f"status = 'closed' AND closed_at >= '{day}' AND closed_at < '{tomorrow}'",
    }
    summary: dict[str, int] = {
        name: conn.execute(f"SELECT count(*) FROM items WHERE {where}").fetchone()[0]
        for name, where in sections.items()
    }
    counts = conn.execute(
        f"SELECT count(*), coalesce(sum(substr(received_at, 1, 10) = ?), 0) FROM items"
        f" WHERE {_OPEN_SQL}",
        (day,),
    ).fetchone()
    summary["open"], summary["received_today"] = counts[0], counts[1]
    cards = dict(
        conn.execute(
            f"SELECT card, count(*) FROM items WHERE {sections['overdue']} AND card IS NOT NULL"
            " GROUP BY card"
        ).fetchall()
    )
    summary["yellow"], summary["red"] = cards.get("yellow", 0), cards.get("red", 0)
    head = json.dumps({"date": day, "summary": summary}, ensure_ascii=False, separators=(",", ":"))
    out.write(head[:-1] + ',"sections":{')
    obj = _json_expr(day, cum_today)
    cursor = conn.cursor()
    cursor.row_factory = None
    for index, (name, where) in enumerate(sections.items()):
        out.write(("," if index else "") + f'"{name}":[')
        rows = cursor.execute(f"SELECT {obj} FROM items WHERE {where} ORDER BY due, id")
        first = True
        while batch := rows.fetchmany(512):
            out.write(("" if first else ",") + ",".join(r[0] for r in batch))
            first = False
        out.write("]")
    out.write("}}\n")
    return summary


def unassigned_before(conn: sqlite3.Connection, day: dt.date) -> int:
    """Items still registered that were received before `day` (for `daily --check`)."""
    sql = (
        "SELECT count(*) FROM items WHERE status = 'registered' AND substr(received_at, 1, 10) < ?"
    )
    return int(conn.execute(sql, (day.isoformat(),)).fetchone()[0])
