"""The item: its fields, statuses, allowed transitions and the JSON object shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oa_cli.domain.calendar import WorkCalendar
from oa_cli.errors import InvalidInput, RefusedTransition
from oa_cli.i18n import t

REGISTERED, ASSIGNED, CLOSED, CANCELLED = "registered", "assigned", "closed", "cancelled"
STATUSES = (REGISTERED, ASSIGNED, CLOSED, CANCELLED)
OPEN = (REGISTERED, ASSIGNED)
SOURCES = ("instruction", "meeting", "document", "other")
PRIORITIES = ("urgent", "high", "normal")
CARDS = ("yellow", "red")

# Stored columns, in the order of the JSON object (computed keys are inserted after `card`).
COLUMNS = (
    "id",
    "title",
    "body",
    "source",
    "leader",
    "doc_no",
    "priority",
    "status",
    "unit",
    "co_units",
    "owner",
    "tags",
    "received_at",
    "assigned_at",
    "due",
    "original_due",
    "closed_at",
    "close_basis",
    "close_ref",
    "card",
    "feedback_count",
    "last_feedback_at",
    "remind_count",
    "created_by",
)
LIST_COLUMNS = ("co_units", "tags")
KEYS = (
    *COLUMNS[: COLUMNS.index("card") + 1],
    "overdue",
    "overdue_days",
    *COLUMNS[COLUMNS.index("card") + 1 :],
)

# Which statuses each action accepts.
ALLOWED: dict[str, tuple[str, ...]] = {
    "assign": OPEN,
    "remind": OPEN,
    "escalate": OPEN,
    "extend": OPEN,
    "edit": OPEN,
    "cancel": OPEN,
    "feedback": (ASSIGNED,),
    "close": (ASSIGNED,),
    "reopen": (CLOSED,),
}


def require_status(item: dict[str, Any], action: str) -> None:
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


def require_text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(t("{what} must not be empty", what=what))
    return text


def require_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    if value not in choices:
        raise InvalidInput(
            t(
                "invalid {what} '{value}': choose {choices}",
                what=what,
                value=value,
                choices=", ".join(choices),
            )
        )
    return value


def is_overdue(item: dict[str, Any], today: dt.date) -> bool:
    return item["status"] in OPEN and item["due"] < today.isoformat()


def overdue_days(item: dict[str, Any], today: dt.date, calendar: WorkCalendar) -> int:
    if not is_overdue(item, today):
        return 0
    return calendar.count_since(item["due"], today)


_HEAD = COLUMNS[: COLUMNS.index("card") + 1]
_TAIL = COLUMNS[COLUMNS.index("card") + 1 :]


def to_json(item: dict[str, Any], today: dt.date, calendar: WorkCalendar) -> dict[str, Any]:
    """The SPEC item object: stored columns plus `overdue` and `overdue_days` (hot path)."""
    out = {key: item[key] for key in _HEAD}
    overdue = item["status"] in OPEN and item["due"] < today.isoformat()
    out["overdue"] = overdue
    out["overdue_days"] = calendar.count_since(item["due"], today) if overdue else 0
    for key in _TAIL:
        out[key] = item[key]
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
    require_choice(level, CARDS, "level")
    if rank[level] <= rank[current]:
        raise RefusedTransition(t("item {id} already has a {card} card", id=item_id, card=current))
    return level
