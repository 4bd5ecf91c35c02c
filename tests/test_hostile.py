"""Issue 19: no command, file or value can destroy or poison the ledger.

One test per reproduction of the issue's "Data loss and poisoning" list, the quick
"weaker spots", and a property test feeding every kind of JSON value into every
record field of `oa import` and every text option of `oa add` (SPEC: Safety, Exit
codes, `oa import`)."""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import signal
import sqlite3
import stat
import subprocess
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import OA, Oa, Result, numbered_records
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from oa_cli.domain.fields import BY_KEY, KEYS

MAX_ID = 2**53 - 1


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _export(oa: Oa) -> list[dict[str, Any]]:
    return oa.ok("export", "--format", "json").json()


def _import(oa: Oa, name: str, text: str) -> Result:
    path = oa.tmp / name
    path.write_text(text, encoding="utf-8")
    return oa("import", str(path))


def _no_crash(result: Result) -> None:
    assert "internal error" not in result.err
    assert "Traceback" not in result.err


def _one_clear_line(result: Result) -> None:
    """A refused command: exit 1 or 2, one line on stderr, no internal error."""
    assert result.code in (1, 2), (result.code, result.err)
    _no_crash(result)
    assert len(result.err.strip().splitlines()) == 1 or (
        result.code == 2 and result.err.strip().splitlines()[1].startswith("see ")
    ), result.err


# --- 1. `oa export -o "$OA_DB"` empties the ledger ----------------------------------------


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_onto_the_ledger_is_refused_and_leaves_it_unchanged(oa: Oa, suffix: str) -> None:
    oa.add("关于做好冬季供暖保障工作的批示")
    before = _digest(oa.db)
    result = oa.fails(1, "export", "-o", str(oa.db) + suffix)
    assert "ledger" in result.err
    assert _digest(oa.db) == before
    assert [i["title"] for i in _export(oa)] == ["关于做好冬季供暖保障工作的批示"]
    assert oa.ok("verify").out.startswith("ledger verified: 1 items, 1 events")


def test_export_through_a_symlink_to_the_ledger_is_refused(oa: Oa) -> None:
    oa.add("关于做好冬季供暖保障工作的批示")
    before = _digest(oa.db)
    link = oa.tmp / "x.json"
    link.symlink_to(oa.db)
    oa.fails(1, "export", "-o", str(link))
    assert _digest(oa.db) == before
    assert link.is_symlink()
    assert len(_export(oa)) == 1


def test_xlsx_export_onto_the_ledger_by_relative_name_is_refused(
    oa: Oa, monkeypatch: pytest.MonkeyPatch
) -> None:
    oa.add("关于做好冬季供暖保障工作的批示")
    before = _digest(oa.db)
    monkeypatch.chdir(oa.db.parent)
    oa.fails(1, "export", "--format", "xlsx", "-o", "ledger.db")
    assert _digest(oa.db) == before
    assert oa.db.read_bytes().startswith(b"SQLite format 3\x00")
    assert len(_export(oa)) == 1


# --- 2. Live formulas in the workbook ------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x","click")', "=2*3"]


