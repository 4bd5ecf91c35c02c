"""Machine formats: tsv, csv, json, jsonl, yaml. Streamed record by record where possible."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO, TextIO, cast

from oa_cli.i18n import t

_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Control characters (C0, DEL, C1) and the bidirectional overrides, which could make a
# title display reversed (SPEC "Safety").
_TSV_SPECIAL = re.compile(
    r"[\\\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def _tsv_escape(text: str) -> str:
    if text.isprintable() and "\\" not in text:  # the common case, without a regex
        return text
    return _TSV_SPECIAL.sub(lambda m: _TSV_ESCAPES.get(m[0]) or escaped(m[0]), text)


# What a terminal must never get raw: C0 but tab and newline, DEL, C1, bidi overrides.
# Controls, bidi overrides, and what no document can hold (lone surrogates, U+FFFE/F).
_UNPRINTABLE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def printable(text: str) -> str:
    """Text fit for a terminal: control characters and bidi overrides escaped."""
    if text.isprintable():  # the common case, without the regex
        return text
    return _UNPRINTABLE.sub(lambda m: escaped(m[0]), text)


def escaped(char: str) -> str:
    """`\\xNN` for a control character, `\\uNNNN` beyond Latin-1 (a bidi override)."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def scalar(value: Any) -> str:
    """A value as one field of tsv/csv: lists joined by commas, null empty, booleans lower."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(scalar(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def tsv_line(values: Iterable[Any]) -> str:
    """One record's values as a tsv line (hot path: one check per line, not per field)."""
    fields = [value if value.__class__ is str else scalar(value) for value in values]
    whole = "".join(fields)
    if whole.isprintable() and "\\" not in whole:
        return "\t".join(fields)
    return "\t".join([_tsv_escape(f) for f in fields])


def write_tsv(out: TextIO, rows: Iterable[Iterable[Any]]) -> None:
    """Rows of values (in the keys' order) as tsv: no header."""
    _write_lines(out, (tsv_line(row) for row in rows))


def _write_lines(out: TextIO, lines: Iterable[str], batch: int = 256) -> None:
    """Stream lines in small batches: flat memory, few write calls."""
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= batch:
            out.write("\n".join(chunk) + "\n")
            chunk.clear()
    if chunk:
        out.write("\n".join(chunk) + "\n")


def write_csv(out: TextIO, rows: Iterable[Iterable[Any]], keys: tuple[str, ...]) -> None:
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([scalar(v) for v in row])


def write_rows(out: TextIO, fmt: str, rows: Iterable[Iterable[Any]], keys: tuple[str, ...]) -> None:
    """tsv or csv of rows that are already values in the keys' order."""
    if fmt == "tsv":
        write_tsv(out, rows)
    else:
        write_csv(out, rows, keys)


def dumps(value: Any) -> str:
    """Compact JSON (C encoder: an indent would switch to the slow pure-Python one), the
    same bytes as SQLite's json_object() makes for the item objects it builds."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_json_array(out: TextIO, records: Iterable[Mapping[str, Any]]) -> None:
    write_json_bytes(out, "json", _batches(dumps(r).encode() for r in records))


def _batches(texts: Iterable[bytes], size: int = 512) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    for text in texts:
        chunk.append(text)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Whole:
    """A byte stream each write of which is written whole. A full disk can take part of a
    write and say nothing (the call returns how much it took); the rest is written on,
    so the system says why it cannot, and oa exits 1 with that line, not 0 with a cut
    file."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw

    def write(self, data: bytes | bytearray | memoryview) -> int:
        rest = memoryview(data).cast("B")
        size = len(rest)
        while rest:
            taken = self.raw.write(rest)
            if not taken:
                raise OSError(0, t("the output could not be written whole"))
            rest = rest[taken:]
        return size

    def writelines(self, parts: Iterable[bytes]) -> None:
        for part in parts:
            self.write(part)

    def flush(self) -> None:
        self.raw.flush()


def binary(out: TextIO) -> BinaryIO | None:
    """The byte stream under `out` when machine output may skip the text layer: a pipe or
    file (JSON is UTF-8 there, whatever the locale). None on a terminal, whose encoding
    the text layer honours."""
    buffer = getattr(out, "buffer", None)
    if buffer is None or out.isatty():
        return None
    out.flush()
    return cast(BinaryIO, Whole(buffer))  # what writers of bytes use: write, writelines


def write_json_bytes(out: TextIO, fmt: str, batches: Iterable[list[bytes]]) -> int:
    """Batches of UTF-8 JSON objects as jsonl, or as a JSON array streamed one object a
    line; return how many objects."""
    raw = binary(out)
    write = raw.write if raw is not None else (lambda b: out.write(b.decode()))
    count = 0
    if fmt == "jsonl":
        for batch in batches:
            count += len(batch)
            write(b"\n".join(batch) + b"\n")
        return count
    write(b"[")
    for batch in batches:
        write((b",\n" if count else b"\n") + b",\n".join(batch))
        count += len(batch)
    write(b"\n]\n" if count else b"]\n")
    return count


def write_jsonl(out: TextIO, records: Iterable[Mapping[str, Any]]) -> None:
    _write_lines(out, (dumps(record) for record in records))


def write_yaml(out: TextIO, value: Any) -> None:
    import yaml

    class Dumper(yaml.SafeDumper):
        """Text with a line break YAML reads as a space in a plain or single-quoted
        scalar (NEL, U+2028, U+2029) is written double-quoted, where it is escaped."""

    def text(dumper: yaml.SafeDumper, data: str) -> Any:
        style = '"' if _YAML_BREAKS.search(data) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(str, text)
    yaml.dump(
        value, out, Dumper=Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False
    )


_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")


def write_records(
    out: TextIO, fmt: str, records: Iterable[Mapping[str, Any]], keys: tuple[str, ...]
) -> None:
    if fmt in ("tsv", "csv"):
        write_rows(out, fmt, ([record.get(k) for k in keys] for record in records), keys)
    elif fmt == "json":
        write_json_array(out, records)
    elif fmt == "jsonl":
        write_jsonl(out, records)
    elif fmt == "yaml":
        write_yaml(out, list(records))
    else:  # pragma: no cover - the caller chose the format
        raise ValueError(fmt)


def write_document(out: TextIO, fmt: str, value: dict[str, Any]) -> None:
    """One object (show, reports): json, jsonl (one line) or yaml."""
    if fmt == "yaml":
        write_yaml(out, value)
    elif fmt == "jsonl":
        out.write(dumps(value) + "\n")
    elif out.isatty():  # like gh: pretty for a person, compact (and fast) for a pipe
        out.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(dumps(value) + "\n")


def write_anchor(out: TextIO, fmt: str, anchor: dict[str, Any]) -> None:
    """A report's last line in a row format: the ledger's anchor (台账校验码) when it was
    made, as JSON gives it under "anchor" (a `#` line in tsv and csv)."""
    if fmt == "jsonl":
        out.write(dumps({"anchor": anchor}) + "\n")
    else:
        out.write(f"# 台账校验码 anchor {anchor['seq']}:{anchor['hash']}\n")
