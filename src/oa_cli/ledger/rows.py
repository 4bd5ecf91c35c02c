"""The rows of a printed item table (the daily for mail and print): the few values a
printed row shows, read in batches straight from the query, with what depends on the
report date computed as `domain.item.to_json` does (overdue, overdue days, a report owed
late), and no dict per item."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.item import OPEN
from oa_cli.domain.selection import Selection
from oa_cli.ledger.items import _OPEN_SQL, rows
from oa_cli.ledger.scan import Scanned, scan

# A printed row, in this order (`render.report.line_of` gives the same from an item
# dict): id, title, unit, leader, owner, card, due, overdue (bool), overdue_days,
# report_due, report_late (bool: report_overdue_days > 0), feedback_count, unacked (bool:
# the assignment not yet 签收), then (closed_at, close_basis, close_ref) of a closed item
# (None for an open one: an overdue item is open); then the latest report text, left ""
# here for the caller to fill (it is in the journal).
PRINTED = (
    "id",
    "title",
    "unit",
    "leader",
    "owner",
    "card",
    "due",
    "overdue",
    "overdue_days",
    "report_due",
    "report_late",
    "feedback_count",
    "unacked",
    "closed_at",
    "close_basis",
    "close_ref",
)
FEEDBACKS = PRINTED.index("feedback_count")  # no report counted when 0
_BATCH = 512


# An assigned item whose assignment is not yet acknowledged (签收).
UNACKED = "status = 'assigned' AND acked_at IS NULL"


_CLOSING = ("closed_at", "close_basis", "close_ref")


def _columns(day: str, closing: bool) -> str:
    """The PRINTED columns as SQL; without `closing` (only open items: the closing
    columns are NULL), every one is in the open items' index, which then covers the
    query."""
    computed = {
        "overdue": f"{_OPEN_SQL} AND due < '{day}'",
        "overdue_days": "0",
        "report_late": f"status = 'assigned' AND report_due < '{day}'",
        "unacked": UNACKED,
    }
    if not closing:
        computed.update(dict.fromkeys(_CLOSING, "NULL"))
    return ", ".join(computed.get(key, key) for key in PRINTED)


class _Overdue(dict[str, int]):
    """Overdue working days per due date, counted once each."""

    def __init__(self, today: dt.date, calendar: WorkCalendar) -> None:
        super().__init__()
        self.today, self.calendar = today, calendar

    def __missing__(self, due: str) -> int:
        found = self[due] = self.calendar.count_since(due, self.today)
        return found


def _lines(batch: list[tuple[Any, ...]], days: _Overdue) -> list[tuple[Any, ...]]:
    """Fetched rows (PRINTED columns, maybe a mask after them) as printed rows."""
    return [
        (i, ti, u, le, o, c, due, bool(late), days[due] if late else 0, rd, bool(rl), fc)
        + (bool(ua), (ca, cb, cr) if cb else None, "")
        for i, ti, u, le, o, c, due, late, _, rd, rl, fc, ua, ca, cb, cr, *_ in batch
    ]


def printed_rows(
    conn: sqlite3.Connection, sel: Selection, today: dt.date, calendar: WorkCalendar
) -> Iterator[list[tuple[Any, ...]]]:
    """The printed rows of `sel` for the report date `today`, in batches."""
    days = _Overdue(today, calendar)
    closing = not sel.statuses or not set(sel.statuses) <= set(OPEN)
    cursor = rows(conn, _columns(today.isoformat(), closing), sel)
    while batch := cursor.fetchmany(_BATCH):
        yield _lines(batch, days)


def scan_printed(
    conn: sqlite3.Connection,
    sels: dict[str, Selection],
    today: dt.date,
    calendar: WorkCalendar,
    made: Callable[[list[tuple[Any, ...]]], list[bytes]],
    numbered: bytes,
) -> Scanned:
    """The printed rows of several scannable selections in one pass over the open items
    (`scan.scan`): `made` turns a batch of printed rows into their bytes, each row made
    once; a selection's rows are kept back to back, each after `numbered % n`, n its
    place in the selection."""
    days = _Overdue(today, calendar)
    return scan(
        conn,
        sels,
        _columns(today.isoformat(), closing=False),  # the open items only
        lambda b: made(_lines(b, days)),
        b"",
        numbered,
    )
