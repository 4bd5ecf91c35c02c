"""A record (import row, or `add`'s options) → a validated new item. Pure: files
are read in `readers/`, units resolved and items written in `actions/`.

Every field of a record is checked and every problem reported, each naming its
field; nothing about a record is guessed from a value of the wrong type."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oa_cli.config import Config
from oa_cli.domain import item as model
from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.dates import check_day, iso, local, parse_datetime, parse_due
from oa_cli.domain.fields import (
    FIELDS,
    KEYS,
    Field,
    Item,
    as_item,
    field_name,
    header_map,
    said,
    value_map,
)
from oa_cli.domain.workflow import first_report_due, parse_repeat, title_key
from oa_cli.errors import OaError
from oa_cli.i18n import N_, get_lang, t

MAX_ID = 2**53 - 1
_MEMO_SIZE = 4096  # texts kept per memo: flat in memory whatever the file holds


class _Memo:
    """Texts already read as times and days, and days reckoned, for one clock and
    calendar: an import of a million records shares a few hundred dates."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar  # held, so that its id is not reused while it is a key
        self.stamps: dict[str, str] = {}
        self.days: dict[str, str] = {}
        self.added: dict[tuple[dt.date, int], str] = {}
        self.rules: dict[tuple[Any, int, dt.date], str] = {}
        self.configs: dict[int, Config] = {}  # held, as the calendar is

    def ruled(
        self, rule: Callable[[Config, WorkCalendar, dt.date], str], config: Config, day: dt.date
    ) -> str:
        """`rule(config, calendar, day)`, reckoned once per day."""
        key = (rule, id(config), day)
        found = self.rules.get(key)
        if found is None:
            if len(self.configs) >= 16:
                self.configs.clear()
                self.rules.clear()
            self.configs[id(config)] = config
            found = self.keep(self.rules, key, rule(config, self.calendar, day))
        return found

    def keep(self, memo: dict[Any, str], key: Any, value: str) -> str:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[key] = value
        return value


_MEMOS: dict[tuple[dt.datetime, int], _Memo] = {}


def _memo(now: dt.datetime, calendar: WorkCalendar) -> _Memo:
    found = _MEMOS.get((now, id(calendar)))
    if found is None:
        if len(_MEMOS) >= 16:
            _MEMOS.clear()
        found = _MEMOS[(now, id(calendar))] = _Memo(calendar)
    return found


_SPLIT = re.compile(r"\s*[,，、;；]\s*")
_HEADERS = header_map()


@dataclass
class Problem:
    key: str
    message: str

    def field_name(self) -> str:
        """The field as a person reads it: its Chinese label under zh."""
        return field_name(self.key)

    def line(self) -> str:
        """`field: message`, the field left out when the message names it already."""
        name = self.field_name()
        if self.message.startswith(name):
            return self.message
        return said(name, self.message)


class RecordError(OaError):
    """One record's problems, every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.line() for p in problems))
        self.problems = problems


@dataclass
class NewItem:
    """A validated new item, and what its record says beyond the item's own columns."""

    item: Item
    progress: str | None = None  # 办理情况: becomes the first counted report
    where: str = ""  # the record as a person finds it in the file (record 3 (line 7))
    closed_now: bool = False  # closed, and its record did not say when: closed at import


