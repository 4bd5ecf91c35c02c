"""Read commands: query, then hand plain records to the chosen renderer."""

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from typing import Annotated, Any, TextIO

import typer

from oa_cli.cli.state import STATE, command_help
from oa_cli.i18n import t

Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="table, tsv, csv, json, jsonl or yaml (default: table on a terminal, else tsv).",
    ),
]
TERMINAL_LIMIT = 100


def _items_out(fmt: str, query: Any, title: str | None = None) -> int:
    """Print the items `query` selects in `fmt`; return how many were printed."""
    if fmt != "table":
        return write_items(sys.stdout, fmt, query)
    from oa_cli.ledger import items as store
    from oa_cli.render.table import console, items_table

    ctx = STATE.context()
    rows = [ctx.item_json(i) for i in store.select(ctx.conn, query)]
    console().print(items_table(rows, title))
    return len(rows)


def write_items(out: TextIO, fmt: str, query: Any) -> int:
    """Stream the items `query` selects in a machine format; return how many."""
    from oa_cli.domain.item import KEYS
    from oa_cli.ledger import items as store

    ctx = STATE.context()
    count = 0

    def counted(records: Iterator[Any]) -> Iterator[Any]:
        nonlocal count
        for record in records:
            count += 1
            yield record

    if fmt in ("json", "jsonl"):  # built by SQLite, byte-identical to the Python path
        from oa_cli.render.plain import write_json_bytes

        batches = store.select_json(ctx.conn, query, ctx.today, ctx.calendar)
        return write_json_bytes(out, fmt, batches)
    elif fmt in ("tsv", "csv"):  # values straight from the rows, no dict per item
        from oa_cli.render.plain import write_rows

        rows = store.select_values(ctx.conn, query, ctx.today, ctx.calendar)
        write_rows(out, fmt, counted(rows), KEYS)
    else:
        from oa_cli.render.plain import write_records

        items = (ctx.item_json(i) for i in store.select(ctx.conn, query))
        write_records(out, fmt, counted(items), KEYS)
    return count


def list_items(
    status: Annotated[
        list[str] | None, typer.Option("--status", help="Only these statuses (repeatable).")
    ] = None,
    unit: Annotated[str | None, typer.Option(help="Only this lead unit.")] = None,
    leader: Annotated[str | None, typer.Option(help="Only this leader.")] = None,
    priority: Annotated[str | None, typer.Option(help="Only this priority.")] = None,
    tag: Annotated[str | None, typer.Option(help="Only items with this tag.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue items.")] = False,
    due_within: Annotated[
        int | None,
        typer.Option(
            "--due-within", help="Only items due within N working days (overdue ones included)."
        ),
    ] = None,
    search: Annotated[
        str | None, typer.Option(help="Text in title, body, document number, leader or unit.")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every status.")] = False,
    sort: Annotated[str, typer.Option(help="due, id or received.")] = "due",
    limit: Annotated[int | None, typer.Option(help="At most N rows.")] = None,
    fmt: Format = None,
) -> None:
    """List items: open ones by default, sorted by due date."""
    from oa_cli.domain import item as rules
    from oa_cli.errors import UsageError
    from oa_cli.ledger import items as store
    from oa_cli.render import choose

    fmt = choose(fmt)
    ctx = STATE.context()
    statuses: tuple[str, ...] = rules.OPEN
    if all_:
        statuses = ()
    elif status:
        statuses = tuple(rules.require_choice(s, rules.STATUSES, "status") for s in status)
    if sort not in ("due", "id", "received"):
        raise UsageError(t("--sort takes due, id or received"))
    if priority is not None:
        rules.require_choice(priority, rules.PRIORITIES, "priority")
    if limit is not None and limit < 0:
        raise UsageError(t("--limit must be 0 or more"))
    query = store.Query(
        statuses=statuses,
        unit=_unit_filter(unit),
        leader=leader,
        priority=priority,
        tag=tag,
        overdue_before=ctx.today.isoformat() if overdue else None,
        due_until=(
            ctx.calendar.add(ctx.today, due_within).isoformat() if due_within is not None else None
        ),
        search=search,
        sort=sort,
        limit=limit,
    )
    if fmt == "table" and limit is None:
        query.limit = TERMINAL_LIMIT
    shown = _items_out(fmt, query)
    if fmt == "table" and query.limit is not None and shown == query.limit:
        total = store.count(ctx.conn, query)
        if total > shown:
            print(
                t("{n} more not shown; use --limit or a piped format", n=total - shown),
                file=sys.stderr,
            )


def _unit_filter(unit: str | None) -> str | None:
    if unit is None:
        return None
    from oa_cli.actions import units

    return units.resolve(STATE.context(), unit)


def show(
    item_id: Annotated[int, typer.Argument(help="Item id.", show_default=False)],
    fmt: Format = None,
) -> None:
    """One item with its whole timeline."""
    from oa_cli.ledger import items as store
    from oa_cli.ledger.journal import iter_events
    from oa_cli.render import choose

    fmt = choose(fmt)
    ctx = STATE.context()
    item = ctx.item_json(store.get(ctx.conn, item_id))
    timeline = list(iter_events(ctx.conn, item_id))
    if fmt == "table":
        from oa_cli.render.table import console, events_table, item_card

        out = console()
        out.print(item_card(item))
        out.print(events_table(timeline, t("Timeline")))
        return
    from oa_cli.domain.item import KEYS
    from oa_cli.render.plain import write_document, write_records

    if fmt in ("tsv", "csv"):
        write_records(sys.stdout, fmt, [item], KEYS)
    else:
        write_document(sys.stdout, fmt, {**item, "timeline": timeline})


def overdue(
    unit: Annotated[str | None, typer.Option(help="Only this lead unit.")] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 3 when any item is overdue.")
    ] = False,
    fmt: Format = None,
) -> None:
    """Open overdue items, most overdue first."""
    from oa_cli.errors import CheckFailed
    from oa_cli.ledger import items as store
    from oa_cli.render import choose

    fmt = choose(fmt)
    ctx = STATE.context()
    query = store.Query(unit=_unit_filter(unit), overdue_before=ctx.today.isoformat())
    # Sorted by due date, the oldest first: that is most overdue first, and it streams.
    found = _items_out(fmt, query, t("Overdue"))
    if check and found:
        raise CheckFailed(t("{n} overdue items", n=found))


