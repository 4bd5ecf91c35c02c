"""Reports for people: Rich on a terminal, Markdown and HTML for mail.

Each report (daily, weekly, stats) is turned into one `Document` — a heading, a
summary line and blocks of rows — and the three renderers draw any Document."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from oa_cli.i18n import N_, get_lang, t

Cell = tuple[str, str]  # (text, style: "" | "red" | "yellow" | "bar")


@dataclass
class Block:
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    wide: tuple[int, ...] = (1,)  # columns that wrap


@dataclass
class Document:
    heading: str
    summary: str
    blocks: list[Block]


SECTION_TITLES = {
    "to_assign": N_("To assign"),
    "due_soon": N_("Due soon"),
    "overdue": N_("Overdue"),
    "awaiting_feedback": N_("Awaiting feedback"),
    "closed_today": N_("Closed today"),
    "registered": N_("Registered this week"),
    "closed": N_("Closed this week"),
    "no_feedback": N_("No update this week"),
}


def _card(item: dict[str, Any]) -> Cell:
    return (t(f"{item['card']} card"), item["card"]) if item["card"] else ("", "")


ITEM_COLUMNS: list[tuple[str, Callable[[dict[str, Any]], Cell]]] = [
    (N_("ID"), lambda i: (str(i["id"]), "")),
    (N_("Title"), lambda i: (i["title"], "")),
    (N_("Unit"), lambda i: (i["unit"] or "", "")),
    (N_("Leader"), lambda i: (i["leader"] or "", "")),
    (N_("Due"), lambda i: (i["due"], "")),
    (
        N_("Overdue"),
        lambda i: (t("{n} wd", n=i["overdue_days"]) if i["overdue_days"] else "", "red"),
    ),
    (N_("Card"), _card),
    (N_("Last feedback"), lambda i: ((i["last_feedback_at"] or "")[:10], "")),
]


def item_block(name: str, items: list[dict[str, Any]]) -> Block:
    return Block(
        f"{t(SECTION_TITLES[name])} {len(items)}",
        [t(h) for h, _ in ITEM_COLUMNS],
        [[fn(item) for _, fn in ITEM_COLUMNS] for item in items],
        wide=(1, 2),
    )


def date_heading(kind: str, day: dt.date, workday: bool | None = None) -> str:
    weekday = t(day.strftime("%A"))
    kind_text = ""
    if workday is not None:
        kind_text = t("working day") if workday else t("day off")
    if get_lang() == "zh":
        text = f"{t(kind)}  {day.year}年{day.month}月{day.day}日 {weekday}"
        return text + (f"（{kind_text}）" if kind_text else "")
    return f"{t(kind)}  {weekday} {day.isoformat()}" + (f" ({kind_text})" if kind_text else "")


def daily_document(report: dict[str, Any], workday: bool) -> Document:
    summary = report["summary"]
    parts = [
        t("open {n}", n=summary["open"]),
        t("received today {n}", n=summary["received_today"]),
        t("to assign {n}", n=summary["to_assign"]),
        t("due soon {n}", n=summary["due_soon"]),
        t(
            "overdue {n} (red {red} · yellow {yellow})",
            n=summary["overdue"],
            red=summary["red"],
            yellow=summary["yellow"],
        ),
        t("awaiting feedback {n}", n=summary["awaiting_feedback"]),
        t("closed today {n}", n=summary["closed_today"]),
    ]
    blocks = [item_block(n, items) for n, items in report["sections"].items() if items]
    heading = date_heading(
        N_("Daily dispatch table"), dt.date.fromisoformat(report["date"]), workday
    )
    return Document(heading, " · ".join(parts), blocks)


# -- renderers ---------------------------------------------------------------


def rich_parts(doc: Document, expand: bool = False) -> list[Any]:
    from rich.text import Text

    from oa_cli.render.table import new_table, safe

    styles = {"red": "red", "yellow": "bold yellow", "bar": "green"}
    out: list[Any] = [Text(safe(doc.heading), style="bold"), Text(safe(doc.summary))]
    for block in doc.blocks:
        table = new_table(block.title)
        table.expand = expand
        for index, header in enumerate(block.headers):
            wide = index in block.wide
            table.add_column(
                header,
                overflow="fold",
                no_wrap=not wide,
                min_width=12 if index == block.wide[0] else None,
            )
        for row in block.rows:
            table.add_row(*(Text(safe(text), style=styles.get(style, "")) for text, style in row))
        out += [Text(""), table]
    return out


def _md_cell(value: str) -> str:
    from oa_cli.render.table import safe

    return safe(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(doc: Document) -> str:
    lines = [f"# {_md_cell(doc.heading)}", "", _md_cell(doc.summary), ""]
    for block in doc.blocks:
        lines += [f"## {_md_cell(block.title)}", ""]
        lines.append("| " + " | ".join(_md_cell(h) for h in block.headers) + " |")
        lines.append("|" + "---|" * len(block.headers))
        for row in block.rows:
            lines.append("| " + " | ".join(_md_cell(text) for text, _ in row) + " |")
        lines.append("")
    return "\n".join(lines)


_STYLE = {
    "body": "font-family:'Microsoft YaHei','PingFang SC',sans-serif;color:#222;",
    "table": "border-collapse:collapse;margin:8px 0 16px 0;font-size:14px;",
    "th": "border:1px solid #999;background:#eee;padding:4px 8px;text-align:left;",
    "td": "border:1px solid #bbb;padding:4px 8px;vertical-align:top;",
    "red": "color:#c00;font-weight:bold;",
    "yellow": "color:#b8860b;font-weight:bold;",
    "bar": "color:#2e7d32;font-family:monospace;",
}


def html_page(doc: Document) -> str:
    from oa_cli.render.table import safe

    def esc(value: str) -> str:
        return html.escape(safe(value))

    title = esc(doc.heading)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{get_lang()}"><head><meta charset="utf-8"><title>{title}</title></head>',
        f'<body style="{_STYLE["body"]}">',
        f"<h1>{title}</h1>",
        f"<p>{esc(doc.summary)}</p>",
    ]
    for block in doc.blocks:
        parts.append(f"<h2>{esc(block.title)}</h2>")
        parts.append(f'<table style="{_STYLE["table"]}"><tr>')
        parts += [f'<th style="{_STYLE["th"]}">{esc(h)}</th>' for h in block.headers]
        parts.append("</tr>")
        for row in block.rows:
            cells = [
                f'<td style="{_STYLE["td"] + (_STYLE.get(style, "") if text else "")}">'
                f"{esc(text)}</td>"
                for text, style in row
            ]
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def weekly_document(report: dict[str, Any]) -> Document:
    s = report["summary"]
    heading = f"{t('Weekly update')}  {report['week']}  ({report['from']} – {report['to']})"
    summary = " · ".join(
        [
            t("registered {n}", n=s["registered"]),
            t("closed {n} (on time {m})", n=s["closed"], m=s["closed_on_time"]),
            t("still overdue {n}", n=s["overdue"]),
            t("no update this week {n}", n=s["no_feedback"]),
        ]
    )
    blocks = [item_block(n, items) for n, items in report["sections"].items() if items]
    if report["units"]:
        headers = [t("Unit"), t("Open"), t("New"), t("Done"), t("Overdue"), t("No update")]
        rows = [
            [
                (u["unit"] or t("(not assigned)"), ""),
                (str(u["open"]), ""),
                (str(u["registered"]), ""),
                (str(u["closed"]), ""),
                (str(u["overdue"]), "red" if u["overdue"] else ""),
                (str(u["no_feedback"]), ""),
            ]
            for u in report["units"]
        ]
        blocks.append(Block(t("By unit"), headers, rows, wide=(0,)))
    return Document(heading, summary, blocks)


def rate_bar(rate: float | None, width: int = 10) -> str:
    if rate is None:
        return "—"
    filled = round(rate * width)
    return "█" * filled + "░" * (width - filled) + f" {rate:.0%}"


def stats_document(report: dict[str, Any]) -> Document:
    span = (
        f"{report['from'] or '…'} – {report['to'] or '…'}"
        if report["from"] or report["to"]
        else t("all items")
    )
    heading = f"{t('Assessment figures')}  {t('by ' + report['by'])}  ({span})"
    rows_data = sorted(
        report["rows"],
        key=lambda r: (r["on_time_rate"] is None, -(r["on_time_rate"] or 0), -r["closed"]),
    )
    total = sum(r["total"] for r in rows_data)
    closed = sum(r["closed"] for r in rows_data)
    summary = t("{total} items, {closed} closed", total=total, closed=closed)
    headers = [
        t("Group"),
        t("Total"),
        t("Done"),
        t("On time"),
        t("On-time rate"),
        t("Overdue"),
        t("Yellow"),
        t("Red"),
        t("Reminders"),
        t("Late assignments"),
        t("Avg. working days to close"),
    ]
    labelled = report["by"] in ("source", "priority")
    rows = [
        [
            (t(r["group"]) if labelled and r["group"] else (r["group"] or t("(none)")), ""),
            (str(r["total"]), ""),
            (str(r["closed"]), ""),
            (str(r["on_time"]), ""),
            (rate_bar(r["on_time_rate"]), "bar"),
            (str(r["overdue"]), "red" if r["overdue"] else ""),
            (str(r["yellow"]), "yellow" if r["yellow"] else ""),
            (str(r["red"]), "red" if r["red"] else ""),
            (str(r["reminders"]), ""),
            (str(r["late_assignments"]), ""),
            ("" if r["avg_workdays_to_close"] is None else str(r["avg_workdays_to_close"]), ""),
        ]
        for r in rows_data
    ]
    return Document(
        heading, summary, [Block(t("Ranking by on-time rate"), headers, rows, wide=(0,))]
    )
