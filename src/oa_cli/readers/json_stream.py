"""JSON and JSON Lines read as they are imported, never whole: the records of a JSON
document streamed with ijson (read whole, as Python reads JSON, when yajl refuses it),
a JSON Lines file one line at a time."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from oa_cli.domain.fields import header_map
from oa_cli.errors import InvalidInput
from oa_cli.i18n import t


@dataclass
class Record:
    number: int  # counted from 1
    line: int | None  # spreadsheet row or file line, where there is one
    data: Any
    in_sheet: bool = False  # `line` is a spreadsheet's row


@dataclass
class Parsed:
    records: Iterable[Record]  # read as they are validated and written: flat in memory
    warnings: list[str] = field(default_factory=list)
    cells: bool = False  # a spreadsheet's: a number in a text column is its text
    estimate: int = 0  # about how many records (for the progress bar and the bulk load)
    named_max: int = 0  # the highest id the records name, when known before reading them
    totals: list[int] = field(default_factory=list)  # a sheet's rows of totals, skipped


def id_keys() -> frozenset[str]:
    """The keys a record may name its id by."""
    return frozenset([k for k, v in header_map().items() if v == "id"] + ["id"])


def _named_max(records: Iterable[Any]) -> int:
    """The highest id records name (a new item's id is then above it, whatever the order)."""
    keys = id_keys()
    found = 0
    for data in records:
        if isinstance(data, dict):
            for key in keys:
                value = data.get(key)
                if isinstance(value, int) and not isinstance(value, bool):
                    found = max(found, value)
    return found


_WHOLE_MAX = 64 * 2**20  # a JSON document yajl refuses is read whole up to this size


def json_document(stream: BinaryIO, name: str) -> Parsed:
    """A JSON document (a list of records, or a mapping with one under "items"), read
    incrementally: once to check it and find the ids it names, then as it is imported.
    One that yajl refuses (NaN, a number beyond 64 bits, an error) is read whole as
    Python reads JSON, up to _WHOLE_MAX bytes."""
    import ijson

    from oa_cli.readers.sheets import undecodable

    bad = undecodable(stream, "utf-8")
    if bad is not None:
        raise InvalidInput(
            t("{name}: not UTF-8 text (byte {pos}); save it as UTF-8", name=name, pos=bad)
        )
    lone = _lone_surrogate(stream)
    stream.seek(0)
    start = 3 if stream.read(3) == b"\xef\xbb\xbf" else 0
    try:
        if lone:  # yajl would write it as '?': Python's reader keeps it, to be named
            raise ijson.JSONError("a lone surrogate")
        prefix, count, named_max = _json_outline(stream, start)
    except (ijson.JSONError, _Overflow) as exc:
        size = stream.seek(0, io.SEEK_END)
        if size > _WHOLE_MAX:
            raise InvalidInput(_json_error(name, exc)) from None
        stream.seek(0)
        return listed(_whole_json(stream.read().decode("utf-8-sig"), name), name)
    stream.seek(start)
    records = _json_records(ijson.items(stream, prefix, use_float=True), name)
    return Parsed(records, estimate=count, named_max=named_max)


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD]([89abAB]|[c-fC-F])[0-9a-fA-F]{2}")


def _lone_surrogate(stream: BinaryIO) -> bool:
    """Whether the document escapes half a surrogate pair alone (`"\\ud800"`), which is
    not text; read a megabyte at a time, each escape judged with 18 bytes around it."""
    stream.seek(0)
    tail = b""
    while True:
        chunk = stream.read(1 << 20)
        text, end = tail + chunk, not chunk
        since, judged = max(len(tail) - 6, 0), len(text) if end else len(text) - 6
        if b"\\u" in text and _lone_in(text, since, judged):
            return True
        if end:
            return False
        tail = text[-18:]


def _lone_in(text: bytes, since: int, judged: int) -> bool:
    """A lone surrogate escape among those of `text` ending after `since` (the earlier
    ones were judged in the last read) and by `judged` (later ones wait for the next).
    An escape's backslash after an odd run of backslashes is escaped itself:
    `\\\\ud800` is a backslash and text."""
    for found in _SURROGATE_ESCAPE.finditer(text):
        if found.end() <= since:
            continue
        if found.end() > judged:
            break
        start = run_start = found.start()
        while run_start and text[run_start - 1] == 0x5C:  # the backslashes before it
            run_start -= 1
        if (start - run_start) % 2:
            continue
        if found[1] in b"89abAB":  # a high half: a low half must follow at once
            after = _SURROGATE_ESCAPE.match(text, found.end())
            if after is None or after[1] in b"89abAB":
                return True
        else:  # a low half: a high half must come just before
            before = _SURROGATE_ESCAPE.match(text, start - 6) if start >= 6 else None
            if before is None or before[1] not in b"89abAB" or before.end() != start:
                return True
    return False


class _Overflow(Exception):
    def __str__(self) -> str:
        return "integer overflow"


def _json_outline(stream: BinaryIO, start: int) -> tuple[str, int, int]:
    """Where a JSON document's records are (`item`, or `items.item` in a mapping), how
    many there are and the highest id they name."""
    import ijson

    stream.seek(start)
    keys, prefix, count, named_max, top = id_keys(), "item", 0, 0, None
    for path, event, value in ijson.parse(stream):
        if top is None:
            top = event
        elif path == prefix and event == "start_map":
            count += 1
        elif event == "number" and type(value) is int:
            if not -(2**63) <= value < 2**63:
                raise _Overflow
            if path.startswith(prefix + ".") and path[len(prefix) + 1 :] in keys:
                named_max = max(named_max, value)  # a record's id
        elif path == "items" and event == "start_array" and top == "start_map":
            prefix, top = "items.item", "items"
    if top not in ("start_array", "items", None):
        raise ijson.JSONError("expected a list of records")
    return prefix, count, named_max


def listed(data: Any, name: str) -> Parsed:
    """The records of a document read whole."""
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        raise InvalidInput(t("{name}: expected a list of records", name=name))
    listed = [Record(i + 1, None, r) for i, r in enumerate(data)]
    return Parsed(listed, estimate=len(listed), named_max=_named_max(r.data for r in listed))


def _whole_json(text: str, name: str) -> Any:
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


def _json_error(name: str, exc: Exception) -> str:
    return t("{name}: not valid JSON: {error}", name=name, error=str(exc).splitlines()[0])


def _json_records(items: Iterator[Any], name: str) -> Iterator[Record]:
    number = 0
    try:
        for data in items:
            number += 1
            yield Record(number, None, data)
    except Exception as exc:  # ijson.JSONError, read again: the file changed meanwhile
        raise InvalidInput(_json_error(name, exc)) from None


def jsonl_records(stream: BinaryIO, name: str) -> Iterator[Record]:
    """Records of a JSON Lines file, one line at a time."""
    number = 0
    for lineno, line in enumerate(stream, 1):
        if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        try:
            data = json.loads(line.decode())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            error = exc.msg if isinstance(exc, json.JSONDecodeError) else t("not UTF-8 text")
            raise InvalidInput(
                t(
                    "{name}: line {line}: not valid JSON: {error}",
                    name=name,
                    line=lineno,
                    error=error,
                )
            ) from None
        number += 1
        yield Record(number, lineno, data)
