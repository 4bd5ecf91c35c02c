"""Read commands: query through the read use cases, hand plain records to a renderer."""

import datetime as dt
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from oa_cli.cli.listing import items_out
from oa_cli.cli.options import bounded, item_id
from oa_cli.cli.state import STATE, command_help, say
from oa_cli.i18n import N_, t

Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        help=N_("table, tsv, csv, json, jsonl or yaml (default: table on a terminal, else tsv)."),
    ),
]


def _sort_words() -> dict[str, str]:
    """A sort named by its field's Chinese label (时限, 编号, 收文时间), as the help says."""
    from oa_cli.domain.fields import LABELS

    return {LABELS["due"]: "due", LABELS["id"]: "id", LABELS["received_at"]: "received"}


def list_items(
    status: Annotated[
        list[str] | None,
        typer.Option("--status", help=N_("Only these statuses (repeatable; 待交办, 在办 …).")),
    ] = None,
    unit: Annotated[str | None, typer.Option(help=N_("Only this lead unit."))] = None,
    leader: Annotated[str | None, typer.Option(help=N_("Only this leader."))] = None,
    priority: Annotated[str | None, typer.Option(help=N_("Only this priority."))] = None,
    tag: Annotated[str | None, typer.Option(help=N_("Only items with this tag."))] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help=N_("Only overdue items."))] = False,
    due_within: Annotated[
        int | None,
        typer.Option(
            "--due-within",
            help=N_("Only items due within N working days (overdue ones included)."),
            callback=bounded(0, 250),
        ),
    ] = None,
    search: Annotated[
        str | None, typer.Option(help=N_("Text in title, body, document number, leader or unit."))
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help=N_("Every status."))] = False,
    sort: Annotated[str, typer.Option(help=N_("due, id or received."))] = "due",
    limit: Annotated[
        int | None, typer.Option(help=N_("At most N rows."), callback=bounded(0, 2**53 - 1))
    ] = None,
    fmt: Format = None,
) -> None:
    """List items: open ones by default, sorted by due date."""
    from oa_cli.actions import reading
    from oa_cli.cli.options import choice, maybe
    from oa_cli.domain import item as model
    from oa_cli.domain.rules import narrowed
    from oa_cli.domain.selection import SORTS, Selection
    from oa_cli.errors import UsageError
    from oa_cli.render import choose

    fmt = choose(fmt)
    sort = _sort_words().get(sort.strip(), sort.strip())
    if sort not in SORTS:
        raise UsageError(t("--sort takes due, id or received"))
    statuses: tuple[str, ...] = () if all_ else model.OPEN
    if status and not all_:
        statuses = tuple(dict.fromkeys(choice("status", s, "--status") for s in status))
    ctx = STATE.context(write=False)
    sel = Selection(
        statuses=statuses,
        unit=_unit_filter(unit),
        leader=leader,
        priority=maybe("priority", priority, "--priority"),
        tag=tag,
        search=search,
        sort=sort,
        limit=limit,
    )
    sel = narrowed(sel, ctx.calendar, ctx.today, overdue, due_within)
    if fmt == "table" and limit is None:
        sel = sel.but(limit=ctx.config.display["max_rows"])
    shown = items_out(fmt, sel)
    if fmt == "table" and sel.limit is not None and shown == sel.limit:
        total = reading.count(ctx, sel)
        if total > shown:
            say(t("{n} more not shown; use --limit or a piped format", n=total - shown))


def _unit_filter(unit: str | None) -> str | None:
    if unit is None:
        return None
    from oa_cli.actions import units

    return units.resolve(STATE.context(write=False), unit)


def show(
    item_id: Annotated[
        int,
        typer.Argument(help=N_("Item id."), show_default=False, callback=item_id, metavar=N_("ID")),
    ],
    fmt: Format = None,
) -> None:
    """One item with its whole timeline."""
    from oa_cli.actions import reading
    from oa_cli.render import choose

    fmt = choose(fmt)
    ctx = STATE.context(write=False)
    item = reading.item(ctx, item_id)
    timeline = list(reading.timeline(ctx, item_id))
    if fmt == "table":
        from oa_cli.render.table import console, events_table, item_card

        out = console()
        out.print(item_card(item))
        out.print(events_table(timeline, t("Timeline"), of_one_item=True))
        return
    from oa_cli.domain.item import KEYS
    from oa_cli.render.plain import write_document, write_records

    if fmt in ("tsv", "csv"):
        write_records(sys.stdout, fmt, [item], KEYS)
    else:
        write_document(sys.stdout, fmt, {**item, "timeline": timeline})


def overdue(
    unit: Annotated[str | None, typer.Option(help=N_("Only this lead unit."))] = None,
    check: Annotated[
        bool, typer.Option("--check", help=N_("Exit 3 when any item is overdue."))
    ] = False,
    fmt: Format = None,
) -> None:
    """Open overdue items, most overdue first."""
    from oa_cli.actions import reading
    from oa_cli.domain.rules import Bounds
    from oa_cli.errors import CheckFailed
    from oa_cli.render import choose

    fmt = choose(fmt)
    ctx = STATE.context(write=False)
    sel = Bounds.of(ctx.config, ctx.calendar, ctx.today).daily()["overdue"]
    sel = sel.but(unit=_unit_filter(unit))
    if fmt == "table":
        sel = sel.but(limit=ctx.config.display["max_rows"])
    # In due order, the oldest first: that is most overdue first, and it streams.
    found = items_out(fmt, sel, t("Overdue"))
    if fmt == "table" and not found:
        say(t("no overdue items"))
    if fmt == "table" and found == sel.limit:
        total = reading.count(ctx, sel)
        if total > found:
            say(t("{n} more not shown; use a piped format", n=total - found))
            found = total
    if check and found:
        raise CheckFailed(t("{n} overdue items", n=found))