def test_formula_text_is_written_as_text_cells_and_the_workbook_reads_back(
    oa: Oa, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for text in FORMULAS:
        oa.add(text, "--leader", text, "--unit", text)
    book = oa.tmp / "ledger.xlsx"
    oa.ok("export", "-o", str(book))
    wb = openpyxl.load_workbook(book)
    formula_cells = [
        (ws.title, c.coordinate, c.data_type)
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert len(formula_cells) >= 2 * 3 * 2  # 2 items × title/leader/unit × 2 sheets
    assert {dtype for _, _, dtype in formula_cells} == {"s"}
    assert not [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]

    other = Oa(tmp_path_factory.mktemp("back"))
    other.init()
    other.ok("import", str(book))
    back = _export(other)
    assert [(i["title"], i["leader"], i["unit"]) for i in back] == [(f, f, f) for f in FORMULAS]


def test_a_title_with_esc_does_not_break_the_xlsx_export(oa: Oa) -> None:
    oa.add("a\x1bb")
    oa.add("关于做好冬季供暖保障工作的批示")
    book = oa.tmp / "ledger.xlsx"
    result = oa.ok("export", "-o", str(book))
    _no_crash(result)
    values = [c.value for ws in openpyxl.load_workbook(book) for row in ws.iter_rows() for c in row]
    texts = [v for v in values if isinstance(v, str)]
    assert not any("\x1b" in v for v in texts)
    assert any(v.startswith("a") and v.endswith("b") and "1b" in v.lower() for v in texts)
    assert "关于做好冬季供暖保障工作的批示" in texts


# --- 3. import of a huge id ----------------------------------------------------------------


@pytest.mark.parametrize("big", [9223372036854775807, 10**20, MAX_ID + 1])
def test_import_of_an_id_beyond_the_range_names_the_field_and_later_writes_work(
    oa: Oa, big: int
) -> None:
    result = _import(oa, "r.json", json.dumps([{"id": big, "title": "大编号"}]))
    assert result.code == 1, result.err
    _no_crash(result)
    assert "record 1" in result.err and "id" in result.err
    assert _export(oa) == []
    assert oa.add("之后登记") == 1
    assert _import(oa, "s.json", json.dumps([{"title": "之后导入"}])).code == 0
    assert [i["id"] for i in _export(oa)] == [1, 2]
    oa.ok("verify")


def test_the_largest_id_is_accepted_and_no_later_add_goes_beyond_it(oa: Oa) -> None:
    oa.ok("import", str(_write(oa, "r.json", [{"id": MAX_ID, "title": "最大编号"}])))
    assert oa.item(MAX_ID)["title"] == "最大编号"
    result = oa("add", "之后登记")
    _no_crash(result)
    # SPEC Safety: "ids are 1 … 2^53−1" — and ids are never reused, so no id is left
    assert result.code == 1, f"add after id 2^53-1 → {result.code}, id {result.out.strip()}"
    assert [i["id"] for i in _export(oa)] == [MAX_ID]
    # an id never used can still be imported by name
    oa.ok("import", str(_write(oa, "s.json", [{"id": 5, "title": "补录事项"}])))
    assert [i["id"] for i in _export(oa)] == [5, MAX_ID]


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_empty_ledger_path_is_a_usage_error_not_the_default_ledger(oa: Oa, how: str) -> None:
    # `oa --db "$LEDGER" add …` with LEDGER unset must not write into ~'s ledger
    args, env = (["--db", ""], {}) if how == "option" else ([], {"OA_DB": ""})
    result = oa(*args, "add", "事项", env=env)
    assert result.code == 2 and "--db" in result.err and "empty" in result.err
    assert not list((oa.tmp / "home").rglob("*.db"))


def test_the_lines_said_on_stderr_never_carry_user_controls_raw(oa: Oa) -> None:
    name = "市\x1b]0;pwned\x07住建局\u202e"
    said = [oa.ok("unit", "add", "zj", name).err]
    said.append(oa.ok("add", "事项", "--unit", "zj").err)
    csv = oa.tmp / "r.csv"
    csv.write_text("事项名称,\x1b[31m列\n关于供暖,x\n", encoding="utf-8")
    said.append(oa.ok("import", str(csv)).err)
    for err in said:
        assert "\x1b" not in err and "\u202e" not in err and "\x07" not in err, err
    assert "\\x1b]0;pwned\\x07住建局\\u202e" in said[1]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("r.jsonl", b'{"title": "s\\udc80y"}\n'),
        ("r.json", b'[{"title": "s\\ud800x"}]'),
        ("r.yaml", b'- title: "s\\ud800z"\n'),
    ],
)
def test_a_lone_surrogate_is_refused_naming_the_record_and_field(
    oa: Oa, name: str, data: bytes
) -> None:
    path = oa.tmp / name
    path.write_bytes(data)
    result = oa.fails(1, "import", str(path))
    assert "record 1" in result.err and "title: must be valid Unicode text" in result.err
    assert _export(oa) == []


