"""Rich output for people. User text is always a `Text` (never markup), control characters
are made visible, and long Chinese text wraps inside its cell."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from oa_cli.domain.dates import minute
from oa_cli.i18n import N_, t
from oa_cli.render.grid import Grid
from oa_cli.render.report import late_words

if TYPE_CHECKING:
    from rich.table import Table

STATUS_STYLE = {"registered": "yellow", "assigned": "cyan", "closed": "green", "cancelled": "dim"}
CARD_STYLE = {"yellow": "bold yellow", "red": "bold red"}


def safe(value: Any) -> str:
    """Text fit for a terminal: C0/C1 control characters (but tab and newline) as \\xNN."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    from oa_cli.render.plain import printable

    return printable(str(value))


def text(value: Any, style: str = "") -> Text:
    return Text(safe(value), style=style)


def console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not stream.isatty():
        # Piped or from cron: never squeeze a table to 80 columns.
        width = int(os.environ.get("COLUMNS", "0") or 0) or 200
    plain = bool(os.environ.get("NO_COLOR"))
    return Console(
        file=stream,
        highlight=False,
        markup=False,
        emoji=False,
        width=width,
        color_system=None if plain else "auto",
    )


def status_text(status: str) -> Text:
    return Text(t(status), style=STATUS_STYLE.get(status, ""))


def card_text(card: str | None) -> Text:
    if card is None:
        return Text("")
    return Text(t(card), style=CARD_STYLE[card])  # the column says "card"


def overdue_text(days: int, overdue: bool = True) -> Text:
    """Working days overdue; an item overdue by none (its deadline passed on a rest day)
    is past due."""
    if not overdue:
        return Text("")
    return Text(t("{n} wd", n=days) if days else t("past due"), style="red")


def new_table(title: str | None = None) -> Grid:
    """A table of rows for a terminal (`render.grid`: Rich's Table is slow per cell)."""
    return Grid(title, header_style="bold")


def items_table(items: Iterable[Mapping[str, Any]], title: str | None = None) -> Grid:
    table = new_table(title)
    table.add_column(t("ID"), justify="right", no_wrap=True)
    table.add_column(t("Title"), overflow="fold", min_width=12, ratio=3)
    table.add_column(t("Unit"), overflow="fold", min_width=6, ratio=1)
    table.add_column(t("Leader"), overflow="fold", min_width=4)
    table.add_column(t("Due"), no_wrap=True, min_width=10)
    table.add_column(t("Status"), no_wrap=True)
    table.add_column(t("Overdue"), no_wrap=True, justify="right")
    table.add_column(t("Card"), no_wrap=True)
    for item in items:
        table.add_row(
            Text(str(item["id"])),
            text(item["title"]),
            text(item["unit"]),
            text(item["leader"]),
            Text(item["due"]),
            status_text(item["status"]),
            overdue_text(item["overdue_days"], item["overdue"]),
            card_text(item["card"]),
        )
    return table


# The order of a Chinese office's card: 来源, 批示领导, 文号, 承办单位, 时限, 状态, 牌.
_SHOW_FIELDS = (
    ("source", N_("Source")),
    ("leader", N_("Leader")),
    ("doc_no", N_("Document no.")),
    ("unit", N_("Lead unit")),
    ("co_units", N_("Co-units")),
    ("owner", N_("Owner")),
    ("due", N_("Due")),
    ("original_due", N_("Original due")),
    ("status", N_("Status")),
    ("card", N_("Card")),
    ("priority", N_("Priority")),
    ("received_at", N_("Received")),
    ("assigned_at", N_("Assigned")),
    ("acked_at", N_("Acknowledged")),
    ("report_due", N_("Report due")),
    ("tags", N_("Tags")),
    ("feedback_count", N_("Feedback")),
    ("remind_count", N_("Reminders")),
    ("closed_at", N_("Closed")),
    ("close_basis", N_("Closing basis")),
    ("close_ref", N_("Closing reference")),
    ("repeat", N_("Recurring")),
    ("previous_id", N_("Previous in series")),
    ("remark", N_("Remark")),
    ("created_by", N_("Registered by")),
)
_STAMPS = ("received_at", "assigned_at", "acked_at", "closed_at")


def _field_value(item: dict[str, Any], key: str) -> Text:
    value = item[key]
    if key == "status":
        return status_text(value)
    if key == "card":
        return card_text(value)
    if key in ("source", "priority"):
        return Text(t(value))
    if key == "due" and item["overdue"]:
        return Text(f"{value}  ") + _late(item["overdue_days"])
    if key == "report_due" and item["report_overdue_days"]:
        return Text(f"{value}  ") + _late(item["report_overdue_days"])
    if key in _STAMPS and isinstance(value, str):
        return Text(minute(value))
    return text(value)


def _late(days: int) -> Text:
    """How late, in words (a card is read without its colours too: NO_COLOR, print)."""
    return Text(late_words(days), style="red")


def item_card(item: Mapping[str, Any]) -> Table:
    from rich.table import Table  # one item's card: Rich's own grid, worth its import

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text(f"#{item['id']}"), text(item["title"], "bold"))
    for key, label in _SHOW_FIELDS:
        if item[key] in (None, [], 0) and key not in ("status", "due"):
            continue
        grid.add_row(Text(t(label)), _field_value(dict(item), key))
    if item["body"]:
        grid.add_row(Text(t("Instruction")), text(item["body"]))
    return grid


