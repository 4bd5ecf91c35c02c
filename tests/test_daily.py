"""The daily dispatch table: sections, summary, --date, --check and every format."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Oa

pytestmark = pytest.mark.backends

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

NOW = "2026-11-25T08:30"  # Wednesday


def _office(oa: Oa) -> dict[str, int]:
    mon, tue = "2026-11-23T09:00", "2026-11-24T09:00"
    ids = {
        "unassigned_old": oa.add("上周未交办", now="2026-11-20T09:00"),
        "unassigned_new": oa.add("今日新收", now=NOW),
        "due_today": oa.add("今日到期", "--unit", "市财政局", "--due", "2026-11-25", now=mon),
        "due_in_2wd": oa.add("两日内到期", "--unit", "市教育局", "--due", "2026-11-27", now=mon),
        "due_later": oa.add("下周到期", "--unit", "市教育局", "--due", "2026-12-04", now=tue),
        "overdue_1": oa.add("逾期一日", "--unit", "市住建局", "--due", "2026-11-24", now=mon),
        "overdue_3": oa.add(
            "逾期三日", "--unit", "市民政局", "--due", "2026-11-20", now="2026-11-16T09:00"
        ),
        "closed_today": oa.add("今日办结", "--unit", "市卫健委", now=mon),
    }
    oa.ok("close", str(ids["closed_today"]), "--basis", "书面报告", now="2026-11-25T08:00")
    oa.ok("feedback", str(ids["overdue_1"]), "首报", now=tue)
    return ids


def _ids(section: list[dict]) -> list[int]:
    return [item["id"] for item in section]


def test_daily_json_sections_and_summary(oa: Oa) -> None:
    ids = _office(oa)
    report = oa.ok("daily", "--format", "json", now=NOW).json()
    assert list(report) == ["date", "summary", "sections", "anchor"]
    assert report["date"] == "2026-11-25"
    sections = report["sections"]
    assert list(sections) == [
        "to_assign",
        "unacknowledged",
        "due_soon",
        "overdue",
        "awaiting_feedback",
        "closed_today",
    ]
    assert _ids(sections["to_assign"]) == [ids["unassigned_old"], ids["unassigned_new"]]
    assert _ids(sections["due_soon"]) == [ids["due_today"], ids["due_in_2wd"]]
    assert _ids(sections["overdue"]) == [ids["overdue_3"], ids["overdue_1"]]
    # assigned 11-16, no report: 7 working days > 3
    assert _ids(sections["awaiting_feedback"]) == [ids["overdue_3"]]
    assert _ids(sections["closed_today"]) == [ids["closed_today"]]
    summary = report["summary"]
    for name, items in sections.items():
        assert summary[name] == len(items)
    assert summary["open"] == 7
    assert sections["overdue"][0]["overdue_days"] == 3
    # assigned Monday or earlier, not acknowledged: more than 1 working day ago
    assert _ids(sections["unacknowledged"]) == [
        ids["overdue_3"],
        ids["overdue_1"],
        ids["due_today"],
        ids["due_in_2wd"],
    ]
    head = oa.ok("verify", "--format", "json").json()["head"]
    assert report["anchor"] == head


def test_daily_for_a_later_date_uses_the_items_as_they_are_now(oa: Oa) -> None:
    ids = _office(oa)
    report = oa.ok("daily", "--date", "2026-11-30", "--format", "json", now=NOW).json()
    assert report["date"] == "2026-11-30"
    assert ids["due_in_2wd"] in _ids(report["sections"]["overdue"])
    assert report["sections"]["closed_today"] == []


def test_daily_check_exit_codes(oa: Oa) -> None:
    oa.add("今日新收", now=NOW)
    oa.ok("daily", "--check", "--format", "json", now=NOW)
    oa.fails(3, "daily", "--check", "--format", "json", now="2026-11-26T08:00")


def test_daily_check_is_3_when_anything_is_overdue(oa: Oa) -> None:
    _office(oa)
    result = oa.fails(3, "daily", "--check", "--format", "json", now=NOW)
    assert result.json()["summary"]["overdue"] == 2


def test_daily_table_in_chinese(oa: Oa) -> None:
    _office(oa)
    out = oa.ok("--lang", "zh", "daily", "--format", "table", now=NOW).out
    assert "每日调度表  2026年11月25日 星期三（工作日）" in out
    assert "在办 7" in out and "逾期 2" in out
    for title in ("待交办", "临期", "逾期", "待反馈", "今日办结", "逾期三日", "3 个工作日"):
        assert title in out
    assert "\x1b[" not in out  # not a terminal: no colour codes


def test_daily_markdown_and_html_for_mail(oa: Oa) -> None:
    _office(oa)
    oa.ok("edit", "1", "--title", "含<b>标签</b>与|竖线", now=NOW)
    md = oa.ok("--lang", "zh", "daily", "--format", "markdown", now=NOW).out
    assert "# 每日调度表" in md and "中共某市委办公室督查室" in md
    assert "含&lt;b&gt;标签&lt;/b&gt;与\\|竖线" in md
    html = oa.ok("--lang", "zh", "daily", "--format", "html", now=NOW).out
    assert '<meta charset="utf-8">' in html
    assert "含&lt;b&gt;标签&lt;/b&gt;与|竖线" in html
    assert "<b>" not in html
    assert "@page" in html and "style=" in html  # A4 print rules, inline styles for mail


def test_daily_tsv_has_the_section_first(oa: Oa) -> None:
    ids = _office(oa)
    *lines, footer = oa.ok("daily", now=NOW).out.splitlines()
    head = oa.ok("verify", "--format", "json").json()["head"]
    assert footer == f"# 台账校验码 anchor {head['seq']}:{head['hash']}"  # the anchor, last
    assert lines[0].split("\t")[:2] == ["to_assign", str(ids["unassigned_old"])]
    assert {line.split("\t")[0] for line in lines} == {
        "to_assign",
        "unacknowledged",
        "due_soon",
        "overdue",
        "awaiting_feedback",
        "closed_today",
    }


def _context(db: Path, day: str) -> object:
    import datetime as dt

    from oa_cli.actions import Context
    from oa_cli.config import Config
    from oa_cli.domain.calendar import WorkCalendar
    from oa_cli.ledger.connection import open_ledger
    from oa_cli.ledger.store import Ledger

    now = dt.datetime.fromisoformat(day + "T09:00:00+08:00")
    ledger = Ledger(open_ledger(db), db)
    return Context(ledger, now, "t", Config(), WorkCalendar("cn"), lambda: now)


@pytest.mark.sqlite_only("opens the SQLite ledger file directly (open_ledger(oa.db))")
def test_the_streamed_daily_json_is_the_report_every_format_renders(oa: Oa) -> None:
    import io
    import json

    from oa_cli.actions.reports import daily, daily_json, section_rows

    _office(oa)
    oa.ok("feedback", "5", "续报", now="2026-11-16T09:00")
    oa.ok("close", "7", "--basis", "逾期后办结", now="2026-11-28T10:00")  # closed_today, due before
    oa.ok("import", str(EXAMPLES / "items.yaml"), now="2026-11-25T08:00")
    for day in ("2026-11-25", "2026-11-28", "2026-12-03", "2026-12-09", "2027-01-04"):
        ctx = _context(oa.db, day)
        report = daily(ctx, ctx.today)  # type: ignore[attr-defined]
        out = io.BytesIO()
        daily_json(ctx, ctx.today, out)  # type: ignore[attr-defined]
        expected = json.dumps(report, ensure_ascii=False, separators=(",", ":")) + "\n"
        assert out.getvalue().decode() == expected
        assert sum(report["summary"][s] for s in report["sections"]) > 0
        rows = [(r["section"], r["id"]) for r in section_rows(report)]
        tsv = oa.ok("daily", "--format", "tsv", now=day + "T09:00").out.splitlines()[:-1]
        assert [(line.split("\t")[0], int(line.split("\t")[1])) for line in tsv] == rows


def test_closed_today_is_in_id_order_in_every_format(oa: Oa) -> None:
    """Two items with the same deadline closed the same day in reverse id order."""
    first = oa.add("甲", "--unit", "市财政局", "--due", "2026-11-27", now="2026-11-23T09:00")
    second = oa.add("乙", "--unit", "市财政局", "--due", "2026-11-27", now="2026-11-23T09:00")
    oa.ok("close", str(second), "--basis", "办结", now="2026-11-25T09:00")
    oa.ok("close", str(first), "--basis", "办结", now="2026-11-25T10:00")
    report = oa.ok("daily", "--format", "json", now="2026-11-25T18:00").json()
    assert _ids(report["sections"]["closed_today"]) == [first, second]
    import yaml

    yaml_out = yaml.safe_load(oa.ok("daily", "--format", "yaml", now="2026-11-25T18:00").out)
    assert _ids(yaml_out["sections"]["closed_today"]) == [first, second]
    tsv = oa.ok("daily", "--format", "tsv", now="2026-11-25T18:00").out.splitlines()
    assert [int(x.split("\t")[1]) for x in tsv if x.startswith("closed_today")] == [first, second]


def test_the_daily_as_a_word_document(oa: Oa, tmp_path: Path) -> None:
    import subprocess

    from conftest import OA
    from docx import Document

    ids = _office(oa)
    out = tmp_path / "调度表.docx"
    with open(out, "wb") as sink:
        done = subprocess.run(
            [OA, "--lang", "zh", "daily", "--format", "docx"],
            stdout=sink,
            env={**oa.env, "OA_NOW": NOW},
            check=False,
        )
    assert done.returncode == 0
    word = Document(str(out))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "每日调度表" in text and "中共某市委办公室督查室" in text
    head = oa.ok("verify", "--format", "json").json()["head"]
    assert f"台账校验码 {head['seq']}:{head['hash'][:12]}" in text
    cells = {c.text for table in word.tables for row in table.rows for c in row.cells}
    assert "逾期三日" in cells and str(ids["overdue_3"]) in cells
    section = word.sections[0]
    assert section.page_width > section.page_height  # A4 landscape


def test_a_past_day_prints_the_reports_of_that_day(oa: Oa) -> None:
    """`--date`: the 办理情况 column reads as the journal had it at the end of that day,
    in every printed format (a later report does not show, nor a return's loss)."""
    item = oa.add("关于信访积案化解的批示", "--unit", "市信访局", now="2026-11-16T09:00")
    oa.ok("feedback", str(item), "已梳理积案38件", now="2026-11-20T09:00")
    oa.ok("feedback", str(item), "已化解积案12件", now="2026-11-23T10:00")
    back = ("daily", "--date", "2026-11-20")
    printed = {  # html and markdown as piped (one pass); docx as drawn from the report
        "html": oa.ok(*back, "--format", "html", now=NOW).out,
        "markdown": oa.ok(*back, "--format", "markdown", now=NOW).out,
        "docx": _docx_text(oa, *back),
        "weekly": oa.ok("weekly", "--week", "2026-W47", "--format", "html", now=NOW).out,
    }
    for fmt, page in printed.items():
        assert "已梳理积案38件" in page and "已化解积案12件" not in page, fmt
    today = oa.ok("daily", "--format", "html", now=NOW).out
    assert "已化解积案12件" in today


def _docx_text(oa: Oa, *args: str) -> str:
    """The text of every paragraph and cell of `oa ARGS --format docx`, run as a process
    (a Word document goes to standard output)."""
    import subprocess

    from conftest import OA
    from docx import Document

    out = oa.tmp / "printed.docx"
    with open(out, "wb") as sink:
        env = {**oa.env, "OA_NOW": NOW}
        subprocess.run([OA, *args, "--format", "docx"], stdout=sink, env=env, check=True)
    word = Document(str(out))
    cells = [c.text for table in word.tables for row in table.rows for c in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


def test_received_today_leaves_out_a_cancelled_item_as_the_weekly_does(oa: Oa) -> None:
    oa.add("今日新收", now=NOW)
    duplicate = oa.add("今日新收（重复登记）", now=NOW)
    oa.ok("cancel", str(duplicate), "--reason", "重复登记", now=NOW)
    page = oa.ok("--lang", "zh", "daily", "--format", "markdown", now=NOW).out
    assert "今日新收 1" in page
    weekly = oa.ok("weekly", "--format", "json", now=NOW).json()
    assert weekly["summary"]["registered"] == 1


def test_overdue_by_no_working_day_yet_is_past_due(oa: Oa) -> None:
    """Due on Friday, read on Saturday: overdue by 0 working days, said as 已过时限."""
    item = oa.add("周五到期", "--unit", "市住建局", "--due", "2026-11-27", now=NOW)
    saturday = "2026-11-28T09:00"
    shown = oa.item(item, now=saturday)
    assert (shown["overdue"], shown["overdue_days"]) == (True, 0)
    table = oa.ok(
        "--lang", "zh", "overdue", "--format", "table", now=saturday, env={"COLUMNS": "120"}
    )
    assert "已过时限" in table.out and "0个工作日" not in table.out
    page = oa.ok("--lang", "zh", "daily", "--format", "markdown", now=saturday).out
    assert "已过时限" in page and "逾期 0 个工作日" not in page


def test_a_page_says_it_was_made_on_the_clock_it_ran_on(oa: Oa) -> None:
    """制表时间 is the command's clock (--now / OA_NOW): a page made again is the same."""
    oa.add("今日新收", now=NOW)
    first = oa.ok("daily", "--format", "html", now=NOW).out
    assert "made 2026-11-25 08:30 by clerk" in first
    assert oa.ok("daily", "--format", "html", now=NOW).out == first


def test_a_row_says_its_assignment_is_not_yet_acknowledged(oa: Oa) -> None:
    soon = ("--due", "2026-11-26")  # both due soon
    unsigned = oa.add("未签收事项", "--unit", "市住建局", *soon, now="2026-11-23T09:00")
    signed = oa.add("已签收事项", "--unit", "市财政局", *soon, now="2026-11-23T09:00")
    oa.ok("ack", str(signed), now="2026-11-23T10:00")
    page = oa.ok("--lang", "zh", "daily", "--format", "markdown", now=NOW).out
    rows = {line.split(" | ")[1]: line for line in page.splitlines() if line.startswith("| ")}
    assert "| 未签收 |" in rows[str(unsigned)]
    assert "未签收" not in rows[str(signed)]
    # the unit it is transferred to has not signed for it either
    oa.ok("assign", str(signed), "市教育局", now="2026-11-24T09:00")
    page = oa.ok("--lang", "zh", "daily", "--format", "markdown", now=NOW).out
    rows = {line.split(" | ")[1]: line for line in page.splitlines() if line.startswith("| ")}
    assert "| 未签收 |" in rows[str(signed)]
    html = oa.ok("--lang", "zh", "daily", "--format", "html", now=NOW).out
    assert html.count(">未签收</td>") == page.count("| 未签收 |") >= 2  # the same rows


def test_a_closed_row_says_how_it_was_closed(oa: Oa) -> None:
    """今日办结 and 本周办结 give the closing basis, not the last report (销账有依有据)."""
    item = oa.add("关于供暖的批示", "--unit", "市住建局", now="2026-11-23T09:00")
    oa.ok("feedback", str(item), "已完成60%", now="2026-11-24T09:00")
    oa.ok("close", str(item), "--basis", "书面报告已落实", "--ref", "住建报〔2026〕9号", now=NOW)
    said = "2026-11-25 办结：书面报告已落实（住建报〔2026〕9号）"
    for fmt in ("markdown", "html"):
        page = oa.ok("--lang", "zh", "daily", "--format", fmt, now=NOW).out
        assert said in page and "已完成60%" not in page, fmt
    weekly = oa.ok("--lang", "zh", "weekly", "--format", "markdown", now=NOW).out
    assert said in weekly
