"""`oa escalate --auto` walked through two weeks around National Day with a fixed clock."""

from __future__ import annotations

import pytest
from conftest import Oa

pytestmark = pytest.mark.backends

# Working days from Mon 2026-09-21: 21–24, (Fri 25 Mid-autumn, off), 28–30, (Oct 1–7 off),
# Oct 8, 9, Sat 10 (make-up).
DAYS = [
    "2026-09-21",
    "2026-09-22",
    "2026-09-23",
    "2026-09-24",
    "2026-09-28",
    "2026-09-29",
    "2026-09-30",
    "2026-10-08",
    "2026-10-09",
    "2026-10-10",
]


def _auto(oa: Oa, day: str) -> list[dict]:
    return oa.ok("escalate", "--auto", "--format", "json", now=f"{day}T07:30").json()


def _office(oa: Oa) -> tuple[int, int, int]:
    monday = "2026-09-21T09:00"
    late = oa.add("逾期事项", "--unit", "市住建局", "--due", "2026-09-25", now=monday)
    unassigned = oa.add("未交办事项", "--due", "2026-10-30", now=monday)
    reporting = oa.add("按时反馈事项", "--unit", "市财政局", "--due", "2026-10-30", now=monday)
    oa.ok("feedback", str(reporting), "首报", now="2026-09-22T10:00")
    return late, unassigned, reporting


def test_two_weeks_of_cards_and_alerts(oa: Oa) -> None:
    late, unassigned, reporting = _office(oa)
    seen: dict[str, list[tuple[int, str, str]]] = {}
    for day in DAYS:
        seen[day] = [(a["item_id"], a["action"], a["rule"]) for a in _auto(oa, day)]
        assert _auto(oa, day) == [], f"second run on {day} did something"
    assert seen["2026-09-21"] == []
    assert seen["2026-09-22"] == [(unassigned, "alert", "late_assignment")]
    # assigned Monday and not acknowledged: more than ack_within (1) working day ago
    assert seen["2026-09-23"] == [
        (late, "alert", "due_soon"),
        (unassigned, "alert", "late_assignment"),
        (reporting, "alert", "unacknowledged"),
    ]
    # Monday after the due date (a holiday): one working day overdue → yellow card, and
    # the first report, owed by 09-24 (3 working days after assignment), is missed
    assert seen["2026-09-28"][:2] == [
        (late, "yellow", "overdue_yellow"),
        (late, "alert", "report_missed"),
    ]
    for day in ("2026-09-29", "2026-09-30", "2026-10-08"):
        assert (late, "red", "overdue_red") not in seen[day]
    # five working days overdue (28, 29, 30, Oct 8, 9) → red card
    assert seen["2026-10-09"][0] == (late, "red", "overdue_red")
    assert all(action != "red" for _, action, _ in seen["2026-10-10"])
    # the item that reported on time owes its follow-up by 09-30 (5 working days after
    # 09-22): missed from 10-08, and 3 working days late on 10-10 → a yellow card
    assert [d for d in DAYS if (reporting, "alert", "report_missed") in seen[d]] == [
        "2026-10-08",
        "2026-10-09",
        "2026-10-10",
    ]
    assert (reporting, "yellow", "report_yellow") in seen["2026-10-10"]

    item = oa.item(late, now="2026-10-10")
    assert item["card"] == "red"
    assert item["overdue_days"] == 6
    assert (item["report_due"], item["report_overdue_days"]) == ("2026-09-24", 6)
    alerts = [e for e in item["timeline"] if e["action"] == "alert"]
    assert len({e["at"][:10] for e in alerts}) == len(alerts) == 8  # one a working day
    assert item["remind_count"] == 0  # alerts are not 催办
    oa.ok("verify")


