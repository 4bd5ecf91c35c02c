"""`oa import`: read records, validate every one, then write all of them or nothing.

A record with a unit is assigned at its 交办日期 (`assigned_at`), with an `assign`
event at that time; its 办理情况 becomes its first counted report."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from oa_cli.actions import Context, units
from oa_cli.domain.dates import iso
from oa_cli.domain.fields import Item, said
from oa_cli.domain.fields import value as field_value
from oa_cli.domain.records import MAX_ID, NewItem, Problem, RecordError, to_item
from oa_cli.domain.workflow import next_report_due
from oa_cli.errors import InvalidInput, OaError
from oa_cli.i18n import os_error, t
from oa_cli.readers import json_stream
from oa_cli.readers.json_stream import Parsed, Record

__all__ = ["FORMATS", "Parsed", "Record", "detect_format", "open_source", "parse", "run"]

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


def open_source(source: str) -> BinaryIO:
    """The file to import (`-`: standard input, spooled to a temporary file), open for
    reading from its start: files are read as they are imported, never whole."""
    import shutil
    import sys
    import tempfile

    try:
        if source != "-":
            return open(source, "rb")  # noqa: SIM115 - read as the import goes
        spool = tempfile.TemporaryFile()  # noqa: SIM115
        shutil.copyfileobj(sys.stdin.buffer, spool)
        spool.seek(0)
        return spool
    except OSError as exc:
        raise InvalidInput(
            t("cannot read {name}: {error}", name=source, error=os_error(exc))
        ) from None


def parse(source: bytes | BinaryIO, fmt: str, name: str) -> Parsed:
    """The records of `source` (bytes, or a binary file that can seek), read lazily."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    if fmt in ("xlsx", "csv"):
        from oa_cli.readers import sheets

        lines = sheets.count_lines(stream)
        sheet = sheets.read_xlsx(stream) if fmt == "xlsx" else sheets.read_csv(stream)
        records = (Record(r.number, r.row, r.data, in_sheet=True) for r in sheet.records)
        warnings = list(sheet.warnings)
        if sheet.unknown:
            warnings.append(
                t("{name}: columns ignored: {columns}", name=name, columns=", ".join(sheet.unknown))
            )
        return Parsed(records, warnings, cells=True, estimate=lines, totals=sheet.totals)
    if fmt == "jsonl":
        from oa_cli.readers.sheets import count_lines

        return Parsed(json_stream.jsonl_records(stream, name), estimate=count_lines(stream))
    if fmt == "json":
        return json_stream.json_document(stream, name)
    return json_stream.listed(_yaml(_text(stream.read(), name), name), name)


def _text(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            t("{name}: not UTF-8 text (byte {pos}); save it as UTF-8", name=name, pos=exc.start)
        ) from None


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


def _where(rec: Record) -> str:
    if not rec.line:
        return t("record {n}", n=rec.number)
    at = t(" (row {line})", line=rec.line) if rec.in_sheet else t(" (line {line})", line=rec.line)
    return t("record {n}", n=rec.number) + at


@dataclass
class _Run:
    """One import as it goes: what is written so far, and every problem found."""

    ctx: Context
    write: bool
    fresh: int
    errors: list[str] = field(default_factory=list)
    batch: list[NewItem] = field(default_factory=list)
    closed_now: int = 0  # closed records that did not say when
    taken: set[int] = field(default_factory=set)  # ids named in the batch not yet written
    done: int = 0

    def add(self, rec: Record, new: NewItem) -> None:
        named = new.item.get("id")
        if named:
            if named in self.taken or self.ctx.ledger.exists(named):
                problem = Problem("id", t("item {id} already exists", id=named))
                self.errors.append(said(_where(rec), problem.line()))
                return
            self.taken.add(named)
        self.closed_now += new.closed_now
        self.batch.append(new)

    def flush(self, journal: Any) -> int:
        """Write the batch (unless a problem was found: then nothing will be)."""
        batch, self.batch, self.taken = self.batch, [], set()
        if not self.write or self.errors:
            return len(batch)
        events: list[tuple[Any, ...]] = []
        for new in batch:
            if not new.item.get("id"):
                if self.fresh > MAX_ID:
                    raise InvalidInput(t("the ledger has used every id up to {max}", max=MAX_ID))
                new.item["id"], self.fresh = self.fresh, self.fresh + 1
            events.extend(_events(self.ctx, new))
        self.ctx.ledger.insert_many([n.item for n in batch])
        journal.append_many(events)
        self.done += len(batch)
        return len(batch)


