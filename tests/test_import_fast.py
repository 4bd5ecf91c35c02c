"""The fast import gives what the general paths give: the same items, the same journal
(hash chain sound), from a file read as it goes."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

from conftest import Oa
from hypothesis import given
from hypothesis import strategies as st

from oa_cli.actions import imports
from oa_cli.domain.records import _title_key
from oa_cli.domain.workflow import title_key
from oa_cli.ledger.journal import canonical
from oa_cli.readers.sheets import count_lines, undecodable

UNITS = ["市财政局", "市教育局", "各旗县市区"]


def _records(n: int, seed: int = 3) -> list[dict[str, object]]:
    rnd = random.Random(seed)
    out: list[dict[str, object]] = []
    for i in range(n):
        rec: dict[str, object] = {
            "title": f"关于第{i}号事项的批示" if i % 3 else f"Item {i}: 供暖（{i}）",
            "received": f"2026-{rnd.randint(9, 11)}-{rnd.randint(1, 20):02d}",
            "priority": rnd.choice(["urgent", "high", "normal"]),
        }
        if rnd.random() > 0.2:
            rec["unit"] = rnd.choice(UNITS)
            rec["due"] = rnd.choice(["+5wd", "2026-12-30", "12月15日"])
        if rnd.random() > 0.7 and "unit" in rec:
            rec["办理情况"] = "已部署"
        out.append(rec)
    return out


def _import(oa: Oa, path: Path) -> list[object]:
    oa.ok("import", str(path))
    oa.ok("verify")
    return [json.loads(line) for line in oa.ok("export", "--format", "jsonl").out.splitlines()]


def test_a_streamed_json_array_imports_as_json_lines_do(oa: Oa, tmp_path: Path) -> None:
    records = _records(120)
    lines = tmp_path / "r.jsonl"
    lines.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    from_lines = _import(oa, lines)
    oa.db.unlink()
    array = tmp_path / "r.json"
    array.write_text(json.dumps({"items": records}, ensure_ascii=False))
    assert _import(oa, array) == from_lines
    assert len(from_lines) == 120


def test_journal_of_an_import_chains_each_event_canonically(oa: Oa, tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _records(30)))
    oa.ok("import", str(path))
    oa.ok("verify")  # recomputes every hash from canonical JSON
    import sqlite3

    conn = sqlite3.connect(oa.db)
    for (data,) in conn.execute("SELECT data FROM events"):
        assert data == canonical(json.loads(data))


def test_a_streamed_json_array_new_ids_come_after_every_named_one(oa: Oa, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps([{"title": "甲"}, {"id": 50, "title": "乙"}], ensure_ascii=False))
    items = _import(oa, path)
    assert [item["id"] for item in items] == [50, 51]  # type: ignore[index]


def test_json_that_yajl_refuses_is_read_whole_as_before(oa: Oa, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('[{"title": NaN}]')
    result = oa("import", str(path))
    assert result.code == 1 and "record 1" in result.err


def test_parse_reads_a_file_lazily_and_counts_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"title": "a"}\n\n{"title": "b"}\n')
    with imports.open_source(str(path)) as stream:
        parsed = imports.parse(stream, "jsonl", "r.jsonl")
        assert parsed.estimate == 3
        records = [(r.number, r.line, r.data) for r in parsed.records]
    assert records == [(1, 1, {"title": "a"}), (2, 3, {"title": "b"})]


def test_undecodable_names_the_byte_whatever_the_chunks() -> None:
    data = "督办".encode() * 700_000 + b"\xff"
    assert undecodable(io.BytesIO(data), "utf-8") == len(data) - 1
    assert undecodable(io.BytesIO("督办".encode("gb18030")), "gb18030") is None
    assert count_lines(io.BytesIO(b"a\nb\n")) == 2


@given(st.text(alphabet=st.sampled_from("督办事项关于第号Ab9zZ，、 .（）ＡⅠ①ß½")))
def test_title_key_fast_path_is_the_rule(title: str) -> None:
    assert _title_key(title) == title_key(title)


@given(st.text())
def test_title_key_fast_path_is_the_rule_for_any_text(title: str) -> None:
    assert _title_key(title) == title_key(title)


def test_a_bulk_load_leaves_every_index_as_the_schema_has_it(oa: Oa, tmp_path: Path) -> None:
    """10,000 records into an empty ledger drop the item and journal indexes and make them
    again at the end: the same indexes, the same definitions, as the migrations left them."""
    import sqlite3

    oa.ok("unit", "list")  # the ledger as the migrations made it
    with sqlite3.connect(oa.db) as conn:
        before = sorted(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
    records = tmp_path / "many.jsonl"
    records.write_text(
        "\n".join(json.dumps({"title": f"事项{i}", "unit": "市住建局"}) for i in range(10_000)),
        encoding="utf-8",
    )
    oa.ok("import", str(records))
    with sqlite3.connect(oa.db) as conn:
        after = sorted(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
    assert after == before and any(name == "events_at" for name, _ in after)
    assert [e["action"] for e in oa.ok("log", "9999", "--format", "json").json()] == [
        "import",
        "assign",
    ]
    oa.ok("verify")


def test_a_lone_surrogate_escape_is_found_wherever_it_is_and_only_then() -> None:
    import io

    from oa_cli.readers.json_stream import _lone_surrogate

    def lone(data: bytes) -> bool:
        return _lone_surrogate(io.BytesIO(data))

    assert lone(rb'[{"title": "s\ud800x"}]') and lone(rb'[{"title": "s\udc00"}]')
    assert not lone(rb'[{"title": "s\ud83d\ude00x"}]')  # a pair: one character
    assert not lone(rb'[{"title": "D:\\udb10"}]')  # a backslash, then text
    assert lone(rb'[{"title": "\ud83d\\ude00"}]')  # a high half, then a backslash
    for at in range(2**20 - 24, 2**20 + 4):  # across the first read's end
        pad = b" " * at
        assert not lone(pad + rb'"\ud83d\ude00"' + b" " * 64), at
        assert lone(pad + rb'"\ud83d"' + b" " * 64), at
        assert lone(pad + rb'"x\ude00"' + b" " * 64), at
