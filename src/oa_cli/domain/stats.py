"""Assessment figures (考核评价) and the weekly update (每周更新), as plain data."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from oa_cli.config import Config
from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.fields import value
from oa_cli.domain.item import CANCELLED, CLOSED, OPEN, Item, is_overdue, is_report_missed
from oa_cli.domain.workflow import still_counted

STAT_KEYS = (
    "group",
    "total",
    "closed",
    "closed_rate",
    "on_time",
    "on_time_rate",
    "first_reports",
    "first_reports_on_time",
    "overdue",
    "yellow",
    "red",
    "reminders",
    "returned",
    "score",
    "rank",
)


@dataclass
class History:
    """What the journal says about one item beyond its row."""

    extended_late: bool = False  # an extension granted after the deadline in force had passed
    closed_late: bool = False  # closed once after the deadline then in force (a reopen
    # cannot make it on time again)
    cards: set[str] = field(default_factory=set)  # cards it was given, however they came
    reports: list[tuple[str, str | None]] = field(default_factory=list)  # counted: (at, owed by)
    returns: int = 0
    due: str | None = None  # the deadline in force, event by event
    steps: list[tuple[str, tuple[str, str | None]]] = field(default_factory=list)


def histories(
    steps: Iterable[tuple[Any, ...]], start: dt.date | None = None, end: dt.date | None = None
) -> dict[int, History]:
    """Per item, from its journal events in order, each as (item_id, action, at, card,
    previous_due, due, answered). A card given by `escalate` counts when it was given
    within `start` … `end`; one an item came with always does."""
    window = _window(start, end)
    found: dict[int, History] = {}
    for step in steps:
        _step(found.setdefault(step[0], History()), step, window)
    for history in found.values():
        history.reports = still_counted(history.steps)
    return found


def by_item(
    batches: Iterable[list[tuple[Any, ...]]],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Callable[[int], History]:
    """The history of each item, from steps (as `histories` takes them) grouped by item
    in id order, for items asked for in id order: one item's steps held at a time."""
    window = _window(start, end)
    groups = groupby((step for batch in batches for step in batch), key=lambda step: step[0])
    pending = next(groups, None)

    def of(item_id: int) -> History:
        nonlocal pending
        while pending is not None and pending[0] < item_id:
            pending = next(groups, None)
        history = History()
        if pending is not None and pending[0] == item_id:
            for step in pending[1]:
                _step(history, step, window)
            history.reports = still_counted(history.steps)
            pending = next(groups, None)
        return history

    return of


def _window(start: dt.date | None, end: dt.date | None) -> tuple[str, str]:
    return (start.isoformat() if start else ""), (end.isoformat() if end else "9")


def _step(history: History, step: tuple[Any, ...], window: tuple[str, str]) -> None:
    """One journal event's part in an item's history."""
    _, action, at, card, previous_due, due, answered = step
    day = at[:10]
    if card in ("yellow", "red") and (
        action in ("import", "add") or (action == "escalate" and window[0] <= day <= window[1])
    ):
        history.cards.add(card)
    if action == "extend" and previous_due and day > previous_due:
        history.extended_late = True
    if action == "close" and history.due is not None and day > history.due:
        history.closed_late = True
    if due is not None and action in ("add", "import", "extend", "correct", "reopen"):
        history.due = due
    if action in ("feedback", "return"):
        history.steps.append((action, (at, answered)))
        history.returns += action == "return"


def _day(stamp: str | None) -> dt.date | None:
    return dt.datetime.fromisoformat(stamp).date() if stamp else None


def is_on_time(item: Item, history: History) -> bool:
    """Closed by the deadline in force and never overdue (a late extension does not count;
    a correction sets the deadline itself)."""
    closed = _day(item["closed_at"])
    if item["status"] != CLOSED or closed is None:
        return False
    if history.extended_late or history.closed_late:
        return False
    return closed.isoformat() <= item["due"]


def is_late_assignment(item: Item, calendar: WorkCalendar, today: dt.date) -> bool:
    """Not assigned on the working day it was received (当日接、当日转): the office's own."""
    received = _day(item["received_at"])
    if received is None:
        return False
    working = received if calendar.is_workday(received) else calendar.add(received, 1)
    assigned = _day(item["assigned_at"])
    if assigned is None:
        return item["status"] in OPEN and working < today
    return assigned > working


def _first_on_time(history: History) -> bool | None:
    if not history.reports:
        return None
    at, owed = history.reports[0]
    return owed is None or at[:10] <= owed


