"""The urging notice (催办通知单): numbered per year when issued, one 催办 per listed
item, and an issued notice printed again as it was issued (`--reprint`).

Clock: Monday 2026-11-23 09:00 unless a test says otherwise."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import Oa

pytestmark = pytest.mark.backends


def _overdue(oa: Oa, unit: str, title: str = "关于做好冬季供暖保障工作的批示") -> int:
    """An item of `unit` received on 2 November, due on the 10th: overdue on the 23rd."""
    return oa.add(title, "--unit", unit, "--due", "2026-11-10", now="2026-11-02T09:00:00")


def _issued(oa: Oa, *args: str, now: str | None = None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = oa.ok(
        "notice", "--issue", "--format", "json", *args, now=now
    ).json()
    return found


def test_each_issued_notice_takes_the_next_number_of_its_year(oa: Oa) -> None:
    first, second = _overdue(oa, "市住建局"), _overdue(oa, "市住建局", "关于城区积水点整治的批示")
    other = _overdue(oa, "市财政局")
    found = _issued(oa)
    assert [(n["unit"], n["number"]) for n in found] == [
        ("市住建局", "〔2026〕1号"),
        ("市财政局", "〔2026〕2号"),
    ]
    assert [i["id"] for i in found[0]["items"]] == [first, second]
    assert [oa.item(i)["remind_count"] for i in (first, second, other)] == [1, 1, 1]
    # the next day goes on counting; a new year starts at 1
    assert [n["number"] for n in _issued(oa, "--unit", "市财政局", now="2026-11-24T09:00")] == [
        "〔2026〕3号"
    ]
    assert [n["number"] for n in _issued(oa, "--unit", "市财政局", now="2027-01-05T09:00")] == [
        "〔2027〕1号"
    ]
    assert oa.item(other)["remind_count"] == 3


def test_a_second_issue_the_same_day_urges_nothing_twice(oa: Oa) -> None:
    first = _overdue(oa, "市住建局")
    assert [n["number"] for n in _issued(oa)] == ["〔2026〕1号"]
    again = oa.ok("--lang", "zh", "notice", "--issue", "--format", "json", now="2026-11-23T15:00")
    assert again.json() == [] and oa.item(first)["remind_count"] == 1
    held = "今日已向市住建局出具 〔2026〕1号，未重复出具；如需重印：oa notice --reprint 〔2026〕1号"
    assert held in again.err and "没有需要催办" not in again.err
    # the page printed first stands: a rerun writing to it leaves it as it was
    page = oa.tmp / "n.html"
    oa.ok("notice", "--format", "html", "-o", str(page), now="2026-11-23T15:00")
    printed = page.read_text(encoding="utf-8")
    oa.ok("notice", "--issue", "--format", "html", "-o", str(page), now="2026-11-23T15:05")
    assert page.read_text(encoding="utf-8") == printed
    # an item that needs urging since is issued on its own; the next day urges again
    later = _overdue(oa, "市住建局", "关于城区积水点整治的批示")
    found = _issued(oa, now="2026-11-23T16:00")
    assert [(n["number"], [i["id"] for i in n["items"]]) for n in found] == [
        ("〔2026〕2号", [later])
    ]
    # handed on after today's notice, the item is urged to its new unit the same day
    oa.ok("assign", str(first), "市财政局", now="2026-11-23T17:00")
    found = _issued(oa, now="2026-11-23T17:30")
    assert [(n["unit"], n["number"]) for n in found] == [("市财政局", "〔2026〕3号")]
    next_day = [n["number"] for n in _issued(oa, now="2026-11-24T09:00")]
    assert next_day == ["〔2026〕4号", "〔2026〕5号"] and oa.item(first)["remind_count"] == 3


def _footless(page: str) -> str:
    """A printed page without its footer's time of making (the real clock)."""
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "TIME", page)


def _later(oa: Oa, item_id: int) -> None:
    """What happens after the notice: a report, an extension."""
    later = "2026-11-25T10:00:00"
    oa.ok("feedback", str(item_id), "已全部整改到位", now=later)
    oa.ok("extend", str(item_id), "--due", "2026-12-31", "--reason", "汛期顺延", now=later)


def test_a_reprint_is_the_page_that_was_issued(oa: Oa) -> None:
    first = _overdue(oa, "市住建局")
    _overdue(oa, "市住建局", "关于城区积水点整治的批示")
    oa.ok("feedback", str(first), "已完成管网排查")
    issued = oa.ok("--lang", "zh", "notice", "--issue", "--format", "html").out
    _later(oa, first)
    events = len(oa.ok("log", "--format", "json").json())
    now = "2026-11-26T09:00:00"
    done = oa.ok("--lang", "zh", "notice", "--reprint", "1", "--format", "html", now=now)
    assert done.err == "已重印 〔2026〕1号（2026-11-23 致 市住建局）\n"  # the year it took
    reprinted = done.out
    assert "〔2026〕1号" in reprinted and "已完成管网排查" in reprinted
    assert "已全部整改到位" not in reprinted and "2026-12-31" not in reprinted
    assert _footless(reprinted) == _footless(issued)  # its date, reply date and anchor too
    assert len(oa.ok("log", "--format", "json").json()) == events  # records nothing


def test_a_reprint_as_json_is_what_the_issue_gave(oa: Oa) -> None:
    first = _overdue(oa, "市住建局")
    issued = _issued(oa)
    _later(oa, first)
    again = oa.ok("notice", "--reprint", "〔2026〕1号", "--format", "json", now="2026-11-26T09:00")
    assert again.json() == issued
    assert issued[0]["items"][0]["remind_count"] == 1


