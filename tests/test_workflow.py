"""The office's workflow of issue 13 at its boundaries: 签收, 首报/续报 deadlines, 退回,
corrections and extensions, reopen, recurring items, duplicate and date checks, rule 3,
alerts, and the Chinese words of the workflow.

Clock: Monday 2026-11-23 09:00 unless a test says otherwise. Working days around it:
Nov 23–27, 30, Dec 1–4, 7. Defaults: feedback {ack_within 1, first_within 3, every 5,
resubmit_within 2}, escalation {report_yellow_after 3}."""

# ruff: noqa: E501  (the schema-3 ledger at the end is SQL as the old `oa` wrote it)

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Oa

pytestmark = pytest.mark.backends

Maker = Callable[..., int]
WIDE = {"COLUMNS": "200"}


def _daily(oa: Oa, now: str) -> dict[str, Any]:
    return oa.ok("daily", "--format", "json", now=now).json()


def _section(oa: Oa, name: str, now: str) -> list[int]:
    return [item["id"] for item in _daily(oa, now)["sections"][name]]


def _rows(oa: Oa, now: str) -> dict[str, dict[str, Any]]:
    report = oa.ok("stats", "--format", "json", now=now).json()
    return {row["group"]: row for row in report["rows"]}


def _actions(item: dict[str, Any]) -> list[str]:
    return [event["action"] for event in item["timeline"]]


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


# -- 首报 deadline ------------------------------------------------------------------


def test_first_report_due_on_the_day_is_not_late_and_a_day_after_is(
    oa: Oa, assigned: Maker
) -> None:
    item = assigned()
    assert oa.item(item)["report_due"] == "2026-11-26"  # 3 working days after Monday
    on_the_day = oa.item(item, now="2026-11-26T18:00")
    assert (on_the_day["report_due"], on_the_day["report_overdue_days"]) == ("2026-11-26", 0)
    assert _section(oa, "awaiting_feedback", "2026-11-26T18:00") == []
    day_after = oa.item(item, now="2026-11-27T09:00")
    assert day_after["report_overdue_days"] == 1
    assert _section(oa, "awaiting_feedback", "2026-11-27T09:00") == [item]
    # the weekend adds nothing: Monday is the second working day late
    assert oa.item(item, now="2026-11-29T09:00")["report_overdue_days"] == 1
    assert oa.item(item, now="2026-11-30T09:00")["report_overdue_days"] == 2


def test_first_report_filed_on_its_due_day_is_on_time_and_a_day_later_is_not(oa: Oa) -> None:
    on_time = oa.add("按时首报", "--unit", "市财政局")
    late = oa.add("迟报首报", "--unit", "市住建局")
    oa.ok("feedback", str(on_time), "已制定方案", now="2026-11-26T17:30")
    oa.ok("feedback", str(late), "已制定方案", now="2026-11-27T09:00")
    # the follow-up is owed `every` (5) working days after the counted report
    assert oa.item(on_time)["report_due"] == "2026-12-03"
    assert oa.item(late)["report_due"] == "2026-12-04"
    rows = _rows(oa, "2026-11-30")
    assert (rows["市财政局"]["first_reports"], rows["市财政局"]["first_reports_on_time"]) == (1, 1)
    assert (rows["市住建局"]["first_reports"], rows["市住建局"]["first_reports_on_time"]) == (1, 0)


def test_first_report_due_across_the_national_day_holiday(oa: Oa) -> None:
    # assigned Wed 09-30; Oct 1–7 off; working days Oct 8, 9 and Saturday 10 (make-up)
    item = oa.add("节前交办", "--unit", "市住建局", now="2026-09-30T09:00")
    assert oa.item(item, now="2026-09-30T10:00")["report_due"] == "2026-10-10"
    for day in ("2026-10-05", "2026-10-09", "2026-10-10", "2026-10-11"):
        assert oa.item(item, now=f"{day}T18:00")["report_overdue_days"] == 0, day
    assert oa.item(item, now="2026-10-12T09:00")["report_overdue_days"] == 1
    assert _section(oa, "awaiting_feedback", "2026-10-12T09:00") == [item]


def test_report_due_is_null_unless_assigned(oa: Oa, assigned: Maker) -> None:
    registered = oa.add("待交办事项")
    assert oa.item(registered)["report_due"] is None
    closed, cancelled = assigned(), assigned()
    oa.ok("close", str(closed), "--basis", "已办结", now="2026-11-24")
    oa.ok("cancel", str(cancelled), "--reason", "重复登记", now="2026-11-24")
    assert oa.item(closed, now="2026-11-30")["report_due"] is None
    assert oa.item(closed, now="2026-11-30")["report_overdue_days"] == 0
    assert oa.item(cancelled, now="2026-11-30")["report_due"] is None


def test_daily_says_whether_a_first_or_follow_up_report_is_owed_and_since_when(oa: Oa) -> None:
    first = oa.add("甲事项", "--unit", "市住建局")
    follow = oa.add("乙事项", "--unit", "市财政局")
    oa.ok("feedback", str(follow), "首报内容", now="2026-11-23T10:00")
    out = oa.ok("--lang", "zh", "daily", "--format", "markdown", now="2026-12-01T09:00").out
    section = out[out.index("## 待反馈") :]
    first_row = next(line for line in section.splitlines() if "甲事项" in line)
    follow_row = next(line for line in section.splitlines() if "乙事项" in line)
    assert "首报" in first_row and "2026-11-26" in first_row
    assert "续报" in follow_row and "2026-11-30" in follow_row
    assert _section(oa, "awaiting_feedback", "2026-12-01T09:00") == [first, follow]