def stats(
    items: Iterable[Item],
    history_of: Callable[[int], History],
    by: str,
    calendar: WorkCalendar,
    today: dt.date,
    config: Config,
) -> dict[str, Any]:
    rows: dict[Any, dict[str, Any]] = {}
    cancelled = late_assignments = 0
    points = config.assessment
    for item in items:
        late_assignments += is_late_assignment(item, calendar, today)
        if item["status"] == CANCELLED:
            cancelled += 1
            continue
        key = value(item, by)
        row = rows.setdefault(key, {k: 0 for k in STAT_KEYS} | {"group": key})
        history = history_of(item["id"])
        on_time = is_on_time(item, history)
        overdue = is_overdue(item, today)
        # late: overdue now, closed late, or extended once its deadline had passed (an
        # open item the office extended late is not on time either)
        late = overdue or history.extended_late or (item["status"] == CLOSED and not on_time)
        first = _first_on_time(history)
        missed = first is False or is_report_missed(item, today)
        if first is None and missed:  # the 首报 is owed and late: one not on time (应报未报)
            first = False
        row["total"] += 1
        row["closed"] += item["status"] == CLOSED
        row["on_time"] += on_time
        row["first_reports"] += first is not None
        row["first_reports_on_time"] += first is True
        row["overdue"] += overdue
        row["yellow"] += "yellow" in history.cards
        row["red"] += "red" in history.cards
        row["reminders"] += item["remind_count"]
        row["returned"] += history.returns > 0
        row["score"] += (
            points["overdue"] * late
            + points["yellow"] * ("yellow" in history.cards)
            + points["red"] * ("red" in history.cards)
            + points["missed_report"] * missed
            + points["returned"] * (history.returns > 0)
        )
    return {
        "rows": _ranked(list(rows.values())),
        "cancelled": cancelled,
        "late_assignments": late_assignments,
    }


def _ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["score"] = max(0, 100 - row["score"])  # the deductions, summed above
        row["closed_rate"] = round(row["closed"] / row["total"], 3) if row["total"] else None
        row["on_time_rate"] = round(row["on_time"] / row["closed"], 3) if row["closed"] else None
    rows.sort(key=lambda r: (r["group"] is None, str(r["group"] or "")))

    def merit(row: dict[str, Any]) -> tuple[float, float]:
        return (-row["score"], -(row["on_time_rate"] if row["on_time_rate"] is not None else -1))

    # the items of no unit (leader, …) are the office's own: listed, not ranked
    order = sorted((row for row in rows if row["group"] is not None), key=merit)
    for index, row in enumerate(order):
        same = index and merit(order[index - 1]) == merit(row)
        row["rank"] = order[index - 1]["rank"] if same else index + 1
    for row in rows:
        if row["group"] is None:
            row["rank"] = None
    return rows


def iso_week(day: dt.date) -> tuple[str, dt.date, dt.date]:
    year, week, weekday = day.isocalendar()
    monday = day - dt.timedelta(days=weekday - 1)
    return f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6)


WEEKLY_SECTIONS = ("registered", "closed", "overdue", "no_feedback")
# What the weekly update lists for each item that moved in the week.
WEEKLY_ACTIONS = ("feedback", "escalate", "extend", "correct", "return", "assign", "reopen")


# One event of the week as the journal holds it, with its item's title and lead unit:
# (item_id, at, action, actor, data text, title, unit); title None for an item the
# report does not know.
Move = tuple[int, str, str, str, str, str | None, str | None]


def is_movement(action: str, data: str) -> bool:
    """Whether an event of WEEKLY_ACTIONS is worth reporting: a first assignment is not."""
    return action != "assign" or json.loads(data).get("previous_unit") is not None


def moved(moves: Iterable[Move]) -> Iterator[dict[str, Any]]:
    """The week's reports and every card, extension, correction, return, transfer and
    reopening, per item, from its events grouped by item in id order. An entry's events
    are (at, action, actor, data text)."""
    entry: dict[str, Any] | None = None
    for item_id, at, action, actor, data, title, unit in moves:
        if title is None or (action == "assign" and not is_movement(action, data)):
            continue
        if entry is None or entry["id"] != item_id:
            if entry is not None:
                yield entry
            entry = {"id": item_id, "title": title, "unit": unit, "events": []}
        entry["events"].append((at, action, actor, data))
    if entry is not None:
        yield entry


def decoded(entry: dict[str, Any]) -> dict[str, Any]:
    """A moved entry as the report gives it: each event an object, its data decoded."""
    events = [
        {"at": at, "action": action, "actor": actor, "data": json.loads(data)}
        for at, action, actor, data in entry["events"]
    ]
    return {**entry, "events": events}


def unit_order(directory: Iterable[str]) -> Callable[[str | None], tuple[bool, int, str]]:
    """Units in the order of the office's directory (as its config lists them), those it
    does not list after them by name, no unit last."""
    place = {name: n for n, name in enumerate(directory)}
    return lambda unit: (unit is None, place.get(unit or "", len(place)), unit or "")


def unit_rows(
    sections: dict[str, dict[str | None, int]],
    open_units: dict[str | None, int],
    order: Callable[[str | None], Any],
) -> list[dict[str, Any]]:
    """Per lead unit (in `order`): open items and each section's count."""
    units: dict[Any, dict[str, Any]] = {}

    def row(unit: str | None) -> dict[str, Any]:
        return units.setdefault(unit, {"unit": unit, "open": 0} | dict.fromkeys(WEEKLY_SECTIONS, 0))

    for unit, n in open_units.items():
        row(unit)["open"] += n
    for name, counts in sections.items():
        for unit, n in counts.items():
            row(unit)[name] += n
    return sorted(units.values(), key=lambda u: order(u["unit"]))
