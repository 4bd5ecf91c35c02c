"""The office's mechanism as pure rules: reports owed (首报、续报), returns (退回),
recurring items (每月/每周), and the duplicate check (疑似重复)."""

from __future__ import annotations

import calendar as months
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from oa_cli.config import Config
from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.dates import office_day
from oa_cli.domain.item import Item
from oa_cli.errors import InvalidInput
from oa_cli.i18n import t

DUPLICATE_WINDOW_DAYS = 30
T = TypeVar("T")


def title_key(title: str) -> str:
    """A title without spaces, punctuation or symbols, case-folded (for 疑似重复)."""
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKC", title).casefold()
        if unicodedata.category(ch)[0] not in "PZSC"
    )


def still_counted(steps: Iterable[tuple[str, T]]) -> list[T]:
    """The reports that still count, oldest first, from ("feedback", report) and
    ("return", _) steps in journal order: a return (退回) takes back the latest one."""
    counted: list[T] = []
    for action, report in steps:
        if action == "feedback":
            counted.append(report)
        elif action == "return" and counted:
            counted.pop()
    return counted


def first_report_due(config: Config, calendar: WorkCalendar, assigned: dt.date) -> str:
    """The 首报 is owed `feedback.first_within` working days after assignment."""
    return calendar.add(assigned, config.feedback["first_within"]).isoformat()


def next_report_due(config: Config, calendar: WorkCalendar, reported: dt.date) -> str:
    """A 续报 is owed `feedback.every` working days after the last counted report."""
    return calendar.add(reported, config.feedback["every"]).isoformat()


def report_due_from_now_on(
    config: Config, calendar: WorkCalendar, item: Item, today: dt.date
) -> str:
    """The next report of an item assigned before report deadlines were kept: as the
    rules have it from its assignment (首报) or its last counted report (续报), but a
    deadline nobody was told of is not missed: when that day has passed, `feedback.every`
    working days from today."""
    if item["feedback_count"] and item["last_feedback_at"]:
        due = next_report_due(config, calendar, office_day(item["last_feedback_at"]))
    else:
        assigned = item["assigned_at"] or item["received_at"]
        due = first_report_due(config, calendar, office_day(assigned))
    return due if due >= today.isoformat() else next_report_due(config, calendar, today)


def resubmit_due(
    config: Config, calendar: WorkCalendar, answered: str | None, today: dt.date
) -> str:
    """After a return: the later of the report_due the returned report answered and
    `feedback.resubmit_within` working days from today."""
    again = calendar.add(today, config.feedback["resubmit_within"]).isoformat()
    return max(answered or again, again)


_REPEAT = re.compile(r"^(monthly|weekly|每月|每周):?(\d{1,2})$")


def parse_repeat(text: str) -> str:
    """`monthly:D` (1–31) or `weekly:W` (1 = Monday … 7); 每月D / 每周W accepted too."""
    m = _REPEAT.match(text.strip().replace("：", ":").replace(" ", ""))
    if m:
        kind = {"每月": "monthly", "每周": "weekly"}.get(m[1], m[1])
        number = int(m[2])
        if (kind == "monthly" and 1 <= number <= 31) or (kind == "weekly" and 1 <= number <= 7):
            return f"{kind}:{number}"
    raise InvalidInput(
        t(
            "invalid repeat '{value}': use monthly:D (1-31) or weekly:W (1-7, 1 = Monday)",
            value=text,
        )
    )


def next_occurrence(repeat: str, after: dt.date) -> dt.date:
    """The first date of the series strictly after `after` (the closed item's deadline);
    a month without day D takes its last day."""
    kind, number = repeat.split(":")
    n = int(number)
    if kind == "weekly":
        return after + dt.timedelta(days=(n - after.isoweekday() - 1) % 7 + 1)
    year, month = after.year, after.month
    while True:
        day = min(n, months.monthrange(year, month)[1])
        candidate = dt.date(year, month, day)
        if candidate > after:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
