"""Reports and cron commands: daily dispatch table, weekly update, assessment, urging
notices, automatic escalation."""

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from oa_cli.cli.documents import meta
from oa_cli.cli.state import STATE, command_help, say
from oa_cli.errors import UsageError
from oa_cli.i18n import N_, t

ReportFormat = Annotated[
    str | None,
    typer.Option(
        "--format", help=N_("table, tsv, csv, json, jsonl, yaml, markdown, html or docx.")
    ),
]
ReportOutput = Annotated[
    Path | None,
    typer.Option(
        "-o", "--output", help=N_("Write to this file (the format from its name if not given).")
    ),
]
CHECK_FAILED = N_("items need attention: overdue or not yet assigned")
_SUFFIXES = {"htm": "html", "md": "markdown", "yml": "yaml", "txt": "tsv"}


def _report_format(fmt: str | None, output: Path | None) -> str:
    """`--format`, or for a file the format its name says (调度表.docx), else as `choose`."""
    from oa_cli.render import REPORT_FORMATS, choose

    if fmt is None and output is not None and str(output) != "-":
        suffix = output.suffix.lower().lstrip(".")
        fmt = _SUFFIXES.get(suffix, suffix)
        if fmt not in REPORT_FORMATS or fmt == "table":
            raise UsageError(
                t(
                    "give --format: the name {name} does not say one of {choices}",
                    name=output.name,
                    choices=", ".join(f for f in REPORT_FORMATS if f != "table"),
                )
            )
    return choose(fmt, REPORT_FORMATS)


@contextlib.contextmanager
def _written_to(ctx: Any, output: Path | None) -> Iterator[None]:
    """A report sent to `output` instead of stdout: the file written whole when the
    report is, or not at all (the ledger itself is refused)."""
    if output is None or str(output) == "-":  # `-o -`: standard output, as elsewhere
        yield
        return
    import io

    from oa_cli.actions import reading
    from oa_cli.outfile import atomic_output

    with atomic_output(output, reading.ledger_path(ctx), binary=True) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        with contextlib.redirect_stdout(text):
            yield
        text.flush()
        text.detach()


def _emit(fmt: str, report: dict[str, Any], document: Callable[[], Any], rows: Any) -> None:
    """One report in any format: a Document for people, the dict or its rows for machines."""
    from oa_cli.render import pages as r

    if fmt == "table":
        from oa_cli.render.table import console

        out = console()
        with out:  # one write at the end; parts fit the width already, so none is cropped
            for part in r.rich_parts(document(), expand=out.is_terminal):
                out.print(part, crop=False)
    elif fmt == "markdown":
        from oa_cli.render.markdown import markdown_parts

        sys.stdout.writelines(markdown_parts(document()))
    elif fmt == "html":
        for part in r.html_parts(document()):  # written as it is made: a long report stays flat
            sys.stdout.write(part)
    elif fmt == "docx":  # a file: `oa daily --format docx > 调度表.docx`
        from oa_cli.errors import UsageError
        from oa_cli.render.docx import write_report_docx
        from oa_cli.render.plain import binary

        raw = binary(sys.stdout)
        if raw is None:
            raise UsageError(t("docx is a file: send it to one (> report.docx)"))
        import io

        made = io.BytesIO()  # a zip is whole or nothing: a reader that leaves gets no trace
        write_report_docx(made, document())
        raw.write(made.getbuffer())
    elif fmt in ("tsv", "csv", "jsonl"):
        from oa_cli.render.plain import write_anchor, write_records

        records, keys = rows()
        write_records(sys.stdout, fmt, records, keys)
        write_anchor(sys.stdout, fmt, report["anchor"])
    else:
        from oa_cli.render.plain import write_document

        write_document(sys.stdout, fmt, report)


def _section_rows(report: dict[str, Any]) -> tuple[Any, tuple[str, ...]]:
    from oa_cli.actions.reports import section_rows
    from oa_cli.domain.item import KEYS

    return section_rows(report), ("section", *KEYS)


def _daily_rows(fmt: str, report: dict[str, Any]) -> None:
    """The daily's sections as tsv, csv or jsonl rows, each section's name first, streamed
    from the values ("values") or JSON objects ("json") of `reports.daily`."""
    from oa_cli.render.plain import write_anchor, write_json_bytes, write_rows

    sections = report["sections"]
    if fmt == "jsonl":  # {"section":name, …the item's keys}
        heads = {name: f'{{"section":"{name}",'.encode() for name in sections}
        batches = (
            [heads[name] + doc[1:] for doc in batch]
            for name, found in sections.items()
            for batch in found
        )
        write_json_bytes(sys.stdout, fmt, batches)
    else:
        from oa_cli.domain.item import KEYS

        rows = ([name, *values] for name, found in sections.items() for values in found)
        write_rows(sys.stdout, fmt, rows, ("section", *KEYS))
    write_anchor(sys.stdout, fmt, report["anchor"])


