"""Items printed as a listing: a Rich table for people, streamed machine formats."""

import sys
from collections.abc import Iterator
from typing import Any, TextIO

from oa_cli.actions import reading
from oa_cli.cli.state import STATE


def items_out(fmt: str, sel: Any, title: str | None = None) -> int:
    """Print the items `sel` selects in `fmt`; return how many were printed."""
    if fmt != "table":
        return write_items(sys.stdout, fmt, sel)
    from oa_cli.render.table import console, items_table

    ctx = STATE.context(write=False)
    rows = list(reading.items(ctx, sel))
    console().print(items_table(rows, title), crop=False)  # a Grid fits the width
    return len(rows)


def write_items(out: TextIO, fmt: str, sel: Any) -> int:
    """Stream the items `sel` selects in a machine format; return how many."""
    from oa_cli.domain.item import KEYS

    ctx = STATE.context(write=False)
    count = 0

    def counted(records: Iterator[Any]) -> Iterator[Any]:

        nonlocal count
        for record in records:
            count += 1
            yield record

    if fmt in ("json", "jsonl"):  # built by SQLite, byte-identical to the Python path
        from oa_cli.render.plain import write_json_bytes

        return write_json_bytes(out, fmt, reading.items_json(ctx, sel))
    if fmt in ("tsv", "csv"):  # values straight from the rows, no dict per item
        from oa_cli.render.plain import write_rows

        rows = reading.items_values(ctx, sel)
        write_rows(out, fmt, counted(rows), KEYS)
    else:
        from oa_cli.render.plain import write_records

        items = reading.items(ctx, sel)
        write_records(out, fmt, counted(items), KEYS)
    return count
