"""Dates as Chinese offices write them: forms, the 180-day rule, cells, --now, messages."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.dates import cell_date, check_day, parse_date, parse_due, parse_now
from oa_cli.errors import InvalidInput
from oa_cli.i18n import set_lang

D = dt.date
TODAY = D(2026, 11, 23)

FORMS: dict[str, Callable[[dt.date], str]] = {
    "iso": lambda d: d.isoformat(),
    "slash": lambda d: f"{d.year}/{d.month}/{d.day}",
    "dot": lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    "chinese": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "date-time": lambda d: f"{d.isoformat()} 17:00",
    "iso date-time": lambda d: f"{d.isoformat()}T08:30:15",
}


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.fixture
def zh() -> Iterator[None]:
    set_lang("zh")
    yield
    set_lang("en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-20", D(2026, 12, 20)),
        ("2026-1-5", D(2026, 1, 5)),
        ("2026/12/20", D(2026, 12, 20)),
        ("2026/1/5", D(2026, 1, 5)),
        ("2026.12.20", D(2026, 12, 20)),
        ("2026年12月20日", D(2026, 12, 20)),
        ("2026年1月5日", D(2026, 1, 5)),
        ("2026 年 1 月 5 日", D(2026, 1, 5)),
        ("12月20日", D(2026, 12, 20)),
        ("１２月２０日", D(2026, 12, 20)),
        ("２０２６／１２／２０", D(2026, 12, 20)),
        ("\u3000 2026-12-20 \t", D(2026, 12, 20)),
        ("2026-12-20 17:00", D(2026, 12, 20)),
        ("2026-12-20T17:00", D(2026, 12, 20)),
        ("2026-12-20T17:00:59+08:00", D(2026, 12, 20)),
        ("2026年12月20日 17:00", D(2026, 12, 20)),
        ("２０２６－１２－２０　１７：００", D(2026, 12, 20)),
        ("2024-02-29", D(2024, 2, 29)),
    ],
)
def test_parse_date_reads_every_form(text: str, expected: dt.date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-12/20",
        "2026-123-1",
        "26-12-20",
        "20261220",
        "2026-02-30",
        "2026-00-10",
        "2025-02-29",
        "2026年13月1日",
        "2026年12月",
        "2026-12-20 17",
        "2026-12-20T",
        "today",
    ],
)
def test_parse_date_gives_none_for_what_is_not_a_day(text: str) -> None:
    assert parse_date(text, today=TODAY) is None


def test_month_and_day_alone_need_the_clock() -> None:
    assert parse_date("12月20日") is None  # existing callers without a clock
    assert parse_date("2026-12-20") == D(2026, 12, 20)


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (D(2026, 12, 28), "1月5日", D(2027, 1, 5)),  # New Year's week: next January
        (D(2026, 12, 28), "12月20日", D(2026, 12, 20)),  # a week ago stays this year
        (D(2027, 1, 5), "12月20日", D(2027, 12, 20)),  # only 180 days back count as past
        (D(2027, 1, 5), "1月4日", D(2027, 1, 4)),
        (D(2026, 6, 23), "12月25日", D(2026, 12, 25)),
        # exactly 180 days before today is still this year's; 181 is next year's
        (D(2026, 12, 28), "7月1日", D(2026, 7, 1)),
        (D(2026, 12, 28), "6月30日", D(2027, 6, 30)),
        (D(2024, 3, 1), "2月29日", D(2024, 2, 29)),
    ],
)
def test_month_and_day_take_the_clocks_year_unless_more_than_180_days_past(
    today: dt.date, text: str, expected: dt.date
) -> None:
    assert parse_date(text, today=today) == expected


def test_the_180_day_edge_itself() -> None:
    today = D(2026, 12, 28)
    assert (today - D(2026, 7, 1)).days == 180
    assert (today - D(2026, 6, 30)).days == 181


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)),
    form=st.sampled_from(sorted(FORMS)),
    wide=st.booleans(),
)
def test_parse_date_gives_back_a_formatted_date(day: dt.date, form: str, wide: bool) -> None:
    text = FORMS[form](day)
    assert parse_date(full_width(text) if wide else text) == day


@settings(max_examples=300, deadline=None)
@given(
    today=st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 6, 1)),
    offset=st.integers(min_value=-180, max_value=184),
)
def test_month_and_day_give_back_a_date_near_the_clock(today: dt.date, offset: int) -> None:
    day = today + dt.timedelta(days=offset)
    assume(day.year >= today.year and (day.month, day.day) != (2, 29))
    assert parse_date(f"{day.month}月{day.day}日", today=today) == day


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=24))
def test_parse_date_never_raises(text: str) -> None:
    result = parse_date(text, today=TODAY)
    assert result is None or isinstance(result, dt.date)


def test_full_width_is_what_nfkc_makes_ascii() -> None:
    assert unicodedata.normalize("NFKC", full_width("2026-12-20")) == "2026-12-20"


# -- --now -------------------------------------------------------------------
def test_now_is_midnight_local_for_a_date_alone() -> None:
    assert parse_now("2026-11-23").isoformat() == "2026-11-23T00:00:00+08:00"
    assert parse_now("2026年11月23日").isoformat() == "2026-11-23T00:00:00+08:00"
    assert parse_now("11月23日", today=TODAY).isoformat() == "2026-11-23T00:00:00+08:00"


def test_now_takes_date_times() -> None:
    assert parse_now("2026-11-23T09:30").isoformat() == "2026-11-23T09:30:00+08:00"
    assert parse_now("2026/11/23 9:30").isoformat() == "2026-11-23T09:30:00+08:00"
    assert (
        parse_now("2026-11-23T09:30:00+00:00").isoformat() == "2026-11-23T17:30:00+08:00"
    )  # on the office clock


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", "invalid --now 'soon'"),
        ("+1d", "invalid --now '+1d'"),
        ("2026-11-23 24:30", "invalid --now '2026-11-23 24:30'"),
        ("2026-02-30", "--now '2026-02-30': there is no such day"),
        ("2101-01-01", "--now '2101-01-01' is outside the supported dates 1990-01-01 … 2100-12-31"),
        ("1989-12-31T23:00", "is outside the supported dates"),
    ],
)
def test_a_bad_now_is_invalid_input(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_now(text)
    assert message in caught.value.message


# -- values from YAML and spreadsheets --------------------------------------------
def test_check_day_passes_days_in_range_and_names_the_others() -> None:
    assert check_day(D(1990, 1, 1), "holidays") == D(1990, 1, 1)
    assert check_day(dt.datetime(2100, 12, 31, 23, 59), "due") == dt.datetime(2100, 12, 31, 23, 59)
    with pytest.raises(InvalidInput) as caught:
        check_day(D(2200, 1, 1), "holidays")
    assert caught.value.message == (
        "holidays '2200-01-01' is outside the supported dates 1990-01-01 … 2100-12-31"
    )
    with pytest.raises(InvalidInput):
        check_day(dt.datetime(1989, 12, 31, 23, 59), "received_at")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(2026, 12, 20), D(2026, 12, 20)),
        (dt.datetime(2026, 12, 20, 17, 0), D(2026, 12, 20)),
        (46376, D(2026, 12, 20)),  # Excel's serial number of 2026-12-20
        (46376.75, D(2026, 12, 20)),  # 18:00 that day
        (32874, D(1990, 1, 1)),
        ("2026年12月20日", D(2026, 12, 20)),
        (" 2026/12/20 ", D(2026, 12, 20)),
        ("12月20日", D(2026, 12, 20)),
        (None, None),
        ("", None),
        ("下周", None),
        (True, None),
        (float("nan"), None),
        (float("inf"), None),
        (-5, None),
        (10**9, None),
        ([2026, 12, 20], None),
    ],
)
def test_cell_date_reads_spreadsheet_cells(value: object, expected: dt.date | None) -> None:
    assert cell_date(value, today=TODAY) == expected


# -- messages under --lang zh --------------------------------------------------------
CAL = WorkCalendar("weekdays")


def read_due(text: str) -> dt.date:
    return parse_due(text, base=TODAY, today=TODAY, calendar=CAL)


def test_unreadable_deadline_lists_the_forms_in_chinese(zh: None) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_due("下周")
    message = caught.value.message
    assert message.startswith("时限“下周”无效")
    assert "YYYY年MM月DD日" in message and "MM月DD日" in message and "工作日" in message


def test_range_and_missing_day_errors_in_chinese(zh: None) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_due("+99999wd")
    assert caught.value.message == "时限“+99999wd”超出支持的日期范围（1990-01-01 至 2100-12-31）"
    with pytest.raises(InvalidInput) as caught:
        read_due("2026-02-30")
    assert caught.value.message == "时限“2026-02-30”：日历上没有这一天"
    with pytest.raises(InvalidInput) as caught:
        parse_now("明天")
    assert caught.value.message.startswith("--now 的值“明天”无效")


def test_calendar_range_error_in_chinese(zh: None) -> None:
    with pytest.raises(InvalidInput) as caught:
        CAL.add(D(2100, 12, 30), 5)
    assert "超出支持的日期范围" in caught.value.message


WEDNESDAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今天", "2026-11-25"),
        ("明天", "2026-11-26"),
        ("后天", "2026-11-27"),
        ("周五", "2026-11-27"),  # the next Friday
        ("星期三", "2026-11-25"),  # today is one
        ("周一", "2026-11-30"),
        ("本周一", "2026-11-23"),
        ("这周五", "2026-11-27"),
        ("下周五", "2026-12-04"),
        ("上周五", "2026-11-20"),
        ("礼拜天", "2026-11-29"),
        ("下星期日", "2026-12-06"),
        ("2026年12月1日。", "2026-12-01"),
        ("１２月１日，", "2026-12-01"),
    ],
)
def test_days_named_in_chinese(text: str, expected: str) -> None:
    cal = WorkCalendar("cn", on_unknown_year=lambda year: None)
    found = parse_due(text, base=WEDNESDAY, today=WEDNESDAY, calendar=cal)
    assert found.isoformat() == expected


@pytest.mark.parametrize("text", ["下下周五", "周八", "下周", "周五五"])
def test_what_is_no_named_day_is_refused(text: str) -> None:
    cal = WorkCalendar("cn", on_unknown_year=lambda year: None)
    with pytest.raises(InvalidInput):
        parse_due(text, base=WEDNESDAY, today=WEDNESDAY, calendar=cal)


def test_a_report_day_named_bare_looks_back_and_a_deadline_forward() -> None:
    from oa_cli.domain.dates import parse_day

    cal = WorkCalendar("cn", on_unknown_year=lambda year: None)
    monday = dt.date(2026, 11, 23)
    assert parse_day("周五", today=monday, calendar=cal, what="--date") == dt.date(2026, 11, 20)
    assert parse_day("周一", today=monday, calendar=cal, what="--date") == monday
    assert parse_day("下周五", today=monday, calendar=cal, what="--date") == dt.date(2026, 12, 4)
    assert parse_due("周五", base=monday, today=monday, calendar=cal) == dt.date(2026, 11, 27)


def test_a_named_day_counts_from_today_as_today_and_tomorrow_do() -> None:
    """`add --received D --due 明天` is tomorrow, as `--due tomorrow` is; `+1d` counts
    from the day received."""
    cal = WorkCalendar("cn", on_unknown_year=lambda year: None)
    received, today = dt.date(2026, 10, 9), dt.date(2026, 11, 23)
    for words in (("明天", "tomorrow"), ("今天", "today")):
        found = {parse_due(w, base=received, today=today, calendar=cal) for w in words}
        assert len(found) == 1, words
    assert parse_due("明天", base=received, today=today, calendar=cal) == dt.date(2026, 11, 24)
    assert parse_due("+1d", base=received, today=today, calendar=cal) == dt.date(2026, 10, 10)


def test_only_one_closing_mark_is_dropped() -> None:
    cal = WorkCalendar("cn", on_unknown_year=lambda year: None)
    assert parse_due("2026-12-01。", base=TODAY, today=TODAY, calendar=cal) == D(2026, 12, 1)
    with pytest.raises(InvalidInput):
        parse_due("2026-12-01;;,、", base=TODAY, today=TODAY, calendar=cal)


def test_a_time_reads_on_the_offices_clock_whatever_offset_it_was_stored_with() -> None:
    from oa_cli.domain.dates import minute

    assert minute("2026-11-29T00:16:00+00:00") == "2026-11-29 08:16"  # TZ Asia/Shanghai
    assert minute("2026-11-16T16:00:00+08:00") == "2026-11-16 16:00"
    assert minute("2026-11-16T16:00:00") == "2026-11-16 16:00"


def test_a_received_time_takes_a_day_in_words_looking_back() -> None:
    from oa_cli.domain.dates import parse_datetime

    now = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

    def at(text: str) -> str:
        return parse_datetime(text, now=now, calendar=WorkCalendar("cn")).isoformat()

    assert at("昨天") == at("yesterday") == at("昨天。") == "2026-11-24T00:00:00+08:00"
    assert at("昨天 17:00") == at("昨天17:00") == "2026-11-24T17:00:00+08:00"
    assert at("今天 9:30") == at("today 09:30") == "2026-11-25T09:30:00+08:00"
    assert at("周一") == "2026-11-23T00:00:00+08:00"  # the last Monday, not the next
    assert at("上周五 16:00") == at("周五16:00") == "2026-11-20T16:00:00+08:00"
    with pytest.raises(InvalidInput, match="a day in words"):
        at("星期八")
