"""Read-side use cases: the reports, each built from the selections of domain.rules,
read from the ledger as it stands or, for a past day, as the journal had it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from oa_cli.actions import Context
from oa_cli.domain import stats as domain_stats
from oa_cli.domain.item import Item, to_json
from oa_cli.domain.rules import Bounds
from oa_cli.domain.selection import EVERY, Selection
from oa_cli.ledger.store import Ledger


def anchor(ctx: Context) -> dict[str, Any]:
    seq, digest = ctx.ledger.head()
    return {"seq": seq, "hash": digest}


def as_of(ctx: Context, day: dt.date) -> Ledger:
    """The ledger as it stood at the end of `day`: itself when nothing happened later,
    else the journal replayed up to that day."""
    last = ctx.ledger.last_event_day()
    if last is None or last <= day.isoformat():
        return ctx.ledger
    if day not in ctx.snapshots:  # one replay per day, however many parts a report has
        ctx.snapshots[day] = ctx.ledger.snapshot((day + dt.timedelta(days=1)).isoformat())
    found: Ledger = ctx.snapshots[day]
    return found


def _items(source: Ledger, sel: Selection, day: dt.date, ctx: Context, form: str = "items") -> Any:
    """The items of `sel` for the report date `day`: a list of SPEC objects ("items"), or
    read as they are used, never all held: their values in KEYS order ("values"), their
    objects as JSON bytes in batches ("json"), or printed rows in batches ("printed",
    `ledger.rows.PRINTED` and the latest report text)."""
    if form == "values":
        return source.select_values(sel, day, ctx.calendar)
    if form == "json":
        return source.select_json(sel, day, ctx.calendar)
    if form == "printed":
        from oa_cli.ledger.rows import FEEDBACKS

        every = source is not ctx.ledger  # a past day's items may have reports filed since
        return (
            [(*row[:-1], texts[row[0]]) if row[0] in texts else row for row in batch]
            if texts
            else batch
            for batch in source.printed_rows(sel, day, ctx.calendar)
            for texts in (progress(ctx, [row[0] for row in batch if every or row[FEEDBACKS]]),)
        )
    return [to_json(i, day, ctx.calendar) for i in source.select(sel)]


def daily(
    ctx: Context, day: dt.date, limit: int | None = None, form: str = "items"
) -> dict[str, Any]:
    """The daily dispatch table; with `limit`, each section cut to that many rows (the
    summary still counts them all). `form`: how each section holds its items (`_items`)."""
    source = as_of(ctx, day)
    bounds = Bounds.of(ctx.config, ctx.calendar, day)
    selections = bounds.daily()
    sections = {
        name: _items(source, sel.but(limit=limit), day, ctx, form)
        for name, sel in selections.items()
    }
    listed = limit is None and form == "items"
    summary = _summary(source, selections, sections if listed else None)
    return {
        "date": day.isoformat(),
        "summary": summary,
        "sections": sections,
        "anchor": anchor(ctx),
    }


def _summary(
    source: Ledger, selections: dict[str, Selection], listed: dict[str, list[Item]] | None = None
) -> dict[str, int]:
    """The daily's summary: each section's count (from its rows when all are listed) and
    the open items."""
    found = {
        name: len(listed[name]) if listed is not None else source.count(sel)
        for name, sel in selections.items()
    }
    found["open"] = source.count(Selection())
    return found


def daily_facts(ctx: Context, day: dt.date) -> dict[str, Any]:
    """What the people's daily says beyond the JSON: the day, new items, cards."""
    source = as_of(ctx, day)
    overdue = Bounds.of(ctx.config, ctx.calendar, day).daily()["overdue"]
    tomorrow = (day + dt.timedelta(days=1)).isoformat()
    return {
        "workday": ctx.calendar.is_workday(day),
        "received_today": source.count(
            Selection(statuses=(), received_from=day.isoformat(), received_before=tomorrow)
        ),
        "yellow": source.count(overdue.but(card="yellow")),
        "red": source.count(overdue.but(card="red")),
    }


def needs_attention(ctx: Context, day: dt.date) -> bool:
    """`daily --check`: anything overdue, or registered before the day and unassigned."""
    source = as_of(ctx, day)
    bounds = Bounds.of(ctx.config, ctx.calendar, day)
    return source.count(bounds.daily()["overdue"]) > 0 or source.count(bounds.late_assignment()) > 0