def _raw(oa: Oa, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {**oa.env, "OA_NOW": oa.now}
    return subprocess.run([OA, *args], input=stdin, capture_output=True, env=env, timeout=60)


def test_a_body_on_stdin_that_is_not_utf8_is_refused(oa: Oa) -> None:
    result = _raw(oa, "add", "事项", "--body", "-", stdin=b"a\xffb")
    err = result.stderr.decode()
    assert result.returncode == 1 and "body" in err and "internal error" not in err, err
    assert _export(oa) == []


def test_text_no_document_can_hold_is_written_escaped_in_word(oa: Oa) -> None:
    import io

    from docx import Document

    oa.add("关于\ufffe供暖\uffff的批示", "--unit", "市住建局", "--due", "2026-11-20")
    out = oa.tmp / "n.docx"
    for args in (["daily", "--format", "docx"], ["notice", "--format", "docx", "-o", str(out)]):
        result = _raw(oa, *args)
        assert result.returncode == 0, result.stderr.decode()
        doc = Document(io.BytesIO(result.stdout or out.read_bytes()))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        assert "关于\\ufffe供暖\\uffff的批示" in cells


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_that_fails_after_a_commit_says_the_change_is_recorded(oa: Oa) -> None:
    env = {**oa.env, "OA_NOW": oa.now}
    with open("/dev/full", "w") as full:
        added = subprocess.run([OA, "add", "事项"], stdout=full, stderr=subprocess.PIPE, env=env)
        listed = subprocess.run([OA, "list"], stdout=full, stderr=subprocess.PIPE, env=env)
    closed = subprocess.run(
        [OA, "add", "再一项"], stderr=subprocess.PIPE, env=env, preexec_fn=lambda: os.close(1)
    )
    for result in (added, closed):
        err = result.stderr.decode()
        assert result.returncode == 1 and "the change is recorded, but the output failed" in err
        assert "internal error" not in err
    assert listed.returncode == 1 and "cannot write the output" in listed.stderr.decode()
    # the reader left before the id was written: the change still holds, and is said
    left = subprocess.Popen([OA, "add", "第三项"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env)  # fmt: skip
    assert left.stdout is not None and left.stderr is not None
    left.stdout.close()
    err = left.stderr.read().decode()
    assert left.wait() == 1 and "the change is recorded" in err, err
    assert [i["title"] for i in _export(oa)] == ["事项", "再一项", "第三项"]


def test_yaml_export_keeps_line_breaks_yaml_would_read_as_spaces(oa: Oa) -> None:
    import yaml

    title = "关于\x85供暖\u2028保障\u2029的批示"
    oa.add(title)
    assert yaml.safe_load(oa.ok("export", "--format", "yaml").out)[0]["title"] == title


def test_a_unit_code_that_is_another_units_name_is_refused(oa: Oa) -> None:
    oa.ok("unit", "add", "zj", "市住建局")
    said = "already names the unit 市住建局"
    assert said in oa.fails(1, "unit", "add", "市住建局", "市财政局").err
    assert said in oa.fails(1, "unit", "add", "cz", "zj").err


def _write(oa: Oa, name: str, records: Any) -> Path:
    path = oa.tmp / name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


# --- 4. Titles that are not text -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "field"),
    [
        ("r.json", '[{"title": ["a", "b"]}]', "title"),
        ("r.json", '[{"title": {"x": 1}}]', "title"),
        ("r.json", '[{"title": true}]', "title"),
        ("r.yaml", "- title: !!binary aGVsbG8=\n", "title"),
        ("r.json", '[{"title": "a\\u0000b"}]', "title"),
        ("r.json", '[{"title": "关于供暖", "leader": ["x"]}]', "leader"),
        ("r.json", '[{"title": "关于供暖", "leader": {"x": 1}}]', "leader"),
        ("r.json", '[{"title": "关于供暖", "leader": false}]', "leader"),
        ("r.yaml", "- title: 关于供暖\n  leader: !!binary aGVsbG8=\n", "leader"),
        ("r.json", '[{"title": "关于供暖", "leader": "张\\u0000书记"}]', "leader"),
        ("r.json", '[{"title": "关于供暖", "tags": ["a\\u0000b"]}]', "tags"),
        (
            "r.json",
            '[{"title": "关于供暖", "unit": "市住建局", "co_units": ["a\\u0000b"]}]',
            "co_units",
        ),
    ],
    ids=[
        *(f"title-{k}" for k in ("list", "mapping", "bool", "binary", "nul")),
        *(f"leader-{k}" for k in ("list", "mapping", "bool", "binary", "nul")),
        "tags-nul",
        "co_units-nul",
    ],
)
def test_a_value_that_is_not_text_is_refused_naming_the_field(
    oa: Oa, name: str, text: str, field: str
) -> None:
    result = _import(oa, name, text)
    assert result.code == 1, f"stored {[i[field] for i in _export(oa)]!r}"
    _no_crash(result)
    assert f"record 1: {field}:" in result.err
    assert _export(oa) == []


@pytest.mark.parametrize(
    ("field", "args"),
    [
        ("title", ["a\x00b"]),
        ("leader", ["关于供暖", "--leader", "张\x00书记"]),
        ("tags", ["关于供暖", "--tag", "a\x00b"]),
        ("co_units", ["关于供暖", "--unit", "市住建局", "--co", "a\x00b"]),
    ],
)
def test_nul_in_an_add_option_is_refused_naming_the_field(
    oa: Oa, field: str, args: list[str]
) -> None:
    result = oa("add", *args)
    assert result.code == 1, f"stored {[i[field] for i in _export(oa)]!r}"
    assert result.err.startswith(f"oa: {field}:")
    assert _export(oa) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", 5), ("title", 1.5), ("title", math.inf), ("title", math.nan), ("doc_no", 1e300)],
)
def test_a_number_where_text_belongs_is_refused(oa: Oa, field: str, value: float) -> None:
    # SPEC Safety: "a list, object, number or boolean where text belongs is an error
    # naming the field"
    result = _import(oa, "r.json", json.dumps([{"title": "关于供暖", field: value}]))
    assert result.code == 1, f"stored as {[i[field] for i in _export(oa)]}"
    assert f"record 1: {field}:" in result.err