@pytest.mark.parametrize(
    "number",
    [
        "〔2026〕2号",
        "2026-2",
        "2026/2",
        "[2026]2",
        "２",
        "第2号",
        "2026年第2号",
        "市委督办〔2026〕2号",
    ],
)
def test_a_notice_number_as_a_clerk_writes_it(oa: Oa, number: str) -> None:
    _overdue(oa, "市住建局")
    _overdue(oa, "市财政局")
    _issued(oa)
    found = oa.ok("notice", "--reprint", number, "--format", "json").json()
    assert [(n["unit"], n["number"]) for n in found] == [("市财政局", "〔2026〕2号")]


def test_reprint_refusals(oa: Oa) -> None:
    _overdue(oa, "市住建局")
    _issued(oa)
    missing = oa.fails(1, "--lang", "zh", "notice", "--reprint", "〔2026〕2号")
    assert missing.err.strip() == "oa：未出具过〔2026〕2号催办通知单"
    assert "〔2025〕1号" in oa.fails(1, "notice", "--reprint", "2025-1").err
    assert "not a notice number" in oa.fails(2, "notice", "--reprint", "2026x").err
    assert "not a notice number" in oa.fails(2, "notice", "--reprint", "0").err
    for extra in (["--issue"], ["--unit", "市住建局"], ["--date", "2026-11-20"]):
        assert "--reprint" in oa.fails(2, "notice", "--reprint", "1", *extra).err


def test_a_unit_asked_for_with_nothing_to_urge_is_said(oa: Oa) -> None:
    _overdue(oa, "市住建局")
    done = oa.ok("--lang", "zh", "notice", "--issue", "--unit", "市住建局", "--unit", "市财政局")
    assert done.err.splitlines() == [
        "市财政局：没有需要催办的事项",
        "已出具 1 份催办通知单",
        "〔2026〕1号 致 市住建局",  # which number went where, for the register of notices
    ]


def test_units_come_in_the_directorys_order(oa: Oa) -> None:
    """Notices and the weekly's rows per unit follow the office's directory as its
    config lists them (an office's own order of units), not the order of the names."""
    oa.write_config(
        "units:\n"
        "  - {code: zzb, name: 市委组织部}\n"
        "  - {code: zjj, name: 市住建局}\n"
        "  - {code: czj, name: 市财政局}\n"
    )
    for unit in ("市财政局", "市住建局", "市委组织部"):
        _overdue(oa, unit)
    order = ["市委组织部", "市住建局", "市财政局"]
    assert [n["unit"] for n in _issued(oa)] == order
    weekly = oa.ok("weekly", "--format", "json", now="2026-11-23T12:00").json()
    assert [row["unit"] for row in weekly["units"]] == order


def test_a_reprint_keeps_the_reply_date_it_was_issued_with(oa: Oa) -> None:
    """A holiday added to the configuration later does not move a printed reply date."""
    _overdue(oa, "市住建局")
    issued = oa.ok("--lang", "zh", "notice", "--issue", "--format", "markdown").out
    assert "2026年11月25日前" in issued  # two working days after Monday the 23rd
    oa.write_config("holidays: [2026-11-24, 2026-11-25]\n")
    again = oa.ok("--lang", "zh", "notice", "--reprint", "1", "--format", "markdown").out
    assert "2026年11月25日前" in again


def test_the_register_of_issued_notices(oa: Oa) -> None:
    first, second = _overdue(oa, "市住建局"), _overdue(oa, "市住建局", "关于城区积水点整治的批示")
    other = _overdue(oa, "市财政局")
    assert oa.ok("notice", "--issued", "--format", "json").json() == []
    _issued(oa)
    _issued(oa, "--unit", "市财政局", now="2026-11-24T09:00")
    assert oa.ok("notice", "--issued", "--format", "json").json() == [
        {
            "number": "〔2026〕1号",
            "date": "2026-11-23",
            "unit": "市住建局",
            "items": [first, second],
        },
        {"number": "〔2026〕2号", "date": "2026-11-23", "unit": "市财政局", "items": [other]},
        {"number": "〔2026〕3号", "date": "2026-11-24", "unit": "市财政局", "items": [other]},
    ]
    tsv = oa.ok("notice", "--issued", "--format", "tsv").out.splitlines()
    assert tsv[0] == f"〔2026〕1号\t2026-11-23\t市住建局\t{first},{second}"
    table = oa.ok("--lang", "zh", "notice", "--issued", "--format", "table", env={"COLUMNS": "100"})
    assert "已出具的催办通知单" in table.out and "〔2026〕3号" in table.out
    assert "--issued" in oa.fails(2, "notice", "--issued", "--issue").err


def test_more_ways_a_clerk_writes_a_number() -> None:
    from oa_cli.actions.notices import parse_number

    for written in ("〔2026〕2号。", "【2026】2号", "2026〕2号", "（2026）2号", "〔2026〕02号"):
        assert parse_number(written, 2027) == (2026, 2), written
    assert parse_number("2号", 2027) == (2027, 2)  # this year's


def test_a_notice_on_a_terminal_is_its_words_and_a_table_not_markdown(oa: Oa) -> None:
    _overdue(oa, "市住建局")
    shown = oa.ok("--lang", "zh", "notice", "--format", "table", env={"COLUMNS": "100"}).out
    assert "催办通知单  蓝色督办单  预览" in shown or "催办通知单  黄色督办单  预览" in shown
    assert "市住建局：" in shown and "┃ 序号 ┃" in shown
    assert "**" not in shown and "<br>" not in shown
    oa.fails(2, "notice", "--format", "table", "-o", str(oa.tmp / "n.txt"))
