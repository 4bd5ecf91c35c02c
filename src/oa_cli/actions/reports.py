"""Read-side use cases: the reports, each built from the selections of domain.rules,
read from the ledger as it stands or, for a past day, as the journal had it."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import chain, islice
from json.encoder import encode_basestring as _quote
from typing import Any, BinaryIO

from oa_cli.actions import Context
from oa_cli.actions.units import order as unit_order
from oa_cli.domain import stats as domain_stats
from oa_cli.domain.fields import as_item
from oa_cli.domain.item import KEYS, Item, to_json
from oa_cli.domain.rules import Bounds, received
from oa_cli.domain.selection import EVERY, Selection
from oa_cli.ledger.rows import FEEDBACKS
from oa_cli.ledger.scan import Made, Scanned
from oa_cli.ledger.store import MAX_IN, Ledger


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
        until = _until(ctx, source, day)
        return (_filled(ctx, batch, until) for batch in source.printed_rows(sel, day, ctx.calendar))
    return [to_json(i, day, ctx.calendar) for i in source.select(sel)]


def _until(ctx: Context, source: Ledger, day: dt.date) -> str | None:
    """Where the reports of a past day's items end (the day after it), as the journal
    replayed for `source` ends; None for the ledger as it is."""
    return None if source is ctx.ledger else (day + dt.timedelta(days=1)).isoformat()


def _filled(ctx: Context, batch: list[tuple[Any, ...]], until: str | None) -> list[tuple[Any, ...]]:
    """Printed rows with the latest report text (办理情况) of each item that has one:
    looked up for the rows with a counted report, or, for a past day's items (`until`),
    for all, as they stood then."""
    ids = [row[0] for row in batch if until is not None or row[FEEDBACKS]]
    texts = progress(ctx, ids, until)
    if not texts:
        return batch
    return [(*row[:-1], texts[row[0]]) if row[0] in texts else row for row in batch]


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
    counted = {name: len(items) for name, items in sections.items()} if listed else {}
    summary = _summary(source, selections, counted)
    return {
        "date": day.isoformat(),
        "summary": summary,
        "sections": sections,
        "anchor": anchor(ctx),
    }


def _summary(
    source: Ledger,
    selections: dict[str, Selection],
    counted: Mapping[str, int],
    open_items: int | None = None,
) -> dict[str, int]:
    """The daily's summary: each section's count (`counted` where already known, as
    from its listed rows or a scan) and the open items."""
    found = {
        name: counted[name] if name in counted else source.count(sel)
        for name, sel in selections.items()
    }
    found["open"] = source.count(Selection()) if open_items is None else open_items
    return found


@contextlib.contextmanager
def daily_spooled(
    ctx: Context, day: dt.date, made: Made, numbered: bytes
) -> Iterator[dict[str, Any]]:
    """The daily as `daily(form="printed")` gives it, its open sections made in one pass
    over the open items: each item's printed row (the latest report text filled) made
    once by `made` and spooled per section, after `numbered % n` (n its place there).
    `report["spooled"]` names those sections; each holds its rows' bytes, in chunks
    (the others: printed rows)."""
    source = as_of(ctx, day)
    selections = Bounds.of(ctx.config, ctx.calendar, day).daily()
    until = _until(ctx, source, day)

    def filled(batch: list[tuple[Any, ...]]) -> list[bytes]:
        return made(_filled(ctx, batch, until))

    with source.scan_printed(selections, day, ctx.calendar, filled, numbered) as scanned:
        sections = {
            name: scanned.parts(name)
            if name in scanned.counts
            else _items(source, sel, day, ctx, "printed")
            for name, sel in selections.items()
        }
        summary = _summary(source, selections, scanned.counts, scanned.open)
        yield {
            "date": day.isoformat(),
            "summary": summary,
            "sections": sections,
            "anchor": anchor(ctx),
            "spooled": list(scanned.counts),
        }


def daily_facts(ctx: Context, day: dt.date) -> dict[str, Any]:
    """What the people's daily says beyond the JSON: the day, new items, cards."""
    source = as_of(ctx, day)
    overdue = Bounds.of(ctx.config, ctx.calendar, day).daily()["overdue"]
    tomorrow = (day + dt.timedelta(days=1)).isoformat()
    return {
        "workday": ctx.calendar.is_workday(day),
        "received_today": source.count(received(day.isoformat(), tomorrow)),
        "yellow": source.count(overdue.but(card="yellow")),
        "red": source.count(overdue.but(card="red")),
    }


