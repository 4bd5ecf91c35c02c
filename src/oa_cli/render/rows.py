"""Item table rows made ahead: the daily for mail and print makes each open item's row
once (html or markdown, without its number) in one pass over the items, and each
section's table numbers the rows as it reads them back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from oa_cli.render.report import ItemRows


@dataclass
class SpooledRows(ItemRows):
    """A section's rows as made ahead: UTF-8 bytes without the row's number, a
    thousand rows at a time, back to back, with their lengths. Only html and markdown
    draw them (in the form they were made)."""

    made: Iterable[tuple[bytes, Sequence[int]]] = field(default_factory=list)


def numbered(rows: SpooledRows, head: bytes, tail: bytes) -> Iterator[bytes]:
    """The rows, each as `head`, its number (from 1), `tail` and the row made ahead; a
    chunk of rows a string."""
    form = head.replace(b"%", b"%%") + b"%d" + tail.replace(b"%", b"%%")
    n = 0
    for data, lengths in rows.made:
        view, start = memoryview(data), 0
        parts: list[bytes | memoryview] = []
        for length in lengths:  # no copy of a row until the join
            n += 1
            parts += (form % n, view[start : start + length])
            start += length
        yield b"".join(parts)
