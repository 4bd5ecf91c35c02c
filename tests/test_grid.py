"""The terminal table (render.grid): what a reader sees of every cell, at any width."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from oa_cli.render.grid import Grid, fold

TITLE = "关于进一步加强和改进城市基层治理推动社区服务提质增效的实施意见的批示"


def draw(grid: Grid, width: int, encoding: str = "utf-8") -> list[str]:
    """The lines a console `width` cells wide writes, on a stream of `encoding`."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding, errors="replace")
    Console(file=out, width=width, color_system=None, markup=False).print(grid, crop=False)
    out.flush()
    return raw.getvalue().decode(encoding, "replace").splitlines()


def items_grid(rows: list[tuple[str, str, str]], expand: bool = False) -> Grid:
    grid = Grid("督办事项")
    grid.expand = expand
    grid.add_column("编号", justify="right", no_wrap=True)
    grid.add_column("事项", min_width=12, ratio=3)
    grid.add_column("承办单位", min_width=6, ratio=1)
    grid.add_column("时限", no_wrap=True, min_width=10)
    for n, (title, unit, due) in enumerate(rows, 1):
        grid.add_row(Text(str(n)), Text(title), Text(unit, style="red"), Text(due))
    return grid


def cells(lines: list[str]) -> list[list[str]]:
    """The text of each column of each body line."""
    body = [line for line in lines if line.startswith("│")]
    return [[c.strip() for c in line.strip("│").split("│")] for line in body]


def test_a_long_chinese_title_wraps_inside_its_cell_and_nothing_is_cut() -> None:
    lines = draw(items_grid([(TITLE, "市民政局", "2026-11-30")]), 60)
    assert all(cell_len(line) <= 60 for line in lines)
    assert "…" not in "".join(lines)
    column = "".join(row[1] for row in cells(lines))
    assert column == TITLE
    assert [row[3] for row in cells(lines) if row[3]] == ["2026-11-30"]  # a date never wraps


def test_headers_sit_on_the_rule_and_ids_are_right_aligned() -> None:
    grid = Grid()
    grid.add_column("ID", justify="right", no_wrap=True)
    grid.add_column("Overdue / owed", width=8)
    grid.add_row("7", "x")
    grid.add_row("1234", "y")
    lines = draw(grid, 40)
    assert lines[1:3] == ["┃      ┃ Overdue  ┃", "┃   ID ┃ / owed   ┃"]
    assert lines[4:6] == ["│    7 │ x        │", "│ 1234 │ y        │"]


def test_words_break_between_words_and_a_long_word_between_characters() -> None:
    assert fold("overdue 75 working days", 10) == [
        ("overdue 75", 10),
        ("working", 7),
        ("days", 4),
    ]
    assert fold("abcdefghij", 4) == [("abcd", 4), ("efgh", 4), ("ij", 2)]
    assert fold("督办事项的批示", 5) == [("督办", 4), ("事项", 4), ("的批", 4), ("示", 2)]
    assert fold("首报\n续报", 10) == [("首报", 4), ("续报", 4)]


def test_expand_fills_the_width_and_the_title_column_takes_most() -> None:
    lines = draw(items_grid([("供暖保障", "市住建局", "2026-11-30")], expand=True), 100)
    assert {cell_len(line) for line in lines} == {100}
    top = lines[1]
    widths = [len(part) for part in top.strip("┏┓").split("┳")]
    assert widths[1] > 2 * widths[2]


def test_a_style_colours_the_text_only() -> None:
    out = io.StringIO()
    console = Console(file=out, width=60, color_system="standard", force_terminal=True)
    console.print(items_grid([("供暖保障", "市住建局", "2026-11-30")]))
    assert "\x1b[31m市住建局\x1b[0m" in out.getvalue()


def test_a_legacy_encoding_gets_an_ascii_box() -> None:
    lines = draw(items_grid([("供暖保障", "市住建局", "2026-11-30")]), 60, encoding="ascii")
    assert "┃" not in "".join(lines) and "|" in "".join(lines)


cell_text = st.text(
    alphabet=st.sampled_from(list("督办事项批示市住建局 abcdefg-0123\n")), max_size=40
)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(cell_text, cell_text, cell_text), max_size=6),
    width=st.integers(min_value=40, max_value=160),
    expand=st.booleans(),
)
def test_every_cell_is_shown_whole_and_no_line_passes_the_width(
    rows: list[tuple[str, str, str]], width: int, expand: bool
) -> None:
    lines = draw(items_grid(rows, expand), width)
    assert all(cell_len(line) <= width for line in lines)
    # each cell's text, its spaces aside, reads the same down its column
    shown = cells(lines)
    heights = []
    at = 0
    for n, _ in enumerate(rows, 1):
        start = at
        at += 1
        while at < len(shown) and shown[at][0] == "":
            at += 1
        heights.append((start, at))
        assert shown[start][0] == str(n)
    for (start, end), row in zip(heights, rows, strict=True):
        for column, text in ((1, row[0]), (2, row[1]), (3, row[2])):
            drawn = "".join(line[column] for line in shown[start:end])
            assert drawn.replace(" ", "") == text.replace(" ", "").replace("\n", "")
