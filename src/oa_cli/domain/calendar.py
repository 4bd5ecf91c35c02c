"""Working-day calendar: Chinese statutory holidays and make-up workdays, or Mon–Fri.

Lookups go through a per-year table of cumulative working-day counts, so
counting working days between two dates is two lookups, not a loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from itertools import accumulate

Date = dt.date


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
        self._on_unknown_year = on_unknown_year
        self._years: dict[int, tuple[list[bool], list[int]]] = {}
        self._cn: tuple[set[Date], set[Date], set[int]] | None = None
        self._since: dict[tuple[str, Date], int] = {}

    # -- base calendars -------------------------------------------------
    def _cn_tables(self) -> tuple[set[Date], set[Date], set[int]]:
        if self._cn is None:
            import chinese_calendar

            hol = set(chinese_calendar.holidays)
            work = set(chinese_calendar.workdays)
            # A year counts as known when the package lists a statutory holiday in it
            # (the fixed weekends alone do not make a year "known").
            known = {d.year for d in chinese_calendar.holidays}
            self._cn = (hol, work, known)
        return self._cn

    def _year_flags(self, year: int) -> list[bool]:
        start = dt.date(year, 1, 1)
        days = [start + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - start).days)]
        flags = [d.weekday() < 5 for d in days]
        if self.kind == "cn":
            hol, work, known = self._cn_tables()
            if year in known:
                flags = [(d in work) or (d.weekday() < 5 and d not in hol) for d in days]
            elif self._on_unknown_year is not None:
                self._on_unknown_year(year)
        for i, d in enumerate(days):
            if d in self.workdays:
                flags[i] = True
            elif d in self.holidays:
                flags[i] = False
        return flags

    def _year(self, year: int) -> tuple[list[bool], list[int]]:
        table = self._years.get(year)
        if table is None:
            flags = self._year_flags(year)
            table = (flags, list(accumulate(int(f) for f in flags)))
            self._years[year] = table
        return table

    # -- queries ----------------------------------------------------------
    def is_workday(self, day: Date) -> bool:
        flags, _ = self._year(day.year)
        return flags[day.timetuple().tm_yday - 1]

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
        than n working days before `end` exactly when x < d."""
        day, one = end, dt.timedelta(days=1)
        while self.count(day - one, end) <= n:
            day -= one
        return day

    def add(self, start: Date, n: int) -> Date:
        """The n-th working day after `start` (n < 0: before; n == 0: start itself)."""
        day = start
        step = dt.timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_workday(day):
                remaining -= 1
        return day
