"""Reports and cron commands: daily dispatch table, automatic escalation."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from oa_cli.cli.state import STATE
from oa_cli.i18n import t

ReportFormat = Annotated[
    str | None,
    typer.Option("--format", help="table, tsv, csv, json, jsonl, yaml, markdown or html."),
]


def daily(
    date: Annotated[str | None, typer.Option("--date", help="Report day (default: today).")] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Exit 3 when items are overdue or still unassigned from before today."
        ),
    ] = False,
    fmt: ReportFormat = None,
) -> None:
    """The daily dispatch table (每日调度表)."""
    from oa_cli.actions.reports import daily as build
    from oa_cli.domain.reports import DAILY_SECTIONS, needs_attention
    from oa_cli.errors import CheckFailed
    from oa_cli.render import REPORT_FORMATS, choose

    fmt = choose(fmt, REPORT_FORMATS)
    ctx = STATE.context()
    day = ctx.today if date is None else _date(date)
    report = build(ctx, day)
    workday = ctx.calendar.is_workday(day)
    if fmt == "table":
        from oa_cli.render.report import rich_daily
        from oa_cli.render.table import console

        out = console()
        for part in rich_daily(report, workday):
            out.print(part)
    elif fmt in ("markdown", "html"):
        from oa_cli.render import report as r

        sys.stdout.write((r.markdown_daily if fmt == "markdown" else r.html_daily)(report, workday))
    elif fmt in ("tsv", "csv", "jsonl"):
        _sectioned(fmt, report, DAILY_SECTIONS)
    else:
        from oa_cli.render.plain import write_document

        write_document(sys.stdout, fmt, report)
    if check and needs_attention(report, day):
        raise CheckFailed(t("items need attention: overdue or not yet assigned"))


def _sectioned(fmt: str, report: dict[str, Any], sections: tuple[str, ...]) -> None:
    """Row formats of a report: one item a row, with its section first."""
    from oa_cli.domain.item import KEYS
    from oa_cli.render.plain import write_records

    rows = ({"section": name, **item} for name in sections for item in report["sections"][name])
    write_records(sys.stdout, fmt, rows, ("section", *KEYS))


def _date(text: str) -> Any:
    from oa_cli.domain.dates import parse_due

    ctx = STATE.context()
    return parse_due(text, base=ctx.today, today=ctx.today, calendar=ctx.calendar)


def escalate_auto(fmt: str | None) -> None:
    from oa_cli.actions.escalate import ACTION_KEYS
    from oa_cli.actions.escalate import escalate_auto as run
    from oa_cli.render import choose

    fmt = choose(fmt)
    ctx = STATE.context()
    with _progress(ctx) as advance:
        done = run(ctx, advance)
    if fmt == "table":
        from rich.text import Text

        from oa_cli.render.table import console, new_table, text

        table = new_table(t("escalate --auto: {n} actions", n=len(done)))
        for header in (t("ID"), t("Action"), t("Rule"), t("Overdue"), t("Title"), t("Unit")):
            table.add_column(header, overflow="fold")
        for a in done:
            table.add_row(
                Text(str(a["item_id"])),
                Text(t(a["action"])),
                Text(t(a["rule"])),
                Text(str(a["overdue_days"] or "")),
                text(a["title"]),
                text(a["unit"]),
            )
        console().print(table)
    else:
        from oa_cli.render.plain import write_records

        write_records(sys.stdout, fmt, done, ACTION_KEYS)
    print(t("escalate --auto: {n} actions", n=len(done)), file=sys.stderr)


def _progress(ctx: Any) -> Any:
    """A Rich progress bar on stderr when it is a terminal and the ledger is large."""
    import contextlib

    total = ctx.conn.execute(
        "SELECT count(*) FROM items WHERE status IN ('registered', 'assigned')"
    ).fetchone()[0]
    if not sys.stderr.isatty() or total < 5000:
        return contextlib.nullcontext(None)
    return progress_bar(t("escalating"), total)


def progress_bar(label: str, total: int) -> Any:
    import contextlib

    from rich.progress import Progress

    @contextlib.contextmanager
    def bar() -> Any:
        with Progress(console=_stderr_console(), transient=True) as progress:
            task = progress.add_task(label, total=total)
            yield lambda n: progress.advance(task, n)

    return bar()


def _stderr_console() -> Any:
    from oa_cli.render.table import console

    return console(stderr=True)


def register(app: typer.Typer) -> None:
    app.command("daily")(daily)