def _daily_spooled(ctx: Any, day: dt.date, fmt: str, raw: Any) -> None:
    """The daily for mail and print to a pipe or file: each open item's row made once (in
    one pass over the open items) and written as UTF-8 under every section it is in."""
    from oa_cli.actions import reports
    from oa_cli.render import markdown, pages
    from oa_cli.render.report import daily_document
    from oa_cli.render.rows import SpooledRows

    date = day.isoformat()
    form = pages.html_row_form(date) if fmt == "html" else markdown.md_row_form(date)
    facts = reports.daily_facts(ctx, day)
    with reports.daily_spooled(ctx, day, *form) as report:
        sections = report["sections"]
        for name in report["spooled"]:
            sections[name] = SpooledRows([], date, sections[name])
        doc = daily_document(report, facts, meta(ctx, report, reports.report_until(ctx, day)))
        raw.writelines(pages.html_bytes(doc) if fmt == "html" else markdown.markdown_bytes(doc))


def daily(
    date: Annotated[
        str | None, typer.Option("--date", help=N_("Report day (default: today)."))
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help=N_("Exit 3 when items are overdue or still unassigned from before today."),
        ),
    ] = False,
    fmt: ReportFormat = None,
    output: ReportOutput = None,
) -> None:
    """The daily dispatch table (每日调度表)."""
    from oa_cli.actions import reports
    from oa_cli.errors import CheckFailed

    fmt = _report_format(fmt, output)
    ctx = STATE.context(write=False)
    day = ctx.today if date is None else _date(date)
    with _written_to(ctx, output):
        _daily(ctx, day, fmt)
    if check and reports.needs_attention(ctx, day):
        raise CheckFailed(t(CHECK_FAILED))


def _daily(ctx: Any, day: dt.date, fmt: str) -> None:
    from oa_cli.actions import reports
    from oa_cli.render.plain import binary

    if fmt == "json" and (raw := binary(sys.stdout)) is not None:  # cron and pipes
        reports.daily_json(ctx, day, raw)
    elif fmt in ("tsv", "csv", "jsonl"):
        _daily_rows(fmt, reports.daily(ctx, day, form="json" if fmt == "jsonl" else "values"))
    elif fmt in ("html", "markdown") and (raw := binary(sys.stdout)) is not None:
        _daily_spooled(ctx, day, fmt, raw)
    else:
        from oa_cli.render.report import daily_document

        limit = ctx.config.display["max_rows"] if fmt == "table" else None
        printed = fmt in ("table", "markdown", "html", "docx")  # streamed as they are drawn
        report = reports.daily(ctx, day, limit, "printed" if printed else "items")
        facts = reports.daily_facts(ctx, day)
        _emit(
            fmt,
            report,
            lambda: daily_document(
                report, facts, meta(ctx, report, reports.report_until(ctx, day))
            ),
            lambda: _section_rows(report),
        )


def weekly(
    week: Annotated[str | None, typer.Option("--week", help=N_("ISO week, e.g. 2026-W48."))] = None,
    date: Annotated[str | None, typer.Option("--date", help=N_("A day in the week."))] = None,
    fmt: ReportFormat = None,
    output: ReportOutput = None,
) -> None:
    """The weekly update (每周更新): registered, closed, overdue, no update, per unit."""
    fmt = _report_format(fmt, output)
    if week is not None and date is not None:
        raise UsageError(t("give --week or --date, not both"))
    ctx = STATE.context(write=False)
    day = ctx.today if date is None else _date(date)
    if week is not None:
        from oa_cli.domain.dates import parse_week

        monday = parse_week(week)
        if monday is None:
            raise UsageError(t("invalid week '{week}': use YYYY-Www, e.g. 2026-W48", week=week))
        day = monday
    with _written_to(ctx, output):
        _weekly(ctx, day, fmt)