class _Reader:
    """Reads the fields of one record, collecting every problem."""

    def __init__(
        self, rec: dict[str, Any], now: dt.datetime, calendar: WorkCalendar, cells: bool
    ) -> None:
        self.rec, self.now, self.calendar = rec, now, calendar
        self.cells = cells  # a spreadsheet's cells: a number in a text column is its text
        self.problems: list[Problem] = []
        self.memo = _memo(now, calendar)

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(key, message))

    def text(self, key: str) -> str | None:
        value = self.rec.get(key)
        if type(value) is str:  # the usual case, first
            text = value.strip()
            if not text.isprintable() and (problem := model.text_problem(text)) is not None:
                self.fail(key, problem)
                return None
            return text or None
        if value is None:
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(key, t("must be text, not {kind}", kind=t(_KINDS[float])))
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and self.cells:
            value = int(value) if isinstance(value, float) and value.is_integer() else value
            value = str(value)
        if not isinstance(value, str):
            self.fail(key, t("must be text, not {kind}", kind=_kind(value)))
            return None
        text = value.strip()
        if (problem := model.text_problem(text)) is not None:
            self.fail(key, problem)
            return None
        return text or None

    def body(self, key: str) -> str | None:
        """Long text kept as written (line breaks and indentation), None when blank."""
        text = self.text(key)
        value = self.rec.get(key)
        return None if text is None else value if isinstance(value, str) else text

    def choice(self, key: str, default: str | None) -> str | None:
        text = self.text(key)
        if text is None:
            return default
        found = value_map(key).get(text)
        if found is None:
            from oa_cli.domain.fields import VALUES

            names = [c.label if get_lang() == "zh" else c.value for c in VALUES[key]]
            self.fail(
                key,
                t("'{value}' is not one of {choices}", value=text, choices=t(", ").join(names)),
            )
        return found

    def items(self, key: str) -> list[str]:
        value = self.rec.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                self.fail(key, t("must be a list of names"))
                return []
            problem = next(filter(None, map(model.text_problem, value)), None)
            if problem is not None:
                self.fail(key, problem)
                return []
            return list(dict.fromkeys(v.strip() for v in value if v.strip()))
        text = self.text(key)
        return list(dict.fromkeys(v for v in _SPLIT.split(text or "") if v))

    def stamp(self, key: str) -> str | None:
        value = self.rec.get(key)
        if value is None or value == "":
            return None
        try:
            if isinstance(value, dt.datetime):  # a spreadsheet's cell: in range as text is
                check_day(value, field_name(key))
                return iso(local(value))
            if isinstance(value, dt.date):
                return iso(
                    dt.datetime.combine(check_day(value, field_name(key)), dt.time()).astimezone()
                )
            text = self.text(key)
            return None if text is None else self._stamp_text(text)
        except OaError as exc:
            self.fail(key, exc.message)
        except (ValueError, OverflowError) as exc:
            self.fail(key, str(exc))
        return None

    def _stamp_text(self, text: str) -> str:
        """A time written as text; records of one file share few, so each is read once."""
        found = self.memo.stamps.get(text)
        if found is None:
            stamp = iso(parse_datetime(text, now=self.now, calendar=self.calendar))
            found = self.memo.keep(self.memo.stamps, text, stamp)
        return found

    def added(self, day: dt.date, days: int) -> str:
        """`days` working days after `day`, as ISO text."""
        found = self.memo.added.get((day, days))
        if found is None:
            found = self.memo.keep(
                self.memo.added, (day, days), self.calendar.add(day, days).isoformat()
            )
        return found

    def day(self, key: str) -> str | None:
        value = self.rec.get(key)
        if value is None or value == "":
            return None
        today = self.now.date()
        try:
            if isinstance(value, dt.datetime):
                return check_day(value.date(), field_name(key)).isoformat()
            if isinstance(value, dt.date):
                return check_day(value, field_name(key)).isoformat()
            text = self.text(key)
            if text is None:
                return None
            found = self.memo.days.get(text)
            if found is None:
                day = parse_due(text, base=today, today=today, calendar=self.calendar)
                found = self.memo.keep(self.memo.days, text, day.isoformat())
            return found
        except OaError as exc:
            self.fail(key, exc.message)
        return None

    def number(self, key: str, low: int, high: int = MAX_ID) -> int | None:
        value = self.rec.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(
                key,
                t(
                    "'{value}' is not a whole number from {low} to {high}",
                    value=value,
                    low=low,
                    high=high,
                ),
            )
            return None
        return value


_KINDS = {
    bool: N_("true/false"),
    int: N_("a number"),
    float: N_("a number"),
    list: N_("a list"),
    dict: N_("a mapping"),
    bytes: N_("bytes"),
}


def _kind(value: Any) -> str:
    return t(_KINDS.get(type(value), N_("a value of another kind")))


