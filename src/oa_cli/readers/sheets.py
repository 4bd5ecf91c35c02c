"""The office's own spreadsheets (xlsx, csv) as records keyed by item field.

The header row is found among the first rows (title rows, merged cells and blank rows
above it skipped); column headers map to keys through `fields.header_map()`, plus the
special key "progress" (办理情况/最新进展). Values come through as the file holds them
(text stripped, empty as None, date cells as dates); checking them is the importer's job.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from oa_cli.domain.fields import BY_KEY, LABELS, header_map
from oa_cli.errors import InvalidInput, OaError
from oa_cli.i18n import t

HEADER_ROWS = 10  # the header row is looked for among this many first rows
FIELDS_SHEET = "全部字段"
EVIDENCE_HEADER = "附件"  # written by render.xlsx on 全部字段; not read back
_SPACE = re.compile(r"\s+")
_FORMULA_START = ("'=", "'+", "'-", "'@", "'\t", "'\r")  # csv_zh's guard, taken off again

Cells = Sequence[Any]


@dataclass
class Row:
    number: int  # counted from 1 among the records
    row: int  # the spreadsheet row (csv: line) where the record starts
    data: dict[str, Any]


@dataclass
class Sheet:
    records: Iterator[Row]
    unknown: list[str] = field(default_factory=list)  # headers that map to nothing, once each
    warnings: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # key → the header as written
    totals: list[int] = field(default_factory=list)  # rows skipped as totals, as read


def read_xlsx(data: bytes | BinaryIO, *, max_bytes: int = 200 * 2**20) -> Sheet:
    """The sheet 全部字段 when there is one, else the active sheet, streamed."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    _check_unpacked_size(stream, max_bytes)
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=False)
    except Exception as exc:  # an untrusted file: whatever openpyxl trips on
        raise InvalidInput(t("cannot read the workbook: {error}", error=_reason(exc))) from None
    warnings: list[str] = []
    if FIELDS_SHEET in book.sheetnames:
        sheet = book[FIELDS_SHEET]
    else:
        sheet = book.active if book.active is not None else book.worksheets[0]
        others = [name for name in book.sheetnames if name != sheet.title]
        if others:
            warnings.append(
                t(
                    "read the sheet {sheet}; other sheets ignored: {others}",
                    sheet=sheet.title,
                    others=", ".join(others),
                )
            )
    if not hasattr(sheet, "iter_rows"):  # a chart sheet
        raise InvalidInput(t("cannot read the workbook: {error}", error=sheet.title))
    sheet.reset_dimensions()  # some programs write a wrong size: read to the end
    rows = enumerate(sheet.iter_rows(values_only=True), 1)
    return _sheet(_guarded(rows, book.close), _xlsx_value, warnings, _merged_below(sheet))


_MERGE = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"


def _merged_below(sheet: Any) -> dict[tuple[int, int], tuple[int, int]]:
    """The cells a merge spans below its first row, each → the merge's first cell (row,
    column, from 1): 承办单位 merged over two rows is the unit of both, as the sheet shows
    it. Read from the sheet's own part, flat in memory; none when it cannot be read."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    below: dict[tuple[int, int], tuple[int, int]] = {}
    try:
        with sheet._get_source() as source:
            for _, element in iterparse(source):
                if element.tag == _MERGE:
                    col, first, _, last = range_boundaries(element.get("ref", ""))
                    for row in range((first or 1) + 1, (last or 0) + 1):
                        below[(row, col or 1)] = (first or 1, col or 1)
                element.clear()
    except Exception:  # an untrusted file: its rows say what is wrong, if anything is
        return {}
    return below


def _filled_down(
    rows: Iterator[tuple[int, Cells]], below: dict[tuple[int, int], tuple[int, int]]
) -> Iterator[tuple[int, Cells]]:
    """Rows with each merged cell below a merge's first row given that row's value."""
    fills: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for (row, col), top in below.items():
        fills.setdefault(row, []).append((col, top))
    tops: dict[int, set[int]] = {}
    for row, col in below.values():
        tops.setdefault(row, set()).add(col)
    kept: dict[tuple[int, int], Any] = {}
    for number, cells in rows:
        for col in tops.get(number, ()):
            kept[(number, col)] = cells[col - 1] if col <= len(cells) else None
        if number in fills:
            filled = list(cells)
            for col, top in fills[number]:
                filled.extend([None] * (col - len(filled)))
                if filled[col - 1] is None:
                    filled[col - 1] = kept.get(top)
            cells = tuple(filled)
        yield number, cells


def read_csv(data: bytes | BinaryIO) -> Sheet:
    """UTF-8 (with or without BOM), else GB18030 (Excel's Chinese CSV) with a warning.
    A file is read as its rows are asked for (a first pass checks its encoding)."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    encoding, warnings = _encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    return _sheet(_csv_rows(csv.reader(text)), _csv_value, warnings)


_CHUNK = 1 << 20


def count_lines(stream: BinaryIO) -> int:
    """How many line breaks a file holds (read in chunks; it is left at its start)."""
    stream.seek(0)
    count = sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(_CHUNK), b""))
    stream.seek(0)
    return count


