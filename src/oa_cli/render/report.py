"""The daily dispatch table for people: Rich on a terminal, Markdown and HTML for mail.

All three take the same plain report from domain.reports and the same column list."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

from oa_cli.i18n import N_, get_lang, t

SECTION_TITLES = {
    "to_assign": N_("To assign"),
    "due_soon": N_("Due soon"),
    "overdue": N_("Overdue"),
    "awaiting_feedback": N_("Awaiting feedback"),
    "closed_today": N_("Closed today"),
}


def _overdue(item: dict[str, Any]) -> str:
    return t("{n} wd", n=item["overdue_days"]) if item["overdue_days"] else ""


def _card(item: dict[str, Any]) -> str:
    return t(f"{item['card']} card") if item["card"] else ""


def _last_feedback(item: dict[str, Any]) -> str:
    return (item["last_feedback_at"] or "")[:10]


COLUMNS: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    (N_("ID"), lambda i: str(i["id"])),
    (N_("Title"), lambda i: i["title"]),
    (N_("Unit"), lambda i: i["unit"] or ""),
    (N_("Leader"), lambda i: i["leader"] or ""),
    (N_("Due"), lambda i: i["due"]),
    (N_("Overdue"), _overdue),
    (N_("Card"), _card),
    (N_("Last feedback"), _last_feedback),
]


def heading(date: str, workday: bool) -> str:
    day = dt.date.fromisoformat(date)
    weekday = t(day.strftime("%A"))
    kind = t("working day") if workday else t("day off")
    if get_lang() == "zh":
        return f"每日调度表  {day.year}年{day.month}月{day.day}日 {weekday}（{kind}）"
    return f"Daily dispatch table  {weekday} {date} ({kind})"


def summary_line(summary: dict[str, int]) -> str:
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
    return " · ".join(parts)


def rich_daily(report: dict[str, Any], workday: bool) -> list[Any]:
    from rich.text import Text

    from oa_cli.render.table import card_text, new_table, overdue_text, text

    out: list[Any] = [
        Text(heading(report["date"], workday), style="bold"),
        Text(summary_line(report["summary"])),
    ]
    for name, items in report["sections"].items():
        if not items:
            continue
        table = new_table(f"{t(SECTION_TITLES[name])} {len(items)}")
        for header, _ in COLUMNS:
            wide = header in ("Title", "Unit")
            table.add_column(
                t(header),
                overflow="fold",
                no_wrap=not wide,
                ratio=3 if header == "Title" else None,
                min_width=12 if header == "Title" else None,
            )
        for item in items:
            cells = [
                Text(str(item["id"])),
                text(item["title"]),
                text(item["unit"]),
                text(item["leader"]),
                Text(item["due"]),
                overdue_text(item["overdue_days"]),
                card_text(item["card"]),
                Text(_last_feedback(item)),
            ]
            table.add_row(*cells)
        out.append(Text(""))
        out.append(table)
    return out


def _md_cell(value: str) -> str:
    from oa_cli.render.table import safe

    return safe(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_daily(report: dict[str, Any], workday: bool) -> str:
    lines = [f"# {heading(report['date'], workday)}", "", summary_line(report["summary"]), ""]
    for name, items in report["sections"].items():
        if not items:
            continue
        lines += [f"## {t(SECTION_TITLES[name])} {len(items)}", ""]
        lines.append("| " + " | ".join(t(h) for h, _ in COLUMNS) + " |")
        lines.append("|" + "---|" * len(COLUMNS))
        for item in items:
            lines.append("| " + " | ".join(_md_cell(f(item)) for _, f in COLUMNS) + " |")
        lines.append("")
    return "\n".join(lines)


_STYLE = {
    "body": "font-family:'Microsoft YaHei','PingFang SC',sans-serif;color:#222;",
    "table": "border-collapse:collapse;margin:8px 0 16px 0;font-size:14px;",
    "th": "border:1px solid #999;background:#eee;padding:4px 8px;text-align:left;",
    "td": "border:1px solid #bbb;padding:4px 8px;vertical-align:top;",
    "red": "color:#c00;font-weight:bold;",
    "yellow": "color:#b8860b;font-weight:bold;",
}


def html_daily(report: dict[str, Any], workday: bool) -> str:
    from oa_cli.render.table import safe

    def esc(value: str) -> str:
        return html.escape(safe(value))

    title = esc(heading(report["date"], workday))
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{get_lang()}"><head><meta charset="utf-8"><title>{title}</title></head>',
        f'<body style="{_STYLE["body"]}">',
        f"<h1>{title}</h1>",
        f"<p>{esc(summary_line(report['summary']))}</p>",
    ]
    for name, items in report["sections"].items():
        if not items:
            continue
        parts.append(f"<h2>{esc(t(SECTION_TITLES[name]))} {len(items)}</h2>")
        parts.append(f'<table style="{_STYLE["table"]}"><tr>')
        parts += [f'<th style="{_STYLE["th"]}">{esc(t(h))}</th>' for h, _ in COLUMNS]
        parts.append("</tr>")
        for item in items:
            parts.append("<tr>")
            for header, fn in COLUMNS:
                style = _STYLE["td"]
                if header == "Card" and item["card"]:
                    style += _STYLE[item["card"]]
                parts.append(f'<td style="{style}">{esc(fn(item))}</td>')
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