def normalise(record: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Keys as headers or keys → field keys; unknown keys are problems."""
    shape = _shape(record)
    rec = {key: record[raw] for raw, key in shape.keys}
    return rec, [Problem(str(raw), t("unknown field")) for raw in shape.unknown]


_READ = tuple(f for f in FIELDS if f.stored and f.key != "due")  # due is read with its base
_ABSENT: dict[str, Any] = {"count": 0}  # what a field the record leaves out holds (else None)
_ABSENT.update((kind, None) for kind in ("text", "enum", "stamp", "date", "int", "bool"))
_EMPTY: dict[str, Any] = {f.key: _ABSENT.get(f.kind) for f in _READ}  # a record without any field
_LISTS = tuple(f.key for f in _READ if f.kind == "list")


@dataclass(frozen=True)
class _Shape:
    """What a record's keys mean: the records of one file share a few key sets."""

    keys: tuple[tuple[Any, str], ...]  # (the key as written, the field key) of kept ones
    unknown: tuple[Any, ...]  # keys as written that name no field
    fields: tuple[Field, ...]  # the fields of _READ the record has, in _READ order


_SHAPES: dict[tuple[Any, ...], _Shape] = {}


def _shape(record: dict[str, Any]) -> _Shape:
    names = tuple(record)
    found = _SHAPES.get(names)
    if found is None:
        keys: list[tuple[Any, str]] = []
        unknown: list[Any] = []
        for raw_key in names:
            name = str(raw_key).strip()
            key = _HEADERS.get(name) if name in _HEADERS else name
            if key is None:
                continue
            if key not in KEYS and key != "progress":
                unknown.append(raw_key)
                continue
            keys.append((raw_key, key))
        kept = {key for _, key in keys}
        fields = tuple(f for f in _READ if f.key in kept)
        if len(_SHAPES) >= 256:  # flat in memory whatever the file holds
            _SHAPES.clear()
        found = _SHAPES[names] = _Shape(tuple(keys), tuple(unknown), fields)
    return found


def _read(r: _Reader, field: Field) -> Any:
    """One field of a record, read as its kind in the table of fields says."""
    key, kind = field.key, field.kind
    if kind == "text":
        return r.body(key) if key == "body" else r.text(key)
    if kind == "enum":
        return r.choice(key, None)
    if kind == "list":
        return r.items(key)
    if kind == "stamp":
        return r.stamp(key)
    if kind == "date":
        return r.day(key)
    if kind == "count":
        return r.number(key, 0) or 0
    return r.number(key, 1)  # an id


def to_item(
    record: dict[str, Any],
    *,
    now: dt.datetime,
    calendar: WorkCalendar,
    config: Config,
    actor: str,
    due_from_received: bool = False,
    cells: bool = False,
) -> NewItem:
    """One record → a new item's stored columns (with `id` when the record names one).
    Relative deadlines count from today, or from the received date for `add`
    (`due_from_received`). Raises RecordError with every problem found."""
    shape = _shape(record)
    rec = {key: record[raw] for raw, key in shape.keys}
    r = _Reader(rec, now, calendar, cells)
    r.problems.extend(Problem(str(raw), t("unknown field")) for raw in shape.unknown)
    item = dict(_EMPTY)
    for key in _LISTS:
        item[key] = []
    for f in shape.fields:
        item[f.key] = _read(r, f)
    if item["title"] is None and not any(p.key == "title" for p in r.problems):
        r.fail("title", t("must not be empty"))
    item["priority"] = item["priority"] or "normal"
    item["source"] = item["source"] or "instruction"
    item["status"] = item["status"] or (model.ASSIGNED if item["unit"] else model.REGISTERED)
    # a record that says only when it was assigned was received by then at the latest
    item["received_at"] = item["received_at"] or item["assigned_at"] or iso(now)
    received_at = dt.datetime.fromisoformat(item["received_at"])
    if received_at > now:
        r.fail("received_at", t("{value} is later than now", value=item["received_at"]))
    received = received_at.date()
    item["due"] = _due(r, rec, config, item["priority"], received, due_from_received)
    item["original_due"] = item["original_due"] or item["due"]
    item["co_units"] = [c for c in item["co_units"] if c != item["unit"]]
    item["created_by"] = item["created_by"] or actor
    item["repeat"] = _repeat(r, item["repeat"])
    item["title_key"] = _title_key(item["title"] or "")
    progress = r.body("progress")
    closed_now = item["status"] == model.CLOSED and not item["closed_at"]
    if not r.problems:
        _check_state(r, item, now, config, calendar, progress)
    if r.problems:
        raise RecordError(r.problems)
    return NewItem(as_item(item), progress, closed_now=closed_now)


_PLAIN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]*")


