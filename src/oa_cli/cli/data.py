"""Data in and out: import, export, backup, copy, evidence."""

import contextlib
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from oa_cli.cli.state import STATE, command_help, say, say_warning
from oa_cli.i18n import N_, t

FILE_WORD = N_("FILE")  # the word of import's `FILE|-`, said in the active language


def import_(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE|-", help=N_("File to import, or - for stdin."), show_default=False
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", help=N_("yaml, json, jsonl, csv or xlsx (default: from the name).")
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Validate and report; write nothing."))
    ] = False,
) -> None:
    """Import items; every record is validated first, and one bad record writes nothing."""
    import gc

    from oa_cli.actions import imports

    # A million records are a million dicts and no reference cycles: the cycle
    # collector would only rescan the growing heap (about a tenth of the time).
    gc.disable()
    name = "stdin" if source == "-" else source
    kind = imports.detect_format(name, fmt)
    parsed = imports.parse(imports.open_source(source), kind, name)
    for warning in parsed.warnings:
        say_warning(warning)
    try:
        _import(parsed, dry_run)
    finally:  # said however it ended: the rows read as totals are no records
        if parsed.totals:
            rows = ", ".join(map(str, parsed.totals))
            say_warning(t("rows read as totals, not items: {rows}", rows=rows))


def _import(parsed: Any, dry_run: bool) -> None:
    from oa_cli.actions import imports

    if dry_run:
        with _dry_run_ledger() as ctx:
            n = imports.run(ctx, parsed, write=False)
        say(t("dry run: valid records: {n}; nothing written", n=n))
        return
    ctx = STATE.context()
    if sys.stderr.isatty() and parsed.estimate >= 2000:
        from oa_cli.render.table import progress_bar  # rich: only for the bar

        with progress_bar(t("importing"), parsed.estimate) as advance:
            n = imports.run(ctx, parsed, progress=advance)
    else:
        n = imports.run(ctx, parsed)
    say(t("imported {n} items", n=n))


@contextlib.contextmanager
def _dry_run_ledger() -> Iterator[Any]:
    """The ledger a dry run checks a file against: the one named, read only, or, before
    the first import made it, an empty one in a temporary folder (a file can be checked
    before any ledger exists; none is made where the ledger would be)."""
    from oa_cli.actions import is_unmade
    from oa_cli.cli.state import default_db

    named = STATE.db
    if not is_unmade(named or default_db()):
        yield STATE.context(write=False)
        return
    with tempfile.TemporaryDirectory(prefix="oa-dry-run-") as folder:
        STATE.db = str(Path(folder) / "ledger.db")
        ctx = STATE.context()
        try:
            yield ctx
        finally:
            ctx.close()
            STATE._context, STATE.db = None, named


EXPORT_FORMATS = ("json", "jsonl", "csv", "tsv", "yaml", "xlsx")


def export(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help=N_("Write to this file (xlsx needs one)."))
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help=N_("json, jsonl, csv, tsv, yaml or xlsx."))
    ] = None,
    headers: Annotated[
        str | None,
        typer.Option("--headers", help=N_("zh: Chinese column headers and a BOM for csv.")),
    ] = None,
) -> None:
    """Every item, every status, in id order."""
    from oa_cli.actions import reading
    from oa_cli.errors import UsageError
    from oa_cli.outfile import atomic_output
    from oa_cli.render import choose

    if headers not in (None, "zh"):
        raise UsageError(t("--headers takes zh"))
    if fmt is None and output is not None:  # -o ledger.xlsx, -o all.jsonl …
        suffix = output.suffix.lower().lstrip(".")
        fmt = {"yml": "yaml"}.get(suffix, suffix) if suffix in (*EXPORT_FORMATS, "yml") else None
    if fmt is None:  # to a file of no known kind, or to stdout: json for a person, tsv piped
        fmt = "json" if output is not None or sys.stdout.isatty() else None
    fmt = choose(fmt, EXPORT_FORMATS)
    if fmt == "xlsx" and output is None:
        raise UsageError(t("xlsx needs a file: use -o FILE.xlsx"))
    if headers == "zh" and fmt != "csv":
        raise UsageError(t("--headers zh is for csv"))
    ctx = STATE.context(write=False)
    if output is None:
        count = _export_to(sys.stdout, fmt, headers)
    else:
        with atomic_output(output, reading.ledger_path(ctx), binary=fmt == "xlsx") as out:
            count = _export_to(out, fmt, headers)
        say(t("exported {n} items to {path}", n=count, path=output))


