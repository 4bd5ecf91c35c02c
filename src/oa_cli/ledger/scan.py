"""Item objects as the ledger stores them, and one pass over the open items for several
selections at once: the fast paths of every JSON listing and of the reports' open
sections. Each reads what `items.rows` selects with the selection's own `_where`, so a
fast path lists the very items the general one does."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import compress
from operator import itemgetter
from typing import Any

from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.selection import Selection
from oa_cli.ledger.items import _OPEN_SQL, _open_only, open_test, rows

_NOT_OVERDUE = b'"overdue":false,"overdue_days":0,'
_NO_REPORT_OVERDUE = b'"report_overdue_days":0,'
_BATCH = 512


class _Patch(dict[bytes, bytes]):
    """Per date (as bytes), what replaces a stored not-overdue part, made on first use."""

    def __init__(self, form: bytes, calendar: WorkCalendar, today: dt.date) -> None:
        super().__init__()
        self.form, self.calendar, self.today = form, calendar, today

    def __missing__(self, day: bytes) -> bytes:
        found = self[day] = self.form % self.calendar.count_since(day.decode(), self.today)
        return found


def _doc_columns(today: str) -> str:
    """The stored object as bytes; for an overdue row its due date, for one owing a late
    report its report_due (else NULL)."""
    return (
        f"CAST(doc AS BLOB), CASE WHEN {_OPEN_SQL} AND due < '{today}' THEN CAST(due AS BLOB)"
        f" END, CASE WHEN status = 'assigned' AND report_due < '{today}'"
        " THEN CAST(report_due AS BLOB) END"
    )


def _objects(today: dt.date, calendar: WorkCalendar) -> Made:
    """Rows that begin with `_doc_columns` → the SPEC item objects for `today`."""
    late = _Patch(b'"overdue":true,"overdue_days":%d,', calendar, today)
    owed = _Patch(b'"report_overdue_days":%d,', calendar, today)
    not_late, not_owed = _NOT_OVERDUE, _NO_REPORT_OVERDUE

    def made(batch: list[tuple[Any, ...]]) -> list[bytes]:
        out: list[bytes] = []
        append, join = out.append, b"".join
        for row in batch:  # the hot loop of every json listing
            doc, due, report = row[0], row[1], row[2]
            # Both parts come late in the object, so they are looked for from its end.
            # Each occurs once: inside a JSON string every '"' is escaped.
            # (A part not found leaves its separator empty: the object is left as stored.)
            if report is not None:
                head, found, tail = doc.rpartition(not_owed)
                if due is not None:
                    head, found_late, middle = head.rpartition(not_late)
                    if found and found_late:
                        doc = join((head, late[due], middle, owed[report], tail))
                elif found:
                    doc = join((head, owed[report], tail))
            elif due is not None:
                head, found, tail = doc.rpartition(not_late)
                if found:
                    doc = join((head, late[due], tail))
            append(doc)
        return out

    return made


def select_json(
    conn: sqlite3.Connection, sel: Selection, today: dt.date, calendar: WorkCalendar
) -> Iterator[list[bytes]]:
    """The SPEC item objects of `sel` as UTF-8 JSON, in batches (lists of bytes)."""
    made = _objects(today, calendar)
    cursor = rows(conn, _doc_columns(today.isoformat()), sel)
    while batch := cursor.fetchmany(_BATCH):
        yield made(batch)


def scannable(sel: Selection) -> bool:
    """Whether `sel` is read whole in due order from the open items (see scan_json)."""
    return _open_only(sel) and sel.sort == "due" and sel.limit is None


class Scanned:
    """What a scan found: each section's count and its rows in temporary files (a
    report's later sections wait there while the first is written), `sep` between two;
    with `numbered`, each row after `numbered % n`, n its place in the section from 1."""

    def __init__(self, names: list[str], sep: bytes = b",", numbered: bytes = b"") -> None:
        self.counts = dict.fromkeys(names, 0)
        self.open = 0
        self.tally: Counter[tuple[Any, int]] = Counter()  # (unit, bits) → open items
        self.sep, self.numbered = sep, numbered
        import tempfile  # not for a listing

        # closed by close() / the with block the caller holds
        self.files = {name: tempfile.TemporaryFile() for name in names}  # noqa: SIM115

    def add(self, name: str, found: list[bytes]) -> None:
        """Rows of `name`, after those it has."""
        n, head = self.counts[name], self.numbered
        self.counts[name] += len(found)
        if head:  # each row after its number, the pairs made in C
            numbers = map(head.__mod__, range(n + 1, n + 1 + len(found)))
            found = list(map(bytes.__add__, numbers, found))
        if n:
            self.files[name].write(self.sep)
        self.files[name].write(self.sep.join(found))

    def by_unit(self) -> dict[str, dict[str | None, int]]:
        """Per lead unit, the open items (under "open") and each selection's count (when
        the scan was asked `by_unit`)."""
        found: dict[str, dict[str | None, int]] = {name: {} for name in [*self.counts, "open"]}
        for (unit, bits), n in self.tally.items():
            found["open"][unit] = found["open"].get(unit, 0) + n
            for bit, name in enumerate(self.counts):  # a selection's bit is its place
                if bits >> bit & 1:
                    found[name][unit] = found[name].get(unit, 0) + n
        return found

    def parts(self, name: str) -> Iterator[bytes]:
        found = self.files[name]
        found.seek(0)
        while chunk := found.read(1 << 20):
            yield chunk

    def close(self) -> None:
        for found in self.files.values():
            found.close()

    def __enter__(self) -> Scanned:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


Made = Callable[[list[tuple[Any, ...]]], list[bytes]]
_UNIT_BITS = itemgetter(-2, -1)  # a scanned row's lead unit and selection bits
_BITS = itemgetter(-1)


def scan(
    conn: sqlite3.Connection,
    sels: dict[str, Selection],
    columns: str,
    made: Made,
    sep: bytes,
    numbered: bytes = b"",
    by_unit: bool = False,
) -> Scanned:
    """Several scannable selections in one pass over the open items in due order: each
    row (`columns`, then its bit mask) is made once by `made` (a batch of rows to their
    bytes) and goes to every selection whose condition (the same `_where` the
    selection's own query has) it meets. `sep`, `numbered`: how a selection's rows are
    kept (`Scanned`). With `by_unit`, the open items are also counted per lead unit and
    selection (`Scanned.by_unit`), as `history.counts_by_unit` counts them."""
    names = [name for name, sel in sels.items() if scannable(sel)]
    tests, params = [], []
    for bit, name in enumerate(names):  # which selections a row is in, as bits
        test, found = open_test(sels[name])
        tests.append(f"CASE WHEN {test} THEN {1 << bit} ELSE 0 END")
        params.extend(found)
    unit = ", unit" if by_unit else ""
    sql = (
        f"SELECT {columns}{unit}, {' + '.join(tests) or '0'}"
        f" FROM items INDEXED BY items_open WHERE {_OPEN_SQL} ORDER BY due, id"
    )
    scanned = Scanned(names, sep, numbered)
    picks = [(name, (1 << bit).__and__) for bit, name in enumerate(names)]
    cursor = conn.cursor()
    cursor.row_factory = None
    cursor.execute(sql, params)
    while batch := cursor.fetchmany(_BATCH):
        made_rows, bits = made(batch), list(map(_BITS, batch))
        for name, bit_of in picks:  # each selection's rows of the batch, picked in C
            found = list(compress(made_rows, map(bit_of, bits)))
            if found:
                scanned.add(name, found)
        scanned.open += len(batch)
        if by_unit:
            scanned.tally.update(map(_UNIT_BITS, batch))
    return scanned


def scan_json(
    conn: sqlite3.Connection,
    sels: dict[str, Selection],
    today: dt.date,
    calendar: WorkCalendar,
    by_unit: bool = False,
) -> Scanned:
    """The SPEC item objects of several scannable selections in one pass (`scan`),
    comma-joined per selection."""
    made = _objects(today, calendar)
    return scan(conn, sels, _doc_columns(today.isoformat()), made, b",", by_unit=by_unit)
