"""Assessment figures and the weekly update, against hand-computed expectations."""

from __future__ import annotations

import pytest
from conftest import Oa
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.backends


def _office(oa: Oa) -> None:
    mon = "2026-11-02T09:00"
    # 市财政局: closed on time; closed late; extended before the deadline then on time
    oa.add("按期办结", "--unit", "市财政局", "--due", "2026-11-06", now=mon)
    oa.ok("close", "1", "--basis", "已办结", now="2026-11-06T17:00")
    oa.add("逾期办结", "--unit", "市财政局", "--due", "2026-11-04", now=mon)
    oa.ok("close", "2", "--basis", "已办结", now="2026-11-05T10:00")
    oa.add("提前延期", "--unit", "市财政局", "--due", "2026-11-04", now=mon)
    oa.ok("extend", "3", "--due", "2026-11-10", "--reason", "需协调", now="2026-11-03")
    oa.ok("close", "3", "--basis", "已办结", now="2026-11-09")
    # 市住建局: extended after the deadline had passed, then closed "by" the new deadline
    oa.add("逾期后延期", "--unit", "市住建局", "--due", "2026-11-04", "--leader", "王市长", now=mon)
    oa.ok("extend", "4", "--due", "2026-11-20", "--reason", "补办", now="2026-11-06")
    oa.ok("close", "4", "--basis", "已办结", now="2026-11-10")
    # 市住建局: open and overdue, carded twice and reminded; assigned a day late
    oa.add("未办结", "--due", "2026-11-05", "--leader", "王市长", "--priority", "urgent", now=mon)
    oa.ok("assign", "5", "市住建局", now="2026-11-03T09:00")
    oa.ok("escalate", "5", now="2026-11-09")
    oa.ok("escalate", "5", now="2026-11-12")
    oa.ok("remind", "5", now="2026-11-09")


def _report(oa: Oa, *args: str) -> dict:
    return oa.ok("stats", "--format", "json", *args, now="2026-11-16").json()


def _rows(oa: Oa, *args: str) -> dict:
    return {row["group"]: row for row in _report(oa, *args)["rows"]}


def test_stats_by_unit(oa: Oa) -> None:
    _office(oa)
    report = _report(oa)
    assert list(report) == ["rows", "cancelled", "late_assignments", "anchor"]
    # item 5 was received Monday and assigned Tuesday: the office's own, counted once
    assert (report["cancelled"], report["late_assignments"]) == (0, 1)
    rows = {row["group"]: row for row in report["rows"]}
    assert list(rows) == ["市住建局", "市财政局"]
    fin, housing = rows["市财政局"], rows["市住建局"]
    assert fin == {
        "group": "市财政局",
        "total": 3,
        "closed": 3,
        "closed_rate": 1.0,
        "on_time": 2,
        "on_time_rate": 0.667,
        "first_reports": 0,
        "first_reports_on_time": 0,
        "overdue": 0,
        "yellow": 0,
        "red": 0,
        "reminders": 0,
        "returned": 0,
        "score": 95,  # item 2 closed late: 5 points
        "rank": 1,
    }
    assert (housing["total"], housing["closed"], housing["on_time"]) == (2, 1, 0)
    assert (housing["overdue"], housing["yellow"], housing["red"]) == (1, 1, 1)
    assert housing["reminders"] == 1
    # late twice (5 + 5), yellow 2, red 5, the first report of item 5 missed 1
    assert (housing["score"], housing["rank"]) == (82, 2)


def test_cancelled_items_are_counted_once_and_left_out_of_every_row(oa: Oa) -> None:
    _office(oa)
    oa.add("重复登记", "--unit", "市财政局", now="2026-11-03T09:00")
    oa.ok("cancel", "6", "--reason", "重复", now="2026-11-03T10:00")
    report = _report(oa)
    assert report["cancelled"] == 1
    assert {r["group"]: r["total"] for r in report["rows"]} == {"市住建局": 2, "市财政局": 3}


