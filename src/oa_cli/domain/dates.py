"""Reading dates, deadlines (DUE) and points in time as offices write them.

Forms: 2026-12-20, 2026/12/20, 2026.12.20, 2026年12月20日, 12月20日 (the clock's
year, or the next when that day is more than 180 days past), in full-width digits
too, a closing 。 allowed, optionally followed by a time (2026-12-20 17:00, 2026-12-20T17:00). Every
result lies in FIRST_DAY … LAST_DAY; anything else is InvalidInput naming the value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable

from oa_cli.domain.calendar import FIRST_DAY, LAST_DAY, WorkCalendar
from oa_cli.errors import InvalidInput
from oa_cli.i18n import t

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "cell_date",
    "check_day",
    "iso",
    "local",
    "minute",
    "parse_date",
    "parse_datetime",
    "parse_due",
    "parse_now",
    "shift",
]

_RELATIVE = re.compile(r"^([+-])([0-9]+)(wd|d)$")
_YMD = re.compile(r"^([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})$")
_CN_YMD = re.compile(r"^([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日?$")
_CN_MD = re.compile(r"^([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日?$")
_MOMENT = re.compile(
    r"^(?P<date>.+?)(?:(?:\s*T|\s+|(?<=[日天一二三四五六]))\s*(?P<hour>[0-9]{1,2})(?P<rest>:[0-9]{2}"
    r"(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)\s*(?P<tz>Z|[+-][0-9]{2}:?[0-9]{2})?)?$"
)
_PAST_DAYS = 180  # 12月20日 means next year's when this year's is further back
_MAX_DIGITS = 9  # +N beyond this is out of range whatever N is (and int() stays cheap)

Parts = tuple[int, int, int]


# -- messages -------------------------------------------------------------
def _bad_due(value: str) -> InvalidInput:
    return InvalidInput(
        t(
            "invalid deadline '{value}': use YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD, "
            "YYYY年MM月DD日, MM月DD日), +Nd or -Nd (calendar days), +Nwd or -Nwd "
            "(working days), today or tomorrow, 明天 or 下周五",
            value=value,
        )
    )


def _bad_day(value: str, what: str) -> InvalidInput:
    return InvalidInput(
        t(
            "{what}: '{value}' is not a date: use YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD, "
            "YYYY年MM月DD日, MM月DD日), +Nd or -Nd, today or tomorrow, 明天 or 上周五",
            what=what,
            value=value,
        )
    )


def _bad_moment(value: str) -> InvalidInput:
    return InvalidInput(
        t(
            "invalid date/time '{value}': use YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD, "
            "YYYY年MM月DD日, MM月DD日), optionally with a time as in 2026-11-27 09:30 or "
            "2026-11-27T09:30, or -Nd, +Nwd from now, or a day in words (yesterday, 昨天, 周一)",
            value=value,
        )
    )


def _bad_now(value: str) -> InvalidInput:
    return InvalidInput(
        t(
            "invalid --now '{value}': use YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD, "
            "YYYY年MM月DD日, MM月DD日), optionally with a time as in 2026-11-27 09:30 or "
            "2026-11-27T09:30",
            value=value,
        )
    )


def _out_of_range(what: str, value: str) -> InvalidInput:
    return InvalidInput(
        t(
            "{what} '{value}' is outside the supported dates {first} … {last}",
            what=what,
            value=value,
            first=FIRST_DAY.isoformat(),
            last=LAST_DAY.isoformat(),
        )
    )


def _no_such_day(what: str, value: str) -> InvalidInput:
    return InvalidInput(t("{what} '{value}': there is no such day", what=what, value=value))


# -- reading ----------------------------------------------------------------
def _normal(text: str) -> str:
    """Full-width digits and punctuation to ASCII (NFKC), outer spaces and a closing
    full stop or comma (2026年12月1日。) dropped."""
    return _CLOSING.sub("", unicodedata.normalize("NFKC", text).strip()).strip()


_CLOSING = re.compile(r"[。，,；;、]$")  # one closing mark, as a sentence ends


_WEEKDAYS = "一二三四五六日"
_NAMED = re.compile(r"(上|下|本|这)?(?:周|星期|礼拜)([一二三四五六日天])")
_DAYS_FROM_TODAY = {
    **{"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "昨天": -1, "昨日": -1},
    **{"today": 0, "tomorrow": 1, "yesterday": -1},
}


def _named_day(word: str, today: dt.date, back: bool = False) -> dt.date | None:
    """A day named in words, from `today`: 今天 明天 后天 昨天; 周五 (the next Friday,
    today if it is one; with `back`, the last one), 本周五, 下周五, 上周五 (星期 and 礼拜
    too; 日 or 天 for Sunday)."""
    if word in _DAYS_FROM_TODAY:
        return today + dt.timedelta(days=_DAYS_FROM_TODAY[word])
    found = _NAMED.fullmatch(word)
    if found is None:
        return None
    weekday = _WEEKDAYS.index(found[2].replace("天", "日"))
    if found[1] is None and back:
        return today - dt.timedelta(days=(today.weekday() - weekday) % 7)
    if found[1] is None:
        return today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    week = {"上": -1, "下": 1}.get(found[1], 0)
    return today + dt.timedelta(days=weekday - today.weekday() + 7 * week)


def _date_parts(text: str, today: dt.date | None) -> Parts | None:
    """(year, month, day) as written, not yet checked against the calendar."""
    m = _YMD.match(text)
    if m:
        return int(m[1]), int(m[3]), int(m[4])
    m = _CN_YMD.match(text)
    if m:
        return int(m[1]), int(m[2]), int(m[3])
    m = _CN_MD.match(text)
    if m and today is not None:
        month, day = int(m[1]), int(m[2])
        try:
            this_year = dt.date(today.year, month, day)
        except ValueError:
            return today.year, month, day
        past = (today - this_year).days > _PAST_DAYS
        return today.year + int(past), month, day
    return None


def _day(parts: Parts, what: str, value: str) -> dt.date:
    try:
        return dt.date(*parts)
    except ValueError:
        raise _no_such_day(what, value) from None


def parse_date(text: str, *, today: dt.date | None = None) -> dt.date | None:
    """A calendar date in any form above (a date-time gives its date); None when the
    text is not one, or names no real day. `12月20日` needs `today`. Not range-checked."""
    moment = _MOMENT.match(_normal(text))
    parts = _date_parts(moment["date"], today) if moment else None
    if parts is None:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def _read_moment(raw: str, today: dt.date | None, what: str) -> dt.datetime | None:
    """A date with an optional time (naive unless a zone is written); None if unreadable."""
    m = _MOMENT.match(raw)
    parts = _date_parts(m["date"], today) if m else None
    if m is None or parts is None:
        return None
    day = _day(parts, what, raw)
    if m["hour"] is None:
        return dt.datetime.combine(day, dt.time())
    try:
        return dt.datetime.fromisoformat(
            f"{day.isoformat()}T{int(m['hour']):02d}{m['rest']}{m['tz'] or ''}"
        )
    except ValueError:
        return None


def check_day(day: dt.date, what: str) -> dt.date:
    """`day` itself when it lies in FIRST_DAY … LAST_DAY, else InvalidInput naming `what`
    (a field label or config key) and the value. A datetime is checked by its date."""
    plain = day.date() if isinstance(day, dt.datetime) else day
    if not FIRST_DAY <= plain <= LAST_DAY:
        raise _out_of_range(what, plain.isoformat())
    return day


# -- relative forms -----------------------------------------------------------
def _relative(word: str) -> tuple[int, str] | None:
    m = _RELATIVE.match(word)
    if not m:
        return None
    if len(m[2].lstrip("0")) > _MAX_DIGITS:
        return (1 if m[1] == "+" else -1) * 10**_MAX_DIGITS, m[3]
    return int(m[2]) * (1 if m[1] == "+" else -1), m[3]


def _shift(base: dt.date, n: int, unit: str, calendar: WorkCalendar, value: str) -> dt.date:
    what = t("deadline")
    ordinal = base.toordinal() + n
    if unit == "d":
        if not FIRST_DAY.toordinal() <= ordinal <= LAST_DAY.toordinal():
            raise _out_of_range(what, value)
        return dt.date.fromordinal(ordinal)
    try:
        return calendar.add(check_day(base, what), n)
    except InvalidInput:
        raise _out_of_range(what, value) from None


def shift(base: dt.date, text: str, calendar: WorkCalendar) -> dt.date | None:
    """Apply a relative form (+5d, -3wd) to `base`; None when `text` is not relative.
    InvalidInput when the result would leave FIRST_DAY … LAST_DAY."""
    raw = _normal(text)
    relative = _relative(raw.lower())
    if relative is None:
        return None
    return _shift(base, *relative, calendar, raw)


# -- the three entry points ------------------------------------------------------
def parse_day(text: str, *, today: dt.date, calendar: WorkCalendar, what: str) -> dt.date:
    """A day given to a report (`--date`, `--from`, `--to`, `--since`): the DUE forms,
    counted from today, a bare 周五 being the last Friday (a report looks back); errors
    name the option, not a deadline."""
    return parse_due(text, base=today, today=today, calendar=calendar, what=what, back=True)


_WEEK = re.compile(r"(\d{4})-?[Ww](\d{1,2})")


def parse_week(text: str) -> dt.date | None:
    """The Monday of an ISO week `YYYY-Www` (full-width digits too); None when `text` is
    no such week (2025-W53: 2025 has 52); InvalidInput when the week leaves the
    supported dates."""
    found = _WEEK.fullmatch(_normal(text))
    if found is None:
        return None
    try:
        monday = dt.date.fromisocalendar(int(found[1]), int(found[2]), 1)
    except ValueError:
        return None
    if monday < FIRST_DAY or monday > LAST_DAY - dt.timedelta(days=6):
        raise _out_of_range("--week", _normal(text))
    return monday


def parse_due(
    text: str,
    *,
    base: dt.date,
    today: dt.date,
    calendar: WorkCalendar,
    what: str | None = None,
    back: bool = False,
) -> dt.date:
    """DUE: a date in any form, +Nd/-Nd/+Nwd/-Nwd (from `base`), today or tomorrow or a
    day named in Chinese (明天, 下周五 …: `_named_day`), from `today` as the words say."""
    raw = _normal(text)
    word = raw.lower()
    label = what or t("deadline")
    if (named := _named_day(word, today, back)) is not None:
        day = named
    elif (relative := _relative(word)) is not None:
        return _shift(base, *relative, calendar, raw)
    else:
        moment = _read_moment(raw, today, label)
        if moment is None:
            raise _bad_due(text) if what is None else _bad_day(text, what)
        day = moment.date()
    return check_day(day, label)


def parse_datetime(text: str, *, now: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    """A point in time: a date (00:00 local) or date-time in any form, ISO 8601,
    -3d/+2wd from now (keeping now's time of day), or a day named from today with an
    optional time (昨天 17:00, 周一, today)."""
    raw = _normal(text)
    relative = _relative(raw.lower())
    if relative is not None:
        day = _shift(now.date(), *relative, calendar, raw)
        return dt.datetime.combine(day, now.timetz())
    m = _MOMENT.match(raw)
    word = m["date"].strip().lower() if m else ""
    named = _named_day(word, now.date(), back=True)  # a time looks back: 周一 is the last
    if m is not None and named is not None:  # 昨天, 昨天 17:00, yesterday 9:30
        raw = f"{named.isoformat()} {raw[m.end('date') :].strip()}".strip()
    return _moment(raw, text, now.date(), t("date/time"), _bad_moment)


def parse_now(text: str, *, today: dt.date | None = None) -> dt.datetime:
    """The global --now: a date (00:00 local) or date-time in any form; `12月20日` is
    read against `today` (default: the real clock's date)."""
    return _moment(_normal(text), text, today or dt.date.today(), "--now", _bad_now)


def _moment(
    raw: str, text: str, today: dt.date, what: str, bad: Callable[[str], InvalidInput]
) -> dt.datetime:
    moment = _read_moment(raw, today, what)
    if moment is None:
        try:
            moment = dt.datetime.fromisoformat(raw)  # other ISO 8601 forms: 20261127T0930
        except ValueError:
            raise bad(text) from None
    check_day(moment.date(), what)  # before the time zone: year 1 has no local offset
    return local(moment)


# -- spreadsheet cells ----------------------------------------------------------
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 past Excel's 1900-02-29
_EXCEL_LAST = 2958465  # 9999-12-31


def cell_date(value: object, *, today: dt.date | None = None) -> dt.date | None:
    """The date in a spreadsheet cell: a date, a date-time, an Excel serial number or
    text in any form above; None when the cell holds no date. Not range-checked."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value) or not 1 <= value <= _EXCEL_LAST:
            return None
        return _EXCEL_EPOCH + dt.timedelta(days=math.floor(value))
    if isinstance(value, str):
        return parse_date(value, today=today)
    return None


def local(value: dt.datetime) -> dt.datetime:
    """The moment in the local time zone (a naive one is taken as local already): every
    stored time has the office's offset, so a date is always the office's date and
    times compare as text."""
    return value.astimezone()


def iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def minute(stamp: str) -> str:
    """A stored time as people read it, on the office's clock: 2026-11-16T16:00:00+08:00
    → 2026-11-16 16:00 (a time stored with another offset is first made local)."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp.replace("T", " ")[:16]
    if moment.tzinfo is not None:
        moment = local(moment)
    return moment.isoformat(sep=" ", timespec="minutes")[:16]


def office_day(stamp: str) -> dt.date:
    """The office's day of a stored time (its local date)."""
    return dt.date.fromisoformat(minute(stamp)[:10])
