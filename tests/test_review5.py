"""Review of the terminal Grid: tabs in user text, terminals too narrow for every column,
columns that hold only blanks."""

from __future__ import annotations

from conftest import Oa
from rich.cells import cell_len
from test_grid import draw

from oa_cli.render.grid import Grid, detab, fold
from oa_cli.render.table import items_table

RULES = ("┏", "┃", "┡", "│", "└")


def item(title: str, unit: str = "市民政局") -> dict[str, object]:
    return {
        "id": 42,
        "title": title,
        "unit": unit,
        "leader": "张书记",
        "due": "2026-11-30",
        "status": "assigned",
        "overdue": True,
        "overdue_days": 3,
        "card": "yellow",
    }


def test_a_tab_in_a_title_is_spaces_and_the_rules_stay_in_line(oa: Oa) -> None:
    oa.add("供暖\t保障 pasted\tfrom a sheet", "--unit", "市住建局", "--due", "2026-12-01")
    out = oa.ok("list", "--format", "table", env={"COLUMNS": "120"}).out
    assert "\t" not in out
    table = [line for line in out.splitlines() if line.startswith(RULES)]
    assert len({cell_len(line) for line in table}) == 1
    assert "供暖    保障 pasted     from a sheet" in out  # to stops of 8 cells, as Rich


def test_detab_counts_chinese_as_two_cells() -> None:
    assert detab("ab\tc") == "ab      c"
    assert detab("督办\tx\n\ty") == "督办    x\n        y"
    assert fold("a\tb", 20) == [("a       b", 9)]


def test_a_narrow_terminal_never_gets_a_line_wider_than_itself() -> None:
    rows = [item("关于进一步加强和改进城市基层治理的批示 and some English words")]
    for width in (20, 30, 40):
        lines = draw(items_table(rows, "督办事项"), width)
        assert max(cell_len(line) for line in lines) <= width, width


def test_at_forty_columns_every_cell_is_still_shown() -> None:
    lines = draw(items_table([item("供暖保障")]), 40)
    body = [line for line in lines if line.startswith("│")]
    shown = "".join(line for line in body).replace("│", "").replace(" ", "")
    for text in ("42", "供暖保障", "市民政局", "张书记", "2026-11-30", "assigned"):
        assert all(ch in shown for ch in text)
    assert "供" in shown and "障" in shown


def test_a_column_of_blanks_does_not_push_the_rules() -> None:
    grid = Grid()
    grid.add_column("ID", justify="right", no_wrap=True)
    grid.add_column(" ")
    grid.add_column("Title", ratio=1)
    grid.add_row("1", " ", "x")
    for width in (12, 20):
        grid.expand = width == 20
        lines = draw(grid, width)
        assert len({cell_len(line) for line in lines}) == 1, lines
        assert max(cell_len(line) for line in lines) <= width


def test_a_column_without_content_and_no_padding_never_gets_a_negative_width() -> None:
    grid = Grid()
    grid.padding = (0, 0)
    grid.expand = True
    grid.add_column("h", min_width=10)
    grid.add_column("长" * 12, no_wrap=True, ratio=3)
    grid.add_column("", ratio=3)
    assert min(grid.widths(20)) >= 0
    assert max(cell_len(line) for line in draw(grid, 20)) <= 20