def test_alerts_are_not_reminders_and_returns_count(oa: Oa) -> None:
    item = oa.add("首报退回", "--unit", "市财政局", now="2026-11-02T09:00")
    oa.ok("feedback", str(item), "收到，正在研究", now="2026-11-03T09:00")
    oa.ok("return", str(item), "--reason", "内容空泛", now="2026-11-04T09:00")
    for day in ("2026-11-05", "2026-11-06"):
        oa.ok("escalate", "--auto", now=day + "T07:30")
    row = _rows(oa)["市财政局"]
    # the returned report no longer counts; the 首报 owed again since 11-06 is late
    assert (row["reminders"], row["returned"]) == (0, 1)
    assert (row["first_reports"], row["first_reports_on_time"]) == (1, 0)
    # owed again by the later of the answered due (11-05) and 2 working days from 11-04
    assert oa.item(item)["report_due"] == "2026-11-06"
    oa.ok("feedback", str(item), "已制定方案", now="2026-11-06T16:00")
    row = _rows(oa)["市财政局"]
    assert (row["first_reports"], row["first_reports_on_time"]) == (1, 1)


def test_a_first_report_never_sent_counts_as_one_not_on_time(oa: Oa) -> None:
    """应报未报: a unit that never sent its 首报 does not look better than one that sent it
    late; one not yet owed is not counted."""
    oa.add("从未首报", "--unit", "市商务局", now="2026-11-02T09:00")
    late = oa.add("首报迟报", "--unit", "市卫健委", now="2026-11-02T09:00")
    oa.ok("feedback", str(late), "已部署", now="2026-11-12T09:00")
    oa.add("尚未到期", "--unit", "市教育局", now="2026-11-13T09:00")
    rows = _rows(oa)
    for unit in ("市商务局", "市卫健委"):
        assert (rows[unit]["first_reports"], rows[unit]["first_reports_on_time"]) == (1, 0)
    assert (rows["市教育局"]["first_reports"], rows["市教育局"]["first_reports_on_time"]) == (0, 0)


def test_items_of_no_unit_are_listed_but_not_ranked(oa: Oa) -> None:
    oa.add("尚未交办", now="2026-11-13T09:00")
    oa.add("已交办", "--unit", "市教育局", now="2026-11-13T09:00")
    rows = _report(oa)["rows"]
    assert [(r["group"], r["rank"]) for r in rows] == [("市教育局", 1), (None, None)]
    table = oa.ok("--lang", "zh", "stats", "--format", "markdown", now="2026-11-16").out
    assert "| — | （无） |" in table.replace("  ", " ")
    assert "两项均同者并列" in table
    assert "\n全部事项 · 截至 2026年11月16日\n" in table
    # a span chooses the items by the day received; what became of them is as of today
    span = oa.ok("--lang", "zh", "stats", "--from", "2026-11-01", "--to", "2026-11-30",
                 "--format", "markdown", now="2026-12-03").out  # fmt: skip
    assert "\n收文日期 2026年11月1日 – 2026年11月30日 · 截至 2026年12月3日\n" in span


def test_stats_by_other_groups_and_date_range(oa: Oa) -> None:
    _office(oa)
    oa.add("十月事项", now="2026-10-20T09:00")
    assert _rows(oa, "--by", "leader")["王市长"]["total"] == 2
    assert _rows(oa, "--by", "批示领导")["王市长"]["total"] == 2
    assert _rows(oa, "--by", "priority")["urgent"]["total"] == 1
    assert _rows(oa, "--by", "source")["instruction"]["total"] == 6
    assert _rows(oa, "--from", "2026-11-01", "--by", "source")["instruction"]["total"] == 5
    assert _rows(oa, "--to", "2026-10-31", "--by", "source")["instruction"]["total"] == 1
    oa.fails(2, "stats", "--by", "colour")


