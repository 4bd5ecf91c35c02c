"""The ledger workbook the office prints: 督办台账 laid out for A4, 全部字段 for the round trip.

Written in openpyxl's write-only mode (rows streamed to disk, flat memory). Every text
cell is text, never a formula, and text xlsx cannot hold is written escaped.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping
from copy import copy
from typing import TYPE_CHECKING, Any, BinaryIO

from oa_cli.domain.fields import BY_KEY, KEYS, LABELS, value_label
from oa_cli.i18n import t
from oa_cli.readers.sheets import EVIDENCE_HEADER, FIELDS_SHEET
from oa_cli.render.plain import escaped
from oa_cli.render.report import closing, closing_text

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

PRINT_SHEET = "督办台账"

# 督办台账: (header, width in characters, wrapped and left-aligned)
_PRINT_COLUMNS = (
    ("序号", 5, False),
    ("编号", 6, False),
    ("事项", 34, True),
    ("批示领导", 10, True),
    ("承办单位", 14, True),
    ("协办单位", 14, True),
    ("时限", 12, False),
    ("办理情况", 34, True),
    ("状态", 8, False),
    ("牌", 6, False),
)
_DUE_COLUMN = 7  # 时限, counted from 1
_CARD_FILLS = {"yellow": "FFF2CC", "red": "FFC7CE"}  # light yellow, light red
_FONT = "宋体"
_MAX_CELL = 32767  # the most characters a cell holds
# What XML 1.0 (and so xlsx) cannot carry: C0 controls but tab/newline/CR, lone surrogates,
# U+FFFE/U+FFFF.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)
_LINE_HEIGHT = 14  # points per line of 10-point text
_LIST_SEPARATORS = re.compile(r"[,，、;；]")


def _line_count(text: str, width: int) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (a Chinese
    character is about 1.8 wide in 10-point type), rounded up so the text is never cut."""
    room = max(width - 1.0, 1.0)
    lines = 0
    for paragraph in text.split("\n"):
        wide = len(_WIDE.findall(paragraph))
        units = 1.8 * wide + 1.0 * (len(paragraph) - wide)
        lines += max(1, math.ceil(units / room))
    return lines


_FOOTER_MAX = 200  # of the 255 characters a page footer keeps, its codes included
_FOOTER_TAIL = 40  # its end, the anchor, is never cut


def _footer(text: str) -> str:
    """`text` as a page footer: `&` doubled (alone it starts a code), and a text too long
    shortened in its middle (a very long name), never at its end (the anchor)."""
    escaped = text.replace("&", "&&")
    if len(escaped) <= _FOOTER_MAX:
        return escaped
    head, tail = text[:-_FOOTER_TAIL], text[-_FOOTER_TAIL:]
    while len(f"{head}…{tail}".replace("&", "&&")) > _FOOTER_MAX:
        head = head[:-1]
    return f"{head}…{tail}".replace("&", "&&")


def cell_text(text: str) -> str:
    """Text as a cell can hold it: control characters escaped (`\\x1b`), cut to 32767."""
    if _UNWRITABLE.search(text):
        text = _UNWRITABLE.sub(lambda found: escaped(found[0]), text)
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def write_workbook(
    out: BinaryIO,
    items: Iterable[Mapping[str, Any]],
    *,
    office: str,
    day: dt.date,
    progress: Mapping[int, str],
    evidence: Mapping[int, list[dict[str, Any]]] | None = None,
    footer: str = "",
) -> int:
    """Both sheets, one item a row in each; return how many items. `footer`: what the
    printed ledger says about itself at the foot of every page (made, by, anchor)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ledger = _Ledger(book.create_sheet(PRINT_SHEET), office, day, footer)
    fields = _Fields(book.create_sheet(FIELDS_SHEET), with_evidence=evidence is not None)
    count = 0
    for item in items:
        count += 1
        ledger.append(count, dict(item), progress.get(item["id"]))
        fields.append(dict(item), evidence.get(item["id"], []) if evidence is not None else None)
    book.save(out)  # a file object is fine: openpyxl hands it to ZipFile
    return count


def _text_cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    """A cell holding `value`; text stays text even when it starts with `=`."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=cell_text(value))
        cell.data_type = "s"  # not "f": a title `=2*3` is a title
        return cell
    return WriteOnlyCell(sheet, value=value)


