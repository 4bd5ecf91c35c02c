"""`export --format csv --headers zh`: the machine csv under Chinese headers, for a
spreadsheet program (UTF-8 byte-order mark; a value that would start a formula is
prefixed with `'`, which `readers.sheets.read_csv` takes off again)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from oa_cli.domain.fields import KEYS, LABELS
from oa_cli.render.plain import scalar

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(text: str) -> str:
    """A value a spreadsheet program shows as text, never runs as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv_zh(out: TextIO, items: Iterable[dict[str, Any]]) -> int:
    """Every item, one a row, under the Chinese labels; return how many."""
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow([LABELS[key] for key in KEYS])
    count = 0
    for item in items:
        writer.writerow([guard(scalar(item.get(key))) for key in KEYS])
        count += 1
    return count