def test_stats_table_ranks_by_on_time_rate(oa: Oa) -> None:
    _office(oa)
    out = oa.ok("--lang", "zh", "stats", "--format", "table", now="2026-11-16").out
    assert "按期办结率" in out and "承办单位" in out
    assert "办结时间" not in out  # the count column is 办结, not the date label
    assert out.index("市财政局") < out.index("市住建局")


def test_weekly_update(oa: Oa) -> None:
    _office(oa)
    oa.add("本周新收", "--unit", "市民政局", now="2026-11-10T09:00")
    report = oa.ok("weekly", "--week", "2026-W46", "--format", "json", now="2026-11-16").json()
    assert (report["week"], report["from"], report["to"]) == (
        "2026-W46",
        "2026-11-09",
        "2026-11-15",
    )
    ids = {name: [i["id"] for i in items] for name, items in report["sections"].items()}
    assert ids["registered"] == [6]
    assert sorted(ids["closed"]) == [3, 4]
    assert ids["overdue"] == [5]
    assert ids["no_feedback"] == [5]  # assigned before the week, never reported
    assert report["summary"] == {
        "registered": 1,
        "closed": 2,
        "overdue": 1,
        "no_feedback": 1,
        "closed_on_time": 1,
    }
    units = {u["unit"]: u for u in report["units"]}
    assert units["市住建局"]["overdue"] == 1 and units["市财政局"]["closed"] == 1
    same = oa.ok("weekly", "--date", "2026-11-12", "--format", "json", now="2026-11-16").json()
    assert same == report


def test_weekly_formats(oa: Oa) -> None:
    _office(oa)
    html = oa.ok("--lang", "zh", "weekly", "--format", "html", now="2026-11-12").out
    assert "每周更新" in html and '<meta charset="utf-8">' in html
    md = oa.ok("weekly", "--format", "markdown", now="2026-11-12").out
    assert "# Weekly update" in md and "2026-W46" in md
    oa.fails(2, "weekly", "--week", "2026-48")
    oa.fails(2, "weekly", "--week", "2026-W46", "--date", "2026-11-12")
    oa.fails(2, "weekly", "--week", "2025-W53")  # 2025 has 52 ISO weeks: not 2026-W01
    for far in ("2101-W01", "9999-W52", "1989-W52"):
        assert "outside the supported dates" in oa.fails(1, "weekly", "--week", far).err
    assert (
        oa.ok("weekly", "--week", "２０２６-W46", "--format", "json").json()["week"] == "2026-W46"
    )


_ACTIONS = (
    "add",
    "import",
    "escalate",
    "extend",
    "correct",
    "reopen",
    "close",
    "feedback",
    "return",
)
_DAYS = ("2026-11-02", "2026-11-10", "2026-11-20", "2026-12-01")


@given(
    steps=st.lists(
        st.tuples(
            st.integers(1, 6),
            st.sampled_from(_ACTIONS),
            st.sampled_from(_DAYS),
            st.sampled_from((None, "yellow", "red")),
            st.sampled_from((None, *_DAYS)),
            st.sampled_from((None, *_DAYS)),
            st.sampled_from((None, *_DAYS)),
        ),
        max_size=30,
    )
)
def test_histories_read_item_by_item_are_the_histories_read_whole(steps: list) -> None:
    """stats reads each item's history as it reaches the item (flat at a million items):
    the same histories as reading the whole journal at once."""
    import datetime as dt

    from oa_cli.domain import stats as domain_stats

    start, end = dt.date(2026, 11, 5), dt.date(2026, 11, 30)
    steps = [(i, a, f"{d}T09:00:00+08:00", *rest) for i, a, d, *rest in steps]
    whole = domain_stats.histories(steps, start, end)
    by_id = sorted(steps, key=lambda s: s[0])  # stable: journal order within an item
    of = domain_stats.by_item([by_id[:7], by_id[7:]], start, end)
    for item_id in range(1, 8):
        assert of(item_id) == whole.get(item_id, domain_stats.History())
