"""The item: statuses, allowed transitions and the JSON object shape.

Its fields are declared once, in `domain.fields`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.fields import COLUMNS, KEYS, LIST_COLUMNS, VALUES, Item, as_item, value_map
from oa_cli.errors import InvalidInput, RefusedTransition
from oa_cli.i18n import t

__all__ = ["COLUMNS", "KEYS", "LIST_COLUMNS", "Item"]


REGISTERED, ASSIGNED, CLOSED, CANCELLED = "registered", "assigned", "closed", "cancelled"
STATUSES = tuple(c.value for c in VALUES["status"])
OPEN = (REGISTERED, ASSIGNED)
SOURCES = tuple(c.value for c in VALUES["source"])
PRIORITIES = tuple(c.value for c in VALUES["priority"])
CARDS = tuple(c.value for c in VALUES["card"])

# Which statuses each action accepts.
ALLOWED: dict[str, tuple[str, ...]] = {
    "assign": OPEN,
    "remind": OPEN,
    "escalate": OPEN,
    "extend": OPEN,
    "correct": OPEN,
    "edit": OPEN,
    "cancel": OPEN,
    "ack": (ASSIGNED,),
    "feedback": (ASSIGNED,),
    "return": (ASSIGNED,),
    "close": (ASSIGNED,),
    "reopen": (CLOSED,),
}


def require_status(item: Item, action: str) -> None:
    allowed = ALLOWED[action]
    if item["status"] not in allowed:
        raise RefusedTransition(
            t(
                "item {id} is {status}: {action} needs an item that is {allowed}",
                id=item["id"],
                status=t(item["status"]),
                action=t(action),
                allowed=t(" or ").join(t(a) for a in allowed),
            )
        )


def require_text(value: Any, what: str) -> str:
    """Text that is text, not empty after trimming and storable; errors name `what`."""
    from oa_cli.domain.fields import said

    if value is not None and not isinstance(value, str):
        raise InvalidInput(said(what, t("must be text")))
    text = (value or "").strip()
    if not text:
        raise InvalidInput(said(what, t("must not be empty")))
    problem = text_problem(text)
    if problem is not None:
        raise InvalidInput(said(what, problem))
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored, or None: a NUL, or a lone surrogate (bytes that were
    not UTF-8 on standard input, a `\\ud800` escape in JSON): neither is text."""
    if "\x00" in text:
        return t("must not contain NUL characters")
    if not text.isprintable() and _SURROGATE.search(text):
        return t("must be valid Unicode text (not UTF-8, or a lone surrogate)")
    return None


def choice(name: str, value: str, what: str) -> str:
    """An enum value given as its value, its Chinese label or a common Chinese form."""
    found = value_map(name).get(str(value).strip())
    if found is None:
        choices = [c.label if _zh() else c.value for c in VALUES[name]]
        raise InvalidInput(
            t(
                "invalid {what} '{value}': choose {choices}",
                what=what,
                value=value,
                choices=t(", ").join(choices),
            )
        )
    return found


def _zh() -> bool:
    from oa_cli.i18n import get_lang

    return get_lang() == "zh"


def is_overdue(item: Item, today: dt.date) -> bool:
    return item["status"] in OPEN and item["due"] < today.isoformat()


def overdue_days(item: Item, today: dt.date, calendar: WorkCalendar) -> int:
    if not is_overdue(item, today):
        return 0
    return calendar.count_since(item["due"], today)


def is_report_missed(item: Item, today: dt.date) -> bool:
    """Assigned, and the report it owes (首报 or 续报) was due before today."""
    due = item.get("report_due")
    return item["status"] == ASSIGNED and due is not None and due < today.isoformat()


def report_overdue_days(item: Item, today: dt.date, calendar: WorkCalendar) -> int:
    """Working days d with report_due < d <= today, for an assigned item owing a report."""
    if not is_report_missed(item, today):
        return 0
    return calendar.count_since(item["report_due"] or "", today)


def to_json(item: Item, today: dt.date, calendar: WorkCalendar) -> Item:
    """The SPEC item object: stored columns plus the keys computed for `today`."""
    out = as_item({key: item.get(key) for key in KEYS})
    out["overdue"] = is_overdue(item, today)
    out["overdue_days"] = overdue_days(item, today, calendar)
    out["report_overdue_days"] = report_overdue_days(item, today, calendar)
    return out


def next_card(current: str | None, level: str | None, item_id: int) -> str:
    """The card `escalate` gives: one level up, or `level`, never down or sideways."""
    rank = {None: 0, "yellow": 1, "red": 2}
    if level is None:
        if current == "red":
            raise RefusedTransition(
                t("item {id} already has a red card, the highest level", id=item_id)
            )
        return "yellow" if current is None else "red"
    level = choice("card", level, t("level"))
    if rank[level] <= rank[current]:
        raise RefusedTransition(
            t("item {id} already has a {card} card", id=item_id, card=t(str(current)))
        )
    return level