# -- 签收 -------------------------------------------------------------------------


def test_unacknowledged_after_ack_within_working_days_until_acknowledged(
    oa: Oa, assigned: Maker
) -> None:
    item = assigned()
    assert _section(oa, "unacknowledged", "2026-11-24T09:00") == []  # 1 day: not more
    assert _section(oa, "unacknowledged", "2026-11-25T09:00") == [item]
    oa.ok("ack", str(item), "--by", "张科长", now="2026-11-25T10:00")
    assert oa.item(item)["acked_at"] == "2026-11-25T10:00:00+08:00"
    assert _section(oa, "unacknowledged", "2026-11-25T11:00") == []


def test_transfer_clears_the_acknowledgement_and_a_second_ack_names_the_first(
    oa: Oa, assigned: Maker
) -> None:
    item = assigned()
    oa.ok("ack", str(item), "--by", "张科长", now="2026-11-23T10:00")
    assert oa.item(item)["acked_at"] == "2026-11-23T10:00:00+08:00"
    said = oa.ok("assign", str(item), "市财政局", now="2026-11-24T09:00").err
    assert "no time" not in said
    moved = oa.item(item, now="2026-11-24T09:30")
    assert (moved["unit"], moved["acked_at"]) == ("市财政局", None)
    oa.ok("ack", str(item), "--by", "李科长", now="2026-11-24T11:00")
    assert oa.item(item)["acked_at"] == "2026-11-24T11:00:00+08:00"
    again = oa.fails(1, "ack", str(item), now="2026-11-24T15:00")
    assert _first_line(again.err).endswith("was already acknowledged at 2026-11-24 11:00")
    assert oa.item(item)["acked_at"] == "2026-11-24T11:00:00+08:00"
    assert _actions(oa.item(item)).count("ack") == 2
    # handed on on its deadline: the clerk is told how to give the new unit time
    due = oa.item(item)["due"]
    late = oa.ok("--lang", "zh", "assign", str(item), "市发改委", now=f"{due}T09:00").err
    assert (
        f"时限 {due} 已到或已过，市发改委 已无办理时间；如需给予时间：oa extend {item} --due"
        in late
    )


def test_assigning_again_to_the_same_unit_keeps_its_ack_and_report_deadline(
    oa: Oa, assigned: Maker
) -> None:
    item = assigned()
    oa.ok("ack", str(item), now="2026-11-23T10:00")
    before = oa.item(item)
    said = oa.ok("assign", str(item), before["unit"], "--owner", "王科长", now="2026-11-25T09:00")
    assert "stays with" in said.err and "transferred" not in said.err
    after = oa.item(item)
    assert after["owner"] == "王科长"
    assert (after["acked_at"], after["report_due"]) == (before["acked_at"], before["report_due"])
    oa.ok("verify")


def test_ack_of_a_registered_item_is_refused_naming_the_status(oa: Oa) -> None:
    item = oa.add("待交办事项")
    result = oa.fails(1, "ack", str(item))
    assert "registered" in _first_line(result.err)
    assert oa.item(item)["acked_at"] is None


@pytest.mark.parametrize("state", ["registered", "closed", "cancelled"])
@pytest.mark.parametrize(
    "verb",
    [
        ["ack"],
        ["return", "--reason", "内容空泛"],
        ["extend", "--due", "2026-12-01", "--reason", "录错", "--correct"],
    ],
)
def test_workflow_verbs_name_the_status_they_refuse(
    oa: Oa, assigned: Maker, state: str, verb: list[str]
) -> None:
    if state == "registered":
        item = oa.add("新收事项")
    else:
        item = assigned()
        oa.ok("feedback", str(item), "首报", now="2026-11-23T10:00")
        if state == "closed":
            oa.ok("close", str(item), "--basis", "已报结果", now="2026-11-23T11:00")
        else:
            oa.ok("cancel", str(item), "--reason", "重复登记", now="2026-11-23T11:00")
    if verb[0] == "extend" and state == "registered":
        oa.ok(verb[0], str(item), *verb[1:])  # extend acts on open items, registered too
        return
    before = oa.item(item)
    result = oa.fails(1, verb[0], str(item), *verb[1:], now="2026-11-23T12:00")
    assert state in _first_line(result.err)
    assert oa.item(item) == before


# -- 退回 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("returned_at", "owed_again"),
    [
        # the answered 首报 due (11-26) is later than 2 working days from 11-23 (11-25)
        ("2026-11-23T15:00", "2026-11-26"),
        # 2 working days from Wednesday 11-25 (11-27) is later than the answered 11-26
        ("2026-11-25T15:00", "2026-11-27"),
        # returned on Friday: the weekend is not counted (Mon 11-30, Tue 12-01)
        ("2026-11-27T15:00", "2026-12-01"),
    ],
)
def test_return_of_a_first_report(
    oa: Oa, assigned: Maker, returned_at: str, owed_again: str
) -> None:
    item = assigned()
    oa.ok("feedback", str(item), "收到，正在研究", now="2026-11-23T10:00")
    filed = oa.item(item)
    assert (filed["feedback_count"], filed["report_due"]) == (1, "2026-11-30")
    oa.ok("return", str(item), "--reason", "内容空泛", now=returned_at)
    back = oa.item(item, now=returned_at)
    assert (back["feedback_count"], back["last_feedback_at"]) == (0, None)
    assert back["report_due"] == owed_again
    assert _actions(back)[-1] == "return"
    # the next report filed is the 首报 again
    oa.ok("feedback", str(item), "已制定工作方案", now=returned_at)
    again = oa.item(item, now=returned_at)
    assert (again["feedback_count"], again["last_feedback_at"]) == (1, f"{returned_at}:00+08:00")


