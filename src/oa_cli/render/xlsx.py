"""Excel workbooks as offices keep them: Chinese headers, frozen header row, dates as dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from oa_cli.domain.item import KEYS

# Column headers of the exported 督办台账 (import reads them back: domain.records.HEADERS).
XLSX_HEADERS = {
    "id": "编号",
    "title": "事项名称",
    "body": "批示内容",
    "source": "来源",
    "leader": "批示领导",
    "doc_no": "文号",
    "priority": "缓急",
    "status": "状态",
    "unit": "承办单位",
    "co_units": "协办单位",
    "owner": "责任人",
    "tags": "标签",
    "received_at": "收文时间",
    "assigned_at": "交办时间",
    "due": "办理时限",
    "original_due": "原定时限",
    "closed_at": "办结时间",
    "close_basis": "办结依据",
    "close_ref": "办结文号",
    "card": "牌",
    "overdue": "是否逾期",
    "overdue_days": "逾期工作日",
    "feedback_count": "反馈次数",
    "last_feedback_at": "最近反馈时间",
    "remind_count": "催办次数",
    "created_by": "登记人",
}
VALUE_LABELS = {
    "status": {
        "registered": "未交办",
        "assigned": "已交办",
        "closed": "已办结",
        "cancelled": "已撤销",
    },
    "priority": {"urgent": "特急", "high": "加急", "normal": "平件"},
    "source": {
        "instruction": "领导批示",
        "meeting": "会议议定",
        "document": "上级文件",
        "other": "其他",
    },
    "card": {"yellow": "黄牌", "red": "红牌"},
}
_WIDTHS = {"title": 40, "body": 40, "close_basis": 30, "unit": 16, "co_units": 20, "doc_no": 22}


def _cell(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key in VALUE_LABELS:
        return VALUE_LABELS[key].get(value, value)
    if key in ("due", "original_due"):
        return dt.date.fromisoformat(value)
    if isinstance(value, list):
        return "、".join(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def write_workbook(path: Path, items: Iterable[dict[str, Any]], title: str = "督办台账") -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title
    sheet.append([XLSX_HEADERS[k] for k in KEYS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    overdue_fill = PatternFill("solid", fgColor="FFE0E0")
    wrap = Alignment(wrap_text=True, vertical="top")
    count = 0
    for item in items:
        sheet.append([_cell(k, item[k]) for k in KEYS])
        count += 1
        row = sheet[count + 1]
        for cell in row:
            cell.alignment = wrap
            if item["overdue"]:
                cell.fill = overdue_fill
    for index, key in enumerate(KEYS, 1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = _WIDTHS.get(key, 12)
        if key in ("due", "original_due"):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    book.save(path)
    return count


def read_rows(data: bytes) -> list[dict[str, Any]]:
    """The first sheet as records: the first row is the header."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return []
    keys = [str(h).strip() if h is not None else "" for h in header]
    records = []
    for row in rows:
        if row is None or all(v in (None, "") for v in row):
            continue
        records.append({k: v for k, v in zip(keys, row, strict=False) if k and v not in (None, "")})
    return records
