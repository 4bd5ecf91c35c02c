"""Output for pipes (exact) and for people (content): formats, filters, hostile text."""

from __future__ import annotations

import itertools
import os
import pty
import subprocess
from pathlib import Path

import pytest
from conftest import OA, Oa

pytestmark = pytest.mark.backends

ITEM = {
    "id": 1,
    "title": "关于做好冬季供暖保障工作的批示",
    "body": "第一行\n第二行\t缩进",
    "source": "instruction",
    "leader": "张书记",
    "doc_no": "市委办〔2026〕41号",
    "priority": "high",
    "status": "assigned",
    "unit": "市住建局",
    "co_units": ["市发展改革委"],
    "owner": "李科长",
    "tags": ["民生", "供暖"],
    "received_at": "2026-11-23T09:00:00+08:00",
    "assigned_at": "2026-11-23T09:00:00+08:00",
    "due": "2026-11-30",
    "original_due": "2026-11-30",
    "closed_at": None,
    "close_basis": None,
    "close_ref": None,
    "card": None,
    "overdue": False,
    "overdue_days": 0,
    "feedback_count": 0,
    "last_feedback_at": None,
    "remind_count": 0,
    "created_by": "clerk",
    "remark": None,
    "acked_at": None,
    "report_due": "2026-11-26",
    "report_overdue_days": 0,
    "repeat": None,
    "previous_id": None,
}


def _one(oa: Oa) -> None:
    oa.ok(
        "add",
        ITEM["title"],
        "--body",
        ITEM["body"],
        "--leader",
        "张书记",
        "--doc-no",
        "市委办〔2026〕41号",
        "--priority",
        "high",
        "--tag",
        "民生",
        "--tag",
        "供暖",
        "--unit",
        "市住建局",
        "--co",
        "市发展改革委",
        "--owner",
        "李科长",
    )


def test_json_is_an_array_of_spec_item_objects(oa: Oa) -> None:
    _one(oa)
    out = oa.ok("list", "--format", "json").out
    assert out.startswith('[\n{"id":1,"title":"关于做好冬季供暖保障工作的批示",')
    assert out.endswith("}\n]\n") and out.count("\n") == 3  # one object a line
    assert "\\u" not in out
    assert oa.ok("list", "--format", "json").json() == [ITEM]


def test_tsv_is_the_piped_default_with_escapes(oa: Oa) -> None:
    _one(oa)
    assert oa.ok("list").out == (
        "1\t关于做好冬季供暖保障工作的批示\t第一行\\n第二行\\t缩进\tinstruction\t张书记\t"
        "市委办〔2026〕41号\thigh\tassigned\t市住建局\t市发展改革委\t李科长\t民生,供暖\t"
        "2026-11-23T09:00:00+08:00\t2026-11-23T09:00:00+08:00\t2026-11-30\t2026-11-30\t\t\t\t\t"
        "false\t0\t0\t\t0\tclerk\t\t\t2026-11-26\t0\t\t\n"
    )


def test_jsonl_is_one_object_a_line(oa: Oa) -> None:
    _one(oa)
    oa.add("第二件")
    lines = oa.ok("list", "--format", "jsonl", "--sort", "id").out.splitlines()
    assert len(lines) == 2
    import json

    assert json.loads(lines[0]) == ITEM


def test_csv_has_a_header_and_quotes(oa: Oa) -> None:
    _one(oa)
    out = oa.ok("list", "--format", "csv").out
    header, row = out.split("\n", 1)
    assert header.split(",")[:3] == ["id", "title", "body"]
    assert len(header.split(",")) == len(ITEM)
    assert row.startswith('1,关于做好冬季供暖保障工作的批示,"第一行\n第二行\t缩进",instruction,')


def test_yaml_writes_chinese_as_itself(oa: Oa) -> None:
    _one(oa)
    out = oa.ok("list", "--format", "yaml").out
    assert out.startswith("- id: 1\n  title: 关于做好冬季供暖保障工作的批示\n")
    assert "  co_units:\n  - 市发展改革委\n" in out


def test_empty_lists(oa: Oa) -> None:
    assert oa.ok("list", "--format", "json").out == "[]\n"
    assert oa.ok("list").out == ""


def _titles(oa: Oa, *args: str) -> list[str]:
    return [i["title"] for i in oa.ok("list", "--format", "json", *args).json()]


