"""A `Document` as markdown for mail: headings, pipe tables, user text escaped so it
never becomes markup; long item tables written as they are made."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from oa_cli.render.pages import Memo
from oa_cli.render.report import (
    CARD,
    CLOSING,
    DUE,
    LEADER,
    OWNER,
    PROGRESS,
    STANDING,
    TITLE,
    UNIT,
    Cell,
    Column,
    Document,
    ItemRows,
    Line,
    card_cell,
    clean,
    footer_text,
    progress_text,
    standing_of,
)
from oa_cli.render.rows import RowForm, SpooledRows, as_text, as_utf8, encoded, number_form


def md_cell(value: Any) -> str:
    import html

    text = html.escape(clean(value), quote=False).replace("\\", "\\\\").replace("|", "\\|")
    # brackets escaped: user text never becomes a link or an image (`[x](javascript:…)`)
    text = text.replace("[", "\\[").replace("]", "\\]")
    text = _EMPHASIS.sub(r"\\\g<0>", text)  # **bold**, _x_, `code`, ~~struck~~ stay as typed
    return text.replace("\r", "").replace("\n", "<br>")


_EMPHASIS = re.compile(r"[*_`~]")
_MD_SPECIAL = re.compile(r"[&<>\\|\[\]*_`~]")


def md_text(text: str | None) -> str:
    """`md_cell` of text, quicker for the common text that needs nothing."""
    if text is not None and text.isprintable() and not _MD_SPECIAL.search(text):
        return text
    return md_cell(text)


def md_table(columns: list[Column], rows: Iterable[list[Cell]]) -> list[str]:
    return list(md_table_lines(columns, rows))


def md_table_lines(columns: list[Column], rows: Iterable[list[Cell]] | ItemRows) -> Iterator[str]:
    yield "| " + " | ".join(md_cell(c.header) for c in columns) + " |"
    yield "|" + "".join("---:|" if c.kind in ("num", "rate") else "---|" for c in columns)
    if isinstance(rows, ItemRows):
        yield from _md_item_rows(rows)
        return
    for row in rows:
        yield "| " + " | ".join(md_cell(cell.text) for cell in row) + " |"


def _md_item_rows(rows: ItemRows) -> Iterator[str]:
    """Item rows as `md_table_lines` makes them from their Cells, formatted from the lines
    (a batch of rows a string); what repeats (names, dates, standings, cards) made once."""
    rests = md_rests(rows.date)
    n = 0
    for batch in rows.batches:
        yield "\n".join([f"| {n} | {rest}" for n, rest in enumerate(rests(batch), n + 1)])
        n += len(batch)


def md_rests(date: str) -> Callable[[list[Line]], list[str]]:
    """What follows a markdown item row's number, per line of a batch."""
    name = Memo(lambda v: md_cell(v or ""))
    due = Memo(md_cell)
    standing = Memo(lambda key: md_cell(standing_of(key, date).text))
    card = Memo(lambda v: md_cell(card_cell(v).text))

    def rests(batch: list[Line]) -> list[str]:
        return [
            f"{x[0]} | {md_text(x[TITLE])} | {name[x[UNIT]]} | {name[x[LEADER]]} |"
            f" {due[x[DUE]]} | {md_text(progress_text(x)) if x[CLOSING] or x[PROGRESS] else ''} |"
            f" {name[x[OWNER]]} |"
            f" {standing[x[STANDING]]} | {card[x[CARD]]} |"
            for x in batch
        ]

    return rests


def md_row_form(date: str) -> RowForm:
    """Markdown item rows made ahead (`render.rows.SpooledRows`)."""
    rests = md_rests(date)
    return RowForm(lambda batch: encoded(rests(batch), "\n"), number_form("| ", " | "))


def markdown(doc: Document) -> str:
    return "".join(markdown_parts(doc))


def markdown_parts(doc: Document) -> Iterator[str]:
    """The markdown in the order it is written, a line at a time."""
    return as_text(_markdown_parts(doc))


def markdown_bytes(doc: Document) -> Iterator[bytes]:
    """The markdown as UTF-8, in the order it is written (rows made ahead as they are)."""
    return as_utf8(_markdown_parts(doc))


def _markdown_parts(doc: Document) -> Iterator[str | bytes]:
    lines = [f"**{md_cell(doc.meta.office)}**", ""] if doc.meta.office else []
    lines += [f"# {md_cell(doc.title)}", "", md_cell(doc.date_line), ""]
    lines += [md_cell(" · ".join(doc.summary)), ""]
    yield from (line + "\n" for line in lines)
    for block in doc.blocks:
        yield f"## {md_cell(block.title)}\n\n"
        if isinstance(block.rows, SpooledRows):
            yield from (line + "\n" for line in md_table_lines(block.columns, []))
            yield from block.rows.made
        else:
            yield from (line + "\n" for line in md_table_lines(block.columns, block.rows))
        yield "\n"
    yield "---\n\n" + md_cell(footer_text(doc.meta)) + "\n"
