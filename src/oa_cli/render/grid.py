"""A table for a terminal drawn straight to Rich segments.

Rich's own `Table` renders every cell through the general renderable machinery (padding,
measuring, cropping); on a terminal report of a few hundred rows that took most of a
second. `Grid` takes the subset of its interface oa uses (columns with justify, no_wrap,
width, min_width, ratio; rows of one-style cells, as `Text` or (text, style); a title;
a box; expand) and lays it out
the way `Table` does: widest wrappable columns give way first, and with `expand` the
columns with a ratio share what is left. Text folds inside its cell at word boundaries,
Chinese at any character, measured in terminal cells; nothing is cut to `…`.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rich import box as boxes
from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.measure import Measurement

_WORDS = re.compile(r"\S+\s*|\s+")


def width_of(text: str) -> int:
    """Terminal cells `text` takes (ASCII without asking Rich)."""
    return len(text) if text.isascii() else cell_len(text)


def detab(text: str) -> str:
    """`text` with each tab as the spaces to the next stop of 8 cells, as Rich's Text
    shows it (a raw tab would move the terminal's cursor past the cell's rule)."""
    lines = []
    for para in text.split("\n"):
        line, *rest = para.split("\t")
        for part in rest:
            line += " " * (8 - width_of(line) % 8) + part
        lines.append(line)
    return "\n".join(lines)


@lru_cache(maxsize=4096)
def _fold(text: str, width: int) -> tuple[tuple[str, int], ...]:
    """`fold`, remembered: a table repeats its units, leaders, dates and figures."""
    return tuple(fold(text, width))


def fold(text: str, width: int) -> list[tuple[str, int]]:
    """`text` in lines of at most `width` cells, each with its width: its own lines, each
    broken between words, and a word wider than a line (a Chinese sentence is one) broken
    between characters."""
    out: list[tuple[str, int]] = []
    if "\t" in text:
        text = detab(text)
    for para in text.split("\n") if "\n" in text else (text,):
        size = width_of(para)
        if size <= width:
            out.append((para, size))
            continue
        line, used = "", 0
        for word in _WORDS.findall(para):
            size = width_of(word.rstrip())
            if line and used + size > width:
                out.append((line.rstrip(), width_of(line.rstrip())))
                line, used = "", 0
            if size > width:
                *full, word = chop_cells(word, width)
                out += [(part, width_of(part)) for part in full]
            line += word
            used = width_of(line)
        out.append((line.rstrip(), width_of(line.rstrip())))
    return out


@dataclass
class _Column:
    header: Cell
    justify: str = "left"
    no_wrap: bool = False
    width: int | None = None
    min_width: int | None = None
    ratio: int | None = None


# A cell: its plain text and its style (one for the whole cell).
Cell = tuple[str, "str | Style"]


def _cell(value: Text | str) -> Cell:
    return (value.plain, value.style) if isinstance(value, Text) else (value, "")


def _distribute(total: int, ratios: list[int], minimums: list[int] | None = None) -> list[int]:
    """`total` shared in proportion to `ratios`, no share under its minimum (Rich's
    `ratio_distribute`)."""
    if minimums is not None:
        ratios = [ratio if least else 0 for ratio, least in zip(ratios, minimums, strict=True)]
    shares, left, weight = [], total, sum(ratios)
    for ratio, least in zip(ratios, minimums or [0] * len(ratios), strict=True):
        share = max(least, 0, math.ceil(ratio * left / weight)) if weight > 0 else max(left, 0)
        shares.append(share)
        left -= share
        weight -= ratio
    return shares


class Grid:
    """A table of plain-text cells (see the module's docstring)."""

    def __init__(self, title: str | Text | None = None, header_style: str = "bold") -> None:
        self.title = title
        self.header_style = header_style
        self.box: boxes.Box | None = boxes.HEAVY_HEAD
        self.padding: tuple[int, int] = (0, 1)
        self.show_edge = True
        self.expand = False
        self.columns: list[_Column] = []
        self.rows: list[list[Cell]] = []

    def add_column(
        self,
        header: str | Text = "",
        justify: str = "left",
        overflow: str = "fold",
        no_wrap: bool = False,
        width: int | None = None,
        min_width: int | None = None,
        ratio: int | None = None,
    ) -> None:
        del overflow  # every cell folds; kept for Rich's signature
        self.columns.append(_Column(_cell(header), justify, no_wrap, width, min_width, ratio))

    def add_row(self, *cells: Text | str) -> None:
        self.rows.append([_cell(c) for c in cells])

    def add_cells(self, cells: list[Cell]) -> None:
        """A row of (text, style) pairs, without making a Text of each."""
        self.rows.append(cells)

    # -- layout ---------------------------------------------------------------

    def _pad(self) -> int:
        return 2 * self.padding[1]

    def _measure(self, index: int) -> tuple[int, int]:
        """A column's least and greatest width with its padding, as Rich measures it."""
        column, pad = self.columns[index], self._pad()
        if column.width is not None:
            return column.width + pad, column.width + pad
        least = most = 0
        for cell in [column.header, *(row[index] for row in self.rows)]:
            plain = detab(cell[0]) if "\t" in cell[0] else cell[0]
            widest = (
                max(width_of(line) for line in plain.split("\n"))
                if "\n" in plain
                else width_of(plain)
            )
            most = max(most, widest)
            if column.no_wrap:
                least = max(least, widest)
            elif plain.strip():
                least = max(least, max(width_of(word) for word in plain.split()))
        least, most = least + pad, max(most + pad, 1)
        if column.min_width is not None:
            least, most = max(least, column.min_width + pad), max(most, column.min_width + pad)
        return least, most

    def _edges(self) -> int:
        """Cells taken by vertical rules."""
        if self.box is None:
            return 0
        n = len(self.columns)
        return max(n - 1, 0) + (2 if self.show_edge else 0)

    def widths(self, max_width: int) -> list[int]:
        """Each column's width with its padding, for a terminal `max_width` cells wide."""
        max_width -= self._edges()
        ranges = [self._measure(i) for i in range(len(self.columns))]
        widths = [most for _, most in ranges]
        flexible = [c.ratio is not None for c in self.columns]
        if self.expand and any(flexible):
            fixed = sum(w for w, flex in zip(widths, flexible, strict=True) if not flex)
            ratios = [c.ratio or 0 for c in self.columns if c.ratio is not None]
            least = [r[0] for r, flex in zip(ranges, flexible, strict=True) if flex]
            shares = iter(_distribute(max(max_width - fixed, 0), ratios, least))
            widths = [next(shares) if flex else w for w, flex in zip(widths, flexible, strict=True)]
        wrappable = [c.width is None and not c.no_wrap for c in self.columns]
        for floors in (  # who gives way, and how far, until the table fits
            [least if ok else most for (least, most), ok in zip(ranges, wrappable, strict=True)],
            [self._pad() + 2 if ok else w for ok, w in zip(wrappable, widths, strict=True)],
            [self._pad() + 2] * len(widths),  # last resort: ids and dates too
        ):
            if sum(widths) <= max_width:
                break
            widths = self._collapse(widths, floors, max_width)
        if self.expand and sum(widths) < max_width:
            extra = _distribute(max_width - sum(widths), widths)
            widths = [w + e for w, e in zip(widths, extra, strict=True)]
        return widths

    @staticmethod
    def _collapse(widths: list[int], floors: list[int], max_width: int) -> list[int]:
        """Narrow the widest columns first, down to the next widest or their floor, until
        the table fits (as Rich's `Table._collapse_widths`)."""
        widths = list(widths)
        excess = sum(widths) - max_width
        while excess > 0:
            able = [i for i, (w, floor) in enumerate(zip(widths, floors, strict=True)) if w > floor]
            if not able:
                break
            top = max(widths[i] for i in able)
            tops = [i for i in able if widths[i] == top]
            below = max([widths[i] for i in able if widths[i] < top], default=0)
            step = min(top - max(below, *(floors[i] for i in tops)), -(-excess // len(tops)))
            for i in tops:
                cut = min(step, excess, widths[i] - floors[i])
                widths[i] -= cut
                excess -= cut
        return widths

    # -- drawing --------------------------------------------------------------

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        widths = self.widths(options.max_width)
        return Measurement(sum(widths) + self._edges(), sum(widths) + self._edges())

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        """The table; on a terminal too narrow for every column at its least, first without
        the padding, then cut at the edge (it is printed with crop=False: a longer line
        would wrap and break every row's rules)."""
        width = options.max_width
        widths = self.widths(width)
        if sum(widths) + self._edges() > width and self.padding != (0, 0):
            tight = copy.copy(self)
            tight.padding = (0, 0)
            yield from tight.__rich_console__(console, options)
            return
        if sum(widths) + self._edges() <= width:
            yield from self._draw(console, options, widths)
            return
        for line in Segment.split_and_crop_lines(self._draw(console, options, widths), width):
            yield from line

    def _draw(
        self, console: Console, options: ConsoleOptions, widths: list[int]
    ) -> Iterator[Segment]:
        box = self.box.substitute(options) if self.box is not None else None
        total = sum(widths) + self._edges()
        styles: dict[tuple[Any, str], Style | None] = {}

        def style_of(cell: Cell, extra: str = "") -> Style | None:
            key = (cell[1], extra)
            if key not in styles:
                style = console.get_style(cell[1]) if cell[1] else Style()
                style = style + console.get_style(extra) if extra else style
                styles[key] = style or None
            return styles[key]

        if self.title is not None:
            title = _cell(self.title)
            style = style_of(title, "table.title")
            for line, size in fold(title[0], min(total, options.max_width)):
                yield Segment(line, style)
                yield Segment(" " * max(total - size, 0) + "\n")
        edge = box is not None and self.show_edge
        if box is not None and edge:
            yield Segment(box.get_top(widths) + "\n")
        inner = [w - self._pad() for w in widths]
        right = [column.justify == "right" for column in self.columns]
        header = [column.header for column in self.columns]
        head = [style_of(cell, self.header_style) for cell in header]
        yield from self._row(header, head, inner, right, self._rules(box, "head"), head=True)
        if box is not None:
            yield Segment(box.get_row(widths, "head", edge=self.show_edge) + "\n")
        rules = self._rules(box, "mid")
        for row in self.rows:
            yield from self._row(row, [style_of(cell) for cell in row], inner, right, rules)
        if box is not None and edge:
            yield Segment(box.get_bottom(widths) + "\n")

    def _rules(self, box: boxes.Box | None, level: str) -> tuple[str, str, str]:
        """The left edge, the rule between two cells (with the padding) and the right edge."""
        pad = " " * self.padding[1]
        if box is None:
            return pad, pad + pad, pad
        if level == "head":
            left, vertical, right = box.head_left, box.head_vertical, box.head_right
        else:
            left, vertical, right = box.mid_left, box.mid_vertical, box.mid_right
        if not self.show_edge:
            left = right = ""
        return left + pad, pad + vertical + pad, pad + right + "\n"

    def _row(
        self,
        cells: list[Cell],
        styles: list[Style | None],
        inner: list[int],
        right_aligned: list[bool],
        rules: tuple[str, str, str],
        head: bool = False,
    ) -> list[Segment]:
        """One row's lines: its cells folded to their columns, unstyled text run together."""
        # a column is 0 cells wide only when all it holds is blank
        folded = [
            _fold(cell[0], width) if width > 0 else (("", 0),)
            for cell, width in zip(cells, inner, strict=True)
        ]
        height = max(len(lines) for lines in folded)
        if head:  # headers sit on the rule below them, as in Rich
            folded = [(("", 0),) * (height - len(lines)) + lines for lines in folded]
        left, between, right = rules
        out: list[Segment] = []
        blank = ("", 0)
        for n in range(height):
            plain = left
            for i, lines in enumerate(folded):
                line, size = lines[n] if n < len(lines) else blank
                if i:
                    plain += between
                gap = " " * (inner[i] - size)
                if not line:
                    plain += gap
                elif right_aligned[i]:
                    if styles[i]:
                        out += (Segment(plain + gap), Segment(line, styles[i]))
                        plain = ""
                    else:
                        plain += gap + line
                elif styles[i]:
                    out += (Segment(plain), Segment(line, styles[i]))
                    plain = gap
                else:
                    plain += line + gap
            out.append(Segment(plain + right))
        return out