@pytest.mark.parametrize(
    ("returned_at", "owed_again"),
    [
        # the 续报 answered the due of 12-01; 2 working days from 11-26 is 11-30
        ("2026-11-26T15:00", "2026-12-01"),
        # 2 working days from Monday 11-30 is 12-02, later than the answered 12-01
        ("2026-11-30T15:00", "2026-12-02"),
    ],
)
def test_return_of_a_follow_up_report(
    oa: Oa, assigned: Maker, returned_at: str, owed_again: str
) -> None:
    item = assigned()
    oa.ok("feedback", str(item), "首报", now="2026-11-24T10:00")
    assert oa.item(item)["report_due"] == "2026-12-01"
    oa.ok("feedback", str(item), "续报", now="2026-11-26T10:00")
    filed = oa.item(item)
    assert (filed["feedback_count"], filed["report_due"]) == (2, "2026-12-03")
    oa.ok("return", str(item), "--reason", "未报具体进展", now=returned_at)
    back = oa.item(item, now=returned_at)
    assert back["feedback_count"] == 1
    assert back["last_feedback_at"] == "2026-11-24T10:00:00+08:00"
    assert back["report_due"] == owed_again


def test_return_with_no_counted_report_is_refused(oa: Oa, assigned: Maker) -> None:
    item = assigned()
    oa.fails(1, "return", str(item), "--reason", "无")
    oa.ok("feedback", str(item), "收到", now="2026-11-23T10:00")
    oa.ok("return", str(item), "--reason", "内容空泛", now="2026-11-23T11:00")
    oa.fails(1, "return", str(item), "--reason", "再退", now="2026-11-23T12:00")
    after = oa.item(item)
    assert (after["feedback_count"], after["report_due"]) == (0, "2026-11-26")
    assert _actions(after).count("return") == 1


def test_returned_reports_count_in_stats(oa: Oa, assigned: Maker) -> None:
    item = assigned()
    oa.ok("feedback", str(item), "收到", now="2026-11-23T10:00")
    oa.ok("return", str(item), "--reason", "内容空泛", now="2026-11-23T11:00")
    row = _rows(oa, "2026-11-23T12:00")["市住建局"]
    assert (row["returned"], row["first_reports"]) == (1, 0)


# -- extensions and corrections -----------------------------------------------------


def test_extend_to_an_earlier_or_the_same_deadline_is_refused_without_correct(
    oa: Oa, assigned: Maker
) -> None:
    item = assigned("--due", "2026-12-07")
    for due in ("2026-12-04", "2026-12-07"):
        result = oa.fails(1, "extend", str(item), "--due", due, "--reason", "笔误")
        assert "--correct" in _first_line(result.err)
    unchanged = oa.item(item)
    assert (unchanged["due"], unchanged["original_due"]) == ("2026-12-07", "2026-12-07")
    assert "extend" not in _actions(unchanged)
    oa.ok("extend", str(item), "--due", "2026-12-04", "--reason", "笔误", "--correct")
    corrected = oa.item(item)
    assert (corrected["due"], corrected["original_due"]) == ("2026-12-04", "2026-12-04")
    assert _actions(corrected)[-1] == "correct"
    assert "extend" not in _actions(corrected)
    # correcting to the deadline it has already changes nothing and records nothing
    again = oa.fails(1, "extend", str(item), "--due", "2026-12-04", "--reason", "笔误", "--correct")
    assert _first_line(again.err) == "oa: the deadline is 2026-12-04 already: nothing to correct"
    assert _actions(oa.item(item)) == _actions(corrected)


def test_extend_to_a_past_date_is_refused_even_when_later_than_the_deadline(oa: Oa) -> None:
    item = oa.add(
        "已逾期事项", "--received", "2026-11-16", "--due", "2026-11-18", "--unit", "市住建局"
    )
    oa.fails(1, "extend", str(item), "--due", "2026-11-20", "--reason", "需协调")
    assert oa.item(item)["due"] == "2026-11-18"
    # today is not before today: accepted, and the item is no longer overdue
    oa.ok("extend", str(item), "--due", "2026-11-23", "--reason", "需协调")
    extended = oa.item(item)
    assert (extended["due"], extended["original_due"], extended["overdue"]) == (
        "2026-11-23",
        "2026-11-18",
        False,
    )


def test_correct_accepts_a_past_date(oa: Oa, assigned: Maker) -> None:
    # SPEC: refused "unless --correct" — the office fixes what was really written
    item = assigned("--due", "2026-12-07")
    oa.ok("extend", str(item), "--due", "2026-11-20", "--reason", "原件时限为11月20日", "--correct")
    corrected = oa.item(item)
    assert (corrected["due"], corrected["original_due"]) == ("2026-11-20", "2026-11-20")
    assert (corrected["overdue"], corrected["overdue_days"]) == (True, 1)