def daily_json(ctx: Context, day: dt.date, out: BinaryIO) -> None:
    """Write `oa daily --format json` as UTF-8, each section streamed from the stored item
    objects of the same selections `daily` reads."""
    source = as_of(ctx, day)
    selections = Bounds.of(ctx.config, ctx.calendar, day).daily()
    head = {"date": day.isoformat(), "summary": _summary(source, selections)}
    out.write(json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1].encode())
    out.write(b',"sections":{')
    for index, name in enumerate(selections):
        out.write(f'{"," if index else ""}"{name}":['.encode())
        first = True
        for batch in source.select_json(selections[name], day, ctx.calendar):
            out.write((b"" if first else b",") + b",".join(batch))
            first = False
        out.write(b"]")
    tail = json.dumps(anchor(ctx), separators=(",", ":"))
    out.write(b'},"anchor":' + tail.encode() + b"}\n")


def progress(ctx: Context, report: dict[str, Any] | list[int]) -> dict[int, str]:
    """The latest report text (办理情况) of every item a report lists (in its sections
    held as lists), or of the items of these ids."""
    if isinstance(report, list):
        return ctx.ledger.latest_reports(report) if report else {}
    listed = (items for items in report["sections"].values() if isinstance(items, list))
    ids = {i["id"] for items in listed for i in items}
    return ctx.ledger.latest_reports(sorted(ids))


def stats(ctx: Context, by: str, start: dt.date | None, end: dt.date | None) -> dict[str, Any]:
    sel = EVERY
    if start is not None:
        sel = sel.but(received_from=start.isoformat())
    if end is not None:
        sel = sel.but(received_before=(end + dt.timedelta(days=1)).isoformat())
    actions = ("escalate", "extend", "correct", "reopen", "close", "feedback", "return")
    found = domain_stats.histories(ctx.ledger.history((*actions, "import", "add")), start, end)
    items = ctx.ledger.select(sel)
    report = domain_stats.stats(items, found, by, ctx.calendar, ctx.today, ctx.config)
    report["anchor"] = anchor(ctx)
    return report


def weekly(ctx: Context, day: dt.date, limit: int | None = None) -> dict[str, Any]:
    """The weekly update; with `limit`, each section cut to that many rows (the summary
    still counts them all)."""
    week, monday, sunday = domain_stats.iso_week(day)
    as_day = min(sunday, ctx.today)
    source = as_of(ctx, as_day)
    first, after = monday.isoformat(), (sunday + dt.timedelta(days=1)).isoformat()
    selections = {
        "registered": Selection(  # a cancelled duplicate was not really registered
            statuses=("registered", "assigned", "closed"),
            received_from=first,
            received_before=after,
        ),
        "closed": Selection(statuses=("closed",), closed_from=first, closed_before=after),
        "overdue": Bounds.of(ctx.config, ctx.calendar, as_day).daily()["overdue"],
        "no_feedback": Selection(
            statuses=("assigned",), assigned_before=first, no_report_since=first
        ),
    }
    sections = {
        name: _items(source, sel.but(limit=limit), as_day, ctx) for name, sel in selections.items()
    }
    summary = {name: source.count(sel) for name, sel in selections.items()}
    closed = list(source.select(selections["closed"]))
    found = domain_stats.histories(
        ctx.ledger.history(
            ("add", "import", "extend", "correct", "reopen", "close"), [i["id"] for i in closed]
        )
    )
    summary["closed_on_time"] = sum(
        domain_stats.is_on_time(i, found.get(i["id"], domain_stats.History())) for i in closed
    )
    events = list(ctx.ledger.events(since=first, until=after, actions=domain_stats.WEEKLY_ACTIONS))
    ids = tuple(sorted({e["item_id"] for e in events if e["item_id"] is not None}))
    titles = {i["id"]: i for i in source.select(Selection(statuses=(), ids=ids))}
    return {
        "week": week,
        "from": first,
        "to": sunday.isoformat(),
        "summary": summary,
        "sections": sections,
        "moved": domain_stats.moved(events, titles),
        "units": domain_stats.unit_rows(
            {name: source.counts_by_unit(sel) for name, sel in selections.items()},
            source.counts_by_unit(Selection()),
        ),
        "anchor": anchor(ctx),
    }


def section_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Row formats of a sectioned report: one item a row, its section first."""
    for name, items in report["sections"].items():
        for item in items:
            yield {"section": name, **item}
