"""Assessment figures (考核评价) and the weekly update (每周更新), as plain data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.item import CLOSED, OPEN

GROUPS = ("unit", "leader", "source", "priority")
STAT_KEYS = (
    "group",
    "total",
    "closed",
    "on_time",
    "closed_late",
    "overdue",
    "yellow",
    "red",
    "reminders",
    "late_assignments",
    "on_time_rate",
    "avg_workdays_to_close",
)


@dataclass
class History:
    """What the journal says about one item beyond its row."""

    extended_late: bool = False  # an extension granted after the deadline in force had passed
    cards: dict[str, int] = field(default_factory=lambda: {"yellow": 0, "red": 0})


def _day(stamp: str | None) -> dt.date | None:
    return dt.datetime.fromisoformat(stamp).date() if stamp else None


def is_on_time(item: dict[str, Any], history: History) -> bool:
    """Closed by the deadline in force and never overdue (a late extension does not count)."""
    closed = _day(item["closed_at"])
    if item["status"] != CLOSED or closed is None or history.extended_late:
        return False
    return closed.isoformat() <= item["due"]


def is_late_assignment(item: dict[str, Any], today: dt.date) -> bool:
    """Not assigned on the day it was received (当日接、当日转)."""
    received = _day(item["received_at"])
    assigned = _day(item["assigned_at"])
    if assigned is None:
        return item["status"] in OPEN and received is not None and received < today
    return received is not None and assigned > received


def stats(
    items: Iterable[dict[str, Any]],
    histories: dict[int, History],
    by: str,
    calendar: WorkCalendar,
    today: dt.date,
) -> list[dict[str, Any]]:
    rows: dict[Any, dict[str, Any]] = {}
    close_days: dict[Any, list[int]] = defaultdict(list)
    for item in items:
        key = item[by]
        row = rows.setdefault(key, {k: 0 for k in STAT_KEYS} | {"group": key})
        history = histories.get(item["id"], History())
        row["total"] += 1
        if item["status"] == CLOSED:
            row["closed"] += 1
            on_time = is_on_time(item, history)
            row["on_time"] += on_time
            row["closed_late"] += not on_time
            received, closed = _day(item["received_at"]), _day(item["closed_at"])
            if received and closed:
                close_days[key].append(calendar.count(received, closed))
        row["overdue"] += item["status"] in OPEN and item["due"] < today.isoformat()
        row["yellow"] += history.cards["yellow"]
        row["red"] += history.cards["red"]
        row["reminders"] += item["remind_count"]
        row["late_assignments"] += is_late_assignment(item, today)
    for key, row in rows.items():
        row["on_time_rate"] = round(row["on_time"] / row["closed"], 3) if row["closed"] else None
        days = close_days.get(key)
        row["avg_workdays_to_close"] = round(sum(days) / len(days), 1) if days else None
    return sorted(rows.values(), key=lambda r: (r["group"] is None, str(r["group"] or "")))


def iso_week(day: dt.date) -> tuple[str, dt.date, dt.date]:
    year, week, weekday = day.isocalendar()
    monday = day - dt.timedelta(days=weekday - 1)
    return f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6)


WEEKLY_SECTIONS = ("registered", "closed", "overdue", "no_feedback")


def weekly(
    items: Iterable[dict[str, Any]], histories: dict[int, History], day: dt.date
) -> dict[str, Any]:
    """The week of `day`: registered, closed (and on time), still overdue, no update this week.

    `items` are item objects computed as of the week's last day (or today, if earlier)."""
    week, monday, sunday = iso_week(day)
    first, last = monday.isoformat(), sunday.isoformat()
    sections: dict[str, list[dict[str, Any]]] = {name: [] for name in WEEKLY_SECTIONS}
    units: dict[Any, dict[str, Any]] = {}
    on_time = 0
    for item in items:
        unit = units.setdefault(
            item["unit"],
            {
                "unit": item["unit"],
                "open": 0,
                "registered": 0,
                "closed": 0,
                "overdue": 0,
                "no_feedback": 0,
            },
        )
        if first <= item["received_at"][:10] <= last:
            sections["registered"].append(item)
            unit["registered"] += 1
        closed = (item["closed_at"] or "")[:10]
        if item["status"] == CLOSED and first <= closed <= last:
            sections["closed"].append(item)
            unit["closed"] += 1
            on_time += is_on_time(item, histories.get(item["id"], History()))
        if item["status"] in OPEN:
            unit["open"] += 1
        if item["overdue"]:
            sections["overdue"].append(item)
            unit["overdue"] += 1
        if (
            item["status"] == "assigned"
            and (item["assigned_at"] or "")[:10] < first
            and (item["last_feedback_at"] or "")[:10] < first
        ):
            sections["no_feedback"].append(item)
            unit["no_feedback"] += 1
    summary = {name: len(found) for name, found in sections.items()}
    summary["closed_on_time"] = on_time
    unit_rows = [u for u in units.values() if any(v for k, v in u.items() if k != "unit")]
    unit_rows.sort(key=lambda u: (u["unit"] is None, str(u["unit"] or "")))
    return {
        "week": week,
        "from": first,
        "to": last,
        "summary": summary,
        "sections": sections,
        "units": unit_rows,
    }
