"""The ledger workbook (督办台账 + 全部字段), the office's own spreadsheets read back, and the
`--headers zh` csv. Fast: functions called directly, files in memory."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from oa_cli.domain.fields import KEYS, LABELS, header_map
from oa_cli.errors import InvalidInput
from oa_cli.readers.sheets import column_letter, read_csv, read_xlsx
from oa_cli.render.csv_zh import write_csv_zh
from oa_cli.render.xlsx import write_workbook

DAY = dt.date(2026, 11, 27)
OFFICE = "中共某市委办公室督查室"


def make_item(id: int, **changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": id,
        "title": f"推进第{id}号重点项目建设",
        "body": "请抓紧落实，按时报送进展。",
        "source": "instruction",
        "leader": "张书记",
        "doc_no": None,
        "priority": "normal",
        "status": "assigned",
        "unit": "市住建局",
        "co_units": ["市发改委", "市财政局"],
        "owner": "李明",
        "tags": [],
        "received_at": "2026-11-02T09:30:00+08:00",
        "assigned_at": "2026-11-02T15:00:00+08:00",
        "due": "2026-12-20",
        "original_due": "2026-12-20",
        "closed_at": None,
        "close_basis": None,
        "close_ref": None,
        "card": None,
        "overdue": False,
        "overdue_days": 0,
        "feedback_count": 1,
        "last_feedback_at": "2026-11-10T10:00:00+08:00",
        "remind_count": 0,
        "created_by": "王芳",
        "remark": None,
        "acked_at": None,
        "report_due": "2026-11-24",
        "report_overdue_days": 3,
        "repeat": None,
        "previous_id": None,
    }
    item.update(changes)
    assert tuple(item) == KEYS
    return item


ITEMS = [
    make_item(1),
    make_item(2, card="yellow", overdue=True, overdue_days=3, due="2026-11-24"),
    make_item(3, card="red", overdue=True, overdue_days=12, due="2026-11-09", priority="urgent"),
    make_item(4, title='=HYPERLINK("http://x","click")', leader="=2*3", unit="+市住建局"),
    make_item(5, title="标题\x1b[31m红色\x00", co_units=["A、B", "C"], tags=["重点"]),
    make_item(6, status="closed", closed_at="2026-11-20T17:00:00+08:00", close_basis="已落实"),
]
PROGRESS = {1: "已完成选址，正在办理用地手续。", 3: "=SUM(A1)"}


def workbook(items: list[dict[str, Any]] = ITEMS, **kwargs: Any) -> bytes:
    out = io.BytesIO()
    count = write_workbook(out, items, office=OFFICE, day=DAY, progress=PROGRESS, **kwargs)
    assert count == len(items)
    return out.getvalue()


@pytest.fixture(scope="module")
def book() -> Any:
    return load_workbook(io.BytesIO(workbook()))


# --- the printed sheet ------------------------------------------------------------------


def test_workbook_has_the_print_sheet_first_and_all_fields_second(book: Any) -> None:
    assert book.sheetnames == ["督办台账", "全部字段"]


def test_print_sheet_is_a4_landscape_one_page_wide_with_repeated_header(book: Any) -> None:
    sheet = book["督办台账"]
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9
    assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.freeze_panes == "A3"
    assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text


def test_print_sheet_says_at_its_foot_when_by_whom_and_against_which_anchor() -> None:
    footer = "制表时间 2026-11-27 17:00 · 制表人 王&科员 · 台账校验码 244:69cb662b8796"
    sheet = load_workbook(io.BytesIO(workbook(footer=footer)))["督办台账"]
    assert sheet.oddFooter.left.text == footer.replace("&", "&&")  # `&` alone is a code
    anchor = "台账校验码 244:69cb662b8796"
    for name in ("x" * 174 + "&&&", "&" * 80 + "李" * 10, "名" * 300):
        long = f"制表时间 2026-11-27 17:00 · 制表人 {name} · {anchor}"
        sheet = load_workbook(io.BytesIO(workbook(footer=long)))["督办台账"]
        kept = sheet.oddFooter.left.text
        assert kept.endswith(anchor) and len(kept) <= 200
        assert "&P" in sheet.oddFooter.right.text  # the page number stays on the right


def test_print_sheet_has_a_merged_title_with_office_and_date(book: Any) -> None:
    sheet = book["督办台账"]
    title = sheet["A1"].value
    assert OFFICE in title and "督办台账" in title and "2026年11月27日" in title
    assert "A1:J1" in {str(r) for r in sheet.merged_cells.ranges}
    headers = [c.value for c in sheet[2]]
    assert headers[:7] == ["序号", "编号", "事项", "批示领导", "承办单位", "协办单位", "时限"]
    assert headers[7:] == ["办理情况", "状态", "牌"]


def test_print_rows_have_borders_dates_labels_and_progress(book: Any) -> None:
    sheet = book["督办台账"]
    row = sheet[3]
    assert [c.value for c in row][:3] == [1, 1, "推进第1号重点项目建设"]
    assert all(c.border.left.style == "thin" and c.border.bottom.style == "thin" for c in row)
    assert row[2].alignment.wrap_text
    due = row[6]
    assert due.value == dt.datetime(2026, 12, 20) and due.number_format == "yyyy-mm-dd"
    assert row[5].value == "市发改委、市财政局"
    assert row[7].value == PROGRESS[1]
    assert row[8].value == "在办"
    assert sheet[8][8].value == "已办结"
    assert sheet[8][7].value == "closed 2026-11-20: 已落实"  # how it was closed (en words)


def test_carded_rows_are_filled_and_overdue_deadlines_red(book: Any) -> None:
    sheet = book["督办台账"]
    plain, yellow, red = sheet[3], sheet[4], sheet[5]
    assert plain[2].fill.fill_type is None
    assert {c.fill.fgColor.rgb[-6:] for c in yellow} == {"FFF2CC"}
    assert {c.fill.fgColor.rgb[-6:] for c in red} == {"FFC7CE"}
    assert yellow[9].value == "黄牌" and red[9].value == "红牌"
    assert red[6].font.color.rgb[-6:] == "C00000"
    assert plain[6].font.color is None or plain[6].font.color.rgb[-6:] != "C00000"


def test_formula_looking_text_stays_text(book: Any) -> None:
    for name in ("督办台账", "全部字段"):
        for row in book[name].iter_rows():
            for cell in row:
                assert cell.data_type != "f", (name, cell.coordinate, cell.value)
    row = book["督办台账"][6]
    assert row[2].value == '=HYPERLINK("http://x","click")' and row[2].data_type == "s"
    assert row[3].value == "=2*3"
    assert book["督办台账"][5][7].value == "=SUM(A1)"


def test_control_characters_are_escaped_not_fatal(book: Any) -> None:
    assert book["督办台账"][7][2].value == "标题\\x1b[31m红色\\x00"


# --- 全部字段 and the round trip --------------------------------------------------------


def test_all_fields_sheet_has_every_label_and_reads_back_the_same_values() -> None:
    data = workbook(evidence={2: [{"name": "报告.pdf", "sha256": "ab" * 32, "size": 3}]})
    book = load_workbook(io.BytesIO(data))
    assert [c.value for c in book["全部字段"][1]] == [*(LABELS[k] for k in KEYS), "附件"]
    sheet = read_xlsx(data)
    assert sheet.unknown == [] and sheet.warnings == []
    rows = list(sheet.records)
    assert [r.row for r in rows] == [2, 3, 4, 5, 6, 7]
    for item, row in zip(ITEMS[:4] + ITEMS[5:], rows[:4] + rows[5:], strict=True):
        assert row.data == {k: (v if v != [] else None) for k, v in item.items()}
    assert rows[4].data["title"] == "标题\\x1b[31m红色\\x00"
    assert rows[4].data["co_units"] == ["A、B", "C"]  # a name holding 、 survives
    assert rows[4].data["tags"] == ["重点"]


def test_every_label_maps_back_to_its_key() -> None:
    known = header_map()
    assert all(known[LABELS[key]] == key for key in KEYS)


# --- the office's own spreadsheet -------------------------------------------------------

OFFICE_HEADERS = [
    "序号",
    "督办事项",
    "事项来源",
    "批示领导",
    "领导批示内容",
    "收文日期",
    "办理时限",
    "承办单位",
    "协办单位",
    "办理情况",
    "备注",
    "联系电话",
]


def office_workbook(*extra_sheets: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "2026年"
    sheet.append(["2026年市委督办事项台账"])
    sheet.merge_cells("A1:L1")
    sheet.append([])
    sheet.append(["序 号", *OFFICE_HEADERS[1:]])
    sheet.append(
        [1, "老旧小区改造", "会议纪要", "张书记", "抓紧推进", dt.datetime(2026, 11, 2),
         "2026年12月20日", "市住建局", "市发改委、市财政局", "已开工", "重点", 13800000000]
    )  # fmt: skip
    sheet.append([None] * 12)
    sheet.append(
        [2, "=2*3", "领导批示", "李市长", None, dt.datetime(2026, 11, 3, 14, 30),
         dt.datetime(2026, 12, 31), "市交通局", None, None, None, None]
    )  # fmt: skip
    for name in extra_sheets:
        book.create_sheet(name).append(["x"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_office_spreadsheet_header_found_below_title_and_blank_rows() -> None:
    sheet = read_xlsx(office_workbook())
    assert sheet.unknown == ["联系电话"]
    assert sheet.columns["title"] == "督办事项"
    rows = list(sheet.records)
    assert [(r.number, r.row) for r in rows] == [(1, 4), (2, 6)]
    first, second = rows[0].data, rows[1].data
    assert first == {
        "title": "老旧小区改造",
        "source": "会议纪要",
        "leader": "张书记",
        "body": "抓紧推进",
        "received_at": dt.date(2026, 11, 2),
        "due": "2026年12月20日",
        "unit": "市住建局",
        "co_units": ["市发改委", "市财政局"],
        "progress": "已开工",
        "remark": "重点",
    }
    assert second["title"] == "=2*3"  # a formula cell comes through as its text
    assert second["received_at"] == dt.datetime(2026, 11, 3, 14, 30)
    assert second["due"] == dt.date(2026, 12, 31)
    assert second["progress"] is None


def test_other_sheets_are_named_in_a_warning() -> None:
    sheet = read_xlsx(office_workbook("2025年"))
    assert any("2025年" in w for w in sheet.warnings)


def test_two_columns_for_the_same_field_are_refused_naming_both() -> None:
    data = "事项名称,承办单位,事项名称\n甲,市住建局,乙\n".encode()
    with pytest.raises(InvalidInput) as caught:
        read_csv(data)
    assert "事项名称 (A)" in caught.value.message and "事项名称 (C)" in caught.value.message


def test_no_title_column_says_which_headers_mean_the_item() -> None:
    data = "序号,承办单位,时限\n1,市住建局,2026-12-20\n".encode()
    with pytest.raises(InvalidInput) as caught:
        read_csv(data)
    message = caught.value.message
    assert "no column for the item (事项)" in message
    assert "承办单位" in message and "督办事项" in message and "事项名称" in message


def test_empty_csv_has_no_records() -> None:
    assert list(read_csv(b"").records) == []


def test_gbk_csv_is_read_with_a_warning() -> None:
    data = "事项名称,承办单位,办理时限\r\n老旧小区改造,市住建局,2026/12/20\r\n".encode("gbk")
    sheet = read_csv(data)
    assert any("GB18030" in w for w in sheet.warnings)
    assert [r.data for r in sheet.records] == [
        {"title": "老旧小区改造", "unit": "市住建局", "due": "2026/12/20"}
    ]


def test_utf8_csv_with_bom_and_a_title_line_above_the_header() -> None:
    data = '\ufeff督办台账,,\n事项,承办单位,最新进展\n\n甲,市住建局,"第一行\n第二行"\n乙,,\n'
    sheet = read_csv(data.encode())
    assert sheet.warnings == []
    rows = list(sheet.records)
    assert [(r.number, r.row) for r in rows] == [(1, 4), (2, 6)]
    assert rows[0].data == {"title": "甲", "unit": "市住建局", "progress": "第一行\n第二行"}


def test_zip_bomb_is_refused_before_unpacking() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<x>" + " " * 5_000_000 + "</x>")
    data = out.getvalue()
    assert len(data) < 50_000
    started = time.perf_counter()
    with pytest.raises(InvalidInput) as caught:
        read_xlsx(data, max_bytes=1_000_000)
    assert time.perf_counter() - started < 0.5
    assert "unpacks to" in caught.value.message


def test_not_a_workbook_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        read_xlsx(b"not a zip")


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


# --- csv with Chinese headers ------------------------------------------------------------


def test_csv_zh_has_bom_chinese_headers_and_guards_formulas() -> None:
    out = io.StringIO()
    assert write_csv_zh(out, ITEMS) == len(ITEMS)
    text = out.getvalue()
    assert text.startswith("\ufeff编号,事项,批示内容,来源,")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[4][1] == '\'=HYPERLINK("http://x","click")'
    assert rows[4][KEYS.index("unit")] == "'+市住建局"
    assert rows[1][KEYS.index("co_units")] == "市发改委,市财政局"
    assert rows[1][KEYS.index("status")] == "assigned"  # machine values: they import back


def test_csv_zh_reads_back_with_the_guard_taken_off() -> None:
    out = io.StringIO()
    write_csv_zh(out, ITEMS)
    sheet = read_csv(out.getvalue().encode())
    assert sheet.unknown == []
    rows = list(sheet.records)
    assert rows[3].data["title"] == '=HYPERLINK("http://x","click")'
    assert rows[3].data["unit"] == "+市住建局"
    assert rows[0].data["received_at"] == "2026-11-02T09:30:00+08:00"


def test_a_title_row_naming_the_item_does_not_pass_for_the_header() -> None:
    sheet = read_csv("督办事项,\n事项名称,联系电话\n甲,123\n".encode())
    assert [r.data for r in sheet.records] == [{"title": "甲"}]
    assert sheet.unknown == ["联系电话"]


def test_rows_with_long_text_are_tall_enough_to_show_it() -> None:
    items = [make_item(1, co_units=[]), make_item(2, co_units=[])]
    out = io.BytesIO()
    long = "已召开专题会议研究部署，完成项目选址和方案设计。" * 4  # 96 characters: 6 lines
    write_workbook(out, items, office=OFFICE, day=DAY, progress={2: long})
    sheet = load_workbook(out)["督办台账"]
    short, tall = sheet.row_dimensions[3].height, sheet.row_dimensions[4].height
    assert short == 20 and tall >= 6 * 14


def test_evidence_column_names_each_file_with_its_hash() -> None:
    files = [{"name": "报告.pdf", "sha256": "ab" * 32, "size": 3}]
    book = load_workbook(io.BytesIO(workbook(evidence={2: files})))
    assert book["全部字段"]["AG3"].value == f"报告.pdf sha256:{'ab' * 32}"


def test_a_merged_cell_is_the_value_of_every_row_it_spans() -> None:
    book = Workbook()
    ws = book.active
    ws.append(["县委督查室督办事项台账"])
    ws.merge_cells("A1:D1")  # a title across the columns: no rows below it
    ws.append(["序号", "事项名称", "批示领导", "承办单位"])
    ws.append([1, "甲", "张书记", "县住建局"])
    ws.append([2, "乙", None, None])
    ws.append([3, "丙", None, "县财政局"])
    ws.merge_cells("C3:C5")  # 批示领导 over three rows
    ws.merge_cells("D3:D4")  # 承办单位 over two
    data = io.BytesIO()
    book.save(data)
    rows = [r.data for r in read_xlsx(data.getvalue()).records]
    assert [(r["title"], r["leader"], r["unit"]) for r in rows] == [
        ("甲", "张书记", "县住建局"),
        ("乙", "张书记", "县住建局"),
        ("丙", "张书记", "县财政局"),
    ]


def test_a_row_of_totals_is_no_record_however_the_office_writes_it() -> None:
    for total in ("合计", "合计：", "合计（1件）", "共1项", "共计1件", "Total"):
        sheet = read_csv(f"事项名称,承办单位\n甲,市住建局\n{total},\n".encode())
        assert [r.data["title"] for r in sheet.records] == ["甲"] and sheet.totals == [3], total
    kept = read_csv("事项名称,承办单位\n合计划落实情况,市住建局\n".encode())
    assert [r.data["title"] for r in kept.records] == ["合计划落实情况"]


def test_a_header_merged_over_two_rows_is_the_header_still() -> None:
    book = Workbook()
    ws = book.active
    ws.append(["序号", "事项名称", "承办单位", "办理时限", None])
    ws.append([None, None, None, "原定", "调整"])
    ws.append([1, "甲", "县住建局", "2026-12-20", None])
    for ref in ("A1:A2", "B1:B2", "C1:C2", "D1:E1"):
        ws.merge_cells(ref)
    data = io.BytesIO()
    book.save(data)
    rows = [r for r in read_xlsx(data.getvalue()).records]
    assert [(r.row, r.data["title"], r.data["unit"], r.data["due"]) for r in rows] == [
        (3, "甲", "县住建局", "2026-12-20")
    ]
