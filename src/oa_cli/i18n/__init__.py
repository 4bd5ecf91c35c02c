"""Message catalogs: English text is the message id, `zh` maps it to Chinese.

`t("item {id} not found", id=3)` looks the text up in the active language and
formats it. Machine formats never go through here.
"""

from __future__ import annotations

import os

_lang = "en"


def detect_lang(explicit: str | None) -> str:
    if explicit:
        return explicit
    for var in ("LC_ALL", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_lang(lang: str) -> None:
    global _lang
    _lang = lang


def get_lang() -> str:
    return _lang


def t(msgid: str, **kwargs: object) -> str:
    text = msgid
    if _lang == "zh":
        from oa_cli.i18n.zh import CATALOG

        text = CATALOG.get(msgid, msgid)
    return text.format(**kwargs) if kwargs else text


def N_(msgid: str) -> str:
    """Mark a message for the catalog where it is defined; `t()` translates it where shown."""
    return msgid


# Words shown through t(variable): statuses, priorities, sources, cards, actions, rules.
VOCABULARY = (
    "registered",
    "assigned",
    "closed",
    "cancelled",
    "urgent",
    "high",
    "normal",
    "instruction",
    "meeting",
    "document",
    "other",
    "yellow",
    "red",
    "yellow card",
    "red card",
    "add",
    "import",
    "assign",
    "transfer",
    "feedback",
    "remind",
    "escalate",
    "extend",
    "close",
    "reopen",
    "cancel",
    "edit",
    "unit_add",
    "ack",
    "return",
    "correct",
    "alert",
    "report_missed",
    "report_yellow",
    "unacknowledged",
    "unit",
    "office",
    "read-only",
    "overdue_red",
    "overdue_yellow",
    "awaiting_feedback",
    "due_soon",
    "late_assignment",
    "first",
    "follow_up",
    "by unit",
    "by leader",
    "by source",
    "by priority",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
