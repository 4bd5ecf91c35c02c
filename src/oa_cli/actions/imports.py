"""`oa import`: read records, validate every one, then write all of them or nothing.

A record with a unit is assigned at its 交办日期 (`assigned_at`), with an `assign`
event at that time; its 办理情况 becomes its first counted report."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from oa_cli.actions import Context, units
from oa_cli.domain.dates import iso
from oa_cli.domain.records import MAX_ID, NewItem, Problem, RecordError, to_item
from oa_cli.domain.workflow import next_report_due
from oa_cli.errors import InvalidInput, OaError
from oa_cli.i18n import t

_BATCH = 1000
FORMATS = ("yaml", "json", "jsonl", "csv", "xlsx")
_EXTENSIONS = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".xlsx": "xlsx",
}
_ASSIGNMENT = ("status", "unit", "co_units", "owner", "assigned_at")


@dataclass
class Record:
    number: int  # counted from 1
    line: int | None  # spreadsheet row or file line, where there is one
    data: Any


@dataclass
class Parsed:
    records: list[Record]
    warnings: list[str] = field(default_factory=list)
    cells: bool = False  # a spreadsheet's: a number in a text column is its text


def detect_format(name: str, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in FORMATS:
            raise InvalidInput(
                t(
                    "unknown import format '{fmt}': choose {choices}",
                    fmt=fmt,
                    choices=", ".join(FORMATS),
                )
            )
        return fmt
    for ext, found in _EXTENSIONS.items():
        if name.lower().endswith(ext):
            return found
    raise InvalidInput(t("cannot tell the format of '{name}': use --format", name=name))


def parse(raw: bytes, fmt: str, name: str) -> Parsed:
    if fmt in ("xlsx", "csv"):
        from oa_cli.readers import sheets

        sheet = sheets.read_xlsx(raw) if fmt == "xlsx" else sheets.read_csv(raw)
        records = [Record(r.number, r.row, r.data) for r in sheet.records]
        warnings = list(sheet.warnings)
        if sheet.unknown:
            warnings.append(
                t("{name}: columns ignored: {columns}", name=name, columns=", ".join(sheet.unknown))
            )
        return Parsed(records, warnings, cells=True)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            t("{name}: not UTF-8 text (byte {pos}); save it as UTF-8", name=name, pos=exc.start)
        ) from None
    if fmt == "jsonl":
        return Parsed(_jsonl(text, name))
    data = _json(text, name) if fmt == "json" else _yaml(text, name)
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        raise InvalidInput(t("{name}: expected a list of records", name=name))
    return Parsed([Record(i + 1, None, r) for i, r in enumerate(data)])


def _json(text: str, name: str) -> Any:
    try:
        return json.loads(text) if text.strip() else []
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            t(
                "{name}: line {line}: not valid JSON: {error}",
                name=name,
                line=exc.lineno,
                error=exc.msg,
            )
        ) from None
    except RecursionError:
        raise InvalidInput(t("{name}: nested too deeply", name=name)) from None


def _yaml(text: str, name: str) -> Any:
    import yaml

    from oa_cli.config import load_yaml

    try:
        return load_yaml(text) or []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        raise InvalidInput(
            t(
                "{name}: line {line}: malformed YAML: {error}",
                name=name,
                line=line,
                error=getattr(exc, "problem", exc),
            )
        ) from None


def _jsonl(text: str, name: str) -> list[Record]:
    records: list[Record] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(Record(len(records) + 1, lineno, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                t(
                    "{name}: line {line}: not valid JSON: {error}",
                    name=name,
                    line=lineno,
                    error=exc.msg,
                )
            ) from None
    return records


def _colon() -> str:
    from oa_cli.i18n import get_lang

    return "：" if get_lang() == "zh" else ": "


def _where(rec: Record) -> str:
    return t("record {n}", n=rec.number) + (t(" (line {line})", line=rec.line) if rec.line else "")


def validate(ctx: Context, records: Iterable[Record], cells: bool = False) -> list[NewItem]:
    """Every record checked; all errors of all records raised together, each with its
    record number, its row or line, and its field."""
    errors: list[str] = []
    found: list[NewItem] = []
    directory = units.directory(ctx)
    for rec in records:
        try:
            if not isinstance(rec.data, dict):
                raise RecordError([Problem("-", t("a record must be a mapping of fields"))])
            new = to_item(
                rec.data,
                now=ctx.now,
                calendar=ctx.calendar,
                config=ctx.config,
                actor=ctx.actor,
                cells=cells,
            )
            _resolve_units(ctx, new.item, directory)
            new.where = _where(rec)
            found.append(new)
        except RecordError as exc:
            problems = exc.problems
            if isinstance(rec.data, dict) and not any(p.key == "unit" for p in problems):
                problems = problems + _unit_problems(ctx, rec.data, directory)
            errors.extend(f"{_where(rec)}{_colon()}{p.line()}" for p in problems)
    if errors:
        raise InvalidInput(t("nothing imported; problems found: {n}", n=len(errors)), *errors)
    return found


def _unit_problems(ctx: Context, data: dict[str, Any], directory: list[Any]) -> list[Problem]:
    """The unit problems of a record that has others too, so every one is listed at once."""
    from oa_cli.domain.records import normalise

    rec, _ = normalise(data)
    co = rec.get("co_units")
    names: list[Any] = [rec.get("unit"), *(co if isinstance(co, list) else [])]
    problems = []
    for name in names:
        if isinstance(name, str) and name.strip():
            try:
                units.resolve(ctx, name, directory)
            except OaError as exc:
                problems.append(Problem("unit", exc.message))
    return problems


def _resolve_units(ctx: Context, item: dict[str, Any], directory: list[Any]) -> None:
    problems = []
    try:
        if item["unit"] is not None:
            item["unit"] = units.resolve(ctx, item["unit"], directory)
    except OaError as exc:
        problems.append(Problem("unit", exc.message))
    try:
        item["co_units"] = [units.resolve(ctx, c, directory, "co_units") for c in item["co_units"]]
    except OaError as exc:
        problems.append(Problem("co_units", exc.message))
    if problems:
        raise RecordError(problems)


def import_items(
    ctx: Context, found: list[NewItem], progress: Callable[[int], None] | None = None
) -> list[int]:
    """Write every item and its events in one transaction, in batches."""
    # Records naming their id go first, so a new id never takes one a later record names.
    ordered = [n for n in found if n.item.get("id")] + [n for n in found if not n.item.get("id")]
    with ctx.ledger.transaction(), ctx.ledger.bulk_load(len(ordered)):
        _check_ids(ctx, ordered)
        journal = ctx.journal()
        named = [n.item["id"] for n in ordered if n.item.get("id")]
        fresh = max(ctx.ledger.next_id(), max(named, default=0) + 1)
        for start in range(0, len(ordered), _BATCH):
            batch = ordered[start : start + _BATCH]
            events: list[tuple[Any, ...]] = []
            for new in batch:
                if not new.item.get("id"):
                    if fresh > MAX_ID:
                        raise InvalidInput(
                            t("the ledger has used every id up to {max}", max=MAX_ID)
                        )
                    new.item["id"], fresh = fresh, fresh + 1
                events.extend(_events(ctx, new))
            ctx.ledger.insert_many([n.item for n in batch])
            journal.append_many(events)
            if progress is not None:
                progress(len(batch))
    return [n.item["id"] for n in ordered]


def _check_ids(ctx: Context, ordered: list[NewItem]) -> None:
    """Inside the write lock: no named id exists already or twice."""
    taken: set[int] = set()
    errors = []
    for new in ordered:
        item_id = new.item.get("id")
        if not item_id:
            continue
        if item_id in taken or ctx.ledger.exists(item_id):
            field = Problem("id", t("item {id} already exists", id=item_id)).field_name()
            errors.append(
                f"{new.where}{_colon()}{field}{_colon()}"
                + t("item {id} already exists", id=item_id)
            )
        taken.add(item_id)
    if errors:
        raise InvalidInput(t("nothing imported; problems found: {n}", n=len(errors)), *errors)


def _events(ctx: Context, new: NewItem) -> list[tuple[Any, ...]]:
    """The import event (the whole item), then its assignment at its own time, then its
    办理情况 as the first counted report."""
    item = new.item
    data = {k: v for k, v in item.items() if k not in ("id", "title_key")}
    events: list[tuple[Any, ...]] = [(item["id"], "import", data)]
    if item["assigned_at"] and item["status"] == "assigned":
        assignment = {k: item[k] for k in _ASSIGNMENT}
        events.append((item["id"], "assign", assignment, item["assigned_at"]))
    if new.progress is not None and item["status"] in ("assigned", "closed"):
        item["feedback_count"] += 1
        item["last_feedback_at"] = iso(ctx.now)  # the report reached the ledger today
        if item["status"] == "assigned":  # the next one is owed from that report
            item["report_due"] = next_report_due(ctx.config, ctx.calendar, ctx.today)
        report = {
            "text": new.progress,
            "kind": "first" if item["feedback_count"] == 1 else "follow_up",
            "feedback_count": item["feedback_count"],
            "last_feedback_at": item["last_feedback_at"],
            "report_due": item["report_due"],
        }
        events.append((item["id"], "feedback", report))
    return events
