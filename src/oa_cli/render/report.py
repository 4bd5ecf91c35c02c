"""Reports for people: daily, weekly and stats as one `Document` each, drawn as Rich
renderables for a terminal, markdown, or an A4 HTML page for mail and print.

A Document holds blocks of `Cell` rows under `Column`s. A column's kind decides how it
wraps (ids, dates and short words never do) and its share of the printed width, so all
item tables of a page share one colgroup and print at one width."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from oa_cli.domain.dates import minute
from oa_cli.i18n import N_, get_lang, t

NOWRAP = {"seq", "id", "date", "short", "num", "rate"}
CENTRED = {"seq", "id", "short", "num", "rate"}  # a column's cells, printed (text: left)


def clean(value: Any) -> str:
    """User text fit for a table: C0/C1 controls as \\xNN, bidi overrides as \\uNNNN
    (`render.table.safe`; text and None without loading Rich, for a page)."""
    if isinstance(value, str):
        from oa_cli.render.plain import printable

        return printable(value)
    if value is None:
        return ""
    from oa_cli.render.table import safe

    return safe(value)


@dataclass
class Meta:
    """What a printed document says besides the report: who, when, and the ledger's anchor."""

    office: str = ""
    office_short: str = ""
    made_at: str = ""
    actor: str = ""
    anchor: dict[str, Any] | None = None
    progress: dict[int, str] = field(default_factory=dict)  # item id → latest report text
    max_rows: int = 100  # terminal rows per section
    date: str | None = None  # notice: the report date
    reply_by: str | None = None  # notice: the unit replies by this date


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # seq | id | title | name | text | date | short | num | rate
    width: float  # percent of the printed width
    terminal: bool = True  # drawn in a terminal too


@dataclass(frozen=True, slots=True)  # a report at 100k items holds millions
class Cell:
    text: str = ""
    style: str = ""  # red | card-yellow | card-red | good | fair | poor
    rate: float | None = None  # drawn as a bar in html


@dataclass
class Block:
    title: str
    columns: list[Column]
    rows: list[list[Cell]] | ItemRows
    total: int | None = None  # the full count, when a terminal gets fewer rows
    more: str = ""  # the command that lists them all


@dataclass
class Document:
    title: str
    date_line: str
    summary: list[str]
    blocks: list[Block]
    meta: Meta
    notes: list[str] = field(default_factory=list)


# -- words shared by every document -----------------------------------------


def long_date(day: str | dt.date) -> str:
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return f"{day.year}年{day.month}月{day.day}日" if get_lang() == "zh" else day.isoformat()


def date_line(day: dt.date, workday: bool | None = None) -> str:
    text = f"{long_date(day)} {t(day.strftime('%A'))}"
    if workday is None:
        return text
    return text + t(" ({kind})", kind=t("working day") if workday else t("day off"))


def anchor_text(anchor: dict[str, Any] | None) -> str:
    return f"{anchor['seq']}:{anchor['hash'][:12]}" if anchor else "—"


def page_of() -> tuple[str, str, str]:
    """The words around the page number and the page count (`page {n} of {total}`:
    "page ", " of ", ""), for a printed page's foot to put the two between."""
    before, _, rest = t("page {n} of {total}").partition("{n}")
    middle, _, after = rest.partition("{total}")
    return before, middle, after


def footer_text(meta: Meta) -> str:
    made = meta.made_at[:16].replace("T", " ")
    return t(
        "made {time} by {actor} · ledger check code {anchor}",
        time=made,
        actor=meta.actor,
        anchor=anchor_text(meta.anchor),
    )


def owed_text(report_due: str | None, report_late: Any, feedback_count: Any, date: str) -> str:
    """The report a unit owes (首报 or 续报) and since when, or ''."""
    if not report_due or not (report_late or report_due < date):
        return ""
    kind = t("first") if not feedback_count else t("follow_up")
    return t("{kind} report missing since {date}", kind=kind, date=report_due)


def owed(item: dict[str, Any], date: str) -> str:
    return owed_text(
        item.get("report_due"), item.get("report_overdue_days"), item.get("feedback_count"), date
    )


def late_words(days: int) -> str:
    """How late, in words: overdue by so many working days, or past due (the deadline
    passed on a rest day, no working day since)."""
    return t("overdue {n} working days", n=days) if days else t("past due")