def test_a_correction_is_not_late_and_an_extension_after_the_deadline_is(oa: Oa) -> None:
    # 市财政局: a typo (11-24) corrected after it had passed to the real deadline 12-04
    corrected = oa.add("时限录错", "--unit", "市财政局", "--due", "2026-11-24")
    oa.ok(
        "extend",
        str(corrected),
        "--due",
        "2026-12-04",
        "--reason",
        "录入错误",
        "--correct",
        now="2026-11-26T09:00",
    )
    # 市住建局: extended after its deadline (11-25) had passed
    late = oa.add("逾期后延期", "--unit", "市住建局", "--due", "2026-11-25")
    oa.ok("extend", str(late), "--due", "2026-12-04", "--reason", "补办", now="2026-11-27T09:00")
    # 市教育局: extended before its deadline
    early = oa.add("按期延期", "--unit", "市教育局", "--due", "2026-11-25")
    oa.ok("extend", str(early), "--due", "2026-12-04", "--reason", "需协调", now="2026-11-24T09:00")
    # 市水务局: extended after its deadline had passed, and still open
    still_open = oa.add("逾期后延期未办结", "--unit", "市水务局", "--due", "2026-11-25")
    oa.ok("extend", str(still_open), "--due", "2026-12-11", "--reason", "补办", now="2026-11-27")
    for item in (corrected, late, early):
        oa.ok("close", str(item), "--basis", "已办结", now="2026-12-02T10:00")
    shown = oa.item(corrected)
    assert (shown["due"], shown["original_due"]) == ("2026-12-04", "2026-12-04")
    assert "correct" in _actions(shown) and "extend" not in _actions(shown)
    assert oa.item(late)["original_due"] == "2026-11-25"
    rows = _rows(oa, "2026-12-07")
    assert (rows["市财政局"]["on_time"], rows["市财政局"]["on_time_rate"]) == (1, 1.0)
    assert (rows["市教育局"]["on_time"], rows["市教育局"]["on_time_rate"]) == (1, 1.0)
    assert (rows["市住建局"]["on_time"], rows["市住建局"]["on_time_rate"]) == (0, 0.0)
    # the late extension costs the `overdue` deduction (5); the correction costs nothing
    assert rows["市财政局"]["score"] == rows["市教育局"]["score"]
    assert rows["市住建局"]["score"] == rows["市教育局"]["score"] - 5
    # open, not overdue now, but extended late: the same deduction, before it is closed
    assert rows["市水务局"]["overdue"] == 0
    # (and its 首报, owed since 11-26 and never filed, costs 1)
    assert rows["市水务局"]["score"] == 100 - 5 - 1


# -- reopen -------------------------------------------------------------------------


def test_reopen_requires_a_new_deadline_and_clears_the_closing_fields(
    oa: Oa, assigned: Maker
) -> None:
    item = assigned("--due", "2026-11-25")
    oa.ok("close", str(item), "--basis", "已办结", "--ref", "住建函〔2026〕9号", now="2026-11-24")
    oa.fails(2, "reopen", str(item), "--reason", "群众反映未落实", now="2026-11-30")
    assert oa.item(item)["status"] == "closed"
    oa.ok(
        "reopen", str(item), "--reason", "群众反映未落实", "--due", "2026-12-10", now="2026-11-30"
    )
    reopened = oa.item(item, now="2026-11-30T10:00")
    assert reopened["status"] == "assigned"
    assert (reopened["closed_at"], reopened["close_basis"], reopened["close_ref"]) == (
        None,
        None,
        None,
    )
    assert (reopened["due"], reopened["overdue"], reopened["overdue_days"]) == (
        "2026-12-10",
        False,
        0,
    )
    assert _actions(reopened)[-2:] == ["close", "reopen"]


def test_an_extension_after_reopening_is_before_the_new_deadline(oa: Oa) -> None:
    item = oa.add("重新办理", "--unit", "市住建局", "--due", "2026-11-25")
    oa.ok("close", str(item), "--basis", "已办结", now="2026-11-24")
    oa.ok("reopen", str(item), "--reason", "未落实", "--due", "2026-12-04", now="2026-11-30")
    oa.ok("extend", str(item), "--due", "2026-12-09", "--reason", "需协调", now="2026-12-01")
    oa.ok("close", str(item), "--basis", "已整改", now="2026-12-08")
    row = _rows(oa, "2026-12-10")["市住建局"]
    assert (row["closed"], row["on_time"]) == (1, 1)


# -- recurring items --------------------------------------------------------------------


def _monthly(oa: Oa) -> int:
    return oa.add(
        "每月报送安全生产情况",
        "--repeat",
        "monthly:10",
        "--due",
        "2026-09-10",
        "--unit",
        "市应急管理局",
        "--co",
        "市住建局",
        "--leader",
        "王市长",
        "--priority",
        "high",
        now="2026-09-01T09:00",
    )


def _same_series(previous: dict[str, Any], nxt: dict[str, Any]) -> None:
    for key in ("title", "leader", "priority", "repeat", "unit", "co_units"):
        assert nxt[key] == previous[key], key
    assert (nxt["status"], nxt["previous_id"]) == ("assigned", previous["id"])


def test_a_monthly_item_closed_early_recurs_after_its_deadline(oa: Oa) -> None:
    first = _monthly(oa)
    oa.ok("close", str(first), "--basis", "已报送", now="2026-09-08T10:00")
    items = oa.ok("list", "--all", "--format", "json", now="2026-09-08T11:00").json()
    assert [(i["id"], i["status"]) for i in items] == [(first, "closed"), (first + 1, "assigned")]
    closed, nxt = oa.item(first), oa.item(first + 1)
    # the first 10th after 09-10, not after the closing day (which would be 09-10)
    assert nxt["due"] == "2026-10-10"
    _same_series(closed, nxt)
    assert closed["previous_id"] is None


def test_a_monthly_item_closed_late_recurs_from_its_deadline_not_the_closing_day(oa: Oa) -> None:
    first = _monthly(oa)
    oa.ok("close", str(first), "--basis", "已报送", now="2026-09-08T10:00")
    second = first + 1
    oa.ok("close", str(second), "--basis", "已报送", now="2026-11-12T10:00")
    third = oa.item(second + 1, now="2026-11-12T11:00")
    # deadline 10-10 → the next 10th is 11-10 (from the closing day it would be 12-10)
    assert third["due"] == "2026-11-10"
    _same_series(oa.item(second), third)