def _weekly(ctx: Any, day: dt.date, fmt: str) -> None:
    from oa_cli.actions.reports import report_until
    from oa_cli.actions.reports import weekly as build
    from oa_cli.render.report import weekly_document

    if _weekly_streamed(ctx, day, fmt):
        return
    limit = ctx.config.display["max_rows"] if fmt == "table" else None
    report = build(ctx, day, limit)
    as_of = min(report["to"], ctx.today.isoformat())  # what is owed, as the week stands
    until = report_until(ctx, dt.date.fromisoformat(as_of))
    _emit(
        fmt,
        report,
        lambda: weekly_document(report, meta(ctx, report, until, date=as_of), limit),
        lambda: _section_rows(report),
    )


def _weekly_streamed(ctx: Any, day: dt.date, fmt: str) -> bool:
    """The machine formats of the weekly written as they are read (flat at any size)."""
    from oa_cli.actions import reports
    from oa_cli.render import plain

    if fmt == "json" and (raw := plain.binary(sys.stdout)) is not None:  # cron and pipes
        reports.weekly_json(ctx, day, raw)
    elif fmt == "jsonl":
        plain.write_json_bytes(sys.stdout, "jsonl", reports.weekly_records(ctx, day))
        plain.write_anchor(sys.stdout, fmt, reports.anchor(ctx))
    elif fmt in ("tsv", "csv"):
        from oa_cli.domain.item import KEYS

        plain.write_rows(sys.stdout, fmt, reports.weekly_values(ctx, day), ("section", *KEYS))
        plain.write_anchor(sys.stdout, fmt, reports.anchor(ctx))
    else:
        return False
    return True


def stats(
    start: Annotated[
        str | None, typer.Option("--from", help=N_("Items received on or after."))
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help=N_("Items received on or before."))
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help=N_("unit, leader, source or priority (单位, 领导 …)."))
    ] = "unit",
    fmt: ReportFormat = None,
    output: ReportOutput = None,
) -> None:
    """Assessment figures (考核评价) per unit, leader, source or priority, as of today."""
    from oa_cli.actions.reports import stats as build
    from oa_cli.cli.options import choice
    from oa_cli.domain.stats import STAT_KEYS
    from oa_cli.render.assessment import stats_document

    fmt = _report_format(fmt, output)
    group = choice("by", by, "--by")
    ctx = STATE.context(write=False)
    first = _date(start, "--from") if start else None
    last = _date(end, "--to") if end else None
    if first and last and first > last:
        raise UsageError(t("--from {start} is after --to {end}", start=first, end=last))
    report = build(ctx, group, first, last)
    with _written_to(ctx, output):
        _emit(
            fmt,
            report,
            lambda: stats_document(report, meta(ctx), by=group, start=first, end=last),
            lambda: (report["rows"], STAT_KEYS),
        )


def notice(
    unit: Annotated[
        list[str] | None, typer.Option("--unit", help=N_("Only this unit (repeatable)."))
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help=N_("Report day (default: today)."))
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help=N_("table, html, docx, markdown or json."))
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help=N_("Write to this file (docx needs one)."))
    ] = None,
    issue: Annotated[
        bool,
        typer.Option(
            "--issue", help=N_("Number the notices and record them as 催办 (else a preview).")
        ),
    ] = False,
    reprint: Annotated[
        str | None,
        typer.Option(
            "--reprint",
            metavar=N_("NUMBER"),
            help=N_(
                "Print an issued notice again as it was issued (〔2026〕7号); records nothing."
            ),
        ),
    ] = None,
    issued: Annotated[
        bool,
        typer.Option(
            "--issued", help=N_("List the notices issued: number, day, unit and items (登记).")
        ),
    ] = False,
) -> None:
    """Urging notices (催办通知单) to the units whose items need urging."""
    from oa_cli.actions.notices import notices as build
    from oa_cli.errors import UsageError

    if issued:
        if issue or unit or date is not None or reprint is not None or output is not None:
            raise UsageError(t("--issued lists the notices issued: no other option but --format"))
        _register(fmt)
        return

    formats = ("table", "html", "docx", "markdown", "json")
    if fmt is None and output is not None and output.suffix.lower().lstrip(".") in formats:
        fmt = output.suffix.lower().lstrip(".")
    fmt = fmt or ("html" if output is not None else "table" if sys.stdout.isatty() else "json")
    if fmt == "table" and output is not None:
        raise UsageError(t("a table is for a terminal: with -o give --format html, docx or json"))
    if fmt not in formats:
        raise UsageError(
            t("unknown format '{fmt}': choose {choices}", fmt=fmt, choices=", ".join(formats))
        )
    if fmt == "docx" and output is None:
        raise UsageError(t("docx needs a file: use -o FILE.docx"))
    if reprint is not None and (issue or unit or date is not None):
        raise UsageError(
            t("--reprint prints one issued notice as it was: no --issue, --unit or --date")
        )
    ctx = STATE.context(write=issue)
    if reprint is not None:
        _reprint(ctx, reprint, fmt, output)
        return
    day = ctx.today if date is None else _date(date)

    held: list[str] = []  # issued theirs today already (said)

    def deliver(found: list[Any]) -> None:
        from oa_cli.actions.notices import reply_by

        if held and not found and (output is not None or fmt != "json"):
            return  # all issued already (said): the page printed then stands

        items = {"sections": {"all": [i for n in found for i in n["items"]]}}
        info = meta(ctx, items, date=day.isoformat(), reply_by=reply_by(ctx, day).isoformat())
        _write_notices(ctx, fmt, found, info, output)

    found = build(ctx, day, unit or [], issue, deliver, held)
    _say_unurged(ctx, unit or [], found, held)
    if issue:
        say(t("notices issued: {n}", n=len(found)))
        for notice in found:
            say(t("{number} to {unit}", number=notice["number"], unit=notice["unit"]))


