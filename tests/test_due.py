"""Every DUE form, the default deadline by priority, received dates."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from conftest import Oa
from hypothesis import given, settings
from hypothesis import strategies as st

from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.dates import parse_datetime, parse_due
from oa_cli.errors import InvalidInput

D = dt.date
CAL = WorkCalendar("cn", on_unknown_year=lambda year: None)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("2026-12-31", "2026-12-31"),
        ("+5d", "2026-11-28"),  # calendar days from the received date (Mon 11-23)
        ("+5wd", "2026-11-30"),  # working days
        ("+0d", "2026-11-23"),
        ("today", "2026-11-23"),
        ("tomorrow", "2026-11-24"),
        ("TODAY", "2026-11-23"),
    ],
)
def test_due_forms_from_the_received_date(due: str, expected: str) -> None:
    day = D(2026, 11, 23)
    assert parse_due(due, base=day, today=day, calendar=CAL).isoformat() == expected


def test_due_on_add(oa: Oa) -> None:
    assert oa.item(oa.add("事项", "--due", "+5wd"))["due"] == "2026-11-30"


def test_relative_due_counts_from_the_received_date_on_add(oa: Oa) -> None:
    item = oa.item(oa.add("补录事项", "--received", "2026-09-30T10:00", "--due", "+2wd"))
    assert item["received_at"] == "2026-09-30T10:00:00+08:00"
    assert item["due"] == "2026-10-09"


def test_today_and_tomorrow_are_the_clocks_even_with_an_old_received_date(oa: Oa) -> None:
    item = oa.item(oa.add("补录事项", "--received", "2026-09-30", "--due", "tomorrow"))
    assert item["due"] == "2026-11-24"


def test_relative_due_on_extend_counts_from_today(oa: Oa) -> None:
    item_id = oa.add("事项", "--received", "2026-11-02")
    oa.ok("extend", str(item_id), "--due", "+3wd", "--reason", "r", now="2026-11-27")
    assert oa.item(item_id)["due"] == "2026-12-02"


@pytest.mark.parametrize(
    ("priority", "due"),
    [("urgent", "2026-11-26"), ("high", "2026-11-30"), ("normal", "2026-12-07")],
)
def test_default_deadline_by_priority_in_working_days(oa: Oa, priority: str, due: str) -> None:
    assert oa.item(oa.add("事项", "--priority", priority))["due"] == due


def test_default_deadline_skips_national_day(oa: Oa) -> None:
    item = oa.item(oa.add("节前事项", "--priority", "urgent", now="2026-09-30T09:00"))
    assert item["due"] == "2026-10-10"  # 10-08, 10-09, 10-10 (make-up Saturday)


def test_deadlines_from_the_config(oa: Oa) -> None:
    oa.write_config("deadlines: {normal: 1}\n")
    assert oa.item(oa.add("事项"))["due"] == "2026-11-24"


def test_a_deadline_before_the_received_date_is_accepted(oa: Oa) -> None:
    item = oa.item(oa.add("补录", "--received", "2026-11-20", "--due", "2026-11-10"))
    assert item["due"] == "2026-11-10"


@pytest.mark.parametrize("bad", ["next week", "2026-02-30", "+99999wd"])
def test_bad_due_is_one_line_and_exit_1(oa: Oa, bad: str) -> None:
    result = oa.fails(1, "add", "事项", "--due", bad)
    assert len(result.err.strip().splitlines()) == 1
    assert "deadline" in result.err
    assert oa.ok("list", "--format", "json").json() == []


def test_chinese_and_slashed_dates_are_accepted(oa: Oa) -> None:
    assert oa.item(oa.add("事项", "--due", "2026年12月3日"))["due"] == "2026-12-03"
    assert oa.item(oa.add("事项", "--due", "2026/12/4"))["due"] == "2026-12-04"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_parse_due_returns_a_date_or_raises_invalid_input(text: str) -> None:
    try:
        value = parse_due(text, base=D(2026, 11, 23), today=D(2026, 11, 23), calendar=CAL)
    except InvalidInput:
        return
    assert isinstance(value, dt.date)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=0, max_value=300), unit=st.sampled_from(["d", "wd"]))
def test_relative_due_round_trips(n: int, unit: str) -> None:
    base = D(2026, 11, 23)
    due = parse_due(f"+{n}{unit}", base=base, today=base, calendar=CAL)
    if unit == "d":
        assert (due - base).days == n
    else:
        assert CAL.count(base, due) == n


MONDAY = D(2026, 11, 23)


def due(text: str, today: dt.date = MONDAY) -> dt.date:
    return parse_due(text, base=today, today=today, calendar=CAL)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026/12/20", D(2026, 12, 20)),
        ("2026.12.20", D(2026, 12, 20)),
        ("2026年12月20日", D(2026, 12, 20)),
        ("12月20日", D(2026, 12, 20)),
        ("２０２６年１２月２０日", D(2026, 12, 20)),
        ("  2026-12-20 17:00 ", D(2026, 12, 20)),
        ("2026-12-20T17:00", D(2026, 12, 20)),
        ("-3d", D(2026, 11, 20)),
        ("-1wd", D(2026, 11, 20)),  # Monday minus one working day: Friday
        ("＋５ｗｄ", D(2026, 11, 30)),
        ("1990-01-01", D(1990, 1, 1)),
        ("2100-12-31", D(2100, 12, 31)),
    ],
)
def test_every_written_form_of_a_deadline(text: str, expected: dt.date) -> None:
    assert due(text) == expected


@pytest.mark.parametrize(
    "text", ["1989-12-31", "2101-01-01", "9999-12-31", "+99999d", "-99999d", "+99999wd", "-99999wd"]
)
def test_a_deadline_outside_1990_to_2100_names_the_value_and_the_range(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        due(text)
    assert caught.value.message == (
        f"deadline '{text}' is outside the supported dates 1990-01-01 … 2100-12-31"
    )


def test_the_edges_of_the_range_by_relative_forms() -> None:
    assert due("+1d", D(2100, 12, 30)) == D(2100, 12, 31)
    assert due("-1d", D(1990, 1, 2)) == D(1990, 1, 1)
    with pytest.raises(InvalidInput, match="outside"):
        due("+2d", D(2100, 12, 30))
    with pytest.raises(InvalidInput, match="outside"):
        due("today", D(2101, 1, 1))


def test_huge_relative_numbers_fail_fast_and_without_warnings() -> None:
    warned: list[int] = []
    cal = WorkCalendar("cn", on_unknown_year=warned.append)
    start = time.perf_counter()
    for text in ("+99999wd", "-99999wd", "+99999d", "+" + "9" * 5000 + "wd", "+20000wd"):
        with pytest.raises(InvalidInput, match="outside"):
            parse_due(text, base=D(2026, 11, 23), today=D(2026, 11, 23), calendar=cal)
    assert time.perf_counter() - start < 0.5
    assert len(warned) <= 1


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "2026年2月29日", "2月30日"])
def test_a_day_that_does_not_exist_is_named(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        due(text)
    assert caught.value.message == f"deadline '{text}': there is no such day"


@pytest.mark.parametrize("text", ["next week", "+5x", "", "+d", "2026-12/20", "20261220", "12月"])
def test_an_unreadable_deadline_lists_the_accepted_forms(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        due(text)
    message = caught.value.message
    assert f"'{text}'" in message
    for form in ("YYYY-MM-DD", "YYYY/MM/DD", "YYYY年MM月DD日", "MM月DD日", "+Nwd", "tomorrow"):
        assert form in message


def test_parse_datetime_takes_the_same_forms() -> None:
    now = dt.datetime(2026, 11, 23, 9, 0).astimezone()
    read = lambda text: parse_datetime(text, now=now, calendar=CAL)  # noqa: E731
    assert read("2026/11/20").isoformat() == "2026-11-20T00:00:00+08:00"
    assert read("2026年11月20日 17:30").isoformat() == "2026-11-20T17:30:00+08:00"
    assert read("11月20日8:05").isoformat() == "2026-11-20T08:05:00+08:00"
    assert (
        read("2026-11-20T17:30:00Z").isoformat() == "2026-11-21T01:30:00+08:00"
    )  # on the office clock
    assert read("-1wd").isoformat() == "2026-11-20T09:00:00+08:00"
    for bad in ("2026-11-20 25:00", "someday", "+99999wd", "1980-01-01"):
        with pytest.raises(InvalidInput, match=re.escape(bad)):
            read(bad)


def test_a_deadline_on_a_rest_day_is_accepted_and_said(oa: Oa) -> None:
    added = oa.ok("--lang", "zh", "add", "周六到期", "--due", "2026-11-28")
    assert added.err.splitlines()[0] == "oa：提示：时限 2026-11-28（星期六）不是工作日"
    item = int(added.out)
    moved = oa.ok("extend", str(item), "--due", "2026-12-06", "--reason", "顺延")
    assert "2026-12-06 (Sunday) is not a working day" in moved.err
    assert (
        "working day"
        not in oa.ok("extend", str(item), "--due", "2026-12-07", "--reason", "顺延").err
    )
    assert "working day" not in oa.ok("add", "工作日到期", "--due", "2026-12-01").err


def test_a_deadline_on_a_day_off_rolls_to_the_next_working_day_when_configured(oa: Oa) -> None:
    """`due_on_day_off: next_working_day` (顺延): add, extend, reopen and the next item of a
    series keep such a deadline on the first working day after; import keeps a record's
    deadline as written (a ledger copied keeps its dates)."""
    oa.write_config("due_on_day_off: next_working_day\n")
    eve = "2026-09-30T09:00"  # before the National Day holiday (10-01 … 10-07)
    added = oa.ok(
        "--lang", "zh", "add", "节前事项", "--due", "10月3日", "--unit", "市住建局", now=eve
    )
    assert added.err.splitlines()[0] == "oa：提示：时限 2026-10-03 适逢休息日，顺延至 2026-10-08"
    item = oa.item(int(added.out), now=eve)
    assert (item["due"], item["original_due"]) == ("2026-10-08", "2026-10-08")
    moved = oa.ok("extend", str(item["id"]), "--due", "2026-10-10", "--reason", "x", now=eve)
    assert oa.item(item["id"], now=eve)["due"] == "2026-10-10"  # a make-up Saturday: kept
    assert "day off" not in moved.err
    monthly = oa.add(
        "月报", "--due", "2026-10-15", "--repeat", "monthly:15", "--unit", "市住建局", now=eve
    )
    closed = oa.ok("close", str(monthly), "--basis", "已报", now="2026-10-15T10:00")
    assert "2026-11-15 is a day off: moved to 2026-11-16" in closed.err
    source = oa.tmp / "one.jsonl"
    source.write_text('{"title": "导入事项", "due": "2026-10-03"}\n', encoding="utf-8")
    oa.ok("import", str(source), now=eve)
    assert [i["due"] for i in oa.ok("export", "--format", "json").json()][-1] == "2026-10-03"


def test_a_wrong_due_on_day_off_setting_is_refused(oa: Oa) -> None:
    oa.write_config("due_on_day_off: roll\n")
    err = oa.fails(1, "list").err  # as every mistake in the configuration
    assert "key 'due_on_day_off': expected as_given or next_working_day" in err


def test_an_older_ledgers_item_owes_its_next_report_by_the_rules_but_never_in_the_past() -> None:
    from oa_cli.config import Config
    from oa_cli.domain.workflow import report_due_from_now_on

    cal, today = WorkCalendar("weekdays"), dt.date(2026, 11, 25)  # a Wednesday

    def owed(assigned: str, reports: int = 0, last: str | None = None) -> str:
        item = {"assigned_at": assigned, "received_at": assigned, "feedback_count": reports,
                "last_feedback_at": last}  # fmt: skip
        return report_due_from_now_on(Config(), cal, item, today)  # type: ignore[arg-type]

    assert owed("2026-11-24T09:00:00+08:00") == "2026-11-27"  # 首报: 3 working days on
    assert owed("2026-11-02T09:00:00+08:00") == "2026-12-02"  # long past: 5 from today
    assert owed("2026-11-02T09:00:00+08:00", 1, "2026-11-23T16:00:00+08:00") == "2026-11-30"
    assert owed("2026-11-02T09:00:00+08:00", 1, "2026-11-10T16:00:00+08:00") == "2026-12-02"
    # the office's day of a time stored with another offset
    assert owed("2026-11-23T17:00:00+00:00") == "2026-11-27"  # 24 Nov, 01:00 in Beijing