def test_alerts_and_cards_read_the_same_whatever_the_language(oa: Oa, tmp_path) -> None:
    _office(oa)
    oa.ok("--lang", "zh", "escalate", "--auto", now="2026-09-28T07:30")
    zh = [e["data"] for e in oa.ok("log", "--format", "json").json()]
    other = Oa(tmp_path / "en")
    other.init()
    _office(other)
    other.ok("--lang", "en", "escalate", "--auto", now="2026-09-28T07:30")
    en = [e["data"] for e in other.ok("log", "--format", "json").json()]
    assert zh == en
    assert {"card": "yellow", "previous_card": None, "rule": "overdue_yellow"}.items() <= zh[
        -4
    ].items()


def test_holidays_add_no_overdue_days(oa: Oa) -> None:
    late, _, _ = _office(oa)
    _auto(oa, "2026-09-28")
    # run on a holiday anyway: still 3 working days overdue, no red card
    assert _auto(oa, "2026-10-05")[0]["overdue_days"] == 3
    assert oa.item(late, now="2026-10-05")["card"] == "yellow"


def test_thresholds_come_from_the_config(oa: Oa) -> None:
    oa.write_config("escalation: {yellow_after: 2, red_after: 3, remind_before_due: 0}\n")
    late, _, _ = _office(oa)
    assert (late, "yellow") not in [(a["item_id"], a["action"]) for a in _auto(oa, "2026-09-28")]
    assert (late, "yellow") in [(a["item_id"], a["action"]) for a in _auto(oa, "2026-09-29")]
    assert (late, "red") in [(a["item_id"], a["action"]) for a in _auto(oa, "2026-09-30")]


def test_red_when_first_seen_late_skips_yellow(oa: Oa) -> None:
    late, _, _ = _office(oa)
    actions = _auto(oa, "2026-10-12")
    assert actions[0]["action"] == "red"
    assert [a for a in actions if a["item_id"] == late and a["action"] == "yellow"] == []


def test_closed_and_cancelled_items_are_left_alone(oa: Oa) -> None:
    late, unassigned, reporting = _office(oa)
    oa.ok("close", str(late), "--basis", "已办结", now="2026-09-24")
    oa.ok("cancel", str(unassigned), "--reason", "撤回", now="2026-09-24")
    ids = {a["item_id"] for a in _auto(oa, "2026-10-12")}
    assert ids == {reporting}


def test_auto_output_is_tsv_in_a_pipe(oa: Oa) -> None:
    _office(oa)
    result = oa.ok("escalate", "--auto", now="2026-09-22T07:30")
    assert result.out == "2\talert\tlate_assignment\t0\t未交办事项\t\n"
    # cron mails stderr: only the count there (the working days kept ahead for unit
    # logins on PostgreSQL reach into a year the calendar does not know: no warning)
    assert result.err == "escalate --auto: actions taken: 1 (alerts 1)\n"
    again = oa.ok("--lang", "zh", "escalate", "--auto", now="2026-10-12T07:30").err
    assert again == "自动督办：5 项操作（红牌 1 项、黄牌 1 项、提醒 3 项）\n"


def test_auto_refuses_an_item_id(oa: Oa) -> None:
    oa.fails(2, "escalate", "1", "--auto")
    oa.fails(2, "escalate")


def test_zero_thresholds_card_overdue_items_only(oa: Oa) -> None:
    oa.write_config("escalation: {yellow_after: 0, red_after: 3}\n")
    friday = oa.add("周五到期", "--unit", "市住建局", "--due", "2026-11-27", now="2026-11-23")
    later = oa.add("下周到期", "--unit", "市住建局", "--due", "2026-12-04", now="2026-11-23")
    cards = {(a["item_id"], a["action"]) for a in _auto(oa, "2026-11-28")}  # Saturday
    assert (friday, "yellow") in cards  # overdue by 0 working days, yellow_after 0
    assert not any(item == later and action in ("yellow", "red") for item, action in cards)
    oa.write_config("escalation: {yellow_after: 0, red_after: 0}\n")
    cards = {(a["item_id"], a["action"]) for a in _auto(oa, "2026-11-29")}
    assert (friday, "red") in cards and (later, "red") not in cards