# --- 5. Deadlines far away -----------------------------------------------------------------


def _fast_refusal(oa: Oa, *args: str) -> Result:
    start = time.monotonic()
    result = oa(*args)
    elapsed = time.monotonic() - start
    assert elapsed < 2, f"took {elapsed:.1f} s"
    assert result.code == 1, result.err
    _no_crash(result)
    assert sum("warning" in line for line in result.err.splitlines()) <= 1, result.err
    return result


@pytest.mark.parametrize("due", ["0001-01-01", "-99999d", "+99999wd", "1989-12-31", "2101-01-01"])
def test_a_deadline_outside_the_supported_dates_is_refused_at_once(oa: Oa, due: str) -> None:
    result = _fast_refusal(oa, "add", "关于供暖", "--due", due)
    assert "due" in result.err
    assert _export(oa) == []


@pytest.mark.parametrize(
    ("section", "key"), [("deadlines", "normal"), ("feedback", "first_within")]
)
def test_a_huge_number_of_working_days_in_the_config_is_refused_naming_the_key(
    oa: Oa, section: str, key: str
) -> None:
    oa.write_config(f"{section}:\n  {key}: 99999999999\n")
    result = _fast_refusal(oa, "add", "关于供暖", "--unit", "市住建局")
    assert f"{section}.{key}" in result.err
    _fast_refusal(oa, "list", "--format", "json")


def test_the_earliest_supported_deadline_keeps_reports_fast_and_quiet(oa: Oa) -> None:
    oa.add("很早的事项", "--due", "1990-01-01", "--unit", "市住建局")
    oa.add("很晚的事项", "--due", "2100-12-31", "--unit", "市住建局")
    for args in (["list"], ["overdue"], ["daily"], ["export"]):
        start = time.monotonic()
        result = oa.ok(*args, "--format", "json")
        assert time.monotonic() - start < 2, args
        assert len(result.err.splitlines()) <= 1, result.err


# --- 6. A foreign SQLite database as --db --------------------------------------------------