def test_a_weekly_item_recurs_on_the_first_such_weekday_after_its_deadline(oa: Oa) -> None:
    first = oa.add("每周调度", "--repeat", "weekly:5", "--due", "2026-11-27", "--unit", "市住建局")
    oa.ok("close", str(first), "--basis", "已报送", now="2026-11-24T10:00")
    second = oa.item(first + 1, now="2026-11-24T11:00")
    assert (second["due"], second["previous_id"], second["repeat"]) == (
        "2026-12-04",
        first,
        "weekly:5",
    )
    # closed late on Monday 12-14: the Friday after 12-04 (from 12-14 it would be 12-18)
    oa.ok("close", str(first + 1), "--basis", "已报送", now="2026-12-14T10:00")
    assert oa.item(first + 2, now="2026-12-14T11:00")["due"] == "2026-12-11"


@pytest.mark.parametrize(
    "repeat", ["monthly:0", "monthly:32", "weekly:0", "weekly:8", "daily:1", "monthly", "每月"]
)
def test_a_malformed_repeat_is_refused_and_nothing_registered(oa: Oa, repeat: str) -> None:
    result = oa("add", "周期事项", "--repeat", repeat)
    assert result.code in (1, 2), result
    assert "Traceback" not in result.err and _first_line(result.err)
    assert oa.ok("list", "--all", "--format", "json").json() == []


def test_cancelling_a_recurring_item_ends_the_series(oa: Oa) -> None:
    first = _monthly(oa)
    oa.ok("cancel", str(first), "--reason", "不再报送", now="2026-09-08T10:00")
    items = oa.ok("list", "--all", "--format", "json", now="2026-09-09").json()
    assert [(i["id"], i["status"]) for i in items] == [(first, "cancelled")]


def test_a_close_that_is_refused_registers_no_next_item(oa: Oa) -> None:
    first = _monthly(oa)
    oa.fails(1, "close", str(first), "--basis", "  ", now="2026-09-08T10:00")
    items = oa.ok("list", "--all", "--format", "json", now="2026-09-09").json()
    assert [i["id"] for i in items] == [first]


# -- registration checks ------------------------------------------------------------


@pytest.mark.parametrize(
    "again",
    [
        "关于做好冬季供暖保障工作的批示",
        " 关于做好 冬季供暖 保障工作的批示 ",
        "关于做好冬季供暖保障工作的批示。",
        "“关于做好冬季供暖保障工作的批示”！",
        "关于做好冬季供暖保障工作的批示!",
    ],
)
def test_a_duplicate_title_is_warned_naming_the_id_and_still_registered(oa: Oa, again: str) -> None:
    oa.add("其他事项")
    first = oa.add("关于做好冬季供暖保障工作的批示", now="2026-11-23T09:00")
    result = oa.ok("add", again, now="2026-11-23T09:20")
    warning = _first_line(result.err)
    assert "疑似重复" in warning
    assert re.search(rf"(?<!\d){first}(?!\d)", warning), warning
    assert int(result.out) == first + 1
    assert oa.item(first + 1)["title"] == again.strip()


def test_no_duplicate_warning_for_a_different_title(oa: Oa) -> None:
    oa.add("关于做好冬季供暖保障工作的批示")
    result = oa.ok("add", "关于做好夏季防汛工作的批示")
    assert "疑似重复" not in result.err


def test_a_closed_item_received_more_than_30_days_ago_is_no_duplicate(oa: Oa) -> None:
    old = oa.add("月度安全检查", "--unit", "市应急管理局", now="2026-10-20T09:00")
    oa.ok("close", str(old), "--basis", "已办结", now="2026-10-22T09:00")
    assert "疑似重复" not in oa.ok("add", "月度安全检查").err


def test_a_closed_item_received_within_30_days_is_a_duplicate(oa: Oa) -> None:
    recent = oa.add("月度安全检查", "--unit", "市应急管理局", now="2026-10-26T09:00")
    oa.ok("close", str(recent), "--basis", "已办结", now="2026-10-28T09:00")
    assert "疑似重复" in oa.ok("add", "月度安全检查").err


def test_an_open_item_received_long_ago_is_a_duplicate(oa: Oa) -> None:
    oa.add("月度安全检查", "--unit", "市应急管理局", now="2026-09-01T09:00")
    assert "疑似重复" in oa.ok("add", "月度安全检查").err


@pytest.mark.parametrize("received", ["2026-11-23T09:01", "2026-11-24", "2026-11-24T08:00"])
def test_a_received_date_in_the_future_is_refused(oa: Oa, received: str) -> None:
    result = oa.fails(1, "add", "未来收文", "--received", received)
    assert _first_line(result.err)
    assert oa.ok("list", "--all", "--format", "json").json() == []


def test_received_now_is_accepted(oa: Oa) -> None:
    item = oa.add("即时收文", "--received", "2026-11-23T09:00")
    assert oa.item(item)["received_at"] == "2026-11-23T09:00:00+08:00"


def test_a_deadline_before_the_received_date_is_accepted_with_a_warning(oa: Oa) -> None:
    result = oa.ok("add", "补录事项", "--received", "2026-11-20", "--due", "2026-11-19")
    assert "2026-11-19" in _first_line(result.err)
    item = oa.item(int(result.out))
    assert (item["due"], item["received_at"]) == ("2026-11-19", "2026-11-20T00:00:00+08:00")
    quiet = oa.ok("add", "正常事项", "--received", "2026-11-20", "--due", "2026-11-20")
    assert "warning" not in quiet.err


