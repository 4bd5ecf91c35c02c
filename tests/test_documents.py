"""Printed documents: daily, weekly, stats and the urging notice as html, markdown, Rich
and docx, called directly on the report shapes the commands hand over."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import Oa
from rich.cells import cell_len
from rich.console import Console

from oa_cli.domain.fields import KEYS
from oa_cli.i18n import set_lang
from oa_cli.render import assessment, markdown, pages
from oa_cli.render import report as r
from oa_cli.render.docx import write_notice_docx
from oa_cli.render.notice import notice_html, notice_json, notice_markdown

OFFICE = "中共某市委办公室督查室"
ANCHOR = {"seq": 412, "hash": "ab12cd34ef56" + "0" * 52}


@pytest.fixture(autouse=True)
def zh() -> Iterator[None]:
    set_lang("zh")
    yield
    set_lang("en")


def item(id: int, title: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = dict.fromkeys(KEYS)
    base.update(
        id=id,
        title=title,
        source="instruction",
        priority="normal",
        status="assigned",
        unit="市住建局",
        co_units=[],
        tags=[],
        leader="张书记",
        owner="李科长",
        due="2026-11-20",
        original_due="2026-11-20",
        overdue=False,
        overdue_days=0,
        feedback_count=1,
        remind_count=0,
        report_overdue_days=0,
        created_by="clerk",
    )
    return base | fields


def meta(**fields: Any) -> r.Meta:
    base = dict(
        office=OFFICE,
        office_short="市委督查室",
        made_at="2026-11-25T09:30:00+08:00",
        actor="王干事",
        anchor=ANCHOR,
        progress={7: "已召开专题会议部署，制定保障方案"},
        date="2026-11-25",
        reply_by="2026-11-27",
    )
    return r.Meta(**(base | fields))


OVERDUE = item(7, "落实冬季安全生产部署要求", overdue=True, overdue_days=6, card="red")
OWED = item(
    9,
    "研究制定优化营商环境方案",
    unit="市发展改革委",
    feedback_count=0,
    report_due="2026-11-20",
    report_overdue_days=3,
)
NASTY = item(11, "<script>alert(1)</script> a|b \x1b[31m\u202eevil", owner="<b>x</b>")


def daily_report(overdue: list[dict[str, Any]] | None = None, count: int = 2) -> dict[str, Any]:
    sections = {name: [] for name in r.DAILY_SECTIONS}
    sections["overdue"] = [OVERDUE, NASTY] if overdue is None else overdue
    sections["awaiting_feedback"] = [OWED]
    summary = {name: len(items) for name, items in sections.items()} | {"open": 41}
    summary["overdue"] = count
    return {"date": "2026-11-25", "summary": summary, "sections": sections, "anchor": ANCHOR}


FACTS = {"workday": True, "received_today": 3, "yellow": 0, "red": 1}


def daily_doc(**kw: Any) -> r.Document:
    return r.daily_document(daily_report(**kw), FACTS, meta())


def stats_report() -> dict[str, Any]:
    def row(group: str, rate: float | None, rank: int) -> dict[str, Any]:
        return dict(
            group=group,
            total=4,
            closed=3,
            closed_rate=0.75,
            on_time=2,
            on_time_rate=rate,
            first_reports=3,
            first_reports_on_time=2,
            overdue=1,
            yellow=1,
            red=0,
            reminders=2,
            returned=0,
            score=92.5,
            rank=rank,
        )

    rows = [
        row("市发展和改革委员会", 1.0, 1),
        row("市住房和城乡建设局", 0.0, 2),
        row("市应急管理局", None, 3),
    ]
    return {"rows": rows, "cancelled": 1, "late_assignments": 2, "anchor": ANCHOR}


def rich_text(doc: r.Document, width: int = 80) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    for part in pages.rich_parts(doc):
        console.print(part)
    return console.export_text()


def test_daily_html_is_an_a4_page_with_heading_progress_owner_and_anchor() -> None:
    page = pages.html_page(daily_doc())
    assert "@page" in page and "size: A4 landscape" in page
    assert OFFICE in page and "每日调度表" in page and "星期三（工作日）" in page
    assert "<th" in page and "序号" in page and "办理情况" in page and "责任人" in page
    assert "已召开专题会议部署，制定保障方案" in page and "李科长" in page
    assert "首报未报<br>应报日 2026-11-20" in page
    assert "逾期 6 个工作日" in page and "红牌" in page
    assert "台账校验码 412:ab12cd34ef56" in page and "王干事" in page
    assert "display:table-header-group" in page


def test_every_item_table_of_a_page_has_the_same_width_and_columns() -> None:
    page = pages.html_page(daily_doc())
    tables = re.findall(r'<table [^>]*style="([^"]*)"><colgroup>(.*?)</colgroup>', page)
    assert len(tables) == 2
    assert len({t for t in tables}) == 1
    assert "width:100%;table-layout:fixed" in tables[0][0]


def test_html_rows_keep_their_borders_and_dates_whole_without_the_style_block() -> None:
    # a mail reader may drop <style>: the table's own attributes still draw each cell
    page = pages.html_page(daily_doc())
    head, body = page.split("</head>")
    assert "td { border:1px solid #666" in head
    assert body.count('<table border="1" cellspacing="0" cellpadding="4"') == 2
    assert re.search(r"<td nowrap[^>]*>2026-11-\d\d</td>", body)  # a date never wraps
    assert 'style="color:#c00;font-weight:bold;"' in body  # an overdue stays red inline
    assert "border:1px solid #666" not in body  # no cell repeats the shared look


def test_html_escapes_user_text() -> None:
    page = pages.html_page(daily_doc())
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>x</b>" not in page
    assert "\x1b" not in page and "\u202e" not in page and "\\u202e" in page


def test_markdown_escapes_html_and_pipes() -> None:
    text = markdown.markdown(daily_doc())
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "a\\|b" in text and "\x1b" not in text
    assert "台账校验码 412:ab12cd34ef56" in text


def test_a_terminal_section_cut_short_says_how_many_more_and_where() -> None:
    out = rich_text(daily_doc(overdue=[OVERDUE], count=250))
    assert "逾期 250" in out
    assert "另有 249 项未显示；全部请用 oa overdue" in out


def test_terminal_text_is_never_markup_and_controls_are_escaped() -> None:
    out = rich_text(daily_doc(), width=200)
    assert "\\x1b[31m" in out and "\\u202e" in out


def test_summary_and_sections_use_the_same_words() -> None:
    report = {
        "week": "2026-W48",
        "from": "2026-11-23",
        "to": "2026-11-29",
        "summary": {
            "registered": 0,
            "closed": 0,
            "closed_on_time": 0,
            "overdue": 1,
            "no_feedback": 0,
        },
        "sections": {"registered": [], "closed": [], "overdue": [OVERDUE], "no_feedback": []},
        "moved": [],
        "units": [],
        "anchor": ANCHOR,
    }
    doc = r.weekly_document(report, meta())
    assert "逾期 1" in doc.summary and doc.blocks[0].title == "逾期 1"


def test_weekly_shows_report_texts_and_every_move() -> None:
    events = [
        ("feedback", {"text": "已完成初步排查", "kind": "follow_up", "by": "赵主任"}),
        ("escalate", {"card": "yellow", "rule": "overdue_yellow"}),
        ("extend", {"due": "2026-12-10", "previous_due": "2026-11-30", "reason": "需协调"}),
        ("correct", {"due": "2026-12-01", "previous_due": "2026-11-30", "reason": "录入错误"}),
        ("return", {"reason": "材料不全"}),
        ("assign", {"unit": "市应急管理局", "previous_unit": "市住建局"}),
        ("reopen", {"reason": "群众反映未解决", "due": "2026-12-20"}),
    ]
    moved = [
        {
            "id": 7,
            "title": "落实冬季安全生产部署要求",
            "unit": "市住建局",
            "events": [
                {"at": "2026-11-24T10:00:00+08:00", "action": a, "actor": "王干事", "data": d}
                for a, d in events
            ],
        }
    ]
    report = {
        "week": "2026-W48",
        "from": "2026-11-23",
        "to": "2026-11-29",
        "summary": {
            "registered": 0,
            "closed": 0,
            "closed_on_time": 0,
            "overdue": 0,
            "no_feedback": 0,
        },
        "sections": {"registered": [], "closed": [], "overdue": [], "no_feedback": []},
        "moved": moved,
        "units": [],
        "anchor": ANCHOR,
    }
    page = pages.html_page(r.weekly_document(report, meta()))
    for words in (
        "续报",
        "已完成初步排查",
        "黄牌",
        "延期",
        "2026-11-30 → 2026-12-10",
        "更正时限",
        "退回",
        "材料不全",
        "转办",
        "市住建局 → 市应急管理局",
        "重新办理",
        "2026年第48周（2026年11月23日 – 2026年11月29日）",  # the week as an office writes it
        "本周未更新（周前交办）",  # an item assigned in the week is not late in it
    ):
        assert words in page
    # a report names who made it for the unit (--by); the rest, who recorded them
    rows = re.findall(r"<tr>.*?</tr>", page.split("本周办理动态")[-1], re.S)
    assert rows[1].count("赵主任") == 1 and "王干事" not in rows[1]
    assert all("王干事" in row for row in rows[2:])


def test_stats_at_80_columns_keeps_group_names_and_headers_readable() -> None:
    doc = assessment.stats_document(stats_report(), meta(), by="unit")
    out = rich_text(doc, width=80)
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if "承办单位" in line)
    at = cell_len(lines[head][: lines[head].index("承办单位")])  # rank digits before: ASCII
    column = "".join(
        (line[at:].split() or [""])[0] for line in lines[head + 1 :] if not line.startswith("─")
    )
    for name in ("市发展和改革委员会", "市住房和城乡建设局", "市应急管理局"):
        assert name in column
    header = out[out.index("排名") : out.index("市发展")]
    for word in ("排名", "承办单位", "总数", "得分", "逾期"):
        assert word in header
    assert "100%" in out and "0%" in out


def test_stats_rates_are_percentages_and_zero_is_not_green() -> None:
    doc = assessment.stats_document(stats_report(), meta(), by="unit")
    cells = {row[2].text: row[7] for row in doc.blocks[0].rows}  # after 序号 and 排名
    assert cells["市发展和改革委员会"].text == "100%"
    assert cells["市住房和城乡建设局"].style == "poor"
    assert pages.RICH_STYLES[cells["市住房和城乡建设局"].style] != "green"


def test_stats_html_draws_the_on_time_rate_as_a_bar() -> None:
    page = pages.html_page(assessment.stats_document(stats_report(), meta(), by="unit"))
    assert "width:100%;height:100%" in page and "█" not in page
    assert "已撤销 1 件" in page and "承办单位" in page and "考核" in page


def notices() -> list[dict[str, Any]]:
    return [
        {"unit": "市住建局", "colour": "red", "number": "〔2026〕7号", "items": [OVERDUE, NASTY]},
        {"unit": "市发展改革委", "colour": "blue", "number": None, "items": [OWED]},
    ]


def test_notice_html_is_one_a4_portrait_page_per_unit() -> None:
    page = notice_html(notices(), meta())
    assert "size: A4 portrait" in page and page.count("page-break-after:always") == 1
    for words in (
        "催办通知单",
        "红色督办单",
        "蓝色督办单",
        "〔2026〕7号",
        "预览",
        "市住建局：",
        '<span style="white-space:nowrap">2026年11月27日</span>前',  # never broken
        "市委督查室",
        OFFICE,
        "2026年11月25日",
    ):
        assert words in page
    assert "<script>" not in page
    # in the narrow portrait table a date never breaks at its hyphens (2026- / 11-19)
    tables = re.findall(r"<table.*?</table>", page, re.S)
    dates = [re.findall(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])", table) for table in tables]
    kept = [table.count('<span style="white-space:nowrap">') for table in tables]
    assert len(tables) == 2 and kept == [len(found) for found in dates] and all(kept)


def test_notice_markdown_and_json() -> None:
    text = notice_markdown(notices(), meta())
    assert "市发展改革委：" in text and "&lt;script&gt;" in text and "a\\|b" in text
    assert [n["number"] for n in notice_json(notices())] == ["〔2026〕7号", None]


def test_notice_docx_reads_back_with_unit_number_items_and_a4() -> None:
    from docx import Document
    from docx.shared import Cm

    out = io.BytesIO()
    write_notice_docx(out, notices(), meta())
    doc = Document(io.BytesIO(out.getvalue()))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "市住建局：" in text and "市发展改革委：" in text
    assert "〔2026〕7号" in text and "预览" in text and "红色督办单" in text
    for it in (OVERDUE, OWED):
        assert it["title"] in cells
    assert "\x1b" not in cells
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.05)
    assert len(doc.tables) == 2
    assert doc.tables[0].style.name == "Table Grid"
    # the table lies between the margins, its title the widest column, a date on one line
    table = doc.tables[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    widths = [column.width for column in table.columns]
    assert sum(widths) <= text_width + Cm(0.01) and table.alignment == 1  # centred
    assert max(widths) == widths[2] and widths[4] - Cm(0.2) >= Cm(1.9)  # 1 mm margins
    first = table.rows[1].cells
    assert [first[1].paragraphs[0].alignment, first[2].paragraphs[0].alignment] == [1, 0]
    # the last row, the signature and the date go over a page together, never apart
    last = [p for cell in table.rows[-1].cells for p in cell.paragraphs]
    signed = [p for p in doc.paragraphs if p.alignment == 2]  # right: signed and dated
    assert [p.text.strip() for p in signed] == [OFFICE, "2026年11月25日"] * 2
    assert all(p.paragraph_format.keep_with_next for p in (*last, *signed))


def test_printed_reports_number_their_pages() -> None:
    from docx import Document

    from oa_cli.render.docx import write_report_docx

    page = pages.html_page(daily_doc())
    assert '@bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页"' in page
    assert "@bottom-center" not in notice_html(notices(), meta())  # one page per unit
    out = io.BytesIO()
    write_report_docx(out, daily_doc())
    footer = Document(io.BytesIO(out.getvalue())).sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert "第 " in footer and " 页 共 " in footer


def test_english_printed_words() -> None:
    from docx import Document

    from oa_cli.render.xlsx import write_workbook

    set_lang("en")
    out = io.BytesIO()
    write_notice_docx(out, notices(), meta())
    text = "\n".join(p.text for p in Document(io.BytesIO(out.getvalue())).paragraphs)
    assert "[Red supervision notice]" in text and "【" not in text
    page = pages.html_page(daily_doc())
    assert ":lang(en) h1" in page and '"page " counter(page) " of " counter(pages)' in page
    out = io.BytesIO()
    write_workbook(out, [], office=OFFICE, day=dt.date(2026, 11, 25), progress={})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(out.getvalue()))["督办台账"]
    assert sheet.oddFooter.right.text == "page &P of &N"


def test_a_report_is_written_to_the_file_named_in_the_format_its_name_says(oa: Oa) -> None:
    oa.add("关于冬季供暖的批示", "--unit", "市住建局", "--due", "2026-11-20")
    page = oa.tmp / "调度表.html"
    oa.ok("daily", "-o", str(page))
    assert page.read_text(encoding="utf-8") == oa.ok("daily", "--format", "html").out
    word = oa.tmp / "周报.docx"
    oa.ok("weekly", "--output", str(word))
    assert zipfile.is_zipfile(word)
    figures = oa.tmp / "stats.data"
    oa.ok("stats", "--format", "json", "-o", str(figures))
    assert json.loads(figures.read_text(encoding="utf-8"))["rows"][0]["group"] == "市住建局"
    said = oa.fails(2, "--lang", "zh", "daily", "-o", str(oa.tmp / "x.xlsx")).err
    assert said.startswith("oa：请给出 --format：无法从文件名 x.xlsx 判断是 tsv")
    assert oa.ok("daily", "--format", "json", "-o", "-").out.startswith('{"date"')  # stdout
    assert not (oa.tmp / "x.xlsx").exists()
    oa.fails(1, "daily", "--format", "html", "-o", str(oa.db))  # never onto the ledger