def run(
    ctx: Context,
    parsed: Parsed,
    *,
    write: bool = True,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Validate every record and, unless `write` is false, write it in the same pass and
    the same transaction: all or nothing, flat in memory. Every problem of every record
    is raised together (then nothing is written), each with its record, row and field.
    A new item's id comes after every id in the ledger and, for a list, every id its
    records name; a record naming an id taken already is a problem. Returns how many."""
    import contextlib

    # a dry run reads only (a read-only ledger can still check a file)
    rows = parsed.estimate if write else 0
    lock = ctx.ledger.transaction() if write else contextlib.nullcontext()
    with ctx.ledger.first_load(rows), lock, ctx.ledger.bulk_load(rows):
        state = _Run(ctx, write, _first_fresh(ctx, parsed.named_max))
        journal = ctx.journal()
        directory = _Directory(ctx)
        count = 0
        for rec in parsed.records:
            count += 1
            new = _checked(ctx, rec, parsed.cells, directory, state.errors)
            if new is not None:
                state.add(rec, new)
            if len(state.batch) >= _BATCH:
                n = state.flush(journal)
                if progress is not None:
                    progress(n)
        state.flush(journal)
        if state.errors:
            raise InvalidInput(
                t("nothing imported; problems found: {n}", n=len(state.errors)), *state.errors
            )
    if state.closed_now:
        ctx.warn(
            t(
                "closed records without a closing time (办结时间): {n}; they are closed as of"
                " now, which the assessment counts as late after their deadline",
                n=state.closed_now,
            )
        )
    return count


def _first_fresh(ctx: Context, named_max: int) -> int:
    """The id a record without one gets first; past MAX_ID when every id is used (then
    only records naming their ids can still be imported)."""
    try:
        return max(ctx.ledger.next_id(), named_max + 1)
    except InvalidInput:
        return MAX_ID + 1


def _checked(
    ctx: Context, rec: Record, cells: bool, directory: _Directory, errors: list[str]
) -> NewItem | None:
    """One record as a new item, or None with its problems added to `errors`."""
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
    except RecordError as exc:  # the units are checked too, so every problem shows at once
        problems = exc.problems
        if isinstance(rec.data, dict) and not any(p.key in _UNIT_KEYS for p in problems):
            problems = problems + _unit_problems(rec.data, directory)
        errors.extend(said(_where(rec), p.line()) for p in problems)
        return None
    try:
        _resolve_units(new.item, directory)
    except RecordError as exc:
        errors.extend(said(_where(rec), p.line()) for p in exc.problems)
        return None
    return new


_UNIT_KEYS = ("unit", "co_units")


def _unit_problems(data: dict[str, Any], directory: _Directory) -> list[Problem]:
    """The unit problems of a record that has others too, so every one is listed at once."""
    from oa_cli.domain.records import normalise

    rec, _ = normalise(data)
    unit, co = rec.get("unit"), rec.get("co_units")
    probe: Item = {
        "unit": unit if isinstance(unit, str) and unit.strip() else None,
        "co_units": [c for c in co if isinstance(c, str) and c.strip()]
        if isinstance(co, list)
        else [],
    }
    try:
        _resolve_units(probe, directory)
    except RecordError as exc:
        return exc.problems
    return []


class _Directory:
    """The unit directory of one import, and the names already resolved in it."""

    def __init__(self, ctx: Context) -> None:
        self.ctx, self.units, self.known = ctx, units.directory(ctx), dict[str, str]()

    def resolve(self, name: str, key: str) -> str:
        found = self.known.get(name)
        if found is None:
            found = units.resolve(self.ctx, name, self.units, key)
            if len(self.known) < 10_000:  # flat in memory whatever the file names
                self.known[name] = found
        return found


def _resolve_units(item: Item, directory: _Directory) -> None:
    """Units named by code, name or alias, as the directory has them; every unknown one
    is a problem of its own."""
    problems = []
    try:
        if item["unit"] is not None:
            item["unit"] = directory.resolve(item["unit"], "unit")
    except OaError as exc:
        problems.append(Problem("unit", exc.message))
    co_units = []
    for name in item["co_units"]:
        try:
            co_units.append(directory.resolve(name, "co_units"))
        except OaError as exc:
            problems.append(Problem("co_units", exc.message))
    if problems:
        raise RecordError(problems)
    item["co_units"] = co_units


def _events(ctx: Context, new: NewItem) -> list[tuple[Any, ...]]:
    """The import event (the whole item), then its assignment at its own time, then its
    办理情况 as the first counted report."""
    item = new.item
    data = dict(item)
    del data["id"], data["title_key"]
    events: list[tuple[Any, ...]] = [(item["id"], "import", data)]
    if item["assigned_at"] and item["status"] == "assigned":
        assignment = {k: field_value(item, k) for k in _ASSIGNMENT}
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