def _title_key(title: str) -> str:
    """workflow.title_key, at once for a title of CJK ideographs, ASCII letters and
    digits only: NFKC keeps them, case-folding lowers the letters, none is dropped."""
    return title.lower() if _PLAIN.fullmatch(title) else title_key(title)


def _repeat(r: _Reader, text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return parse_repeat(text)
    except OaError as exc:
        r.fail("repeat", exc.message)
        return None


def _due(
    r: _Reader,
    rec: dict[str, Any],
    config: Config,
    priority: str,
    received: dt.date,
    from_received: bool,
) -> str:
    text = rec.get("due")
    if text is None or text == "":
        return r.added(received, config.deadlines[priority])
    if from_received and isinstance(text, str):
        try:
            day = parse_due(text, base=received, today=r.now.date(), calendar=r.calendar)
            return day.isoformat()
        except OaError as exc:
            r.fail("due", exc.message)
            return received.isoformat()
    return r.day("due") or received.isoformat()


def _check_state(
    r: _Reader,
    item: dict[str, Any],
    now: dt.datetime,
    config: Config,
    calendar: WorkCalendar,
    progress: str | None,
) -> None:
    """The fields of one status agree with each other (a record is a whole item)."""
    status = item["status"]
    if status != model.REGISTERED and item["unit"] is None and status != model.CANCELLED:
        r.fail("unit", t("an item in status {status} needs a unit", status=t(status)))
    if status == model.REGISTERED and item["unit"] is not None:
        r.fail("status", t("an item with a unit cannot be registered"))
    if status == model.REGISTERED and item["assigned_at"] is not None:
        r.fail("assigned_at", t("an item not assigned to a unit has no assignment time"))
    if status == model.REGISTERED and progress is not None:
        r.fail("progress", t("a report needs a unit that made it: give the unit too"))
    if item["assigned_at"] is not None:
        assigned_at = dt.datetime.fromisoformat(item["assigned_at"])
        if assigned_at > now:
            r.fail("assigned_at", t("{value} is later than now", value=item["assigned_at"]))
        elif assigned_at.date() < dt.datetime.fromisoformat(item["received_at"]).date():
            r.fail("assigned_at", t("an item is assigned on or after the day it is received"))
    if item["unit"] is not None and item["assigned_at"] is None:
        item["assigned_at"] = item["received_at"]
    if status == model.CLOSED:
        if item["close_basis"] is None:
            r.fail("close_basis", t("a closed item needs its closing basis"))
        item["closed_at"] = item["closed_at"] or iso(now)
    elif item["closed_at"] or item["close_basis"]:
        r.fail("status", t("only a closed item has closing fields"))
    if item["feedback_count"] and item["last_feedback_at"] is None:
        r.fail("last_feedback_at", t("feedback_count needs last_feedback_at"))
    if status == model.ASSIGNED and item["report_due"] is None and item["assigned_at"]:
        assigned = dt.datetime.fromisoformat(item["assigned_at"]).date()
        if item["feedback_count"]:
            from oa_cli.domain.workflow import next_report_due

            last = dt.datetime.fromisoformat(item["last_feedback_at"]).date()
            item["report_due"] = r.memo.ruled(next_report_due, config, last)
        elif progress is None:
            item["report_due"] = r.memo.ruled(first_report_due, config, assigned)
    if status != model.ASSIGNED:
        item["report_due"] = None
