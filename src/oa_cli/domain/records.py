"""Import records → validated item rows. Pure: parsing of files happens in actions.imports."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from oa_cli.domain import item as rules
from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.dates import iso, parse_datetime, parse_due
from oa_cli.errors import OaError
from oa_cli.i18n import t

# Column headers offices use in their spreadsheets → our keys (None: ignored).
HEADERS: dict[str, str | None] = {
    "序号": None,
    "事项": "title",
    "事项名称": "title",
    "标题": "title",
    "批示内容": "body",
    "内容": "body",
    "批示领导": "leader",
    "领导": "leader",
    "文号": "doc_no",
    "来源": "source",
    "承办单位": "unit",
    "责任单位": "unit",
    "牵头单位": "unit",
    "协办单位": "co_units",
    "配合单位": "co_units",
    "责任人": "owner",
    "交办时间": "assigned_at",
    "收文时间": "received",
    "登记时间": "received",
    "接收时间": "received",
    "办理时限": "due",
    "完成时限": "due",
    "时限": "due",
    "办理情况": None,
    "状态": "status",
    "备注": None,
    "紧急程度": "priority",
    "缓急": "priority",
    "标签": "tags",
    "办结时间": "closed_at",
    "办结依据": "close_basis",
    "编号": "id",
    "原定时限": "original_due",
    "办结文号": "close_ref",
    "牌": "card",
    "是否逾期": "overdue",
    "逾期工作日": "overdue_days",
    "反馈次数": "feedback_count",
    "最近反馈时间": "last_feedback_at",
    "催办次数": "remind_count",
    "登记人": "created_by",
}
LABELS: dict[str, dict[str, str]] = {
    "status": {
        "未交办": "registered",
        "已交办": "assigned",
        "办理中": "assigned",
        "已办结": "closed",
        "已撤销": "cancelled",
    },
    "priority": {"特急": "urgent", "加急": "high", "平件": "normal", "一般": "normal"},
    "source": {
        "领导批示": "instruction",
        "会议议定": "meeting",
        "上级文件": "document",
        "其他": "other",
    },
    "card": {"黄牌": "yellow", "红牌": "red"},
}
INPUT_KEYS = {
    "title",
    "body",
    "source",
    "leader",
    "doc_no",
    "received",
    "due",
    "priority",
    "tags",
    "unit",
    "co_units",
    "owner",
}
# Keys `export` writes beyond what `add` takes: the item's state, taken as it is.
STATE_KEYS = (set(rules.COLUMNS) | {"overdue", "overdue_days"}) - INPUT_KEYS
KNOWN_KEYS = frozenset(INPUT_KEYS | STATE_KEYS)
_SPLIT = re.compile(r"\s*[,，、;；]\s*")


class RecordError(OaError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def normalise_key(key: str) -> str | None:
    key = str(key).strip()
    if key in HEADERS:
        return HEADERS[key]
    return key


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v for v in _SPLIT.split(str(value).strip()) if v]


def _choice(key: str, value: Any, choices: tuple[str, ...], default: str | None) -> str | None:
    text = _text(value)
    if text is None:
        return default
    text = LABELS.get(key, {}).get(text, text)
    if text not in choices:
        raise RecordError(
            key, t("'{value}' is not one of {choices}", value=text, choices=", ".join(choices))
        )
    return text


def _stamp(key: str, value: Any, now: dt.datetime, calendar: WorkCalendar) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.astimezone()
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time()).astimezone()
    else:
        try:
            moment = parse_datetime(str(value), now=now, calendar=calendar)
        except OaError as exc:
            raise RecordError(key, exc.message) from None
    return iso(moment)


def _date(key: str, value: Any, base: dt.date, today: dt.date, calendar: WorkCalendar) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return parse_due(str(value), base=base, today=today, calendar=calendar).isoformat()
    except OaError as exc:
        raise RecordError(key, exc.message) from None


def _count(key: str, value: Any) -> int:
    if value is None or value == "":
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or (isinstance(value, float) and not value.is_integer()):
        raise RecordError(key, t("'{value}' is not a whole number, 0 or more", value=value))
    return number


def to_item(
    record: dict[str, Any],
    *,
    now: dt.datetime,
    calendar: WorkCalendar,
    deadlines: dict[str, int],
    actor: str,
) -> dict[str, Any]:
    """One record → stored item columns (with `id` when the record names one)."""
    rec: dict[str, Any] = {}
    for raw_key, value in record.items():
        key = normalise_key(raw_key)
        if key is None:
            continue
        if key not in KNOWN_KEYS:
            raise RecordError(str(raw_key), t("unknown field"))
        rec[key] = value
    today = now.date()
    title = _text(rec.get("title"))
    if title is None:
        raise RecordError("title", t("{what} must not be empty", what=t("title")))
    priority = _choice("priority", rec.get("priority"), rules.PRIORITIES, "normal")
    assert priority is not None
    received = _stamp("received", rec.get("received", rec.get("received_at")), now, calendar)
    received = received or iso(now)
    received_day = dt.datetime.fromisoformat(received).date()
    if _text(rec.get("due")) is None:
        due = calendar.add(received_day, deadlines[priority]).isoformat()
    else:
        due = _date("due", rec["due"], today, today, calendar)
    unit = _text(rec.get("unit"))
    status = _choice(
        "status", rec.get("status"), rules.STATUSES, rules.ASSIGNED if unit else rules.REGISTERED
    )
    item: dict[str, Any] = {
        "title": title,
        "body": rec["body"] if isinstance(rec.get("body"), str) and rec["body"].strip() else None,
        "source": _choice("source", rec.get("source"), rules.SOURCES, "instruction"),
        "leader": _text(rec.get("leader")),
        "doc_no": _text(rec.get("doc_no")),
        "priority": priority,
        "status": status,
        "unit": unit,
        "co_units": [c for c in _list(rec.get("co_units")) if c != unit],
        "owner": _text(rec.get("owner")),
        "tags": list(dict.fromkeys(_list(rec.get("tags")))),
        "received_at": received,
        "assigned_at": _stamp("assigned_at", rec.get("assigned_at"), now, calendar),
        "due": due,
        "original_due": (
            _date("original_due", rec["original_due"], today, today, calendar)
            if _text(rec.get("original_due"))
            else due
        ),
        "closed_at": _stamp("closed_at", rec.get("closed_at"), now, calendar),
        "close_basis": _text(rec.get("close_basis")),
        "close_ref": _text(rec.get("close_ref")),
        "card": _choice("card", rec.get("card"), rules.CARDS, None),
        "feedback_count": _count("feedback_count", rec.get("feedback_count")),
        "last_feedback_at": _stamp("last_feedback_at", rec.get("last_feedback_at"), now, calendar),
        "remind_count": _count("remind_count", rec.get("remind_count")),
        "created_by": _text(rec.get("created_by")) or actor,
    }
    if rec.get("id") not in (None, ""):
        item["id"] = _count("id", rec["id"])
        if item["id"] == 0:
            raise RecordError("id", t("'{value}' is not a whole number, 0 or more", value=0))
    _check_state(item, now)
    return item


def _check_state(item: dict[str, Any], now: dt.datetime) -> None:
    status = item["status"]
    if status != rules.REGISTERED and item["unit"] is None and status != rules.CANCELLED:
        raise RecordError("unit", t("a {status} item needs a unit", status=status))
    if status == rules.REGISTERED and item["unit"] is not None:
        raise RecordError("status", t("an item with a unit cannot be registered"))
    if item["unit"] is not None and item["assigned_at"] is None:
        item["assigned_at"] = item["received_at"] if status != rules.REGISTERED else None
    if status == rules.CLOSED:
        if item["close_basis"] is None:
            raise RecordError("close_basis", t("a closed item needs its closing basis"))
        item["closed_at"] = item["closed_at"] or iso(now)
    elif item["closed_at"] or item["close_basis"]:
        raise RecordError("status", t("only a closed item has closing fields"))
    if item["feedback_count"] and item["last_feedback_at"] is None:
        raise RecordError("last_feedback_at", t("feedback_count needs last_feedback_at"))