def events_table(
    events: Iterable[dict[str, Any]], title: str | None = None, *, of_one_item: bool = False
) -> Grid:
    """Journal events, numbered by the journal; `of_one_item` (an item's timeline) leaves
    out the item's id, the same on every row."""
    table = new_table(title)
    table.add_column(t("Seq"), justify="right", no_wrap=True)
    if not of_one_item:
        table.add_column(t("ID"), justify="right", no_wrap=True)
    table.add_column(t("Time"), no_wrap=True)
    table.add_column(t("Actor"), overflow="fold")
    table.add_column(t("Action"), no_wrap=True)
    table.add_column(t("Details"), overflow="fold", ratio=1)
    for event in events:
        item = [] if of_one_item else [Text(str(event["item_id"] or ""))]
        table.add_row(
            Text(str(event["seq"])),
            *item,
            Text(minute(event["at"])),
            text(event["actor"]),
            Text(t(event["action"])),
            text(describe(event["action"], event["data"])),
        )
    return table


def describe(action: str, data: dict[str, Any]) -> str:
    """One readable line for a journal event."""

    def get(key: str) -> str:
        return safe(data.get(key)) if data.get(key) not in (None, [], "") else ""

    def join(*parts: str) -> str:
        return "  ".join(p for p in parts if p)

    if action in ("add", "import"):
        return join(get("title"), f"{t('Due')} {get('due')}")
    if action in ("assign", "transfer"):
        moved = t("from {unit}", unit=get("previous_unit")) if data.get("previous_unit") else ""
        return join(get("unit"), get("co_units"), get("owner"), moved, get("note"))
    if action == "ack":
        return get("by")
    if action == "feedback":
        progress = f"{data['progress']}%" if data.get("progress") is not None else ""
        kind = t(data.get("kind", "")) if data.get("kind") else ""
        return join(kind, progress, get("text"), get("ref"), get("by"), _files(data))
    if action == "return":
        return join(t("owed again by {due}", due=get("report_due")), get("reason"))
    if action == "remind":
        notice = data.get("notice")
        number = (
            f"〔{notice.get('year')}〕{notice.get('number')}号" if isinstance(notice, dict) else ""
        )
        return join(number, get("note"), t(data["rule"]) if data.get("rule") else "")
    if action in ("escalate", "alert"):
        card = t(f"{data['card']} card") if data.get("card") in ("yellow", "red") else ""
        return join(
            card, t(data["rule"]) if data.get("rule") else "", _numbers(data), get("reason")
        )
    if action == "correct" and data.get("previous_unit"):  # a unit entered wrongly
        return join(f"{get('previous_unit')} → {get('unit')}", get("co_units"), get("reason"))
    if action in ("extend", "correct", "reopen"):
        return join(f"{get('previous_due')} → {get('due')}", get("reason"))
    if action == "close":
        return join(get("close_basis"), get("close_ref"), _files(data))
    if action == "cancel":
        return get("reason")
    if action == "schedule":  # an older ledger's item given its report deadline
        return join(t("next report owed by {due}", due=get("report_due")), t(get("rule")))
    return "  ".join(f"{k}={safe(v)}" for k, v in data.items() if v not in (None, [], ""))


def _files(data: dict[str, Any]) -> str:
    """Evidence files of an event: each name with the first 12 digits of its SHA-256."""
    files = data.get("files") or []
    if not isinstance(files, list) or not files:
        return ""
    named = [
        f"{safe(f.get('name'))} (sha256 {safe(str(f.get('sha256'))[:12])})"
        for f in files
        if isinstance(f, dict)
    ]
    return t("evidence: {files}", files="; ".join(named))


def _numbers(data: dict[str, Any]) -> str:
    """The figures a rule acted on, in words of the interface language."""
    parts = []
    if data.get("overdue_days"):
        parts.append(late_words(data["overdue_days"]))
    if data.get("report_due"):
        report = t(data.get("report", "first"))
        parts.append(t("{report} owed since {due}", report=report, due=data["report_due"]))
    return "  ".join(parts)


def notices_table(records: Iterable[dict[str, Any]]) -> Grid:
    """The notices issued (`notice --issued`): number, day, unit and items."""
    table = new_table(t("Notices issued"))
    for header in (t("Number"), t("Date"), t("Unit"), t("Items")):
        table.add_column(header, overflow="fold")
    for r in records:
        ids = ", ".join(str(i) for i in r["items"])
        table.add_row(text(r["number"]), text(r["date"]), text(r["unit"]), text(ids))
    return table


def actions_table(done: Iterable[dict[str, Any]], title: str) -> Grid:
    """What `escalate --auto` did: one row per card or alert."""
    table = new_table(title)
    for header in (t("ID"), t("Action"), t("Rule"), t("Overdue"), t("Title"), t("Unit")):
        table.add_column(header, overflow="fold")
    for a in done:
        action = t(f"{a['action']} card") if a["action"] in ("yellow", "red") else t(a["action"])
        table.add_row(
            Text(str(a["item_id"])),
            Text(action),
            Text(t(a["rule"])),
            Text(str(a["overdue_days"] or "")),
            text(a["title"]),
            text(a["unit"]),
        )
    return table


def progress_bar(label: str, total: int) -> Any:
    """A Rich progress bar on stderr; yields a function advancing it by n."""
    import contextlib

    from rich.progress import Progress

    @contextlib.contextmanager
    def bar() -> Any:
        with Progress(console=console(stderr=True), transient=True) as progress:
            task = progress.add_task(label, total=total)
            yield lambda n: progress.advance(task, n)

    return bar()
