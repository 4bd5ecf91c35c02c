"""Working-day calendar: Chinese statutory holidays and make-up workdays, or Mon–Fri.

Lookups go through a per-year table of cumulative working-day counts, so
counting working days between two dates is two lookups per year, and adding
n working days is a walk over whole years and one bisection, not a loop over days.
Every date oa stores lies in FIRST_DAY … LAST_DAY; `add` refuses to leave that range.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import accumulate

from oa_cli.errors import InvalidInput
from oa_cli.i18n import t

Date = dt.date

FIRST_DAY = dt.date(1990, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)

# Days off fixed by law whatever the year (元旦, 劳动节, 国庆节); the other holidays
# (Spring Festival, Qingming, Dragon Boat, Mid-Autumn) and the make-up workdays
# are announced each year by the State Council.
_FIXED_BY_LAW = {
    (1, 1): "New Year's Day",  # by the names chinese_calendar gives them
    (5, 1): "Labour Day",
    (10, 1): "National Day",
    (10, 2): "National Day",
    (10, 3): "National Day",
}

_ByYear = dict[int, list[Date]]


def unknown_year_message(year: int) -> str:
    """The one warning for a year the statutory calendar does not know yet."""
    return t(
        "oa: warning: the holiday calendar does not know {year} yet: only 1 January, 1 May "
        "and 1–3 October are days off; add its other holidays under holidays: and its "
        "make-up working days under workdays: in the config file",
        year=year,
    )


def _by_year(days: Iterable[Date]) -> _ByYear:
    grouped: defaultdict[int, list[Date]] = defaultdict(list)
    for day in days:
        grouped[day.year].append(day)
    return dict(grouped)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


class WorkCalendar:
    def __init__(
        self,
        kind: str = "cn",
        holidays: Iterable[Date] = (),
        workdays: Iterable[Date] = (),
        on_unknown_year: Callable[[int], None] | None = None,
    ) -> None:
        self.kind = kind
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        self._holidays_by_year = _by_year(self.holidays)
        self._workdays_by_year = _by_year(self.workdays)
        self._on_unknown_year = on_unknown_year
        self._warned = False
        self._years: dict[int, tuple[list[bool], list[int]]] = {}
        self._cn: tuple[_ByYear, _ByYear] | None = None
        self._since: dict[tuple[str, Date], int] = {}

    # -- base calendars -------------------------------------------------
    def _cn_tables(self) -> tuple[_ByYear, _ByYear]:
        """The package's statutory days off and make-up workdays, by year. A year counts
        as known when the package lists a statutory holiday in it."""
        if self._cn is None:
            import chinese_calendar

            self._cn = (_by_year(chinese_calendar.holidays), _by_year(chinese_calendar.workdays))
        return self._cn

    def _statutory(self, year: int) -> tuple[list[Date], list[Date]]:
        """(days off, make-up workdays) of the base calendar in `year`."""
        if self.kind != "cn":
            return [], []
        off, on = self._cn_tables()
        if year in off:
            return off[year], on.get(year, [])
        if self._on_unknown_year is not None and not self._warned:
            self._warned = True
            self._on_unknown_year(year)
        return [dt.date(year, month, day) for month, day in _FIXED_BY_LAW], []

    def _year_flags(self, year: int) -> list[bool]:
        weekday = dt.date(year, 1, 1).weekday()
        flags = [(weekday + i) % 7 < 5 for i in range(366 if _is_leap(year) else 365)]
        off, on = self._statutory(year)
        # config overrides win over the base calendar; a configured workday wins over all
        for days, value in (
            (off, False),
            (on, True),
            (self._holidays_by_year.get(year, []), False),
            (self._workdays_by_year.get(year, []), True),
        ):
            for day in days:
                flags[day.timetuple().tm_yday - 1] = value
        return flags

    def _year(self, year: int) -> tuple[list[bool], list[int]]:
        table = self._years.get(year)
        if table is None:
            flags = self._year_flags(year)
            table = (flags, list(accumulate(int(f) for f in flags)))
            self._years[year] = table
        return table

    # -- queries ----------------------------------------------------------
    def workdays_between(self, first: Date, last: Date) -> list[Date]:
        """The working days from `first` to `last`, without the unknown-year warning:
        a range kept ahead for later, not a date anyone asked about (a year read here is
        not kept, so a later question about it still warns)."""
        warned, cached = self._warned, set(self._years)
        self._warned = True
        try:
            days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
            return [day for day in days if self.is_workday(day)]
        finally:
            self._warned = warned
            for year in set(self._years) - cached:
                del self._years[year]

    def is_workday(self, day: Date) -> bool:
        flags, _ = self._year(day.year)
        return flags[day.timetuple().tm_yday - 1]

    def festival(self, day: Date) -> str | None:
        """The statutory holiday a day off or a make-up working day (调休) of the Chinese
        calendar belongs to, by its English name (National Day: a word `i18n` shows),
        unless the configuration names the day itself; None for other days."""
        if self.kind != "cn" or day in self.holidays or day in self.workdays:
            return None
        import chinese_calendar

        if day.year not in self._cn_tables()[0]:  # a year it does not know yet
            return _FIXED_BY_LAW.get((day.month, day.day))
        name = chinese_calendar.holidays.get(day) or chinese_calendar.workdays.get(day)
        return None if name is None else str(name)

    def _cumulative(self, day: Date) -> int:
        """Working days from Jan 1 of `day`'s year up to and including `day`."""
        _, cum = self._year(day.year)
        return cum[day.timetuple().tm_yday - 1]

    def count(self, start: Date, end: Date) -> int:
        """Working days d with start < d <= end (0 when end <= start)."""
        if end <= start:
            return 0
        total = self._cumulative(end) - self._cumulative(start)
        for year in range(start.year, end.year):
            total += self._year(year)[1][-1]
        return total

    def count_since(self, day: str, end: Date) -> int:
        """`count` from an ISO date string, memoised: thousands of items share few dates."""
        key = (day, end)
        found = self._since.get(key)
        if found is None:
            found = self._since[key] = self.count(dt.date.fromisoformat(day), end)
        return found

    def earliest_within(self, end: Date, n: int) -> Date:
        """The earliest day d with at most n working days in (d, end]: a day x is more
        than n working days before `end` exactly when x < d. That d is the (n+1)-th
        working day counted back from `end` itself; FIRST_DAY when there is none."""
        if n < 0:
            return end
        found = self._locate(end.year, self._cumulative(end) - n)
        return FIRST_DAY if found is None or found < FIRST_DAY else found

    def add(self, start: Date, n: int) -> Date:
        """The n-th working day after `start` (n < 0: before; n == 0: start itself).
        InvalidInput when that day would lie outside FIRST_DAY … LAST_DAY."""
        if n == 0:
            return start
        room = (LAST_DAY - start).days if n > 0 else (start - FIRST_DAY).days
        found = None
        if abs(n) <= room:  # there cannot be more working days than days
            cum = self._cumulative(start)
            if n > 0:
                found = self._locate(start.year, cum + n)
            else:
                found = self._locate(start.year, cum - int(self.is_workday(start)) + n + 1)
        if found is None or not FIRST_DAY <= found <= LAST_DAY:
            raise InvalidInput(
                t(
                    "{n} working days from {start} lie outside the supported dates "
                    "{first} … {last}",
                    n=n,
                    start=start.isoformat(),
                    first=FIRST_DAY.isoformat(),
                    last=LAST_DAY.isoformat(),
                )
            )
        return found

    def _locate(self, year: int, target: int) -> Date | None:
        """The first day whose cumulative count, taken from Jan 1 of `year`, reaches
        `target` (which may run past either end of the year); None outside the range."""
        while target <= 0:
            year -= 1
            if year < FIRST_DAY.year:
                return None
            target += self._year(year)[1][-1]
        while target > (total := self._year(year)[1][-1]):
            target -= total
            year += 1
            if year > LAST_DAY.year:
                return None
        index = bisect_left(self._year(year)[1], target)
        return dt.date(year, 1, 1) + dt.timedelta(days=index)
