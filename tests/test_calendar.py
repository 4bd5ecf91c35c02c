"""Working days: the 2026 statutory calendar, overrides, the unknown-year fallback."""

from __future__ import annotations

import datetime as dt

from conftest import Oa
from hypothesis import given, settings
from hypothesis import strategies as st

from oa_cli.domain.calendar import WorkCalendar

D = dt.date


def test_national_day_2026_is_off_and_saturday_oct_10_is_worked() -> None:
    cal = WorkCalendar("cn")
    assert not any(cal.is_workday(D(2026, 10, d)) for d in range(1, 8))
    assert cal.is_workday(D(2026, 10, 8))
    assert cal.is_workday(D(2026, 10, 10))  # make-up workday (Saturday)
    assert not cal.is_workday(D(2026, 10, 11))
    # 2026-09-30 (Wed) + 1 working day skips the whole holiday week
    assert cal.add(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert cal.add(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert cal.count(D(2026, 9, 30), D(2026, 10, 12)) == 4


def test_weekdays_calendar_ignores_statutory_holidays() -> None:
    cal = WorkCalendar("weekdays")
    assert cal.is_workday(D(2026, 10, 1))
    assert not cal.is_workday(D(2026, 10, 10))


def test_config_overrides_win_over_both_calendars() -> None:
    cal = WorkCalendar("cn", holidays=[D(2026, 11, 24)], workdays=[D(2026, 11, 28)])
    assert not cal.is_workday(D(2026, 11, 24))
    assert cal.is_workday(D(2026, 11, 28))


def test_unknown_year_falls_back_to_weekdays_and_warns_once() -> None:
    warned: list[int] = []
    cal = WorkCalendar("cn", holidays=[D(2027, 1, 1)], on_unknown_year=warned.append)
    assert not cal.is_workday(D(2027, 1, 1))  # the override still applies
    assert cal.is_workday(D(2027, 10, 1))  # Friday, no statutory data for 2027
    assert not cal.is_workday(D(2027, 10, 2))
    cal.count(D(2027, 1, 1), D(2027, 12, 31))
    assert warned == [2027]


def test_counting_across_a_year_boundary() -> None:
    cal = WorkCalendar("weekdays")
    assert cal.count(D(2026, 12, 30), D(2027, 1, 5)) == 4  # Thu, Fri, Mon, Tue


dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2028, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=400))
def test_adding_n_working_days_then_counting_back_gives_n(start: dt.date, n: int) -> None:
    cal = WorkCalendar("cn", on_unknown_year=lambda year: None)
    end = cal.add(start, n)
    assert cal.count(start, end) == n
    assert n == 0 or cal.is_workday(end)


@settings(max_examples=200, deadline=None)
@given(a=dates, b=dates)
def test_count_matches_a_day_by_day_loop(a: dt.date, b: dt.date) -> None:
    cal = WorkCalendar("cn", on_unknown_year=lambda year: None)
    start, end = min(a, b), max(a, b)
    if (end - start).days > 800:
        end = start + dt.timedelta(days=800)
    loop = sum(
        cal.is_workday(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1)
    )
    assert cal.count(start, end) == loop


def test_cli_warns_once_naming_the_year(oa: Oa) -> None:
    result = oa.ok("add", "跨年事项", "--due", "+30wd", now="2026-12-20")
    warnings = [line for line in result.err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "2027" in warnings[0]


def test_workday_exit_codes(oa: Oa) -> None:
    assert oa.ok("workday", "2026-10-10").code == 0
    oa.fails(1, "workday", "2026-10-01")
    oa.fails(1, "workday", now="2026-11-28")  # Saturday
    oa.ok("workday", now="2026-11-27")


def test_workday_follows_the_config(oa: Oa) -> None:
    oa.write_config("calendar: weekdays\nholidays: [2026-11-27]\n")
    oa.fails(1, "workday", "2026-11-27")
    oa.ok("workday", "2026-10-01")