def needs_attention(ctx: Context, day: dt.date) -> bool:
    """`daily --check`: anything overdue, or registered before the day and unassigned."""
    source = as_of(ctx, day)
    bounds = Bounds.of(ctx.config, ctx.calendar, day)
    return source.count(bounds.daily()["overdue"]) > 0 or source.count(bounds.late_assignment()) > 0


def daily_json(ctx: Context, day: dt.date, out: BinaryIO) -> None:
    """Write `oa daily --format json` as UTF-8: the open sections made in one pass over
    the open items (the same selections `daily` reads), the others streamed on their own."""
    source = as_of(ctx, day)
    selections = Bounds.of(ctx.config, ctx.calendar, day).daily()
    with source.scan_json(selections, day, ctx.calendar) as scanned:
        summary = _summary(source, selections, scanned.counts, scanned.open)
        head = {"date": day.isoformat(), "summary": summary}
        out.write(json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1].encode())
        _write_sections(out, source, selections, day, ctx, scanned)
    tail = json.dumps(anchor(ctx), separators=(",", ":"))
    out.write(b',"anchor":' + tail.encode() + b"}\n")


def _write_sections(
    out: BinaryIO,
    source: Ledger,
    selections: dict[str, Selection],
    day: dt.date,
    ctx: Context,
    scanned: Scanned,
) -> None:
    """`,"sections":{…}` of a report: what one pass found, the other sections read."""
    out.write(b',"sections":{')
    for index, name in enumerate(selections):
        out.write(f'{"," if index else ""}"{name}":['.encode())
        if name in scanned.counts:
            for part in scanned.parts(name):
                out.write(part)
        else:
            first = True
            for batch in source.select_json(selections[name], day, ctx.calendar):
                out.write((b"" if first else b",") + b",".join(batch))
                first = False
        out.write(b"]")
    out.write(b"}")


def progress(
    ctx: Context, report: dict[str, Any] | list[int], until: str | None = None
) -> dict[int, str]:
    """The latest report text (办理情况) of every item a report lists (in its sections
    held as lists), or of the items of these ids; with `until`, as it stood then."""
    if isinstance(report, list):
        return ctx.ledger.latest_reports(report, until=until) if report else {}
    listed = (items for items in report["sections"].values() if isinstance(items, list))
    ids = {i["id"] for items in listed for i in items}
    return ctx.ledger.latest_reports(sorted(ids), until=until)


def report_until(ctx: Context, day: dt.date) -> str | None:
    """Where the reports of a report standing on `day` end (`progress`): None when it
    reads the ledger as it is."""
    return _until(ctx, as_of(ctx, day), day)


def stats(ctx: Context, by: str, start: dt.date | None, end: dt.date | None) -> dict[str, Any]:
    sel = EVERY
    if start is not None:
        sel = sel.but(received_from=start.isoformat())
    if end is not None:
        sel = sel.but(received_before=(end + dt.timedelta(days=1)).isoformat())
    actions = ("escalate", "extend", "correct", "reopen", "close", "feedback", "return")
    # items and their journal steps both in id order: one item's history held at a time
    found = domain_stats.by_item(ctx.ledger.steps_by_item((*actions, "import", "add")), start, end)
    items = ctx.ledger.select(sel.but(sort="id"))
    report = domain_stats.stats(items, found, by, ctx.calendar, ctx.today, ctx.config)
    report["anchor"] = anchor(ctx)
    return report