def standing_cell(overdue: Any, overdue_days: Any, missing: str, unacked: Any = False) -> Cell:
    """Overdue by how many working days (`late_words`), the assignment not yet
    acknowledged (签收), and the report owed."""
    lines = [late_words(overdue_days)] if overdue else []
    late = bool(lines or missing)
    if unacked:
        lines.append(t("not acknowledged"))
    if missing:
        lines.append(missing)
    return Cell("\n".join(lines), "red" if late else "")


def closing(item: dict[str, Any]) -> tuple[str, str, str | None] | None:
    """(closed_at, close_basis, close_ref) of a closed item (`ledger.rows.PRINTED`)."""
    if item.get("status") != "closed" or not item.get("close_basis"):
        return None
    return item["closed_at"], item["close_basis"], item.get("close_ref")


def closing_text(closed_at: str | None, basis: str, ref: str | None) -> str:
    """What a closed item's 办理情况 says on a printed row: when and on what basis it was
    closed (销账有依有据), not its last report."""
    day = minute(closed_at or "")[:10]
    text = t("closed {day}: {basis}", day=day, basis=basis)
    return text + t(" ({ref})", ref=ref) if ref else text


def progress_text(line: Line) -> str:
    """A printed row's 办理情况: how a closed item was closed, else its latest report."""
    found = line[CLOSING]
    return closing_text(*found) if found else str(line[PROGRESS] or "")


def unacked(item: dict[str, Any]) -> bool:
    """`ledger.rows.UNACKED` of an item dict: assigned, the assignment not yet 签收."""
    return item.get("status") == "assigned" and not item.get("acked_at")


def standing(item: dict[str, Any], date: str) -> Cell:
    return standing_cell(
        item.get("overdue"), item.get("overdue_days"), owed(item, date), unacked(item)
    )


def card_cell(card: str | None) -> Cell:
    return Cell(t(card), f"card-{card}") if card else Cell()  # the column says "card"


def progress_of(meta: Meta, item_id: int) -> str:
    return meta.progress.get(item_id) or meta.progress.get(str(item_id)) or ""  # type: ignore[call-overload]


def item_columns() -> list[Column]:
    return [
        Column(t("No."), "seq", 4, terminal=False),
        Column(t("ID"), "id", 5),
        Column(t("Title"), "title", 21),
        Column(t("Unit"), "name", 11),
        Column(t("Leader"), "name", 7),
        Column(t("Due"), "date", 8.5),
        Column(t("Progress"), "text", 19.5, terminal=False),
        Column(t("Owner"), "name", 6.5, terminal=False),
        Column(t("Overdue / owed"), "text", 12.5),  # 逾期 132 个工作日 on one line
        Column(t("Card"), "short", 5),
    ]


# A printed item row's values (`ledger.rows.PRINTED`, then the latest report text):
# id, title, unit, leader, owner, card, due, overdue, overdue_days, report_due,
# report_late, feedback_count, unacked, closing (or None), progress. Items of a report
# read as dicts give the same (`line_of`).
Line = tuple[Any, ...]
TITLE, UNIT, LEADER, OWNER, CARD, DUE = range(1, 7)
OVERDUE, CLOSING, PROGRESS = 7, 13, 14
STANDING = slice(7, 13)  # what the standing cell says: overdue, overdue_days, report_due,
# report_late (report_overdue_days > 0), feedback_count, unacked


def line_of(item: dict[str, Any], meta: Meta) -> Line:
    return (
        item["id"],
        item["title"],
        item["unit"],
        item["leader"],
        item["owner"],
        item["card"],
        item["due"],
        item.get("overdue"),
        item.get("overdue_days"),
        item.get("report_due"),
        item.get("report_overdue_days"),
        item.get("feedback_count"),
        unacked(item),
        closing(item),
        progress_of(meta, item["id"]),
    )


def standing_of(values: tuple[Any, ...], date: str) -> Cell:
    """The standing cell of a line's `STANDING` values."""
    overdue, days, report_due, report_late, feedbacks, not_acked = values
    return standing_cell(
        overdue, days, owed_text(report_due, report_late, feedbacks, date), not_acked
    )


