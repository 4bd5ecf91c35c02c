"""Message catalogs: English text is the message id, `zh` maps it to Chinese.

`t("item {id} not found", id=3)` looks the text up in the active language and
formats it. Machine formats never go through here.
"""

from __future__ import annotations

import errno
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
    if _lang == "zh":
        from oa_cli.i18n.zh import CATALOG

        text = CATALOG.get(msgid, msgid)
    else:
        text = _ENGLISH.get(msgid, msgid)
    return text.format(**kwargs) if kwargs else text


# The vocabulary words that are codes (a rule, a kind of report) in English words; every
# other message id is its own English text.
_ENGLISH = {
    "unit_add": "unit added",
    "overdue_red": "red card (overdue)",
    "overdue_yellow": "yellow card (overdue)",
    "report_yellow": "yellow card (report missed)",
    "report_missed": "report missed",
    "awaiting_feedback": "awaiting feedback",
    "due_soon": "due soon",
    "late_assignment": "not assigned on time",
    "unacknowledged": "not acknowledged",
    "follow_up": "follow-up",
}


def N_(msgid: str) -> str:
    """Mark a message for the catalog where it is defined; `t()` translates it where shown."""
    return msgid


def os_error(exc: OSError) -> str:
    """Why the system refused a file (open, read, write), in the active language: the
    system's own words in English, the catalog's for the common reasons."""
    msgid = _OS_ERRORS.get(exc.errno or 0)
    if _lang == "zh" and msgid is not None:
        return t(msgid)
    return exc.strerror or str(exc)


_OS_ERRORS = {  # errno → its message id (Linux's wording)
    errno.EPERM: N_("Operation not permitted"),
    errno.ENOENT: N_("No such file or directory"),
    errno.EBADF: N_("Bad file descriptor"),
    errno.EPIPE: N_("Broken pipe"),
    errno.EIO: N_("Input/output error"),
    errno.EACCES: N_("Permission denied"),
    errno.EEXIST: N_("File exists"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EISDIR: N_("Is a directory"),
    errno.EFBIG: N_("File too large"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EROFS: N_("Read-only file system"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.ELOOP: N_("Too many levels of symbolic links"),
    errno.EDQUOT: N_("Disk quota exceeded"),
}


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
    "schedule",
    "upgrade",
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
    "New Year's Day",  # the statutory holidays, as chinese_calendar names them
    "Spring Festival",
    "Tomb-sweeping Day",
    "Labour Day",
    "Dragon Boat Festival",
    "National Day",
    "Mid-autumn Festival",
    "Anti-Fascist 70th Day",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
