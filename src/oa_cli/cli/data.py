"""Data in and out: import."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from oa_cli.cli.state import STATE
from oa_cli.i18n import t


def _read(source: str) -> str:
    from oa_cli.errors import InvalidInput

    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise InvalidInput(
            t("cannot read {name}: {error}", name=source, error=exc.strerror)
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            t("{name}: not UTF-8 text (byte {pos}); save it as UTF-8", name=source, pos=exc.start)
        ) from None


def import_(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE|-", help="File to import, or - for stdin.", show_default=False
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="yaml, json, jsonl or csv (default: from the file name)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report; write nothing.")
    ] = False,
) -> None:
    """Import items; every record is validated first, and one bad record writes nothing."""
    from oa_cli.actions import imports
    from oa_cli.cli.reports import progress_bar

    name = "stdin" if source == "-" else source
    kind = imports.detect_format(name, fmt)
    records = imports.parse(_read(source), kind, name)
    ctx = STATE.context()
    items = imports.validate(ctx, records)
    if dry_run:
        print(t("dry run: {n} records valid; nothing written", n=len(items)), file=sys.stderr)
        return
    if sys.stderr.isatty() and len(items) >= 2000:
        with progress_bar(t("importing"), len(items)) as advance:
            ids = imports.import_items(ctx, items, advance)
    else:
        ids = imports.import_items(ctx, items)
    print(t("imported {n} items", n=len(ids)), file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