def _foreign_db(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (a)")
    conn.execute("INSERT INTO x VALUES (1)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("args", [["add", "关于供暖"], ["list", "--format", "json"], ["verify"]])
def test_a_foreign_sqlite_database_is_refused_and_left_untouched(oa: Oa, args: list[str]) -> None:
    db = _foreign_db(oa.tmp / "other.db")
    before = _digest(db)
    result = oa.fails(1, "--db", str(db), *args)
    assert str(db) in result.err
    assert _digest(db) == before
    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    conn.close()
    assert tables == ["x"]


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(oa: Oa) -> None:
    path = oa.tmp / "notes.db"
    path.write_bytes(b"meeting notes, not a ledger\n" * 10)
    before = _digest(path)
    oa.fails(1, "--db", str(path), "add", "关于供暖")
    assert _digest(path) == before


def test_an_empty_file_becomes_a_private_ledger_on_the_first_write(oa: Oa) -> None:
    path = oa.tmp / "empty.db"
    path.touch()
    path.chmod(0o644)
    oa.fails(1, "--db", str(path), "verify")
    assert path.stat().st_size == 0
    assert oa.ok("--db", str(path), "add", "关于供暖").out == "1\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert oa.ok("--db", str(path), "verify").out.startswith("ledger verified: 1 items")


# --- 7. Date errors without a name ---------------------------------------------------------


@pytest.mark.parametrize("due", ["2026-02-30", '"2026-02-30"'])
def test_an_impossible_date_in_a_yaml_record_names_the_record_and_field(oa: Oa, due: str) -> None:
    result = _import(oa, "r.yaml", f"- title: 第一件\n- title: 第二件\n  due: {due}\n")
    assert result.code == 1, result.err
    _no_crash(result)
    assert "record 2: due:" in result.err
    assert _export(oa) == []


@pytest.mark.parametrize("day", ["2026-02-30", "'2026-02-30'"])
def test_an_impossible_holiday_in_the_config_names_the_key(oa: Oa, day: str) -> None:
    oa.write_config(f"holidays: [{day}]\n")
    result = oa.fails(1, "add", "关于供暖")
    _no_crash(result)
    assert "holidays" in result.err
    assert str(oa.config) in result.err


@pytest.mark.parametrize(
    "args",
    [
        ["add", "关于供暖", "--received", "9999-12-31T23:59"],
        ["--now", "0001-01-01", "list"],
        ["--now", "0001-01-01", "add", "关于供暖"],
        ["show", "99999999999999999999"],
        ["daily", "--date", "9999-12-31"],
        ["daily", "--date", "0001-01-01"],
        ["weekly", "--date", "9999-12-31"],
    ],
)
def test_a_date_or_id_out_of_range_is_one_clear_line(oa: Oa, args: list[str]) -> None:
    result = oa(*args)
    _one_clear_line(result)
    assert result.err.startswith("oa: ")
    assert _export(oa) == []


# --- Weaker spots --------------------------------------------------------------------------

TRICKY = "反转\u202e标题\u0085结束"


@pytest.mark.parametrize("fmt", ["tsv", "table"])
@pytest.mark.parametrize("command", [["list"], ["show", "1"]])
def test_bidi_overrides_and_c1_controls_are_escaped_in_tables_and_tsv(
    oa: Oa, fmt: str, command: list[str]
) -> None:
    oa.add(TRICKY, "--leader", "张\u202e书记")
    out = oa.ok(*command, "--format", fmt, env={"COLUMNS": "200"}).out
    assert "\u202e" not in out
    assert "\x85" not in out
    assert "\\u202e" in out
    assert "\\x85" in out


@pytest.mark.parametrize("command", ["daily", "weekly"])
def test_markdown_reports_escape_html(oa: Oa, command: str) -> None:
    oa.add("<script>alert(1)</script>", "--unit", "市住建局", "--due", "2026-11-20")
    oa.add("[点此](javascript:alert(1))", "--unit", "市住建局", "--due", "2026-11-20")
    oa.add("**加急** _务必_ `rm` ~~旧~~", "--unit", "市住建局", "--due", "2026-11-20")
    out = oa.ok(command, "--format", "markdown").out
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "[点此](" not in out and "\\[点此\\](javascript:alert(1))" in out
    assert "\\*\\*加急\\*\\* \\_务必\\_ \\`rm\\` \\~\\~旧\\~\\~" in out  # shown as typed


@pytest.mark.parametrize("args", [["--status", "bogus"], ["--sort", "foo"]])
def test_a_bad_choice_for_list_is_a_usage_error(oa: Oa, args: list[str]) -> None:
    result = oa.fails(2, "list", *args)
    assert args[0] in result.err


def test_stats_with_a_garbage_date_says_it_is_a_date_problem(oa: Oa) -> None:
    result = oa("stats", "--from", "garbage")
    assert result.code in (1, 2)
    assert "--from" in result.err or "date" in result.err
    assert "deadline" not in result.err


def test_stats_with_from_after_to_is_refused(oa: Oa) -> None:
    result = oa("stats", "--from", "2026-12-01", "--to", "2026-11-01")
    assert result.code in (1, 2)
    assert "--from" in result.err and "--to" in result.err


def test_csv_with_two_title_columns_is_an_error_naming_both(oa: Oa) -> None:
    path = oa.tmp / "two.csv"
    path.write_text("事项名称,批示领导,事项名称\n甲,张书记,乙\n", encoding="utf-8")
    result = oa.fails(1, "import", str(path))
    assert result.err.count("事项名称") == 2
    assert "(A)" in result.err and "(C)" in result.err
    assert _export(oa) == []


def test_a_gbk_csv_is_read_with_a_warning(oa: Oa) -> None:
    path = oa.tmp / "excel.csv"
    path.write_bytes("事项名称,批示领导\n关于做好冬季供暖保障工作的批示,张书记\n".encode("gbk"))
    result = oa.ok("import", str(path))
    assert "warning" in result.err and "UTF-8" in result.err
    assert [(i["title"], i["leader"]) for i in _export(oa)] == [
        ("关于做好冬季供暖保障工作的批示", "张书记")
    ]


@pytest.mark.process
def test_sigint_during_an_import_exits_130_with_a_line_and_writes_nothing(oa: Oa) -> None:
    path = numbered_records(oa.tmp / "big.jsonl", 20000)
    env = {**oa.env, "OA_NOW": oa.now}
    proc = subprocess.Popen(
        [OA, "import", str(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    time.sleep(0.6)
    if proc.poll() is not None:
        pytest.skip("the import finished before the interrupt")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    text = err.decode("utf-8")
    assert text.strip() and "Traceback" not in text
    assert _export(oa) == []


# --- Property: every kind of JSON value in every field -------------------------------------

HOSTILE_TEXT = st.sampled_from(
    [
        "True",
        "['a']",
        "b'hello'",
        "None",
        "特急",
        "加急",
        "会议",
        "黄牌",
        "已办结",
        "assigned",
        "2026-02-30",
        "2026-12-20",
        "2026年12月20日",
        "+5wd",
        "-3d",
        "0001-01-01",
        "9999-12-31T23:59",
        "monthly:15",
        "weekly:9",
        "市住建局, 市发展改革委",
        "=2*3",
        "  前后空格  ",
        "\x1b[31m红\x1b[0m",
        "a\x00b",
        "\u202e反转",
        "12",
        "",
    ]
)
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Z", "Cc"]), max_size=8
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**25), max_value=10**25)
    | st.sampled_from([0, 1, -1, MAX_ID, MAX_ID + 1, 2**63, 10**20])
    | st.floats(allow_nan=True, allow_infinity=True)
    | HOSTILE_TEXT
    | TEXT
)
NESTED = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=2),
    max_leaves=4,
)
# as many scalars as containers: each kind of value is tried in every field
JSON_VALUES = st.one_of(SCALARS, HOSTILE_TEXT, st.lists(SCALARS, max_size=3), NESTED)
RECORD_FIELDS = [k for k in KEYS if k != "title"] + ["received", "progress"]
ALIASES = {"received": "received_at"}
REPR_MARKS = ("['", '["', "{'", "b'", "[]", "{}")


