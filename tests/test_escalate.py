"""`oa escalate --auto` walked through two weeks around National Day with a fixed clock."""

from __future__ import annotations

from conftest import Oa

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


def test_two_weeks_of_cards_and_reminders(oa: Oa) -> None:
    late, unassigned, reporting = _office(oa)
    seen: dict[str, list[tuple[int, str, str]]] = {}
    for day in DAYS:
        seen[day] = [(a["item_id"], a["action"], a["rule"]) for a in _auto(oa, day)]
        assert _auto(oa, day) == [], f"second run on {day} did something"
    assert seen["2026-09-21"] == []
    assert seen["2026-09-22"] == [(unassigned, "remind", "late_assignment")]
    assert seen["2026-09-23"] == [
        (late, "remind", "due_soon"),
        (unassigned, "remind", "late_assignment"),
    ]
    assert seen["2026-09-24"][0] == (late, "remind", "due_soon")
    # Monday after the due date (a holiday): one working day overdue → yellow card,
    # and four working days since assignment without a first report
    assert seen["2026-09-28"][:2] == [
        (late, "yellow", "overdue_yellow"),
        (late, "remind", "awaiting_feedback"),
    ]
    for day in ("2026-09-29", "2026-09-30", "2026-10-08"):
        assert (late, "red", "overdue_red") not in seen[day]
    # five working days overdue (28, 29, 30, Oct 8, 9) → red card
    assert seen["2026-10-09"][0] == (late, "red", "overdue_red")
    assert all(action != "red" for _, action, _ in seen["2026-10-10"])
    # the item that reported on time is reminded only when its follow-up is late
    assert [d for d in DAYS if (reporting, "remind", "awaiting_feedback") in seen[d]] == [
        "2026-10-08",
        "2026-10-09",
        "2026-10-10",
    ]

    item = oa.item(late, now="2026-10-10")
    assert item["card"] == "red"
    assert item["overdue_days"] == 6
    reminders = [e for e in item["timeline"] if e["action"] == "remind"]
    assert len(reminders) == item["remind_count"] == 8  # one a working day from 09-23
    assert len({e["at"][:10] for e in reminders}) == len(reminders)
    oa.ok("verify")


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
    out = oa.ok("escalate", "--auto", now="2026-09-22T07:30").out
    assert out == "2\tremind\tlate_assignment\t0\t未交办事项\t\n"


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