def _say_unurged(ctx: Any, asked: list[str], found: list[Any], held: list[str]) -> None:
    """Each unit asked for by --unit that gets no notice: nothing of it needs urging
    (those `held`, issued theirs today already, have been told so)."""
    from oa_cli.actions.units import resolve

    noticed = {notice["unit"] for notice in found} | set(held)
    for name in dict.fromkeys(resolve(ctx, u) for u in asked):
        if name not in noticed:
            say(t("{unit}: nothing needs urging", unit=name))


def _register(fmt: str | None) -> None:
    """The notices issued, as a table or records."""
    from oa_cli.actions.notices import register
    from oa_cli.render import choose

    fmt = choose(fmt)
    records = register(STATE.context(write=False))
    keys = ("number", "date", "unit", "items")
    if fmt != "table":
        from oa_cli.render.plain import write_records

        write_records(sys.stdout, fmt, records, keys)
        return
    from oa_cli.render.table import console, notices_table

    console().print(notices_table(records))


def _reprint(ctx: Any, number: str, fmt: str, output: Path | None) -> None:
    """An issued notice again, its date, anchor and reports as they were then."""
    import dataclasses

    from oa_cli.actions.notices import reprint

    found = reprint(ctx, number)
    info = meta(ctx, None, date=found.day.isoformat(), reply_by=found.reply_by.isoformat())
    info = dataclasses.replace(info, anchor=found.anchor, progress=found.progress)
    _write_notices(ctx, fmt, [found.notice], info, output)
    notice = found.notice  # which one, when the number left its year to be guessed
    say(
        t(
            "reprinted {number} to {unit}, issued {date}",
            number=notice["number"],
            unit=notice["unit"],
            date=found.day.isoformat(),
        )
    )


def _write_notices(ctx: Any, fmt: str, found: list[Any], info: Any, output: Path | None) -> None:
    """The notices in `fmt`, to stdout or to `output` (written whole, or not at all)."""
    from oa_cli.actions import reading
    from oa_cli.outfile import atomic_output
    from oa_cli.render import notice as n

    if fmt == "docx":
        from oa_cli.render.docx import write_notice_docx

        assert output is not None
        with atomic_output(output, reading.ledger_path(ctx), binary=True) as out:
            write_notice_docx(out, found, info)  # type: ignore[arg-type]
        return
    if fmt == "table":
        from oa_cli.render.table import console

        screen = console()
        with screen:
            for part in n.notice_rich(found, info):
                screen.print(part, crop=False)
        return
    if fmt == "json":
        import json

        text = json.dumps(n.notice_json(found), ensure_ascii=False, separators=(",", ":")) + "\n"
    else:
        text = n.notice_html(found, info) if fmt == "html" else n.notice_markdown(found, info)
    if output is None:
        sys.stdout.write(text)
        return
    with atomic_output(output, reading.ledger_path(ctx)) as out:
        out.write(text)


def _date(text: str, option: str = "--date") -> Any:
    from oa_cli.domain.dates import parse_day

    ctx = STATE.context(write=False)
    return parse_day(text, today=ctx.today, calendar=ctx.calendar, what=option)


COMMANDS: dict[str, Callable[..., None]] = {
    "daily": daily,
    "weekly": weekly,
    "stats": stats,
    "notice": notice,
}


def register(app: typer.Typer, name: str) -> None:
    app.command(name, help=command_help(COMMANDS[name]))(COMMANDS[name])