# -- escalation rule 3 and alerts ------------------------------------------------------


def _auto(oa: Oa, day: str) -> None:
    oa.ok("escalate", "--auto", now=f"{day}T07:30")


def test_a_missed_first_report_gets_a_yellow_card_on_the_third_working_day(
    oa: Oa, assigned: Maker
) -> None:
    missed = assigned()
    reported = assigned()
    oa.ok("feedback", str(reported), "首报", now="2026-11-24T10:00")
    for day in ("2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30"):
        _auto(oa, day)
        assert oa.item(missed, now=f"{day}T08:00")["card"] is None, day
    assert oa.item(missed, now="2026-11-30T08:00")["report_overdue_days"] == 2
    _auto(oa, "2026-12-01")
    carded = oa.item(missed, now="2026-12-01T08:00")
    assert (carded["card"], carded["report_overdue_days"], carded["overdue"]) == (
        "yellow",
        3,
        False,
    )
    cards = [e["data"] for e in carded["timeline"] if e["data"].get("card")]
    assert len(cards) == 1 and cards[0]["card"] == "yellow"
    assert oa.item(reported, now="2026-12-01T08:00")["card"] is None


def test_report_yellow_after_comes_from_the_config(oa: Oa, assigned: Maker) -> None:
    oa.write_config("escalation: {report_yellow_after: 1}\n")
    item = assigned()
    _auto(oa, "2026-11-26")
    assert oa.item(item, now="2026-11-26T08:00")["card"] is None
    _auto(oa, "2026-11-27")
    assert oa.item(item, now="2026-11-27T08:00")["card"] == "yellow"


def test_alerts_are_at_most_one_a_day_and_never_counted_as_reminders(
    oa: Oa, assigned: Maker
) -> None:
    item = assigned()
    # 11-27: unacknowledged and the 首报 missed, both at once: still one alert
    for day in ("2026-11-27", "2026-11-27", "2026-11-30"):
        _auto(oa, day)
    shown = oa.item(item, now="2026-11-30T08:00")
    alerts = [e["at"][:10] for e in shown["timeline"] if e["action"] == "alert"]
    assert alerts == ["2026-11-27", "2026-11-30"]
    assert shown["remind_count"] == 0
    assert _rows(oa, "2026-11-30T08:00")["市住建局"]["reminders"] == 0
    oa.ok("remind", str(item), now="2026-11-30T09:00")
    assert oa.item(item, now="2026-11-30T09:30")["remind_count"] == 1
    assert _rows(oa, "2026-11-30T09:30")["市住建局"]["reminders"] == 1


# -- late assignments ---------------------------------------------------------------


def test_a_late_assignment_is_the_offices_not_the_units(oa: Oa) -> None:
    late = oa.add("傍晚收文", now="2026-11-23T17:30")
    oa.ok("assign", str(late), "市住建局", now="2026-11-24T09:00")
    oa.add("当日交办", "--unit", "市住建局", now="2026-11-24T09:00")
    report = oa.ok("stats", "--format", "json", now="2026-11-24T10:00").json()
    assert report["late_assignments"] == 1
    row = report["rows"][0]
    assert (row["group"], row["total"], row["score"]) == ("市住建局", 2, 100)


# -- Chinese words of the workflow ------------------------------------------------------


def test_the_chinese_timeline_names_every_workflow_step(oa: Oa, assigned: Maker) -> None:
    item = assigned()
    oa.ok("ack", str(item), now="2026-11-23T10:00")
    oa.ok("feedback", str(item), "已研究部署", now="2026-11-23T11:00")
    oa.ok("feedback", str(item), "已完成过半", now="2026-11-23T12:00")
    oa.ok("return", str(item), "--reason", "材料不全", now="2026-11-23T13:00")
    oa.ok("remind", str(item), now="2026-11-23T14:00")
    oa.ok(
        "extend",
        str(item),
        "--due",
        "2026-12-04",
        "--reason",
        "录错",
        "--correct",
        now="2026-11-23T15:00",
    )
    _auto(oa, "2026-12-01")  # 续报 owed since 11-30: an alert
    out = oa.ok(
        "--lang", "zh", "show", str(item), "--format", "table", now="2026-12-01T09:00", env=WIDE
    ).out
    words = ("签收", "首报", "续报", "退回", "催办", "提醒", "更正")
    assert [word for word in words if word not in out] == []
    timeline = out[out.index("办理过程") :]
    english = (" ack ", " return ", " alert ", " correct ")
    assert [action for action in english if action in timeline] == []


def test_the_chinese_status_labels_in_list(oa: Oa, assigned: Maker) -> None:
    registered = oa.add("新收事项")
    open_, closed, cancelled = assigned(), assigned(), assigned()
    oa.ok("close", str(closed), "--basis", "已报结果")
    oa.ok("cancel", str(cancelled), "--reason", "重复")
    out = oa.ok("--lang", "zh", "list", "--all", "--format", "table", env=WIDE).out
    rows = {
        int(cells[1]): cells
        for line in out.splitlines()
        if (cells := [c.strip() for c in line.split("│")])[1:2] and cells[1].isdigit()
    }
    status = {item: rows[item][6] for item in (registered, open_, closed, cancelled)}
    assert status == {registered: "待交办", open_: "在办", closed: "已办结", cancelled: "已撤销"}