@dataclass(frozen=True)
class _Week:
    """What every part of one weekly update reads: the week, the ledger as it stood on
    its last day (or today) and the sections' selections."""

    name: str
    first: str  # Monday
    last: str  # Sunday
    after: str  # the Monday after
    day: dt.date  # the day the report stands on
    source: Ledger
    selections: dict[str, Selection]


def _week(ctx: Context, day: dt.date) -> _Week:
    name, monday, sunday = domain_stats.iso_week(day)
    as_day = min(sunday, ctx.today)
    first, after = monday.isoformat(), (sunday + dt.timedelta(days=1)).isoformat()
    selections = {
        "registered": received(first, after),
        "closed": Selection(statuses=("closed",), closed_from=first, closed_before=after),
        "overdue": Bounds.of(ctx.config, ctx.calendar, as_day).daily()["overdue"],
        "no_feedback": Selection(
            statuses=("assigned",), assigned_before=first, no_report_since=first
        ),
    }
    return _Week(name, first, sunday.isoformat(), after, as_day, as_of(ctx, as_day), selections)


def _weekly_head(
    ctx: Context, week: _Week, known: Mapping[str, dict[str | None, int]] | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The week, its bounds and its summary (each section's count, closed on time), and
    the rows per unit; counts per unit `known` already (from a scan) are not read again."""
    known = known or {}
    wanted = {**week.selections, "open": Selection()}
    read = week.source.counts_by_units({n: s for n, s in wanted.items() if n not in known})
    counts = {name: known[name] if name in known else read[name] for name in wanted}
    open_units = counts.pop("open")
    summary: dict[str, int] = {name: sum(n.values()) for name, n in counts.items()}
    summary["closed_on_time"] = _closed_on_time(ctx, week)
    head = {"week": week.name, "from": week.first, "to": week.last, "summary": summary}
    return head, domain_stats.unit_rows(counts, open_units, unit_order(ctx))


def _closed_on_time(ctx: Context, week: _Week) -> int:
    """How many of the week's closed items were closed on time, read a batch at a time."""
    found = 0
    actions = ("add", "import", "extend", "correct", "reopen", "close")
    closed = week.source.select(week.selections["closed"])
    while batch := list(islice(closed, MAX_IN)):
        steps = domain_stats.histories(ctx.ledger.history(actions, [i["id"] for i in batch]))
        none = domain_stats.History()
        found += sum(domain_stats.is_on_time(i, steps.get(i["id"], none)) for i in batch)
    return found


def _moved(ctx: Context, week: _Week) -> Iterator[dict[str, Any]]:
    """The week's moved entries in id order (events as the journal stored them), titled
    as the ledger the report reads has the items."""
    same = week.source is ctx.ledger
    batches = ctx.ledger.moves(week.first, week.after, domain_stats.WEEKLY_ACTIONS, titled=same)
    if same:
        return domain_stats.moved(row for batch in batches for row in batch)

    def titled() -> Iterator[Any]:
        for batch in batches:
            titles = week.source.titles({row[0] for row in batch})
            for row in batch:
                yield (*row[:5], *titles.get(row[0], (None, None)))

    return domain_stats.moved(titled())


class Moved:
    """The week's moved entries, read from the journal as they are gone through (a
    screen counts them all and draws a few); a second pass reads them again. With
    `drawn`, only the entries holding the first `drawn` events are decoded: the others
    keep their events as the journal stored them, to be counted, not drawn."""

    def __init__(self, ctx: Context, week: _Week, drawn: int | None = None) -> None:
        self.ctx, self.week, self.drawn = ctx, week, drawn
        self.started: Iterator[dict[str, Any]] | None = None  # by __bool__, not yet read

    def __iter__(self) -> Iterator[dict[str, Any]]:
        found, self.started = self.started or _moved(self.ctx, self.week), None
        if self.drawn is None:
            return (domain_stats.decoded(e) for e in found)
        return self._decoded_first(found, self.drawn)

    @staticmethod
    def _decoded_first(found: Iterator[dict[str, Any]], drawn: int) -> Iterator[dict[str, Any]]:
        seen = 0
        for entry in found:
            yield domain_stats.decoded(entry) if seen < drawn else entry
            seen += len(entry["events"])

    def __bool__(self) -> bool:
        first = next(found := _moved(self.ctx, self.week), None)
        self.started = None if first is None else chain([first], found)
        return first is not None


def _loaded(week: _Week, sel: Selection, ctx: Context) -> list[Item]:
    """A section's item objects, from the values tsv writes (the same as to_json's)."""
    values = week.source.select_values(sel, week.day, ctx.calendar)
    return [as_item(dict(zip(KEYS, v, strict=True))) for v in values]


def weekly(ctx: Context, day: dt.date, limit: int | None = None) -> dict[str, Any]:
    """The weekly update; with `limit` (a screen), each section cut to that many rows
    (the summary still counts them all) and `moved` an iterable read as it is drawn."""
    week = _week(ctx, day)
    sections = {
        name: _loaded(week, sel.but(limit=limit), ctx) for name, sel in week.selections.items()
    }
    moved: Any = Moved(ctx, week, limit)
    if limit is None:
        moved = list(moved)
    head, units = _weekly_head(ctx, week)
    return {**head, "sections": sections, "moved": moved, "units": units, "anchor": anchor(ctx)}


def weekly_json(ctx: Context, day: dt.date, out: BinaryIO) -> None:
    """Write `oa weekly --format json` (the bytes of `weekly` as compact JSON) as UTF-8,
    each section and the moved entries streamed."""
    week = _week(ctx, day)
    with week.source.scan_json(week.selections, week.day, ctx.calendar, by_unit=True) as scanned:
        head, units = _weekly_head(ctx, week, scanned.by_unit())
        out.write(_dumps(head)[:-1].encode())
        _write_sections(out, week.source, week.selections, week.day, ctx, scanned)
    out.write(b',"moved":[')
    quoted, entries, first = _Quoted(), _moved(ctx, week), True
    while batch := list(islice(entries, 512)):
        out.write((b"" if first else b",") + b",".join([_entry_json(e, quoted) for e in batch]))
        first = False
    tail = f'],"units":{_dumps(units)},"anchor":{_dumps(anchor(ctx))}}}\n'
    out.write(tail.encode())


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Quoted(dict[Any, str]):
    """JSON strings of the few values a report repeats (actions, actors, units), made once."""

    def __missing__(self, value: Any) -> str:
        found = self[value] = "null" if value is None else _quote(value)
        return found


def _entry_json(entry: dict[str, Any], quoted: _Quoted) -> bytes:
    """A moved entry as compact JSON; each event's data is the journal's canonical text,
    which is the compact JSON of its decoded value (sorted keys stay sorted)."""
    events = ",".join(
        [
            f'{{"at":{_quote(at)},"action":{quoted[action]},"actor":{quoted[actor]},"data":{data}}}'
            for at, action, actor, data in entry["events"]
        ]
    )
    head = f'{{"id":{entry["id"]},"title":{_quote(entry["title"])},"unit":{quoted[entry["unit"]]}'
    return f'{head},"events":[{events}]}}'.encode()


def weekly_records(ctx: Context, day: dt.date) -> Iterator[list[bytes]]:
    """`oa weekly --format jsonl`'s records (what section_rows gives, as UTF-8 JSON), in
    batches."""
    week = _week(ctx, day)
    for name, sel in week.selections.items():
        head = f'{{"section":{_quote(name)},'.encode()
        for batch in week.source.select_json(sel, week.day, ctx.calendar):
            yield [head + doc[1:] for doc in batch]


def weekly_values(ctx: Context, day: dt.date) -> Iterator[list[Any]]:
    """`oa weekly --format tsv/csv`'s rows: the section, then the item's values in KEYS
    order (what section_rows gives)."""
    week = _week(ctx, day)
    for name, sel in week.selections.items():
        for values in week.source.select_values(sel, week.day, ctx.calendar):
            yield [name, *values]


def section_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Row formats of a sectioned report: one item a row, its section first."""
    for name, items in report["sections"].items():
        for item in items:
            yield {"section": name, **item}
