"""Parsing of deadlines (DUE) and points in time, relative to a given clock."""

from __future__ import annotations

import datetime as dt
import re

from oa_cli.domain.calendar import WorkCalendar
from oa_cli.errors import InvalidInput
from oa_cli.i18n import t

_RELATIVE = re.compile(r"^([+-])(\d{1,5})(wd|d)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLASH_DATE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def parse_date(text: str) -> dt.date | None:
    """A calendar date as offices write it: 2026-11-23, 2026/11/23, 2026年11月23日."""
    text = text.strip()
    try:
        if _ISO_DATE.match(text):
            return dt.date.fromisoformat(text)
        m = _SLASH_DATE.match(text) or _CN_DATE.match(text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return None


def shift(base: dt.date, text: str, calendar: WorkCalendar) -> dt.date | None:
    """Apply a relative form (+5d, -3wd) to `base`; None when `text` is not relative."""
    m = _RELATIVE.match(text.strip())
    if not m:
        return None
    n = int(m[2]) * (1 if m[1] == "+" else -1)
    if m[3] == "wd":
        return calendar.add(base, n)
    return base + dt.timedelta(days=n)


def parse_due(text: str, *, base: dt.date, today: dt.date, calendar: WorkCalendar) -> dt.date:
    """DUE: YYYY-MM-DD, +Nd, +Nwd (from `base`), today or tomorrow (from `today`)."""
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "tomorrow":
        return today + dt.timedelta(days=1)
    relative = shift(base, word, calendar)
    if relative is not None:
        return relative
    day = parse_date(text)
    if day is None:
        raise InvalidInput(
            t(
                "invalid deadline '{value}': use YYYY-MM-DD, +Nd, +Nwd, today or tomorrow",
                value=text,
            )
        )
    return day


def parse_datetime(text: str, *, now: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    """A point in time: ISO 8601 (a date alone is 00:00 local), or -3d/+2wd from now."""
    raw = text.strip()
    relative = shift(now.date(), raw, calendar)
    if relative is not None:
        return dt.datetime.combine(relative, now.timetz())
    day = parse_date(raw)
    if day is not None:
        return local(dt.datetime.combine(day, dt.time()))
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            t("invalid date/time '{value}': use ISO 8601, e.g. 2026-11-27T09:30", value=text)
        ) from None
    return local(value)


def local(value: dt.datetime) -> dt.datetime:
    """Give a naive datetime the local time zone; keep an aware one as it is."""
    if value.tzinfo is None:
        return value.astimezone()
    return value


def iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")
