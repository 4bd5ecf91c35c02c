"""Item table rows made ahead: the daily for mail and print makes each open item's row
once (html or markdown, without its number) in one pass over the items, and each
section's table numbers the rows as it reads them back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from oa_cli.render.report import ItemRows


@dataclass
class SpooledRows(ItemRows):
    """A section's rows as made ahead: UTF-8 bytes without the row's number, a chunk of
    rows at a time. Only html and markdown draw them (in the form they were made)."""

    made: Iterable[list[bytes]] = field(default_factory=list)


def numbered(rows: SpooledRows, head: bytes, tail: bytes) -> Iterator[bytes]:
    """The rows, each as `head`, its number (from 1), `tail` and the row made ahead; a
    chunk of rows a string."""
    form = head.replace(b"%", b"%%") + b"%d" + tail.replace(b"%", b"%%") + b"%b"
    n = 0
    for chunk in rows.made:
        yield b"".join([form % (n, row) for n, row in enumerate(chunk, n + 1)])
        n += len(chunk)