def undecodable(stream: BinaryIO, encoding: str) -> int | None:
    """The offset of the first byte that is not `encoding` text, or None (the file is
    read in chunks and left at its start)."""
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)()
    stream.seek(0)
    offset = 0
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
            offset += len(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return offset + exc.start - len(exc.object) + len(chunk) if exc.object else offset
    finally:
        stream.seek(0)
    return None


def _check_unpacked_size(stream: BinaryIO, max_bytes: int) -> None:
    """Refuse a workbook that would unpack to more than max_bytes, before unpacking it.
    (zipfile never inflates a member past its declared size, so the sum is a bound.)"""
    try:
        with zipfile.ZipFile(stream) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InvalidInput(t("not an xlsx workbook (not a zip archive)")) from None
    finally:
        stream.seek(0)
    if total > max_bytes:
        raise InvalidInput(
            t(
                "the workbook unpacks to {size}, more than the {limit} import reads",
                size=_size(total),
                limit=_size(max_bytes),
            )
        )


def _size(count: int) -> str:
    return f"{count / 2**20:.0f} MB" if count >= 2**20 else f"{count} B"


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _guarded(
    rows: Iterator[tuple[int, Cells]], close: Callable[[], None]
) -> Iterator[tuple[int, Cells]]:
    """Rows of a workbook; a damaged part is an InvalidInput naming the row, not a crash."""
    number = 0
    try:
        for number, cells in rows:
            yield number, cells
    except OaError:
        raise
    except Exception as exc:  # an untrusted file: whatever openpyxl trips on
        raise InvalidInput(
            t("the workbook is damaged after row {row}: {error}", row=number, error=_reason(exc))
        ) from None
    finally:
        close()


def _encoding(stream: BinaryIO) -> tuple[str, list[str]]:
    if undecodable(stream, "utf-8-sig") is None:
        return "utf-8-sig", []
    bad = undecodable(stream, "gb18030")
    if bad is not None:
        raise InvalidInput(t("the file is neither UTF-8 nor GB18030 text (byte {pos})", pos=bad))
    return "gb18030", [t("the file is not UTF-8: read as GB18030 (the Chinese Excel's CSV)")]


def _csv_rows(reader: Any) -> Iterator[tuple[int, Cells]]:
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidInput(t("line {line}: {error}", line=start, error=str(exc))) from None
        yield start, cells


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() and value.tzinfo is None else value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _csv_value(value: str) -> str | None:
    value = value.strip()
    if value.startswith(_FORMULA_START):
        value = value[1:]
    return value or None


def _sheet(
    rows: Iterator[tuple[int, Cells]],
    clean: Callable[[Any], Any],
    warnings: list[str],
    below: dict[tuple[int, int], tuple[int, int]] | None = None,
) -> Sheet:
    first = [(number, cells) for number, cells in _take(rows, HEADER_ROWS)]
    filled = [(number, cells) for number, cells in first if not _blank(cells)]
    if not filled:
        return Sheet(records=iter(()), warnings=warnings)
    at = _header_index(filled)
    header_row = filled[at][0]
    keys, unknown, columns = _columns(filled[at][1])
    # a header merged down over a second row (序号 over two, 时限 split in two below) is
    # the header still; a merge among the items is the value of every row it spans
    below = below or {}
    if any(top[0] == header_row for top in below.values()):
        header_row += 1
    after = (pair for pair in first if pair[0] > header_row)
    body = _chain(after, rows)
    fills = {cell: top for cell, top in below.items() if top[0] > header_row}
    if fills:
        body = _filled_down(body, fills)
    totals: list[int] = []
    records = _records(body, keys, clean, totals)
    return Sheet(records, unknown, warnings, columns, totals)


def _take(rows: Iterator[tuple[int, Cells]], count: int) -> list[tuple[int, Cells]]:
    taken = []
    for pair in rows:
        taken.append(pair)
        if len(taken) >= count:
            break
    return taken


def _chain(*parts: Iterable[tuple[int, Cells]]) -> Iterator[tuple[int, Cells]]:
    for part in parts:
        yield from part


def _blank(cells: Cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def header_name(value: Any) -> str:
    """A header as written, without the spaces offices pad headers with (承 办 单 位)."""
    return "" if value is None else _SPACE.sub("", str(value)).strip("*＊")


def _key(name: str, known: dict[str, str | None]) -> str | None | bool:
    """The key a header maps to, None when it is recognised and not kept, False when unknown."""
    for form in (name, name.lower()):
        if form in known:
            return known[form]
    return False


def _known() -> dict[str, str | None]:
    return {**header_map(), EVIDENCE_HEADER: None}


def _header_index(rows: list[tuple[int, Cells]]) -> int:
    """The row with a title column and the most recognised headers; on a tie the one with
    more headers (a merged title 督办事项 above the real header row), then the first."""
    known = _known()
    best, best_score = -1, (0, 0)
    for index, (_, cells) in enumerate(rows):
        found = [_key(header_name(c), known) for c in cells if header_name(c)]
        score = (sum(1 for key in found if key is not False), len(found))
        if "title" in found and score > best_score:
            best, best_score = index, score
    if best < 0:
        _no_title(rows, known)
    return best


def _no_title(rows: list[tuple[int, Cells]], known: dict[str, str | None]) -> None:
    def recognised(cells: Cells) -> int:
        return sum(1 for c in cells if header_name(c) and _key(header_name(c), known) is not False)

    cells = max((cells for _, cells in rows), key=recognised)
    found = [header_name(c) for c in cells if header_name(c)]
    title = BY_KEY["title"]
    raise InvalidInput(
        t(
            "no column for the item ({label}): the columns found are {found}; "
            "the item's column is headed one of {names}",
            label=title.label,
            found=", ".join(found),
            names=", ".join((title.label, *title.headers)),
        )
    )


def _columns(cells: Cells) -> tuple[list[tuple[int, str]], list[str], dict[str, str]]:
    """(column index, key) of the kept columns, the unknown headers, key → header."""
    known = _known()
    keys: list[tuple[int, str]] = []
    unknown: list[str] = []
    columns: dict[str, str] = {}
    seen: dict[str, int] = {}
    for index, value in enumerate(cells):
        name = header_name(value)
        if not name:
            continue
        key = _key(name, known)
        if key is False:
            if name not in unknown:
                unknown.append(name)
            continue
        if key is None:
            continue
        assert isinstance(key, str)
        if key in seen:
            _duplicate(key, cells, seen[key], index)
        seen[key] = index
        keys.append((index, key))
        columns[key] = name
    return keys, unknown, columns


def _duplicate(key: str, cells: Cells, first: int, second: int) -> None:
    label = LABELS.get(key, "办理情况" if key == "progress" else key)
    raise InvalidInput(
        t(
            "columns {first} and {second} both mean {label}: keep one of them",
            first=f"{header_name(cells[first])} ({column_letter(first)})",
            second=f"{header_name(cells[second])} ({column_letter(second)})",
            label=label,
        )
    )


def column_letter(index: int) -> str:
    """The spreadsheet letter of a column counted from 0 (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _records(
    rows: Iterator[tuple[int, Cells]],
    keys: list[tuple[int, str]],
    clean: Callable[[Any], Any],
    totals: list[int],
) -> Iterator[Row]:
    number = 0
    for line, cells in rows:
        if _blank(cells):
            continue
        if _is_total(cells):  # 合计 / 共52项 under the table: no item
            totals.append(line)
            continue
        number += 1
        data = {}
        for index, key in keys:
            value = clean(cells[index]) if index < len(cells) else None
            data[key] = _list_value(value) if key in _LIST_KEYS else value
        yield Row(number=number, row=line, data=data)


# 合计, 合计：, 合计（52项）, 总计 52 件, 共52项, 共计52件, total
_TOTAL = re.compile(
    r"(?:(?:合计|总计|小计|共计|total)[:：]?(?:[(（]?\d*[项件条个]?[)）]?)|共\d+[项件条个])",
    re.IGNORECASE,
)


def _is_total(cells: Cells) -> bool:
    """A row of totals under an office's table: its first filled cell says 合计 (总计,
    小计, 共计, 共52项), with a count at most."""
    first = next((c for c in cells if c is not None and str(c).strip()), None)
    return _TOTAL.fullmatch(header_name(first)) is not None


_LIST_SPLIT = re.compile(r"\s*[,，、;；]\s*")
_LIST_KEYS = frozenset(key for key, f in BY_KEY.items() if f.kind == "list")


def _list_value(value: Any) -> Any:
    """A list cell as a list: names split at , ， 、 ; ； or, as render.xlsx writes a list
    whose names hold a separator, JSON."""
    if not isinstance(value, str):
        return value
    if value.startswith("[") and value.endswith("]"):
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = None
        if isinstance(decoded, list) and all(isinstance(v, str) for v in decoded):
            return decoded
    return [name for name in _LIST_SPLIT.split(value) if name]


__all__ = ["Row", "Sheet", "column_letter", "header_name", "read_csv", "read_xlsx"]