def test_list_filters(oa: Oa) -> None:
    oa.add("甲", "--unit", "市财政局", "--leader", "王市长", "--priority", "urgent", "--tag", "x")
    oa.add("乙", "--unit", "市住建局", "--due", "2026-11-20")
    oa.add("丙", "--due", "2026-11-24", "--body", "涉及供暖管网")
    oa.ok("close", "1", "--basis", "done")
    assert _titles(oa) == ["乙", "丙"]
    assert _titles(oa, "--all") == ["乙", "丙", "甲"]
    assert _titles(oa, "--status", "closed") == ["甲"]
    assert _titles(oa, "--status", "closed", "--status", "registered") == ["丙", "甲"]
    assert _titles(oa, "--all", "--unit", "市财政局") == ["甲"]
    assert _titles(oa, "--all", "--leader", "王市长", "--priority", "urgent", "--tag", "x") == [
        "甲"
    ]
    assert _titles(oa, "--overdue") == ["乙"]
    assert _titles(oa, "--due-within", "1") == ["乙", "丙"]
    assert _titles(oa, "--search", "供暖") == ["丙"]
    assert _titles(oa, "--search", "暖") == ["丙"]
    assert _titles(oa, "--all", "--search", "财政") == ["甲"]
    assert _titles(oa, "--sort", "id") == ["乙", "丙"] == _titles(oa, "--sort", "编号")
    assert _titles(oa, "--all", "--sort", "id", "--limit", "2") == ["甲", "乙"]
    oa.fails(2, "list", "--status", "open")  # a usage error, like --sort
    oa.fails(2, "list", "--sort", "title")


def test_search_treats_wildcards_literally(oa: Oa) -> None:
    oa.add("完成率100%")
    oa.add("完成率1000")
    assert _titles(oa, "--search", "100%") == ["完成率100%"]
    assert _titles(oa, "--search", "_") == []


def test_overdue_most_overdue_first_and_check(oa: Oa) -> None:
    oa.ok("overdue", "--check")
    oa.add("近", "--unit", "市住建局", "--due", "2026-11-20")
    oa.add("远", "--unit", "市财政局", "--due", "2026-11-10")
    oa.add("未到期")
    items = oa.ok("overdue", "--format", "json").json()
    assert [(i["title"], i["overdue_days"]) for i in items] == [("远", 9), ("近", 1)]
    assert [
        i["title"] for i in oa.ok("overdue", "--unit", "市住建局", "--format", "json").json()
    ] == ["近"]
    oa.fails(3, "overdue", "--check")


HOSTILE = [
    "结束标记 [/]",
    "审批[bold]加急[/bold]",
    "[link=http://evil.example]点我[/link]",
    "\x1b[31m红色\x1b[0m\x07响铃",
    "tab\there",
    "换行\n标题",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_are_shown_literally_and_safely(oa: Oa, title: str) -> None:
    item_id = oa.add(title)
    table = oa.ok("list", "--format", "table").out
    show = oa.ok("show", str(item_id), "--format", "table").out
    for out in (table, show):
        assert "\x1b" not in out and "\x07" not in out
    visible = title.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    if "\n" not in title and "\t" not in title:
        assert visible in table  # markup is shown literally, control characters as \xNN
    assert oa.item(item_id)["title"] == title.strip()
    tsv = oa.ok("list").out
    assert "\x1b" not in tsv and tsv.count("\n") == 1


def test_long_chinese_titles_wrap_instead_of_being_cut(oa: Oa) -> None:
    title = "关于进一步加强和改进城市基层治理推动社区服务提质增效的实施意见的批示" * 2
    oa.add(title)
    out = oa.ok("list", "--format", "table", env={"COLUMNS": "80"}).out
    assert "…" not in out
    assert "".join(ch for ch in out if "\u4e00" <= ch <= "\u9fff").count("实施意见") == 2


@pytest.mark.parametrize("columns", ["44", "50", "62"])
def test_a_narrow_terminal_breaks_the_summary_only_between_its_figures(
    oa: Oa, columns: str
) -> None:
    oa.add("未交办事项")
    oa.add("逾期事项", "--unit", "市住建局", "--due", "2026-11-20")
    out = oa.ok("--lang", "zh", "daily", "--format", "table", env={"COLUMNS": columns}).out
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("在办"))
    summary = lines[start : lines.index("", start)]
    assert len(summary) >= 2  # it did need breaking
    figures = [part for line in summary for part in line.split(" · ")]
    assert figures[:3] == ["在办 2", "今日新收 2", "待交办 1"]
    assert "今日办结 0" in figures
    assert all(not line.endswith(("·", " ")) for line in summary)