def _names(key: str) -> set[str]:
    """How an error may name the field fuzzed (its key, or what it depends on)."""
    key = ALIASES.get(key, key)
    related = {
        "status": {"unit", "close_basis", "status"},
        "closed_at": {"status"},
        "close_basis": {"status"},
        "close_ref": {"status"},
        "feedback_count": {"last_feedback_at"},
        "unit": {"status"},
        "due": {"original_due"},
        "original_due": {"due"},
        "received_at": {"due", "assigned_at"},
        "assigned_at": {"received_at"},
    }
    return {key} | related.get(key, set())


def _assert_named(result: Result, key: str) -> None:
    assert result.code in (1, 2), result.err
    named = set(re.findall(r"record 1: (\w+):", result.err))
    assert named & _names(key), (key, result.err)


def _reprs(value: Any) -> set[str]:
    """Python spellings of a non-text value that must never be stored as text."""
    if isinstance(value, str) or value is None:
        return set()
    if isinstance(value, float) and math.isfinite(value):
        return set()
    if isinstance(value, int) and not isinstance(value, bool):
        return set()
    return {str(value), repr(value)}


def _strings(value: Any) -> set[str]:
    """Every piece of text inside a value, as given and trimmed."""
    if isinstance(value, str):
        return {value, value.strip()}
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    if isinstance(value, dict):
        return _strings(list(value)) | _strings(list(value.values()))
    return set()


