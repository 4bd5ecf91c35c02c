"""A `Document` drawn for people: Rich renderables for a terminal and an A4 HTML page
for mail and print (inline styles only where a cell has its own colour; `@page`, print
rules and the look every cell shares in one `<style>` block). Markdown is
`render.markdown`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from oa_cli.i18n import get_lang, t
from oa_cli.render.report import (
    CARD,
    CENTRED,
    CLOSING,
    DUE,
    LEADER,
    NOWRAP,
    OVERDUE,
    OWNER,
    PROGRESS,
    STANDING,
    TITLE,
    UNIT,
    Block,
    Cell,
    Column,
    Document,
    ItemRows,
    Line,
    card_cell,
    clean,
    footer_text,
    item_columns,
    page_of,
    progress_text,
    standing_of,
)
from oa_cli.render.rows import RowForm, SpooledRows, as_text, as_utf8, encoded, number_form

# -- terminal ----------------------------------------------------------------

RICH_STYLES = {
    "red": "red",
    "card-yellow": "bold yellow",
    "card-red": "bold red",
    "good": "green",
    "fair": "yellow",
    "poor": "red",
}


def _figure_width(header: str, cells: list[str]) -> int:
    """A figure column's fixed width: its values, and its header on one line when that is a
    short Chinese word, else its longest English word (so narrow columns never cut a word)."""
    from rich.cells import cell_len

    words = header.split()
    head = (
        cell_len(header)
        if len(words) == 1 and cell_len(header) <= 10
        else max((cell_len(w) for w in words), default=1)
    )
    return max([head, *(cell_len(c) for c in cells)])


def rich_table(block: Block, rows: list[list[Cell]], expand: bool) -> Any:
    """A block's rows as a terminal table (its terminal columns)."""
    from rich.text import Text

    from oa_cli.render.table import new_table

    table = new_table(clean(block.title) or None)
    table.expand = expand
    shown = [i for i, c in enumerate(block.columns) if c.terminal]
    if len(shown) > 9:  # many narrow figures: no rules between columns
        from rich import box

        table.box, table.padding, table.show_edge = box.SIMPLE_HEAD, (0, 0), False
    for i in shown:
        col = block.columns[i]
        short = col.kind in NOWRAP
        figure = col.kind in ("num", "rate")
        table.add_column(
            Text(clean(col.header)),
            justify="right" if col.kind in ("id", "num", "rate") else "left",
            overflow="fold",
            no_wrap=col.kind in ("id", "date"),
            width=_figure_width(col.header, [row[i].text for row in rows]) if figure else None,
            min_width=10 if col.kind == "date" else 4 if short else 8,
            ratio=None if short else 3 if col.kind == "title" else 1,
        )
    for row in rows:
        table.add_cells([(clean(row[i].text), RICH_STYLES.get(row[i].style, "")) for i in shown])
    return table


def rich_parts(doc: Document, expand: bool = False) -> list[Any]:
    """Renderables for a terminal; each section cut to meta.max_rows, saying what is left."""
    from rich.text import Text

    out: list[Any] = []
    if doc.meta.office:
        out.append(Text(clean(doc.meta.office)))
    out.append(Text(clean(f"{doc.title}  {doc.date_line}"), style="bold"))
    out.append(Joined([clean(part) for part in doc.summary]))
    for block in doc.blocks:
        rows = list(islice(block.rows, doc.meta.max_rows))
        out += [Text(""), rich_table(block, rows, expand)]
        listed = block.rows if isinstance(block.rows, list) else rows  # ItemRows has a total
        total = len(listed) if block.total is None else block.total
        if total > len(rows):
            more = t(
                "{n} more not shown; {command} lists them all",
                n=total - len(rows),
                command=block.more,
            )
            out.append(Text(clean(more), style="dim"))
    out += [Text(clean(note)) for note in doc.notes]
    out += [Text(""), Text(clean(footer_text(doc.meta)), style="dim")]
    return out


