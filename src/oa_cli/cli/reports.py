"""Reports and cron commands: daily dispatch table, automatic escalation."""

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from oa_cli.cli.state import STATE, command_help
from oa_cli.i18n import t

ReportFormat = Annotated[
    str | None,
    typer.Option("--format", help="table, tsv, csv, json, jsonl, yaml, markdown or html."),
]


def _emit(fmt: str, report: dict[str, Any], document: Any, rows: Any) -> None:
    """One report in any format: a Document for people, the dict or its rows for machines."""
    from oa_cli.render import report as r

    if fmt == "table":
        from oa_cli.render.table import console

        out = console()
        for part in r.rich_parts(document(), expand=out.is_terminal):
            out.print(part)
    elif fmt == "markdown":
        sys.stdout.write(r.markdown(document()))
    elif fmt == "html":
        sys.stdout.write(r.html_page(document()))
    elif fmt in ("tsv", "csv", "jsonl"):
        from oa_cli.render.plain import write_records

        records, keys = rows()
        write_records(sys.stdout, fmt, records, keys)
    else:
        from oa_cli.render.plain import write_document

        write_document(sys.stdout, fmt, report)


def _section_rows(report: dict[str, Any]) -> tuple[Any, tuple[str, ...]]:
    """Row formats of a sectioned report: one item a row, its section first."""
    from oa_cli.domain.item import KEYS

    rows = (
        {"section": name, **item} for name, items in report["sections"].items() for item in items
    )
    return rows, ("section", *KEYS)


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
    from oa_cli.errors import CheckFailed
    from oa_cli.render import REPORT_FORMATS, choose
    from oa_cli.render.plain import binary

    fmt = choose(fmt, REPORT_FORMATS)
    ctx = STATE.context()
    day = ctx.today if date is None else _date(date)
    if fmt == "json" and (raw := binary(sys.stdout)) is not None:  # cron and pipes
        from oa_cli.actions.reports import daily_json

        if daily_json(ctx, day, raw) and check:
            raise CheckFailed(t("items need attention: overdue or not yet assigned"))
        return
    from oa_cli.actions.reports import daily as build
    from oa_cli.domain.reports import needs_attention
    from oa_cli.render.report import daily_document

    report = build(ctx, day)
    workday = ctx.calendar.is_workday(day)
    _emit(fmt, report, lambda: daily_document(report, workday), lambda: _section_rows(report))
    if check and needs_attention(report, day):
        raise CheckFailed(t("items need attention: overdue or not yet assigned"))


def weekly(
    week: Annotated[str | None, typer.Option("--week", help="ISO week, e.g. 2026-W48.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="A day in the week.")] = None,
    fmt: ReportFormat = None,
) -> None:
    """The weekly update (每周更新): registered, closed, overdue, no update, per unit."""
    import datetime as dt

    from oa_cli.actions.reports import weekly as build
    from oa_cli.errors import UsageError
    from oa_cli.render import REPORT_FORMATS, choose
    from oa_cli.render.report import weekly_document

    fmt = choose(fmt, REPORT_FORMATS)
    if week is not None and date is not None:
        raise UsageError(t("give --week or --date, not both"))
    ctx = STATE.context()
    day = ctx.today if date is None else _date(date)
    if week is not None:
        try:
            day = dt.datetime.strptime(week + "-1", "%G-W%V-%u").date()
        except ValueError:
            raise UsageError(
                t("invalid week '{week}': use YYYY-Www, e.g. 2026-W48", week=week)
            ) from None
    report = build(ctx, day)
    _emit(fmt, report, lambda: weekly_document(report), lambda: _section_rows(report))


def stats(
    start: Annotated[str | None, typer.Option("--from", help="Items received on or after.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Items received on or before.")] = None,
    by: Annotated[str, typer.Option("--by", help="unit, leader, source or priority.")] = "unit",
    fmt: ReportFormat = None,
) -> None:
    """Assessment figures (考核评价) per unit, leader, source or priority."""
    from oa_cli.actions.reports import stats as build
    from oa_cli.domain.stats import GROUPS, STAT_KEYS
    from oa_cli.errors import UsageError
    from oa_cli.render import REPORT_FORMATS, choose
    from oa_cli.render.report import stats_document

    fmt = choose(fmt, REPORT_FORMATS)
    if by not in GROUPS:
        raise UsageError(t("--by takes unit, leader, source or priority"))
    ctx = STATE.context()
    first = _date(start) if start else None
    last = _date(end) if end else None
    rows = build(ctx, by, first, last)
    report = {
        "by": by,
        "from": first and first.isoformat(),
        "to": last and last.isoformat(),
        "rows": rows,
    }
    _emit(fmt, report, lambda: stats_document(report), lambda: (rows, STAT_KEYS))


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

    if not sys.stderr.isatty():  # cron and pipes: no bar, and no count to pay for
        return contextlib.nullcontext(None)
    total = ctx.conn.execute(
        "SELECT count(*) FROM items WHERE status IN ('registered', 'assigned')"
    ).fetchone()[0]
    if total < 5000:
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


COMMANDS: dict[str, Callable[..., None]] = {"daily": daily, "weekly": weekly, "stats": stats}


def register(app: typer.Typer, name: str) -> None:
    app.command(name, help=command_help(COMMANDS[name]))(COMMANDS[name])
