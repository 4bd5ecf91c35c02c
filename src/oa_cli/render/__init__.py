"""Renderers, one per format, and the one place that picks the format."""

from __future__ import annotations

import sys

from oa_cli.errors import UsageError
from oa_cli.i18n import t

RECORD_FORMATS = ("table", "tsv", "csv", "json", "jsonl", "yaml")
REPORT_FORMATS = (*RECORD_FORMATS, "markdown", "html", "docx")


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def choose(fmt: str | None, allowed: tuple[str, ...] = RECORD_FORMATS) -> str:
    """`--format` if given, else a table on a terminal and tsv in a pipe."""
    if fmt is None:
        return "table" if stdout_is_terminal() else "tsv"
    if fmt not in allowed:
        raise UsageError(
            t("unknown format '{fmt}': choose {choices}", fmt=fmt, choices=", ".join(allowed))
        )
    return fmt
