"""Reports as plain data: every format renders the same facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from oa_cli.domain.item import OPEN, REGISTERED
from oa_cli.domain.rules import Rules

DAILY_SECTIONS = ("to_assign", "due_soon", "overdue", "awaiting_feedback", "closed_today")


def daily(
    rules: Rules, open_items: Iterable[dict[str, Any]], closed: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    """The daily dispatch table for `rules.today`: items are SPEC item objects."""
    sections: dict[str, list[dict[str, Any]]] = {name: [] for name in DAILY_SECTIONS}
    open_count = received_today = 0
    today = rules.today.isoformat()
    for item in open_items:
        if item["status"] not in OPEN:
            continue
        open_count += 1
        received_today += item["received_at"][:10] == today
        if item["status"] == REGISTERED:
            sections["to_assign"].append(item)
        if item["overdue"]:
            sections["overdue"].append(item)
        elif rules.is_due_soon(item):
            sections["due_soon"].append(item)
        if rules.is_awaiting_feedback(item):
            sections["awaiting_feedback"].append(item)
    sections["closed_today"] = [i for i in closed if (i["closed_at"] or "")[:10] == today]
    sections["overdue"].sort(key=lambda i: (-i["overdue_days"], i["due"], i["id"]))
    for name in ("to_assign", "due_soon", "awaiting_feedback", "closed_today"):
        sections[name].sort(key=lambda i: (i["due"], i["id"]))
    summary: dict[str, int] = {name: len(items) for name, items in sections.items()}
    summary["open"] = open_count
    summary["received_today"] = received_today
    summary["yellow"] = sum(1 for i in sections["overdue"] if i["card"] == "yellow")
    summary["red"] = sum(1 for i in sections["overdue"] if i["card"] == "red")
    return {
        "date": today,
        "summary": summary,
        "sections": sections,
    }


def needs_attention(report: dict[str, Any], today: dt.date) -> bool:
    """`daily --check`: anything overdue, or registered before today and still unassigned."""
    if report["sections"]["overdue"]:
        return True
    return any(i["received_at"][:10] < today.isoformat() for i in report["sections"]["to_assign"])