def line_cells(n: int, line: Line, date: str) -> list[Cell]:
    return [
        Cell(str(n)),
        Cell(str(line[0])),
        Cell(line[TITLE]),
        Cell(line[UNIT] or ""),
        Cell(line[LEADER] or ""),
        Cell(line[DUE], "red" if line[OVERDUE] else ""),
        Cell(progress_text(line)),
        Cell(line[OWNER] or ""),
        standing_of(line[STANDING], date),
        card_cell(line[CARD]),
    ]


def item_row(n: int, item: dict[str, Any], meta: Meta, date: str) -> list[Cell]:
    return line_cells(n, line_of(item, meta), date)


@dataclass
class ItemRows:
    """An item table's rows as they are read, never all held: batches of `Line`s. Drawn
    once; html and markdown format the lines themselves, the rest iterate Cells."""

    batches: Iterable[list[Line]]
    date: str

    def lines(self) -> Iterator[Line]:
        for batch in self.batches:
            yield from batch

    def __iter__(self) -> Iterator[list[Cell]]:
        for n, line in enumerate(self.lines(), 1):
            yield line_cells(n, line, self.date)


def item_block(title: str, items: list[dict[str, Any]], total: int, meta: Meta, date: str) -> Block:
    rows = [item_row(n, item, meta, date) for n, item in enumerate(items, 1)]
    return Block(f"{title} {total}", item_columns(), rows, total)


# -- daily -------------------------------------------------------------------

DAILY_SECTIONS = {
    "to_assign": N_("To assign"),
    "unacknowledged": N_("Not acknowledged"),
    "due_soon": N_("Due soon"),
    "overdue": N_("Overdue"),
    "awaiting_feedback": N_("Awaiting feedback"),
    "closed_today": N_("Closed today"),
}


def _daily_more(name: str, date: str) -> str:
    commands = {"to_assign": "oa list --status registered", "overdue": "oa overdue"}
    return commands.get(name, f"oa daily --date {date} --format tsv")


def daily_document(report: dict[str, Any], facts: dict[str, Any], meta: Meta) -> Document:
    """`facts`: {"workday": bool, "received_today": n, "yellow": n, "red": n}."""
    date, summary = report["date"], report["summary"]
    parts = [
        t("open {n}", n=summary["open"]),
        t("received today {n}", n=facts.get("received_today", 0)),
    ]
    blocks = []
    for name, title in DAILY_SECTIONS.items():
        words = f"{t(title)} {summary.get(name, 0)}"
        if name == "overdue":
            words += t(" (red {red} · yellow {yellow})", red=facts["red"], yellow=facts["yellow"])
        parts.append(words)
        items = report["sections"].get(name, [])
        listed = isinstance(items, list)  # item objects, else printed rows as they are read
        if (listed and items) or summary.get(name):
            total = summary.get(name, len(items)) if listed else summary[name]
            rows = (
                items
                if isinstance(items, ItemRows)
                else ItemRows([[line_of(i, meta) for i in items]] if listed else items, date)
            )
            more = _daily_more(name, date)
            blocks.append(Block(f"{t(title)} {total}", item_columns(), rows, total, more))
    line = date_line(dt.date.fromisoformat(date), facts.get("workday"))
    return Document(t("Daily dispatch table"), line, parts, blocks, meta)


# -- weekly ------------------------------------------------------------------

WEEKLY_SECTIONS = {
    "registered": N_("Registered this week"),
    "closed": N_("Closed this week"),
    "overdue": N_("Overdue"),
    "no_feedback": N_("No update this week (assigned before it)"),
}
EVENT_LABELS = {
    "extend": N_("Extension"),
    "correct": N_("Correction"),
    "return": N_("Returned"),
    "reopen": N_("Reopened"),
}


def _reason(data: dict[str, Any]) -> str:
    return t(": {reason}", reason=data["reason"]) if data.get("reason") else ""