def log(
    item_id: Annotated[
        int | None, typer.Argument(help="Only this item's events.", show_default=False)
    ] = None,
    since: Annotated[str | None, typer.Option(help="Only events from this date on.")] = None,
    fmt: Format = None,
) -> None:
    """Journal events, oldest first."""
    from oa_cli.ledger import items as store
    from oa_cli.ledger.journal import EVENT_KEYS, iter_events
    from oa_cli.render import choose

    fmt = choose(fmt)
    ctx = STATE.context()
    start = None
    if since is not None:
        from oa_cli.domain.dates import iso, parse_datetime

        start = iso(parse_datetime(since, now=ctx.now, calendar=ctx.calendar))
    if item_id is not None:
        store.get(ctx.conn, item_id)
    events = iter_events(ctx.conn, item_id, start)
    if fmt == "table":
        from oa_cli.render.table import console, events_table

        console().print(events_table(events))
    else:
        from oa_cli.render.plain import write_records

        write_records(sys.stdout, fmt, events, EVENT_KEYS)


def verify() -> None:
    """Check the database, the journal's hash chain, and that replay gives every item."""
    from oa_cli.actions.verify import verify as run
    from oa_cli.errors import IntegrityError

    ctx = STATE.context()
    problems = run(ctx.conn)
    if problems:
        raise IntegrityError(problems[0], *problems[1:])
    events = ctx.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    items = ctx.conn.execute("SELECT count(*) FROM items").fetchone()[0]
    print(
        t(
            "ledger verified: {items} items, {events} events, chain intact",
            items=items,
            events=events,
        )
    )


def workday(
    date: Annotated[
        str | None, typer.Argument(help="Date (default: today).", show_default=False)
    ] = None,
) -> None:
    """Say whether DATE is a working day: exit 0 if it is, 1 if not."""
    from oa_cli.domain.dates import parse_due

    calendar = STATE.calendar()
    today = STATE.clock().date()
    day = today if date is None else parse_due(date, base=today, today=today, calendar=calendar)
    working = calendar.is_workday(day)
    print(
        t("{date} is a working day", date=_day(day))
        if working
        else t("{date} is not a working day", date=_day(day))
    )
    if not working:
        raise typer.Exit(1)


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
