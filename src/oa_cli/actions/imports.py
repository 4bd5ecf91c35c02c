"""`oa import`: read records, validate every one, then write all of them or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oa_cli.actions import Context, units
from oa_cli.domain.records import RecordError, to_item
from oa_cli.errors import InvalidInput, OaError
from oa_cli.i18n import t
from oa_cli.ledger import items as store
from oa_cli.ledger.connection import write

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


@dataclass
class Record:
    number: int  # counted from 1
    line: int | None
    data: dict[str, Any]


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


def parse(raw: bytes, fmt: str, name: str) -> list[Record]:
    if fmt == "xlsx":
        return _xlsx(raw, name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            t("{name}: not UTF-8 text (byte {pos}); save it as UTF-8", name=name, pos=exc.start)
        ) from None
    if fmt == "jsonl":
        return _jsonl(text, name)
    if fmt == "csv":
        return _csv(text)
    if fmt == "json":
        try:
            data = json.loads(text) if text.strip() else []
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                t(
                    "{name}: line {line}: not valid JSON: {error}",
                    name=name,
                    line=exc.lineno,
                    error=exc.msg,
                )
            ) from None
    else:
        data = _yaml(text, name)
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        raise InvalidInput(t("{name}: expected a list of records", name=name))
    return [Record(i + 1, None, r) for i, r in enumerate(data)]


def _yaml(text: str, name: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text) or []
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


def _xlsx(raw: bytes, name: str) -> list[Record]:
    from oa_cli.render.xlsx import read_rows

    try:
        rows = read_rows(raw)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput(
            t("{name}: not a readable Excel workbook: {error}", name=name, error=exc)
        ) from None
    if rows and not any(k in ("title", "事项", "事项名称", "标题") for k in rows[0]):
        raise InvalidInput(t("{name}: no title column (title or 事项名称)", name=name))
    return [Record(i + 1, i + 2, r) for i, r in enumerate(rows)]


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


def _csv(text: str) -> list[Record]:
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or not any(
        (h or "").strip() in ("title", "事项", "事项名称", "标题") for h in reader.fieldnames
    ):
        raise InvalidInput(t("CSV has no title column (title or 事项名称)"))
    records = []
    for i, row in enumerate(reader, 1):
        data = {k: v for k, v in row.items() if k is not None and v not in (None, "")}
        records.append(Record(i, reader.line_num, data))
    return records


def validate(ctx: Context, records: list[Record]) -> list[dict[str, Any]]:
    """Every record checked; all errors raised together, each with its record and field."""
    errors: list[str] = []
    items: list[dict[str, Any]] = []
    directory = units.directory(ctx)
    taken: set[int] = set()
    for rec in records:
        where = t("record {n}", n=rec.number) + (
            t(" (line {line})", line=rec.line) if rec.line else ""
        )
        try:
            if not isinstance(rec.data, dict):
                raise RecordError("-", t("a record must be a mapping of fields"))
            item = to_item(
                rec.data,
                now=ctx.now,
                calendar=ctx.calendar,
                deadlines=ctx.config.deadlines,
                actor=ctx.actor,
            )
            _resolve_units(ctx, item, directory)
            _check_id(ctx, item, taken)
            items.append(item)
        except RecordError as exc:
            errors.append(f"{where}: {exc.field}: {exc.message}")
    if errors:
        raise InvalidInput(t("{n} invalid records; nothing imported", n=len(errors)), *errors)
    return items


def _resolve_units(ctx: Context, item: dict[str, Any], directory: list[Any]) -> None:
    try:
        if item["unit"] is not None:
            item["unit"] = units.resolve(ctx, item["unit"], directory)
        item["co_units"] = [units.resolve(ctx, c, directory) for c in item["co_units"]]
    except OaError as exc:
        raise RecordError("unit", exc.message) from None


def _check_id(ctx: Context, item: dict[str, Any], taken: set[int]) -> None:
    item_id = item.get("id")
    if item_id is None:
        return
    exists = ctx.conn.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone()
    if exists or item_id in taken:
        raise RecordError("id", t("item {id} already exists", id=item_id))
    taken.add(item_id)


def import_items(
    ctx: Context, items: list[dict[str, Any]], progress: Callable[[int], None] | None = None
) -> list[int]:
    """Write every item and its `import` event in one transaction, in batches."""
    # Records naming their id go first, so a new id never takes one a later record names.
    ordered = [i for i in items if i.get("id")] + [i for i in items if not i.get("id")]
    with write(ctx.conn), store.bulk_load(ctx.conn, len(ordered)):
        journal = ctx.journal()
        named = [i["id"] for i in ordered if i.get("id")]
        fresh = max(store.next_id(ctx.conn), max(named, default=0) + 1)
        for start in range(0, len(ordered), _BATCH):
            batch = ordered[start : start + _BATCH]
            for item in batch:
                if not item.get("id"):
                    item["id"], fresh = fresh, fresh + 1
            store.insert_many(ctx.conn, batch)
            journal.append_many(
                [(i["id"], "import", {k: v for k, v in i.items() if k != "id"}) for i in batch]
            )
            if progress is not None:
                progress(len(batch))
    return [item["id"] for item in ordered]
