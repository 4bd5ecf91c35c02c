"""Assessment figures and the weekly update, against hand-computed expectations."""

from __future__ import annotations

from conftest import Oa


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


def _rows(oa: Oa, *args: str) -> dict:
    report = oa.ok("stats", "--format", "json", *args, now="2026-11-16").json()
    return {row["group"]: row for row in report["rows"]}


def test_stats_by_unit(oa: Oa) -> None:
    _office(oa)
    rows = _rows(oa)
    assert list(rows) == ["市住建局", "市财政局"]
    fin, housing = rows["市财政局"], rows["市住建局"]
    assert (fin["total"], fin["closed"], fin["on_time"], fin["closed_late"]) == (3, 3, 2, 1)
    assert fin["on_time_rate"] == 0.667
    assert (housing["total"], housing["closed"], housing["on_time"]) == (2, 1, 0)
    assert (housing["overdue"], housing["yellow"], housing["red"]) == (1, 1, 1)
    assert (housing["reminders"], housing["late_assignments"]) == (1, 1)
    assert fin["late_assignments"] == 0
    # received Mon 11-02: closed 11-06 (4 wd), 11-05 (3), 11-09 (5)
    assert fin["avg_workdays_to_close"] == 4.0
    assert set(fin) == {
        "group",
        "total",
        "closed",
        "on_time",
        "closed_late",
        "overdue",
        "yellow",
        "red",
        "reminders",
        "late_assignments",
        "on_time_rate",
        "avg_workdays_to_close",
    }


def test_stats_by_other_groups_and_date_range(oa: Oa) -> None:
    _office(oa)
    oa.add("十月事项", now="2026-10-20T09:00")
    assert _rows(oa, "--by", "leader")["王市长"]["total"] == 2
    assert _rows(oa, "--by", "priority")["urgent"]["total"] == 1
    assert _rows(oa, "--by", "source")["instruction"]["total"] == 6
    assert _rows(oa, "--from", "2026-11-01", "--by", "source")["instruction"]["total"] == 5
    assert _rows(oa, "--to", "2026-10-31", "--by", "source")["instruction"]["total"] == 1
    oa.fails(2, "stats", "--by", "colour")


def test_stats_table_ranks_by_on_time_rate(oa: Oa) -> None:
    _office(oa)
    out = oa.ok("--lang", "zh", "stats", "--format", "table", now="2026-11-16").out
    assert "按期办结率" in out and "█" in out
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
    assert md.startswith("# Weekly update  2026-W46")
    oa.fails(2, "weekly", "--week", "2026-48")
    oa.fails(2, "weekly", "--week", "2026-W46", "--date", "2026-11-12")