def describe_event(action: str, data: dict[str, Any]) -> tuple[str, str]:
    """(kind, what happened) of one event in the weekly's list of moves."""
    if action == "feedback":
        return t(data.get("kind") or "feedback"), data.get("text") or ""
    if action == "escalate":
        rule = t(data["rule"]) if data.get("rule") else ""
        return t(f"{data.get('card')} card"), rule or data.get("reason") or ""
    if action == "correct" and data.get("previous_unit"):  # a unit entered wrongly
        return t("Unit corrected"), f"{data['previous_unit']} → {data.get('unit')}" + _reason(data)
    if action in ("extend", "correct"):
        return t(EVENT_LABELS[action]), f"{data.get('previous_due')} → {data.get('due')}" + _reason(
            data
        )
    if action == "assign" and data.get("previous_unit"):
        return t("transfer"), f"{data['previous_unit']} → {data.get('unit') or ''}"
    if action == "reopen":
        due = t("due {date}", date=data["due"]) if data.get("due") else ""
        return t(EVENT_LABELS[action]), due + _reason(data)
    if action in EVENT_LABELS:
        return t(EVENT_LABELS[action]), (data.get("reason") or "")
    from oa_cli.render.table import describe

    return t(action), describe(action, data)


def _who(event: dict[str, Any]) -> str:
    """Who did it: the unit's person a report or 签收 names (`--by`), else who recorded it."""
    by = (event.get("data") or {}).get("by")
    return str(by) if by else str(event.get("actor") or "")


def moved_block(moved: list[dict[str, Any]], limit: int | None = None) -> Block:
    """Every report, card, extension, correction, return, transfer and reopening of the
    week, a row each (at most `limit` rows made, the rest counted)."""
    columns = [
        Column(t("No."), "seq", 4, terminal=False),
        Column(t("ID"), "id", 5),
        Column(t("Title"), "title", 21),
        Column(t("Unit"), "name", 11),
        Column(t("Time"), "date", 10),
        Column(t("Kind"), "short", 7),
        Column(t("What happened"), "text", 34),
        Column(t("Actor"), "name", 8, terminal=False),
    ]
    rows, n = [], 0
    for entry in moved:
        if limit is not None and n >= limit:  # counted, not drawn (nor decoded)
            n += len(entry["events"])
            continue
        for event in entry["events"]:
            n += 1
            if limit is not None and n > limit:
                continue
            kind, what = describe_event(event["action"], event.get("data") or {})
            style = f"card-{event['data'].get('card')}" if event["action"] == "escalate" else ""
            rows.append(
                [
                    Cell(str(n)),
                    Cell(str(entry["id"])),
                    Cell(entry["title"]),
                    Cell(entry.get("unit") or ""),
                    Cell(event["at"][5:16].replace("T", " ")),
                    Cell(kind, style),
                    Cell(what),
                    Cell(_who(event)),
                ]
            )
    block = Block(t("What moved this week {n}", n=n), columns, rows, total=n)
    block.more = "oa weekly --format html"
    return block


def units_block(units: list[dict[str, Any]]) -> Block:
    keys = ("open", "registered", "closed", "overdue", "no_feedback")
    titles = {"open": N_("Open"), **WEEKLY_SECTIONS}
    columns = [Column(t("Unit"), "name", 30)] + [Column(t(titles[k]), "num", 14) for k in keys]
    rows = [
        [Cell(u["unit"] or t("(not assigned)"))]
        + [Cell(str(u[k]), "red" if k == "overdue" and u[k] else "") for k in keys]
        for u in units
    ]
    return Block(t("By unit"), columns, rows)


def weekly_document(report: dict[str, Any], meta: Meta, limit: int | None = None) -> Document:
    s, end = report["summary"], report["to"]
    parts, blocks = [], []
    for name, title in WEEKLY_SECTIONS.items():
        words = f"{t(title)} {s[name]}"
        if name == "closed":
            words += t(" (on time {n})", n=s["closed_on_time"])
        parts.append(words)
        items = report["sections"].get(name, [])
        if items or s[name]:  # what is owed, as of the day the report stands on
            block = item_block(t(title), items, s[name], meta, meta.date or end)
            block.more = f"oa weekly --week {report['week']} --format tsv"
            blocks.append(block)
    if report.get("moved"):
        blocks.append(moved_block(report["moved"], limit))
    if report.get("units"):
        blocks.append(units_block(report["units"]))
    span = t(
        "{week} ({first} – {last})",
        week=week_name(report["week"]),
        first=long_date(report["from"]),
        last=long_date(end),
    )
    return Document(t("Weekly update"), span, parts, blocks, meta)


def week_name(week: str) -> str:
    """`2026-W48` as printed: 2026年第48周 under zh (the ISO week), itself otherwise."""
    year, number = week.split("-W")
    return f"{year}年第{int(number)}周" if get_lang() == "zh" else week