def test_the_chinese_status_label_in_show(oa: Oa, assigned: Maker) -> None:
    item = assigned()
    out = oa.ok("--lang", "zh", "show", str(item), "--format", "table", env=WIDE).out
    status = next(line for line in out.splitlines() if line.startswith("状态"))
    assert "在办" in status and "已交办" not in status


def test_chinese_workflow_words_are_accepted_as_status_filters(oa: Oa, assigned: Maker) -> None:
    registered = oa.add("待交办事项")
    item = assigned()
    for word, expected in (("在办", [item]), ("已交办", [item]), ("待交办", [registered])):
        listed = oa.ok("--lang", "zh", "list", "--status", word, "--format", "json").json()
        assert [i["id"] for i in listed] == expected, word


# -- a ledger of the previous schema ---------------------------------------------------

# Made by oa at schema 3 (commit 3f173b3^): an item overdue since 11-19, carded by
# `escalate --auto`, which on 11-20 also wrote a `remind` event with a rule (the old
# automatic "催办"); then one real reminder by hand (电话催办).
SCHEMA3_LEDGER = """\
PRAGMA user_version = 3;
BEGIN TRANSACTION;
CREATE TABLE IF NOT EXISTS "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
INSERT INTO _sqlite_migrations VALUES(1,'oa','m001_initial','2026-11-28 13:20:13.811686+00:00');
INSERT INTO _sqlite_migrations VALUES(2,'oa','m002_report_indexes','2026-11-28 13:20:13.812056+00:00');
INSERT INTO _sqlite_migrations VALUES(3,'oa','m003_item_documents','2026-11-28 13:20:13.814488+00:00');
CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            item_id INTEGER,
            at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            data TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
INSERT INTO events VALUES(1,1,'2026-11-16T09:00:00+08:00','2026-11-28T21:20:13+08:00','clerk','add','{"assigned_at":null,"body":null,"card":null,"close_basis":null,"close_ref":null,"closed_at":null,"co_units":[],"created_by":"clerk","doc_no":null,"due":"2026-11-18","feedback_count":0,"last_feedback_at":null,"leader":null,"original_due":"2026-11-18","owner":null,"priority":"normal","received_at":"2026-11-16T09:00:00+08:00","remind_count":0,"source":"instruction","status":"registered","tags":[],"title":"旧台账事项","unit":null}','0000000000000000000000000000000000000000000000000000000000000000','a3ff60321a7f728d42085a12fc05a1654980fdcb26186084344e9d99f299013e');
INSERT INTO events VALUES(2,1,'2026-11-16T09:00:00+08:00','2026-11-28T21:20:13+08:00','clerk','assign','{"assigned_at":"2026-11-16T09:00:00+08:00","co_units":[],"owner":null,"status":"assigned","unit":"市住建局"}','a3ff60321a7f728d42085a12fc05a1654980fdcb26186084344e9d99f299013e','cd44acf8dd9c986bd647bec385825a28e59b64f617c102502012291be0277bdf');
INSERT INTO events VALUES(3,1,'2026-11-19T07:30:00+08:00','2026-11-28T21:20:14+08:00','clerk','escalate','{"card":"yellow","previous_card":null,"reason":"overdue 1 working days","rule":"overdue_yellow"}','cd44acf8dd9c986bd647bec385825a28e59b64f617c102502012291be0277bdf','efc858737a542274bdc62a248013b143b0dbf9b8c5389c07951c1610d758f9c1');
INSERT INTO events VALUES(4,1,'2026-11-20T07:30:00+08:00','2026-11-28T21:20:14+08:00','clerk','remind','{"remind_count":1,"rule":"awaiting_feedback"}','efc858737a542274bdc62a248013b143b0dbf9b8c5389c07951c1610d758f9c1','10cddf6cb60bc180d81d32c013695f9de31923c871d875d9a7f57e05da27d915');
INSERT INTO events VALUES(5,1,'2026-11-20T10:00:00+08:00','2026-11-28T21:20:15+08:00','clerk','remind','{"note":"电话催办","remind_count":2}','10cddf6cb60bc180d81d32c013695f9de31923c871d875d9a7f57e05da27d915','64aacad5420d626c86e199d8e2115ffe0f3a1d18c53fce11cc815516f4efa269');
CREATE TABLE units (code TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, contact TEXT);
CREATE TABLE auto_actions (item_id INTEGER NOT NULL, rule TEXT NOT NULL, day TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (item_id, rule, day));
INSERT INTO auto_actions VALUES(1,'overdue_yellow','2026-11-19',3);
INSERT INTO auto_actions VALUES(1,'remind','2026-11-20',4);
CREATE TABLE IF NOT EXISTS "items" (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, body TEXT, source TEXT NOT NULL, leader TEXT, doc_no TEXT, priority TEXT NOT NULL, status TEXT NOT NULL, unit TEXT, co_units TEXT NOT NULL DEFAULT '[]', owner TEXT, tags TEXT NOT NULL DEFAULT '[]', received_at TEXT NOT NULL, assigned_at TEXT, due TEXT NOT NULL, original_due TEXT NOT NULL, closed_at TEXT, close_basis TEXT, close_ref TEXT, card TEXT, feedback_count INTEGER NOT NULL DEFAULT 0, last_feedback_at TEXT, remind_count INTEGER NOT NULL DEFAULT 0, created_by TEXT NOT NULL, doc TEXT GENERATED ALWAYS AS (json_object('id', id, 'title', title, 'body', body, 'source', source, 'leader', leader, 'doc_no', doc_no, 'priority', priority, 'status', status, 'unit', unit, 'co_units', json(co_units), 'owner', owner, 'tags', json(tags), 'received_at', received_at, 'assigned_at', assigned_at, 'due', due, 'original_due', original_due, 'closed_at', closed_at, 'close_basis', close_basis, 'close_ref', close_ref, 'card', card, 'overdue', json('false'), 'overdue_days', 0, 'feedback_count', feedback_count, 'last_feedback_at', last_feedback_at, 'remind_count', remind_count, 'created_by', created_by)) STORED);
INSERT INTO items VALUES(1,'旧台账事项',NULL,'instruction',NULL,NULL,'normal','assigned','市住建局','[]',NULL,'[]','2026-11-16T09:00:00+08:00','2026-11-16T09:00:00+08:00','2026-11-18','2026-11-18',NULL,NULL,NULL,'yellow',0,NULL,2,'clerk');
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('items',1);
INSERT INTO sqlite_sequence VALUES('events',5);
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE INDEX events_item ON events(item_id, seq);
CREATE INDEX events_action ON events(action, item_id);
CREATE INDEX items_status_due ON items(status, due, id, card);
CREATE INDEX items_unit ON items(unit, status);
CREATE INDEX items_closed_at ON items(closed_at);
CREATE INDEX items_received ON items(received_at);
CREATE INDEX items_open ON items(due, id, status, card, feedback_count, assigned_at, last_feedback_at, received_at, doc) WHERE status IN ('registered', 'assigned');
CREATE INDEX items_awaiting ON items(feedback_count, assigned_at, last_feedback_at) WHERE status = 'assigned';
COMMIT;
"""


