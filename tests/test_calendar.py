"""Working days: the 2026 statutory calendar, overrides, the unknown-year fallback."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from conftest import Oa
from hypothesis import given, settings
from hypothesis import strategies as st

from oa_cli.domain.calendar import FIRST_DAY, LAST_DAY, WorkCalendar, unknown_year_message
from oa_cli.errors import InvalidInput
from oa_cli.i18n import set_lang

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


def test_unknown_year_falls_back_to_weekdays_and_the_days_fixed_by_law() -> None:
    warned: list[int] = []
    cal = WorkCalendar("cn", workdays=[D(2027, 10, 9)], on_unknown_year=warned.append)
    assert not cal.is_workday(D(2027, 1, 1))  # New Year's day (Friday), fixed by law
    assert not cal.is_workday(D(2027, 5, 1))  # Saturday anyway
    assert not any(cal.is_workday(D(2027, 10, d)) for d in (1, 2, 3))
    assert cal.is_workday(D(2027, 10, 4))  # Monday: the rest of the week is not known
    assert cal.is_workday(D(2027, 2, 8))  # Spring Festival eve is not known either
    assert cal.is_workday(D(2027, 10, 9))  # the configured make-up day (Saturday)
    cal.count(D(2027, 1, 1), D(2030, 12, 31))
    assert warned == [2027]  # one warning, naming the first unknown year met


def test_working_days_kept_ahead_do_not_warn_but_a_date_asked_about_still_does() -> None:
    warned: list[int] = []
    cal = WorkCalendar("cn", on_unknown_year=warned.append)
    days = cal.workdays_between(D(2026, 12, 30), D(2027, 1, 5))
    assert days == [D(2026, 12, 30), D(2026, 12, 31), D(2027, 1, 4), D(2027, 1, 5)]
    assert warned == []
    assert cal.is_workday(D(2027, 1, 4)) and warned == [2027]


def test_config_holiday_applies_in_an_unknown_year() -> None:
    cal = WorkCalendar("cn", holidays=[D(2027, 2, 8)], on_unknown_year=lambda year: None)
    assert not cal.is_workday(D(2027, 2, 8))


def test_weekdays_calendar_keeps_new_years_day_in_unknown_years() -> None:
    assert WorkCalendar("weekdays").is_workday(D(2027, 1, 1))


def test_workday_2027_01_01_is_not_a_working_day() -> None:
    # what `oa workday 2027-01-01` asks; the next working day is Monday 4 January
    cal = WorkCalendar("cn", on_unknown_year=lambda year: None)
    assert not cal.is_workday(D(2027, 1, 1))
    assert cal.add(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_unknown_year_message_says_what_to_do() -> None:
    text = unknown_year_message(2027)
    assert "2027" in text and "holidays:" in text and "workdays:" in text
    assert "config" in text


def test_unknown_year_message_in_chinese() -> None:
    set_lang("zh")
    try:
        text = unknown_year_message(2031)
    finally:
        set_lang("en")
    assert "2031" in text and "节假日" in text and "holidays:" in text and "workdays:" in text


def test_adding_beyond_2100_is_refused_quickly() -> None:
    cal = WorkCalendar("cn", on_unknown_year=lambda year: None)
    start = time.perf_counter()
    for n in (99999, -99999, 10**12, 20000, -12000):
        with pytest.raises(InvalidInput, match="2100-12-31"):
            cal.add(D(2026, 11, 23), n)
    assert time.perf_counter() - start < 0.5
    assert cal.add(D(2100, 12, 30), 1) == D(2100, 12, 31)  # a Friday
    assert cal.add(D(1990, 1, 3), -1) == D(1990, 1, 2)
    with pytest.raises(InvalidInput):
        cal.add(D(2100, 12, 31), 1)


def test_counting_the_whole_range_is_fast() -> None:
    cal = WorkCalendar("cn", on_unknown_year=lambda year: None)
    start = time.perf_counter()
    total = cal.count(FIRST_DAY, LAST_DAY)
    assert 25000 < total < 29000
    assert cal.add(FIRST_DAY, total) <= LAST_DAY
    assert time.perf_counter() - start < 0.5


def test_counting_across_a_year_boundary() -> None:
    cal = WorkCalendar("weekdays")
    assert cal.count(D(2026, 12, 30), D(2027, 1, 5)) == 4  # Thu, Fri, Mon, Tue


dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2028, 12, 31))
anywhen = st.dates(min_value=FIRST_DAY, max_value=D(2099, 12, 31))
SHARED = WorkCalendar("cn", on_unknown_year=lambda year: None)
OVERRIDDEN = WorkCalendar(
    "cn",
    holidays=[D(2026, 12, 31), D(2027, 2, 8), D(2027, 2, 9)],
    workdays=[D(2027, 2, 6), D(2026, 10, 3)],
    on_unknown_year=lambda year: None,
)
calendars = st.sampled_from([SHARED, OVERRIDDEN, WorkCalendar("weekdays")])


def add_by_walking(cal: WorkCalendar, start: dt.date, n: int) -> dt.date:
    """The definition of `add`, one day at a time."""
    day, step, remaining = start, dt.timedelta(days=1 if n >= 0 else -1), abs(n)
    while remaining:
        day += step
        remaining -= cal.is_workday(day)
    return day


def earliest_by_walking(cal: WorkCalendar, end: dt.date, n: int) -> dt.date:
    day, one = end, dt.timedelta(days=1)
    while cal.count(day - one, end) <= n:
        day -= one
    return day


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=400))
def test_adding_n_working_days_then_counting_back_gives_n(start: dt.date, n: int) -> None:
    cal = WorkCalendar("cn", on_unknown_year=lambda year: None)
    end = cal.add(start, n)
    assert cal.count(start, end) == n
    assert n == 0 or cal.is_workday(end)


@settings(max_examples=400, deadline=None)
@given(start=anywhen, n=st.integers(min_value=0, max_value=250), cal=calendars)
def test_add_then_count_anywhere_in_the_range(start: dt.date, n: int, cal: WorkCalendar) -> None:
    end = cal.add(start, n)
    assert cal.count(start, end) == n
    assert n == 0 or cal.is_workday(end)


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=D(1991, 6, 1), max_value=D(2099, 6, 1)),
    n=st.integers(min_value=-300, max_value=300),
    cal=calendars,
)
def test_add_matches_walking_day_by_day(start: dt.date, n: int, cal: WorkCalendar) -> None:
    assert cal.add(start, n) == add_by_walking(cal, start, n)


@settings(max_examples=200, deadline=None)
@given(
    end=st.dates(min_value=D(1991, 6, 1), max_value=LAST_DAY),
    n=st.integers(min_value=0, max_value=30),
    cal=calendars,
)
def test_earliest_within_matches_walking(end: dt.date, n: int, cal: WorkCalendar) -> None:
    assert cal.earliest_within(end, n) == earliest_by_walking(cal, end, n)


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


def test_workday_names_the_holiday_and_its_make_up_day(oa: Oa) -> None:
    off = oa.fails(1, "--lang", "zh", "workday", "2026-10-03")
    assert off.out.strip() == "2026-10-03 (星期六) 不是工作日：国庆节"
    made_up = oa.ok("--lang", "zh", "workday", "2026-10-10").out.strip()
    assert made_up == "2026-10-10 (星期六) 是工作日：国庆节调休上班"
    assert oa.ok("workday", "2026-10-10").out.strip().endswith("National Day make-up working day")
    assert oa.ok("workday", "2026-11-30").out.strip() == "2026-11-30 (Monday) is a working day"
    oa.write_config("workdays: [2026-10-03]\n")  # the office's own: no holiday named
    assert oa.ok("workday", "2026-10-03").out.strip() == "2026-10-03 (Saturday) is a working day"
    # -q: the exit status alone, for `oa workday -q && oa escalate --auto`
    assert (oa.fails(1, "workday", "-q", "2026-11-28").out, oa.ok("workday", "-q").out) == ("", "")
    assert oa.fails(1, "workday", "-q", "2099-01-01").err == ""  # not even the year's warning
    # a day asked about lies ahead, as a deadline does: 周五 is the coming Friday
    assert oa.ok("workday", "周五", now="2026-11-25T09:00").out.startswith("2026-11-27 ")


def test_a_holiday_is_named_in_full() -> None:
    from oa_cli.i18n import t

    set_lang("zh")
    try:
        cal = WorkCalendar("cn")
        assert t(cal.festival(dt.date(2026, 9, 25)) or "") == "中秋节"
        assert cal.festival(dt.date(2026, 11, 30)) is None
        assert WorkCalendar("weekdays").festival(dt.date(2026, 10, 1)) is None
        # a year the package does not know yet: the days fixed by law keep their names
        assert t(cal.festival(dt.date(2099, 1, 1)) or "") == "元旦"
        assert t(cal.festival(dt.date(2099, 10, 3)) or "") == "国庆节"
        assert cal.festival(dt.date(2099, 2, 10)) is None
    finally:
        set_lang("en")