def log(
    item_id: Annotated[
        int | None,
        typer.Argument(
            help=N_("Only this item's events."),
            show_default=False,
            callback=item_id,
            metavar=N_("ID"),
        ),
    ] = None,
    since: Annotated[str | None, typer.Option(help=N_("Only events from this date on."))] = None,
    last: Annotated[
        int | None,
        typer.Option("-n", "--last", help=N_("Only the last N events (as git log -n).")),
    ] = None,
    fmt: Format = None,
) -> None:
    """Journal events, in the order they were recorded."""
    from oa_cli.actions import reading
    from oa_cli.domain.fields import EVENT_KEYS
    from oa_cli.render import choose

    fmt = choose(fmt)
    if last is not None and last < 1:
        from oa_cli.errors import UsageError

        raise UsageError(t("-n takes a number from 1"))
    ctx = STATE.context(write=False)
    start = None
    if since is not None:
        from oa_cli.domain.dates import parse_day

        day = parse_day(since, today=ctx.today, calendar=ctx.calendar, what="--since")
        start = day.isoformat()
    if item_id is not None:
        reading.item(ctx, item_id)  # an unknown item is an error, not an empty log
    events = reading.timeline(ctx, item_id, start)
    # -n, else on a terminal the latest display.max_rows (machine formats: all)
    keep = last if last is not None else ctx.config.display["max_rows"] if fmt == "table" else None
    before = 0
    if keep is not None:  # the latest `keep`, held in memory a window at a time
        from collections import deque

        window: deque[dict[str, Any]] = deque(maxlen=keep)
        for event in events:
            before += len(window) == keep
            window.append(event)
        events = iter(window)
    if fmt == "table":
        from oa_cli.render.table import console, events_table

        console().print(events_table(events))
        if before and last is None:
            from rich.text import Text

            said = t("{n} earlier events not shown; oa log -n N or --since D shows them", n=before)
            console().print(Text(said, style="dim"))
    else:
        from oa_cli.render.plain import write_records

        write_records(sys.stdout, fmt, events, EVENT_KEYS)


def verify(
    anchor: Annotated[
        list[str] | None,
        typer.Option("--anchor", help=N_("SEQ:HASH printed on a report (repeatable).")),
    ] = None,
    fmt: Annotated[str | None, typer.Option("--format", help=N_("table or json."))] = None,
) -> None:
    """Check the database, the journal's hash chain, replay, evidence files and anchors."""
    from oa_cli.actions.verify import parse_anchor
    from oa_cli.actions.verify import verify as run
    from oa_cli.errors import IntegrityError, UsageError

    if fmt not in (None, "table", "json"):
        raise UsageError(
            t("unknown format '{fmt}': choose {choices}", fmt=fmt, choices="table, json")
        )
    anchors = [parse_anchor(a) for a in anchor or []]
    ctx = STATE.context(write=False)
    report = run(ctx, anchors)
    if fmt == "json":
        from oa_cli.render.plain import write_document

        write_document(sys.stdout, "json", report.as_json())
        if not report.ok:
            raise typer.Exit(1)
        return
    if not report.ok:
        raise IntegrityError(report.problems[0], *report.problems[1:])
    print(
        t(
            "ledger verified: {items} items, {events} events, chain intact",
            items=report.items,
            events=report.events,
        )
    )
    print(t("head: {seq}:{hash}", seq=report.head["seq"], hash=report.head["hash"]))
    for seq, digest in anchors:
        print(t("anchor {seq}:{hash} matches", seq=seq, hash=digest[:12]))


def workday(
    date: Annotated[
        str | None,
        typer.Argument(help=N_("Date (default: today)."), show_default=False, metavar=N_("DATE")),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help=N_("Say nothing: the exit status only."))
    ] = False,
) -> None:
    """Say whether DATE is a working day: exit 0 if it is, 1 if not."""
    from oa_cli.domain.dates import parse_due

    calendar = STATE.calendar(warn=not quiet)  # -q: not even the unknown year's warning
    today = STATE.clock().date()
    if date is None:
        day = today
    else:  # a day asked about ahead, as a deadline is: 周五 is the coming Friday
        day = parse_due(date, base=today, today=today, calendar=calendar, what=t("date"))
    working = calendar.is_workday(day)
    if not quiet:
        print(_workday_words(calendar, day, working))
    if not working:
        raise typer.Exit(1)


def _workday_words(calendar: Any, day: dt.date, working: bool) -> str:
    """Whether `day` is a working day, and the holiday it belongs to (国庆节) or makes
    up for (调休上班)."""
    if working:
        said = t("{date} is a working day", date=_day(day))
    else:
        said = t("{date} is not a working day", date=_day(day))
    found = calendar.festival(day)
    if found is None:
        return said
    festival = t(found)  # 国庆节
    if working:
        return t("{said}: {festival} make-up working day", said=said, festival=festival)
    return t("{said}: {festival}", said=said, festival=festival)


def _day(day: dt.date) -> str:
    return f"{day.isoformat()} ({t(day.strftime('%A'))})"


COMMANDS: dict[str, Callable[..., None]] = {
    "list": list_items,
    "show": show,
    "overdue": overdue,
    "log": log,
    "verify": verify,
    "workday": workday,
}


def register(app: typer.Typer, name: str) -> None:
    app.command(name, help=command_help(COMMANDS[name]))(COMMANDS[name])