class Joined:
    """Figures joined by " · " on a terminal, a line broken only between two of them
    (never inside "今日办结 3", and no " · " left at a line's end)."""

    def __init__(self, parts: list[str]) -> None:
        self.parts = parts

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
        from rich.cells import cell_len
        from rich.text import Text

        line = ""
        for part in self.parts:
            joined = f"{line} · {part}" if line else part
            if line and cell_len(joined) > options.max_width:
                yield Text(line)
                joined = part
            line = joined
        yield Text(line)


class Memo(dict[Any, str]):
    """A value's drawn form, made on first use (`memo[value]`); bounded, so a long
    report stays flat."""

    def __init__(self, make: Callable[[Any], str]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> str:
        if len(self) >= 16384:  # a standing per due date, report date and count: thousands
            self.clear()
        found = self[key] = self.make(key)
        return found


# -- html --------------------------------------------------------------------

FONT = "'Microsoft YaHei','PingFang SC','Noto Sans CJK SC','Source Han Sans SC',sans-serif"
SERIF = "'SimSun','Songti SC','Noto Serif CJK SC','Source Han Serif SC',serif"
CSS = {
    "body": f"font-family:{FONT};color:#111;margin:0;padding:0 2px;"
    "-webkit-print-color-adjust:exact;print-color-adjust:exact;",
    "office": "text-align:center;font-size:15px;letter-spacing:2px;margin:0;",
    "title": f"text-align:center;font-family:{SERIF};font-size:26px;font-weight:bold;"
    "letter-spacing:4px;margin:4px 0 2px 0;",
    "dateline": "text-align:center;font-size:14px;margin:0 0 10px 0;",
    "summary": "font-size:13px;margin:6px 0;",
    "h2": "font-size:15px;margin:14px 0 4px 0;page-break-after:avoid;break-after:avoid;",
    "table": "width:100%;table-layout:fixed;border-collapse:collapse;font-size:12px;",
    "th": "border:1px solid #444;background:#e6e6e6;padding:3px 4px;text-align:center;"
    "font-weight:bold;word-break:keep-all;",
    "td": "border:1px solid #666;padding:3px 4px;vertical-align:top;overflow-wrap:anywhere;",
    "tr": "page-break-inside:avoid;break-inside:avoid;",
    "footer": "margin-top:14px;padding-top:4px;border-top:1px solid #999;font-size:11px;"
    "color:#333;",
    "red": "color:#c00;font-weight:bold;",
    "card-yellow": "background:#ffd54f;font-weight:bold;text-align:center;",
    "card-red": "background:#d32f2f;color:#fff;font-weight:bold;text-align:center;",
    "good": "color:#1b5e20;",
    "fair": "color:#9a6700;",
    "poor": "color:#b71c1c;font-weight:bold;",
}
BAR_COLOURS = {"good": "#2e7d32", "fair": "#f9a825", "poor": "#c62828"}


def esc(value: Any) -> str:
    import html  # not for a terminal

    return html.escape(clean(value)).replace("\n", "<br>")


_HTML_SPECIAL = re.compile("[&<>\"']")


def esc_text(text: str | None) -> str:
    """`esc` of text, quicker for the common text that needs nothing."""
    if text is not None and text.isprintable() and not _HTML_SPECIAL.search(text):
        return text
    return esc(text)


def _column_style(column: Column) -> str:
    """A column's cell attributes: HTML's own, which every mail reader keeps (the borders
    and padding of all cells are the table's and the page's style block: a row of a
    100,000-item report is then a fifth of its size with each cell styled inline)."""
    attrs = ' align="center"' if column.kind in CENTRED else ""
    return attrs + (" nowrap" if column.kind in NOWRAP else "")


def _td_style(base: str, cell: Cell) -> str:
    """A cell's attributes: its column's, and its own colour (red, a card) inline."""
    style = CSS.get(cell.style, "") if cell.text and cell.rate is None else ""
    return f'{base} style="{style}"' if style else base


def _bar(cell: Cell) -> str:
    pct = round((cell.rate or 0) * 100)
    track = (
        "display:inline-block;width:58%;height:10px;background:#e0e0e0;border:1px solid #bbb;"
        "vertical-align:middle;margin-right:4px;"
    )
    fill = f"width:{pct}%;height:100%;background:{BAR_COLOURS[cell.style]};"
    return (
        f'<div style="{track}"><div style="{fill}"></div></div>'
        f'<span style="{CSS[cell.style]}">{pct}%</span>'
    )


def _html_cell(column: Column, cell: Cell) -> str:
    """A wide rate column draws its rate as a bar; every other cell is escaped text."""
    wide_rate = column.kind == "rate" and cell.rate is not None and column.width > 10
    return _bar(cell) if wide_rate else esc(cell.text)


def html_table(columns: list[Column], rows: list[list[Cell]], *, dates_whole: bool = False) -> str:
    """A table of a few rows; with `dates_whole` (a narrow A4 portrait table), no date in
    a cell breaks across lines at its hyphens."""
    table = "".join(html_table_parts(columns, rows))
    return _ISO_DATE.sub(ON_ONE_LINE, table) if dates_whole else table


_ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
ON_ONE_LINE = r'<span style="white-space:nowrap">\g<0></span>'  # a match never broken


def html_table_parts(columns: list[Column], rows: Iterable[list[Cell]] | ItemRows) -> Iterator[str]:
    """A table as it is written: its head, then a row at a time."""
    cols = "".join(f'<col style="width:{c.width}%">' for c in columns)
    head = "".join(f'<th style="{CSS["th"]}">{esc(c.header)}</th>' for c in columns)
    yield (
        f'<table border="1" cellspacing="0" cellpadding="4" style="{CSS["table"]}">'
        f"<colgroup>{cols}</colgroup>"
        f'<thead style="display:table-header-group"><tr>{head}</tr></thead><tbody>'
    )
    bases = [_column_style(c) for c in columns]  # the same for every row
    if isinstance(rows, ItemRows):
        yield from _html_item_rows(columns, bases, rows)
        rows = ()
    for row in rows:
        cells = "".join(
            f"<td{_td_style(base, cell)}>{_html_cell(col, cell)}</td>"
            for col, base, cell in zip(columns, bases, row, strict=True)
        )
        yield f"<tr>{cells}</tr>"
    yield "</tbody></table>"


def _td(column: Column, base: str, cell: Cell) -> str:
    return f"<td{_td_style(base, cell)}>{_html_cell(column, cell)}</td>"


def _html_item_rows(columns: list[Column], bases: list[str], rows: ItemRows) -> Iterator[str]:
    """Item rows as `html_table_parts` makes them from their Cells, formatted from the lines
    (a batch of rows a string)."""
    rests = _html_rests(columns, bases, rows.date)
    head = f"<tr><td{bases[0]}>"
    n = 0
    for batch in rows.batches:
        yield "".join([f"{head}{n}</td>{rest}" for n, rest in enumerate(rests(batch), n + 1)])
        n += len(batch)


def _html_rests(
    columns: list[Column], bases: list[str], date: str
) -> Callable[[list[Line]], list[str]]:
    """What follows an html item row's number, per line of a batch: the cells that repeat
    (names, dates, standings, cards) made once each, and only user text escaped per row."""
    td = [f"<td{base}>" for base in bases]

    def memo(i: int, cell: Callable[[Any], Cell]) -> Memo:
        return Memo(lambda value: _td(columns[i], bases[i], cell(value)))

    unit, leader, owner = (memo(i, lambda v: Cell(v or "")) for i in (3, 4, 7))
    due, late = memo(5, Cell), memo(5, lambda day: Cell(day, "red"))
    standing = memo(8, lambda key: standing_of(key, date))
    card = memo(9, card_cell)
    first, title, progress = td[1], f"</td>{td[2]}", td[6]

    def rests(batch: list[Line]) -> list[str]:
        return [
            f"{first}{x[0]}{title}{esc_text(x[TITLE])}</td>{unit[x[UNIT]]}{leader[x[LEADER]]}"
            f"{(late if x[OVERDUE] else due)[x[DUE]]}{progress}"
            f"{esc_text(progress_text(x)) if x[CLOSING] or x[PROGRESS] else ''}</td>"
            f"{owner[x[OWNER]]}"
            f"{standing[x[STANDING]]}{card[x[CARD]]}</tr>"
            for x in batch
        ]

    return rests


def html_row_form(date: str) -> RowForm:
    """Html item rows made ahead (`render.rows.SpooledRows`) for the item columns."""
    columns = item_columns()
    bases = [_column_style(c) for c in columns]
    rests = _html_rests(columns, bases, date)
    made = lambda batch: encoded(rests(batch))  # noqa: E731
    return RowForm(made, number_form(f"<tr><td{bases[0]}>", "</td>"))


def html_head(title: str, page: str, margin: str = "12mm 10mm", numbered: bool = False) -> str:
    """The page set-up, which mail cannot carry inline (`@page`, print rules, `numbered`:
    page N of M at the foot of each printed page), and the look every table cell shares;
    a reader that drops it still has the table's borders."""
    foot = f" @bottom-center {{ content: {_page_of()}; font-size: 9px; color: #666 }}"
    return (
        f'<!DOCTYPE html>\n<html lang="{get_lang()}"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>@page {{ size: {page}; margin: {margin};"
        f"{foot if numbered else ''} }}"
        f" thead {{ display: table-header-group }} tr {{ {CSS['tr']} }} td {{ {CSS['td']} }}"
        " td[nowrap] { overflow: hidden }"
        " :lang(en) h1, :lang(en) p { letter-spacing: normal !important }</style></head>"
    )


def _page_of() -> str:
    """`page {n} of {total}` as the CSS content of a page's margin box."""
    before, middle, after = page_of()
    return f'"{before}" counter(page) "{middle}" counter(pages) "{after}"'


def html_page(doc: Document) -> str:
    """An A4 landscape page for mail and print."""
    return "".join(html_parts(doc))


def html_parts(doc: Document) -> Iterator[str]:
    """The page in the order it is written, so a long report goes out as it is made."""
    return as_text(_html_parts(doc))


def html_bytes(doc: Document) -> Iterator[bytes]:
    """The page as UTF-8, in the order it is written (rows made ahead as they are)."""
    return as_utf8(_html_parts(doc))


def _html_parts(doc: Document) -> Iterator[str | bytes]:
    yield html_head(f"{doc.title} {doc.date_line}", "A4 landscape", numbered=True) + "\n"
    yield f'<body style="{CSS["body"]}">\n'
    if doc.meta.office:
        yield f'<p style="{CSS["office"]}">{esc(doc.meta.office)}</p>\n'
    yield f'<h1 style="{CSS["title"]}">{esc(doc.title)}</h1>\n'
    yield f'<p style="{CSS["dateline"]}">{esc(doc.date_line)}</p>\n'
    yield f'<p style="{CSS["summary"]}">{esc(" · ".join(doc.summary))}</p>\n'
    for block in doc.blocks:
        yield f'<h2 style="{CSS["h2"]}">{esc(block.title)}</h2>\n'
        if isinstance(block.rows, SpooledRows):
            head, tail = html_table_parts(block.columns, [])
            yield head
            yield from block.rows.made
            yield tail
        else:
            yield from html_table_parts(block.columns, block.rows)
        yield "\n"
    yield f'<p style="{CSS["footer"]}">{esc(footer_text(doc.meta))}</p>\n'
    yield "</body></html>\n"