def _check_stored(key: str, value: Any, stored: Any) -> None:
    key = ALIASES.get(key, key)
    field = BY_KEY.get(key)
    if field is None or not field.stored:
        return
    if field.kind in ("count", "int"):
        if isinstance(value, int) and not isinstance(value, bool):
            assert stored == value, (key, value, stored)
        assert stored is None or isinstance(stored, int) and 0 <= stored <= MAX_ID
    elif field.kind == "text" and isinstance(value, int | float) and not isinstance(value, bool):
        # SPEC Safety: a number where text belongs is an error (test_a_number_where_text_…);
        # here only: never inf/nan, and a number taken is stored as that number
        assert math.isfinite(value), (key, value, stored)
        assert stored is not None and float(stored) == value, (key, value, stored)
    elif field.kind == "text" and isinstance(value, str):
        expected = value.strip() or None
        if key in ("body",):
            assert stored in (expected, value)
        elif key == "created_by":
            assert stored == (expected or "clerk")
        elif key != "repeat":
            assert stored == expected, (key, value, stored)
    elif field.kind == "enum" and stored is not None:
        assert stored in field.choices, (key, stored)
    elif field.kind == "list":
        assert isinstance(stored, list) and all(isinstance(v, str) and v for v in stored)
    elif field.kind == "date" and stored is not None:
        assert "1990-01-01" <= stored <= "2100-12-31", (key, stored)
    elif field.kind == "stamp" and stored is not None:
        assert "1990-01-01" <= stored[:10] <= "2100-12-31", (key, stored)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(key=st.sampled_from(["title", *RECORD_FIELDS]), value=JSON_VALUES)
def test_any_json_value_in_any_record_field_is_stored_as_given_or_named(
    tmp_path_factory: pytest.TempPathFactory, key: str, value: Any
) -> None:
    oa = Oa(tmp_path_factory.mktemp("fuzz"))
    oa.init()
    record = {"title": value} if key == "title" else {"title": "关于供暖", key: value}
    path = oa.tmp / "r.json"
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    result = oa("import", str(path))
    _no_crash(result)
    if result.code != 0:
        _assert_named(result, key)
        assert _export(oa) == []
        return
    [item] = _export(oa)
    stored_text = [v for v in item.values() if isinstance(v, str)]
    stored_text += [v for v in item.values() if isinstance(v, list) for v in v]
    for spelled in _reprs(value):
        assert spelled not in stored_text, (key, value, item)
    given_text = _strings(value)
    for text in stored_text:
        assert text in given_text or not text.startswith(REPR_MARKS), (key, value, text)
    assert "\\u0000" not in json.dumps(item), item
    _check_stored(key, value, item.get(ALIASES.get(key, key)))


ADD_OPTIONS = {
    "--body": "body",
    "--source": "source",
    "--leader": "leader",
    "--doc-no": "doc_no",
    "--received": "received_at",
    "--due": "due",
    "--priority": "priority",
    "--tag": "tags",
    "--remark": "remark",
    "--repeat": "repeat",
    "--unit": "unit",
    "--co": "co_units",
    "--owner": "owner",
}


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(option=st.sampled_from(["TITLE", *ADD_OPTIONS]), value=HOSTILE_TEXT | TEXT)
def test_any_text_in_any_add_option_is_stored_as_given_or_named(
    tmp_path_factory: pytest.TempPathFactory, option: str, value: str
) -> None:
    oa = Oa(tmp_path_factory.mktemp("fuzz"))
    oa.init()
    assume(not (option == "--body" and value == "-"))  # `--body -` reads stdin
    if option == "TITLE":
        args, key = ["add", "--", value], "title"
    else:
        args, key = ["add", "关于供暖", f"{option}={value}"], ADD_OPTIONS[option]
    result = oa(*args)
    _no_crash(result)
    if result.code != 0:
        assert result.code in (1, 2), result.err
        named = {key, option, BY_KEY[key].label, "--title" if key == "title" else option}
        assert any(n in result.err for n in named) or key == "received_at" and "due" in result.err
        assert _export(oa) == []
        return
    [item] = _export(oa)
    assert "\\u0000" not in json.dumps(item), item
    _check_stored(key, value, item[key])
    if key in ("tags", "co_units"):
        assert all(part in value for part in item[key]), (value, item[key])


def test_the_property_tests_use_every_input_field() -> None:
    inputs = {f.key for f in BY_KEY.values() if f.input}
    assert inputs <= {"title", *RECORD_FIELDS, *(ALIASES.get(k, k) for k in RECORD_FIELDS)}
    assert inputs - {"title"} <= set(ADD_OPTIONS.values())