def test_table_from_cron_is_not_squeezed_to_80_columns(oa: Oa) -> None:
    oa.add(
        "关于进一步加强和改进城市基层治理推动社区服务提质增效的实施意见的批示",
        "--unit",
        "市民政局",
        "--leader",
        "张书记",
    )
    out = oa.ok("list", "--format", "table").out
    assert max(len(line) for line in out.splitlines()) > 80


def _run_in_pty(oa: Oa, *args: str) -> str:
    main, secondary = pty.openpty()
    env = {**oa.env, "OA_NOW": oa.now, "COLUMNS": "120", "TERM": "xterm"}
    proc = subprocess.Popen(
        [OA, *args], stdin=secondary, stdout=secondary, stderr=subprocess.DEVNULL, env=env
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_gets_the_table_and_a_pipe_gets_tsv(oa: Oa) -> None:
    oa.add("供暖保障", "--unit", "市住建局")
    screen = _run_in_pty(oa, "list")
    assert "┃" in screen and "供暖保障" in screen
    assert oa.ok("list").out.startswith("1\t供暖保障\t")


def test_no_color_is_honoured_on_a_terminal(oa: Oa) -> None:
    oa.add("供暖保障", "--unit", "市住建局", "--due", "2026-11-20")
    assert "\x1b[" in _run_in_pty(oa, "list")
    oa.env["NO_COLOR"] = "1"
    assert "\x1b[" not in _run_in_pty(oa, "list")
    del oa.env["NO_COLOR"]
    assert "\x1b[" not in _run_in_pty(oa, "--no-color", "list")


def test_terminal_shows_at_most_100_rows_and_says_so(oa: Oa) -> None:
    records = "\n".join(f'{{"title": "事项{i}"}}' for i in range(105))
    path = oa.tmp / "many.jsonl"
    path.write_text(records, encoding="utf-8")
    oa.ok("import", str(path))
    main, secondary = pty.openpty()
    env = {**oa.env, "OA_NOW": oa.now, "COLUMNS": "120"}
    proc = subprocess.run(
        [OA, "list"], stdout=secondary, stderr=subprocess.PIPE, env=env, text=True, timeout=60
    )
    os.close(secondary)
    os.close(main)
    assert "5" in proc.stderr and "--limit" in proc.stderr
    assert len(oa.ok("list").out.splitlines()) == 105


def test_non_utf8_output_never_fails(oa: Oa) -> None:
    oa.add("供暖保障 ✓")
    env = {**oa.env, "OA_NOW": oa.now, "PYTHONIOENCODING": "gbk"}
    gbk = subprocess.run([OA, "list", "--format", "table"], env=env, capture_output=True)
    assert gbk.returncode == 0
    assert "供暖保障 ?" in gbk.stdout.decode("gbk")  # Chinese kept, ✓ replaced
    env["PYTHONIOENCODING"] = "ascii"
    ascii_ = subprocess.run([OA, "list"], env=env, capture_output=True)
    assert ascii_.returncode == 0 and ascii_.stdout.startswith(b"1\t")


def _mixed_ledger(oa: Oa) -> Path:
    for title in HOSTILE + ['引号"与\\反斜杠\u2028', "\x7f\x01"]:
        oa.add(title, "--due", "2026-11-02", "--tag", "标签,含逗号", "--body", title)
    oa.add("未逾期", "--unit", "市住建局", "--co", "市财政局", "--co", "市教育局")
    oa.ok("close", str(oa.add("已办结", "--unit", "市财政局")), "--basis", "依据\t制表")
    oa.ok("escalate", "1", "--level", "red")
    return oa.db


REPORT_DAYS = ("2026-11-23", "2026-10-08", "2027-01-04")


@pytest.mark.sqlite_only("reads the SQLite ledger file directly (sqlite3.connect on oa.db)")
def test_json_built_by_sqlite_is_byte_identical_to_the_python_encoder(oa: Oa) -> None:
    import datetime as dt
    import sqlite3

    from oa_cli.domain.calendar import WorkCalendar
    from oa_cli.domain.item import to_json
    from oa_cli.domain.selection import Selection
    from oa_cli.ledger import items as store
    from oa_cli.ledger.scan import select_json
    from oa_cli.render.plain import dumps

    conn = sqlite3.connect(_mixed_ledger(oa))
    calendar = WorkCalendar("cn")
    query = Selection(statuses=(), sort="id")
    for today in map(dt.date.fromisoformat, REPORT_DAYS):
        expected = [dumps(to_json(i, today, calendar)).encode() for i in store.select(conn, query)]
        batches = select_json(conn, query, today, calendar)
        assert [text for batch in batches for text in batch] == expected


@pytest.mark.sqlite_only("reads the SQLite ledger file directly (sqlite3.connect on oa.db)")
def test_tsv_and_csv_from_row_values_match_the_item_objects(oa: Oa) -> None:
    import datetime as dt
    import io
    import sqlite3

    from oa_cli.domain.calendar import WorkCalendar
    from oa_cli.domain.item import KEYS, to_json
    from oa_cli.domain.selection import Selection
    from oa_cli.ledger import items as store
    from oa_cli.render.plain import write_records, write_rows

    conn = sqlite3.connect(_mixed_ledger(oa))
    calendar = WorkCalendar("cn")
    for query in (Selection(statuses=(), sort="id"), Selection()):
        for today, fmt in itertools.product(
            map(dt.date.fromisoformat, REPORT_DAYS), ("tsv", "csv")
        ):
            items = [to_json(i, today, calendar) for i in store.select(conn, query)]
            expected, got = io.StringIO(), io.StringIO()
            write_records(expected, fmt, items, KEYS)
            write_rows(got, fmt, store.select_values(conn, query, today, calendar), KEYS)
            assert got.getvalue() == expected.getvalue()
            if fmt == "tsv":  # one line an item, whatever the text holds
                assert got.getvalue().count("\n") == len(items) > 0


@pytest.mark.parametrize(
    "args",
    [
        ("daily", "--format", "docx"),
        ("daily", "--format", "json"),
        ("daily", "--format", "html"),
        ("list", "--format", "csv"),
        ("export", "--format", "yaml"),
    ],
)
def test_a_reader_that_left_gets_no_trace(oa: Oa, args: tuple[str, ...]) -> None:
    """`oa daily --format docx | head -c1`: the pipe is gone before oa writes; it stops with
    exit 1 and says nothing, whatever the format (a zip included)."""
    oa.add("供暖保障", "--unit", "市住建局", "--due", "2026-11-20")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [OA, *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env={**oa.env, "OA_NOW": oa.now},
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr.decode()) == (1, ""), proc.stderr.decode()


def test_an_items_timeline_is_numbered_by_the_journal_without_its_own_id(oa: Oa) -> None:
    item = oa.add("供暖保障", "--unit", "市住建局")
    shown = oa.ok("--lang", "zh", "show", str(item), "--format", "table").out
    head = next(line for line in shown.splitlines() if "流水号" in line)
    assert "编号" not in head and "操作" in head
    logged = oa.ok("--lang", "zh", "log", "--format", "table").out
    assert "编号" in next(line for line in logged.splitlines() if "流水号" in line)
    # how late, in words: the card is read without colours too
    late = oa.ok("--lang", "zh", "show", str(item), "--format", "table", now="2026-12-31").out
    assert "逾期 " in next(line for line in late.splitlines() if line.startswith("时限"))


def test_a_short_write_is_carried_on_and_one_that_takes_nothing_is_an_error() -> None:
    """A full disk can take part of a write and say nothing: the rest is written on (the
    system then says why it cannot), never dropped with exit 0."""
    from oa_cli.render.plain import Whole

    class Disk:
        def __init__(self, room: int) -> None:
            self.room, self.kept = room, b""

        def write(self, data: memoryview) -> int:
            taken = bytes(data[: min(7, self.room)])
            self.room -= len(taken)
            self.kept += taken
            return len(taken)

        def flush(self) -> None:
            pass

    disk = Disk(room=20)
    assert Whole(disk).write(b"x" * 15) == 15 and disk.kept == b"x" * 15  # type: ignore[arg-type]
    with pytest.raises(OSError, match="could not be written whole"):
        Whole(disk).write(b"y" * 10)  # type: ignore[arg-type]
    assert disk.kept == b"x" * 15 + b"y" * 5


def test_log_shows_the_latest_events(oa: Oa) -> None:
    for n in range(5):
        oa.add(f"事项{n}")
    seqs = [e["seq"] for e in oa.ok("log", "--format", "json").json()]
    assert [e["seq"] for e in oa.ok("log", "-n", "2", "--format", "json").json()] == seqs[-2:]
    oa.write_config("display: {max_rows: 3}\n")
    shown = oa.ok("--lang", "zh", "log", "--format", "table", env={"COLUMNS": "120"}).out
    assert "另有较早的 2 条未显示" in shown
    assert "事项4" in shown and "事项2" in shown and "事项1" not in shown  # the latest three
    assert len(oa.ok("log", "--format", "tsv").out.splitlines()) == 5  # a pipe gets them all
    oa.fails(2, "log", "-n", "0")