def _plain(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """An unstyled value: itself (cheap), or a text cell where openpyxl would see a formula."""
    if not isinstance(value, str):
        return value
    text = cell_text(value)
    return _text_cell(sheet, text) if text.startswith("=") else text


class _Ledger:
    """督办台账: a title row, a header row repeated on every page, one row per item."""

    def __init__(
        self, sheet: WriteOnlyWorksheet, office: str, day: dt.date, footer: str = ""
    ) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.sheet = sheet
        self.day = day
        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=_FONT, size=10)
        self.red_font = Font(name=_FONT, size=10, color="C00000", bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="center", horizontal="left")
        self.centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
        self.styles: dict[tuple[int, int, int, str], Any] = {}
        self.fills = {k: PatternFill("solid", fgColor=v) for k, v in _CARD_FILLS.items()}
        self._set_up_page(footer)
        title = f"{office}督办台账（{day.year}年{day.month}月{day.day}日）"
        self._title(title, Font(name=_FONT, size=16, bold=True))
        header_fill = PatternFill("solid", fgColor="D9D9D9")
        header_font = Font(name=_FONT, size=10, bold=True)
        self.sheet.append(
            [self._cell(h, header_font, self.centre, header_fill) for h, _, _ in _PRINT_COLUMNS]
        )
        self.row = 2  # the spreadsheet row last written

    def _set_up_page(self, footer: str) -> None:
        from openpyxl.utils import get_column_letter

        sheet = self.sheet
        for index, (_, width, _) in enumerate(_PRINT_COLUMNS, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages tall as it takes
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.page_margins.top = 0.6
        sheet.page_margins.bottom = 0.9  # inches: room below the table for the page footer
        sheet.page_margins.header = sheet.page_margins.footer = 0.35
        sheet.print_title_rows = "2:2"
        sheet.freeze_panes = "A3"
        sheet.oddFooter.right.text = t("page &P of &N")
        # `&` starts a code in a page footer; at most 255 characters are kept
        if footer:
            sheet.oddFooter.left.text = _footer(cell_text(footer))
        sheet.row_dimensions[1].height = 32
        sheet.row_dimensions[2].height = 22
        last = get_column_letter(len(_PRINT_COLUMNS))
        sheet.merged_cells.add(f"A1:{last}1")

    def _title(self, text: str, font: Any) -> None:
        from openpyxl.styles import Alignment

        cell = _text_cell(self.sheet, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center")
        self.sheet.append([cell])

    def _cell(
        self, value: Any, font: Any, alignment: Any, fill: Any = None, number_format: str = ""
    ) -> WriteOnlyCell:
        cell = _text_cell(self.sheet, value)
        key = (id(font), id(alignment), id(fill), number_format)
        style = self.styles.get(key)
        if style is not None:  # registered by an earlier cell: copying skips openpyxl's
            cell._style = copy(style)  # hashing of every style object (10x faster)
            return cell
        cell.border = self.border
        cell.font = font
        cell.alignment = alignment
        if fill is not None:
            cell.fill = fill
        if number_format:
            cell.number_format = number_format
        self.styles[key] = copy(cell._style)
        return cell

    def append(self, number: int, item: dict[str, Any], progress: str | None) -> None:
        card = item.get("card")
        fill = self.fills.get(card) if card else None
        values = (
            number,
            item["id"],
            item["title"],
            item.get("leader"),
            item.get("unit"),
            "、".join(item.get("co_units") or []) or None,
            dt.date.fromisoformat(item["due"]) if item.get("due") else None,
            closing_text(*closed) if (closed := closing(item)) else progress,
            value_label("status", item["status"]),
            value_label("card", card) if card else None,
        )
        cells = []
        for index, ((_, _, wrapped), value) in enumerate(
            zip(_PRINT_COLUMNS, values, strict=True), 1
        ):
            late = index == _DUE_COLUMN and bool(item.get("overdue"))
            font = self.red_font if late else self.font
            number_format = "yyyy-mm-dd" if index == _DUE_COLUMN else ""
            cell = self._cell(
                value, font, self.wrap if wrapped else self.centre, fill, number_format
            )
            cells.append(cell)
        self._append_fitted(cells, values)

    def _append_fitted(self, cells: list[WriteOnlyCell], values: tuple[Any, ...]) -> None:
        """Append a row as tall as its wrapped text (programs do not fit rows on opening a
        file); the height is dropped once written, so memory stays flat."""
        texts = zip(_PRINT_COLUMNS, values, strict=True)
        lines = [_line_count(v, width) for (_, width, wraps), v in texts if wraps and v]
        self.row += 1
        self.sheet.row_dimensions[self.row].height = max(
            20, max(lines, default=1) * _LINE_HEIGHT + 6
        )
        self.sheet.append(cells)
        del self.sheet.row_dimensions[self.row]


class _Fields:
    """全部字段: every key under its Chinese label, values as `oa import` reads them back."""

    def __init__(self, sheet: WriteOnlyWorksheet, *, with_evidence: bool) -> None:
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self.sheet = sheet
        self.with_evidence = with_evidence
        headers = [LABELS[key] for key in KEYS]
        if with_evidence:
            headers.append(EVIDENCE_HEADER)
        bold = Font(bold=True)
        cells = []
        for header in headers:
            cell = _text_cell(sheet, header)
            cell.font = bold
            cells.append(cell)
        for index, key in enumerate(KEYS, 1):
            sheet.column_dimensions[get_column_letter(index)].width = _field_width(key)
        if with_evidence:
            sheet.column_dimensions[get_column_letter(len(KEYS) + 1)].width = 40
        sheet.freeze_panes = "B2"
        # For the round trip, not for print: a printed or PDF'd workbook is 督办台账 alone
        # (the sheet can be shown again in any spreadsheet program).
        sheet.sheet_state = "hidden"
        sheet.append(cells)

    def append(self, item: dict[str, Any], files: list[dict[str, Any]] | None) -> None:
        row = [_plain(self.sheet, field_value(key, item.get(key))) for key in KEYS]
        if self.with_evidence:
            lines = [f"{f.get('name', '')} sha256:{f.get('sha256', '')}" for f in files or []]
            row.append(_plain(self.sheet, "\n".join(lines) or None))
        self.sheet.append(row)


def _field_width(key: str) -> int:
    if key in ("title", "body"):
        return 30
    return {"stamp": 26, "date": 12, "list": 18, "text": 14}.get(BY_KEY[key].kind, 10)


def field_value(key: str, value: Any) -> Any:
    """One value of 全部字段: text, a number, a boolean or empty; a list joined with 、
    (as JSON when an element holds a separator, so it reads back the same)."""
    if value is None:
        return None
    if BY_KEY[key].kind == "list":
        if not value:
            return None
        if any(_LIST_SEPARATORS.search(str(v)) or str(v) != str(v).strip() for v in value):
            return json.dumps(value, ensure_ascii=False)
        return "、".join(str(v) for v in value)
    if isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value, ensure_ascii=False)
