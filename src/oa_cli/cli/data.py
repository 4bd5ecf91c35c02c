"""Data in and out: import."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from oa_cli.cli.state import STATE, command_help
from oa_cli.i18n import t


def _read(source: str) -> bytes:
    from oa_cli.errors import InvalidInput

    try:
        return sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise InvalidInput(
            t("cannot read {name}: {error}", name=source, error=exc.strerror)
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
        typer.Option("--format", help="yaml, json, jsonl, csv or xlsx (default: from the name)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report; write nothing.")
    ] = False,
) -> None:
    """Import items; every record is validated first, and one bad record writes nothing."""
    import gc

    from oa_cli.actions import imports
    from oa_cli.cli.reports import progress_bar

    # A million records are a million dicts and no reference cycles: the cycle
    # collector would only rescan the growing heap (about a tenth of the time).
    gc.disable()
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


EXPORT_FORMATS = ("json", "jsonl", "csv", "tsv", "yaml", "xlsx")


def export(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file (xlsx needs one).")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="json, jsonl, csv, tsv, yaml or xlsx.")
    ] = None,
) -> None:
    """Every item, every status, in id order."""
    from oa_cli.errors import UsageError
    from oa_cli.ledger import items as store
    from oa_cli.render import choose

    if fmt is None and output is not None:  # -o ledger.xlsx, -o all.jsonl …
        suffix = output.suffix.lower().lstrip(".")
        fmt = {"yml": "yaml"}.get(suffix, suffix) if suffix in (*EXPORT_FORMATS, "yml") else None
    if fmt is None:  # to a file of no known kind, or to stdout: json for a person, tsv piped
        fmt = "json" if output is not None or sys.stdout.isatty() else None
    fmt = choose(fmt, EXPORT_FORMATS)
    from oa_cli.cli.read import write_items

    ctx = STATE.context()
    query = store.Query(statuses=(), sort="id")
    if fmt == "xlsx":
        if output is None:
            raise UsageError(t("xlsx needs a file: use -o FILE.xlsx"))
        from oa_cli.render.xlsx import write_workbook

        count = write_workbook(output, (ctx.item_json(i) for i in store.select(ctx.conn, query)))
    elif output is None:
        count = write_items(sys.stdout, fmt, query)
    else:
        with open(output, "w", encoding="utf-8", newline="") as out:
            count = write_items(out, fmt, query)
    if output is not None:
        print(t("exported {n} items to {path}", n=count, path=output), file=sys.stderr)


def backup(
    dest: Annotated[Path, typer.Argument(help="Where to write the copy.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """A consistent copy of the ledger, taken while others may be writing."""
    from oa_cli.ledger.connection import backup_to

    ctx = STATE.context()
    backup_to(ctx.conn, dest, force=force)
    print(t("ledger copied to {path}", path=dest), file=sys.stderr)


COMMANDS: dict[str, Callable[..., None]] = {"import": import_, "export": export, "backup": backup}


def register(app: typer.Typer, name: str) -> None:
    app.command(name, help=command_help(COMMANDS[name]))(COMMANDS[name])