def _export_to(out: object, fmt: str, headers: str | None) -> int:
    from oa_cli.actions import reading
    from oa_cli.cli.listing import write_items
    from oa_cli.domain.selection import EVERY

    ctx = STATE.context(write=False)
    if fmt == "xlsx":
        from oa_cli.actions.evidence import by_item
        from oa_cli.cli.documents import meta
        from oa_cli.render.report import footer_text
        from oa_cli.render.xlsx import write_workbook

        items, progress = reading.workbook_items(ctx)
        return write_workbook(
            out,  # type: ignore[arg-type]
            items,
            office=ctx.config.office["name"],
            day=ctx.today,
            progress=progress,
            evidence=by_item(ctx) or None,
            footer=footer_text(meta(ctx)),
        )
    if headers == "zh":
        from oa_cli.render.csv_zh import write_csv_zh

        return write_csv_zh(out, reading.items(ctx, EVERY))  # type: ignore[arg-type]
    return write_items(out, fmt, EVERY)  # type: ignore[arg-type]


def backup(
    dest: Annotated[
        Path,
        typer.Argument(help=N_("Where to write the copy."), show_default=False, metavar=N_("DEST")),
    ],
    force: Annotated[bool, typer.Option("--force", help=N_("Overwrite an existing file."))] = False,
) -> None:
    """A consistent copy of the ledger, taken while others may be writing."""
    from oa_cli.actions import reading

    ctx = STATE.context(write=False)
    reading.backup(ctx, dest, force)
    say(t("ledger copied to {path}", path=dest))


def copy(
    dest: Annotated[
        str,
        typer.Argument(help=N_("An empty ledger: a path."), show_default=False, metavar=N_("DEST")),
    ],
) -> None:
    """Copy the whole ledger (items, journal, units, evidence) to an empty ledger."""
    from oa_cli.actions.copy import copy_ledger

    ctx = STATE.context(write=False)
    seq, digest = copy_ledger(ctx, dest)
    say(t("ledger copied to {path}; head {seq}:{hash}", path=dest, seq=seq, hash=digest[:12]))


def evidence(
    sha: Annotated[
        str,
        typer.Argument(
            help=N_("SHA-256 of the file (8+ hex digits)."), show_default=False, metavar="SHA"
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help=N_("Write to this file."))
    ] = None,
) -> None:
    """Write out an evidence file kept in the ledger (佐证材料)."""
    from oa_cli.actions import reading
    from oa_cli.actions.evidence import content
    from oa_cli.outfile import atomic_output

    ctx = STATE.context(write=False)
    data = content(ctx, sha)
    if output is None or str(output) == "-":  # `-o -`: stdout, as elsewhere
        from oa_cli.render.plain import Whole

        sys.stdout.flush()
        Whole(sys.stdout.buffer).write(data)
        return
    with atomic_output(output, reading.ledger_path(ctx), binary=True) as out:
        out.write(data)
    say(t("wrote {path} ({size} bytes)", path=output, size=len(data)))


COMMANDS: dict[str, Callable[..., None]] = {
    "import": import_,
    "export": export,
    "backup": backup,
    "copy": copy,
    "evidence": evidence,
}


def register(app: typer.Typer, name: str) -> None:
    app.command(name, help=command_help(COMMANDS[name]))(COMMANDS[name])