@pytest.mark.sqlite_only("builds an old SQLite ledger file (schema 3) and upgrades it")
def test_old_automatic_reminders_stay_in_the_journal_but_are_not_counted(oa: Oa) -> None:
    db = oa.tmp / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript(SCHEMA3_LEDGER)
    conn.close()
    now = "2026-11-20T11:00"
    item = oa.ok("--db", str(db), "show", "1", "--format", "json", now=now).json()
    assert item["remind_count"] == 1
    reminders = [e for e in item["timeline"] if e["action"] == "remind"]
    assert [(e["seq"], e["data"]) for e in reminders] == [
        (4, {"remind_count": 1, "rule": "awaiting_feedback"}),
        (5, {"note": "电话催办", "remind_count": 2}),
    ]
    stats = oa.ok("--db", str(db), "stats", "--format", "json", now=now).json()
    assert stats["rows"][0]["reminders"] == 1
    oa.ok("--db", str(db), "verify", now=now)
    oa.ok("--db", str(db), "remind", "1", "--note", "再次电话催办", now=now)
    assert oa.item(1, env={"OA_DB": str(db)}, now=now)["remind_count"] == 2


def test_a_unit_entered_wrongly_is_corrected_not_transferred(oa: Oa, assigned: Maker) -> None:
    """`assign --correct` (更正): the right unit as if it had been assigned in the first
    place: its assignment time and report deadline stand, the wrong unit's 签收 does not,
    and the weekly and the timeline say 更正, not 转办."""
    item = assigned("--owner", "张科长", "--co", "市财政局", unit="市农牧局")
    before = oa.item(item)
    oa.ok("ack", str(item), "--by", "张科长", now="2026-11-23T10:00")
    done = oa.ok(
        "--lang", "zh", "assign", str(item), "市水务局", "--correct", "--note", "录入有误",
        now="2026-11-23T11:00",
    )  # fmt: skip
    assert done.err.splitlines() == [
        "oa：提示：已清除 市农牧局 的责任人 张科长，请用 --owner 指定",
        "事项 1 承办单位已由 市农牧局 更正为 市水务局",
    ]
    after = oa.item(item)
    assert (after["unit"], after["owner"], after["acked_at"]) == ("市水务局", None, None)
    assert after["co_units"] == ["市财政局"]  # the co-units stand
    assert (after["assigned_at"], after["report_due"]) == (
        before["assigned_at"],
        before["report_due"],
    )
    assert _actions(after)[-1] == "correct"
    weekly = oa.ok("--lang", "zh", "weekly", "--format", "markdown", now="2026-11-23T12:00").out
    assert "| 更正承办单位 | 市农牧局 → 市水务局：录入有误 |" in weekly and "转办" not in weekly
    assert "录入有误" in oa.ok("--lang", "zh", "show", str(item), "--format", "table", env=WIDE).out
    same = oa.fails(1, "assign", str(item), "市水务局", "--correct")
    assert "the unit is 市水务局 already: nothing to correct" in same.err
    registered = oa.add("未交办事项")
    assert (
        "no unit to correct" in oa.fails(1, "assign", str(registered), "市水务局", "--correct").err
    )
    assert oa.ok("verify", "--format", "json").json()["ok"]


def test_a_unit_correction_does_not_touch_the_deadline_or_being_on_time(
    oa: Oa, assigned: Maker
) -> None:
    """Both corrections are journal action `correct`: a unit's leaves the deadline, and
    an item closed by its deadline is still on time, for the unit it was corrected to."""
    item = assigned("--due", "2026-11-30", unit="市农牧局")
    oa.ok("assign", str(item), "市水务局", "--correct", now="2026-11-23T11:00")
    oa.ok("feedback", str(item), "已办结", now="2026-11-24T09:00")
    oa.ok("close", str(item), "--basis", "书面报告", now="2026-11-25T09:00")
    shown = oa.item(item, now="2026-11-25T10:00")
    assert (shown["due"], shown["original_due"]) == ("2026-11-30", "2026-11-30")
    rows = _rows(oa, "2026-11-25T10:00")
    assert set(rows) == {"市水务局"} and rows["市水务局"]["on_time"] == 1
