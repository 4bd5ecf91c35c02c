"""Item table rows made ahead: the daily for mail and print makes each open item's row
once (html or markdown) in one pass over the items, numbered in each section it is in,
and each section's table is its rows read back as they were made."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from oa_cli.render.report import ItemRows, Line


@dataclass
class SpooledRows(ItemRows):
    """A section's rows as made ahead: UTF-8 bytes, numbered, in chunks. Only html and
    markdown draw them (in the form they were made)."""

    made: Iterable[bytes] = field(default_factory=list)


class RowForm(NamedTuple):
    """How item rows are made ahead: `made` makes a batch of lines' rows from the cell
    after the number on; each row is written after `numbered % n`, n its number."""

    made: Callable[[list[Line]], list[bytes]]
    numbered: bytes


def number_form(head: str, tail: str) -> bytes:
    """`head`, the row's number, `tail`, as a bytes %-format."""
    return head.encode().replace(b"%", b"%%") + b"%d" + tail.encode().replace(b"%", b"%%")


def encoded(rows: list[str], end: str = "") -> list[bytes]:
    """Rows as UTF-8, each with `end`, encoded at once (a drawn cell never holds NUL:
    controls are shown escaped)."""
    return (f"{end}\0".join(rows) + end).encode().split(b"\0") if rows else []


def as_text(parts: Iterable[str | bytes]) -> Iterator[str]:
    """A page's parts as text: what it writes, and the rows made ahead as UTF-8."""
    return (p if isinstance(p, str) else p.decode() for p in parts)


def as_utf8(parts: Iterable[str | bytes]) -> Iterator[bytes]:
    """A page's parts as UTF-8, the rows made ahead as they are."""
    return (p.encode() if isinstance(p, str) else p for p in parts)
