"""有依有据: evidence files kept in the ledger, the daily as it stood on a past day, and
anchors (校验码) that expose a rewritten or cut history (SPEC: `--file`, `oa evidence`,
`oa verify`, reports' anchor, `daily --date`, `oa copy`, `oa backup`, Journal)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Oa
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.backends

# Two contents whose SHA-256 share their first 8 hex digits (d0e6b736), found by search.
TWIN_A = "佐证材料 42937\n".encode()
TWIN_B = "佐证材料 94209\n".encode()
TWIN_PREFIX = "d0e6b736"

# Bytes a text-mode pipeline would mangle: NUL, CR LF, a lone CR, invalid UTF-8.
BINARY = b"%PDF-1.7\r\n\x00\x01\xff\xfe\r\xe4\xbd\x90\xe8\xaf\x81\n" + bytes(range(256))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write(oa: Oa, name: str, data: bytes) -> str:
    path = oa.tmp / name
    path.write_bytes(data)
    return str(path)


def log(oa: Oa) -> list[dict[str, Any]]:
    return oa.ok("log", "--format", "json").json()


def head(oa: Oa) -> dict[str, Any]:
    return oa.ok("verify", "--format", "json").json()["head"]


def files_of(oa: Oa, item_id: int, action: str) -> list[dict[str, Any]]:
    timeline = oa.item(item_id)["timeline"]
    return [e["data"]["files"] for e in timeline if e["action"] == action][0]


# --- evidence: stored once, listed, written back ------------------------------------------


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (oa.sql on the file)")
def test_same_file_attached_to_two_events_is_stored_once(
    oa: Oa, assigned: Callable[..., int]
) -> None:
    item_id = str(assigned())
    first = write(oa, "现场照片.jpg", BINARY)
    again = write(oa, "办结报告附件.jpg", BINARY)  # same bytes, another name
    oa.ok("feedback", item_id, "已部署", "--file", first)
    oa.ok("close", item_id, "--basis", "已办结", "--file", again)
    assert oa.sql("SELECT sha256, size FROM evidence") == [(sha(BINARY), len(BINARY))]
    assert files_of(oa, int(item_id), "feedback") == [
        {"name": "现场照片.jpg", "sha256": sha(BINARY), "size": len(BINARY)}
    ]
    assert files_of(oa, int(item_id), "close") == [
        {"name": "办结报告附件.jpg", "sha256": sha(BINARY), "size": len(BINARY)}
    ]


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (oa.sql on the file)")
def test_show_json_timeline_lists_each_file_as_name_sha256_size(
    oa: Oa, assigned: Callable[..., int]
) -> None:
    item_id = assigned()
    report = write(oa, "关于供暖保障的报告.pdf", BINARY)
    photo = write(oa, "photo.png", TWIN_A)
    oa.ok("feedback", str(item_id), "首报", "--file", report, "--file", photo)
    assert files_of(oa, item_id, "feedback") == [
        {"name": "关于供暖保障的报告.pdf", "sha256": sha(BINARY), "size": len(BINARY)},
        {"name": "photo.png", "sha256": sha(TWIN_A), "size": len(TWIN_A)},
    ]
    assert sorted(oa.sql("SELECT sha256 FROM evidence")) == sorted([(sha(BINARY),), (sha(TWIN_A),)])


def test_show_table_names_each_evidence_file(oa: Oa, assigned: Callable[..., int]) -> None:
    item_id = str(assigned())
    oa.ok("close", item_id, "--basis", "已办结", "--file", write(oa, "办结报告.pdf", BINARY))
    out = oa.ok("show", item_id, "--format", "table").out
    assert "办结报告.pdf" in out
    assert sha(BINARY)[:8] in out


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (oa.sql on the file)")
def test_log_json_keeps_event_data_exactly_as_hashed(oa: Oa, assigned: Callable[..., int]) -> None:
    from oa_cli.ledger.journal import GENESIS, event_hash

    item_id = str(assigned())
    oa.ok("feedback", item_id, "进展\t50%\u2028😀", "--progress", "50", "--file",
          write(oa, "a.bin", BINARY))  # fmt: skip
    oa.ok("close", item_id, "--basis", "已办结", "--file", write(oa, "b.txt", TWIN_B))
    events = log(oa)
    stored = dict(oa.sql("SELECT seq, data FROM events"))
    prev = GENESIS
    for event in events:
        assert event["data"] == json.loads(stored[event["seq"]])
        assert event_hash(prev, event) == event["hash"], f"event {event['seq']}"
        prev = event["hash"]
    assert events[-1]["hash"] == head(oa)["hash"]


def test_evidence_by_12_digit_prefix_writes_identical_bytes_to_stdout(
    oa: Oa, assigned: Callable[..., int]
) -> None:
    item_id = str(assigned())
    oa.ok("feedback", item_id, "首报", "--file", write(oa, "scan.pdf", BINARY))
    # Raw stdout bytes need a real process (the in-process runner decodes text).
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("oa")), "evidence", sha(BINARY)[:12]],
        capture_output=True,
        env={**oa.env, "OA_NOW": oa.now},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == BINARY


def test_evidence_o_writes_the_file(oa: Oa, assigned: Callable[..., int]) -> None:
    item_id = str(assigned())
    oa.ok("close", item_id, "--basis", "已办结", "--file", write(oa, "scan.pdf", BINARY))
    out = oa.tmp / "取回.pdf"
    oa.ok("evidence", sha(BINARY)[:12].upper(), "-o", str(out))
    assert out.read_bytes() == BINARY
    oa.ok("evidence", sha(BINARY), "-o", str(oa.tmp / "full.pdf"))
    assert (oa.tmp / "full.pdf").read_bytes() == BINARY


@pytest.mark.parametrize("prefix", ["d0e6b73", "", "d0e6b73g", "zzzzzzzzzzzz", "d0e6 b736"])
def test_evidence_prefix_shorter_than_8_or_not_hex_is_a_usage_error(
    oa: Oa, assigned: Callable[..., int], prefix: str
) -> None:
    item_id = str(assigned())
    oa.ok("feedback", item_id, "首报", "--file", write(oa, "a.txt", TWIN_A))
    result = oa.fails(2, "evidence", prefix)
    assert result.out == ""


def test_evidence_prefix_matching_two_files_is_exit_1_naming_both(
    oa: Oa, assigned: Callable[..., int]
) -> None:
    item_id = str(assigned())
    oa.ok("feedback", item_id, "首报", "--file", write(oa, "a.txt", TWIN_A))
    oa.ok("feedback", item_id, "续报", "--file", write(oa, "b.txt", TWIN_B))
    result = oa.fails(1, "evidence", TWIN_PREFIX, "-o", str(oa.tmp / "out"))
    assert sha(TWIN_A)[:12] in result.err and sha(TWIN_B)[:12] in result.err
    assert not (oa.tmp / "out").exists()
    # One more digit tells them apart.
    oa.ok("evidence", sha(TWIN_A)[:9], "-o", str(oa.tmp / "out"))
    assert (oa.tmp / "out").read_bytes() == TWIN_A


def test_evidence_of_an_unknown_hash_is_not_found(oa: Oa, assigned: Callable[..., int]) -> None:
    item_id = str(assigned())
    oa.ok("feedback", item_id, "首报", "--file", write(oa, "a.txt", TWIN_A))
    result = oa.fails(1, "evidence", "0123456789ab")
    assert "0123456789ab" in result.err


# --- bad files: exit 1, nothing written ----------------------------------------------------


def _missing(tmp: Path) -> str:
    return str(tmp / "没有这个文件.pdf")


def _directory(tmp: Path) -> str:
    (tmp / "材料目录").mkdir()
    return str(tmp / "材料目录")


def _fifo(tmp: Path) -> str:
    os.mkfifo(tmp / "pipe")
    return str(tmp / "pipe")


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (oa.sql on the file)")
@pytest.mark.parametrize("make", [_missing, _directory, _fifo], ids=["missing", "dir", "fifo"])
@pytest.mark.parametrize("command", ["feedback", "close"])
def test_a_bad_file_is_exit_1_and_nothing_is_written(
    oa: Oa, assigned: Callable[..., int], make: Callable[[Path], str], command: str
) -> None:
    item_id = str(assigned())
    good = write(oa, "good.pdf", BINARY)
    bad = make(oa.tmp)
    before = log(oa)
    text = ["已部署"] if command == "feedback" else ["--basis", "已办结"]
    # The good file first: it must not be kept when a later one fails.
    result = oa.fails(1, command, item_id, *text, "--file", good, "--file", bad)
    assert Path(bad).name in result.err.splitlines()[0]
    assert log(oa) == before
    assert oa.sql("SELECT count(*) FROM evidence") == [(0,)]
    item = oa.item(int(item_id))
    assert (item["status"], item["feedback_count"]) == ("assigned", 0)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a mode-000 file")
def test_an_unreadable_file_is_exit_1_and_nothing_is_written(
    oa: Oa, assigned: Callable[..., int]
) -> None:
    item_id = str(assigned())
    locked = write(oa, "locked.pdf", BINARY)
    os.chmod(locked, 0)
    before = log(oa)
    oa.fails(1, "close", item_id, "--basis", "已办结", "--file", locked)
    assert log(oa) == before
    assert oa.item(int(item_id))["status"] == "assigned"


# --- verify: evidence, units, escalation marks -------------------------------------------


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (oa.sql on the file)")
def test_verify_finds_evidence_bytes_altered_in_the_database(
    oa: Oa, assigned: Callable[..., int]
) -> None:
    item_id = str(assigned())
    oa.ok("close", item_id, "--basis", "已办结", "--file", write(oa, "报告.pdf", BINARY))
    oa.ok("verify")
    forged = BINARY.replace(b"%PDF-1.7", b"%PDF-1.6")
    oa.sql("UPDATE evidence SET data = ? WHERE sha256 = ?", forged, sha(BINARY))
    result = oa.fails(1, "verify")
    assert any(sha(BINARY)[:12] in line for line in result.err.splitlines())
    report = oa.fails(1, "verify", "--format", "json").json()
    assert report["ok"] is False
    assert [p for p in report["problems"] if sha(BINARY)[:12] in p]


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (oa.sql on the file)")
def test_verify_finds_an_evidence_file_deleted_from_the_database(
    oa: Oa, assigned: Callable[..., int]
) -> None:
    item_id = str(assigned())
    oa.ok("feedback", item_id, "首报", "--file", write(oa, "报告.pdf", BINARY))
    oa.sql("DELETE FROM evidence")
    result = oa.fails(1, "verify")
    assert any(sha(BINARY)[:12] in line for line in result.err.splitlines())


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (oa.sql on the file)")
def test_verify_notices_a_unit_row_edited_in_the_database(oa: Oa) -> None:
    oa.ok("unit", "add", "zjj", "市住建局", "--contact", "王科长 12345")
    oa.ok("verify")
    oa.sql("UPDATE units SET contact = '李科长 99999' WHERE code = 'zjj'")
    oa.fails(1, "verify")
    assert oa.fails(1, "verify", "--format", "json").json()["ok"] is False


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (oa.sql on the file)")
def test_verify_notices_a_unit_row_inserted_in_the_database(oa: Oa) -> None:
    oa.ok("unit", "add", "zjj", "市住建局")
    oa.sql("INSERT INTO units (code, name, contact) VALUES ('fgw', '市发展改革委', NULL)")
    oa.fails(1, "verify")


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (oa.sql on the file)")
def test_verify_notices_a_forged_escalation_mark(oa: Oa, assigned: Callable[..., int]) -> None:
    # A mark saying today's alert was already given silences `escalate --auto`.
    item_id = assigned("--due", "2026-11-24")
    oa.ok("verify")
    oa.sql(
        "INSERT INTO auto_actions (item_id, rule, day, seq) VALUES (?, 'due_soon', ?, 1)",
        item_id,
        "2026-11-23",
    )
    result = oa.fails(1, "verify")
    assert result.err.startswith("oa: ")


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (oa.sql on the file)")
def test_verify_accepts_the_marks_escalate_auto_made(oa: Oa, assigned: Callable[..., int]) -> None:
    assigned("--due", "2026-11-24")
    assigned("--due", "2026-11-10", "--received", "2026-11-02")
    oa.ok("escalate", "--auto")
    assert oa.sql("SELECT count(*) FROM auto_actions")[0][0] >= 1
    assert oa.ok("verify", "--format", "json").json()["ok"] is True


# --- verify --format json and anchors ------------------------------------------------------


def test_verify_json_has_exactly_the_spec_keys(oa: Oa, assigned: Callable[..., int]) -> None:
    assigned()
    oa.add("第二件")
    report = oa.ok("verify", "--format", "json").json()
    last = log(oa)[-1]
    assert report == {
        "ok": True,
        "items": 2,
        "events": 3,
        "head": {"seq": 3, "hash": last["hash"]},
        "problems": [],
    }
    assert list(report) == ["ok", "items", "events", "head", "problems"]


def test_verify_prints_the_head(oa: Oa, assigned: Callable[..., int]) -> None:
    assigned()
    last = log(oa)[-1]
    assert f"{last['seq']}:{last['hash']}" in oa.ok("verify").out


def _cut_last_item(oa: Oa, item_id: int) -> None:
    """What someone holding the file can do: remove an item and its events."""
    oa.sql("DELETE FROM events WHERE item_id = ?", item_id)
    oa.sql("DELETE FROM items WHERE id = ?", item_id)


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (oa.sql on the file)")
def test_anchor_exposes_an_item_cut_away_that_plain_verify_cannot_tell(
    oa: Oa, assigned: Callable[..., int]
) -> None:
    assigned()
    oa.ok("feedback", "1", "首报")
    before = head(oa)  # taken before the last item was registered
    last = oa.add("下午登记的事项", "--unit", "市住建局", now="2026-11-23T15:00:00")
    oa.ok("remind", str(last), now="2026-11-23T16:00:00")
    covering = oa.ok("daily", "--format", "json").json()["anchor"]  # the morning mail's
    assert covering["seq"] == before["seq"] + 3
    for anchor in (before, covering):
        oa.ok("verify", "--anchor", f"{anchor['seq']}:{anchor['hash']}")
        oa.ok("verify", "--anchor", f"{anchor['seq']}:{anchor['hash'][:12]}")

    _cut_last_item(oa, last)
    report = oa.ok("verify", "--format", "json").json()  # the chain alone is consistent
    assert report["head"] == before and report["items"] == 1
    # History up to the earlier anchor is intact; the later one names the cut.
    oa.ok("verify", "--anchor", f"{before['seq']}:{before['hash'][:12]}")
    result = oa.fails(1, "verify", "--anchor", f"{covering['seq']}:{covering['hash'][:12]}")
    assert f"{covering['seq']}:{covering['hash'][:12]}" in result.err.splitlines()[0]
    as_json = oa.fails(
        1, "verify", "--anchor", f"{covering['seq']}:{covering['hash']}", "--format", "json"
    ).json()
    assert as_json["ok"] is False
    assert [p for p in as_json["problems"] if f"{covering['seq']}:" in p]


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (oa.sql on the file)")
def test_anchor_exposes_a_history_rewritten_whole(oa: Oa, assigned: Callable[..., int]) -> None:
    from oa_cli.ledger.journal import GENESIS, event_hash

    item_id = assigned()
    oa.ok("close", str(item_id), "--basis", "已办结")
    anchor = head(oa)
    # Rewrite the basis and recompute every hash: the chain checks out again.
    prev = GENESIS
    for event in log(oa):
        if event["action"] == "close":
            event["data"]["close_basis"] = "伪造的依据"
            oa.sql("UPDATE events SET data = ? WHERE seq = ?",
                json.dumps(event["data"], ensure_ascii=False), event["seq"])  # fmt: skip
            oa.sql("UPDATE items SET close_basis = '伪造的依据' WHERE id = ?", item_id)
        event["hash"] = event_hash(prev, event)
        oa.sql("UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?",
            prev, event["hash"], event["seq"])  # fmt: skip
        prev = event["hash"]
    oa.ok("verify")
    result = oa.fails(1, "verify", "--anchor", f"{anchor['seq']}:{anchor['hash'][:12]}")
    assert f"{anchor['seq']}:{anchor['hash'][:12]}" in result.err


def test_anchor_beyond_the_head_or_with_another_hash_fails(
    oa: Oa, assigned: Callable[..., int]
) -> None:
    assigned()
    real = head(oa)
    oa.fails(1, "verify", "--anchor", f"{real['seq'] + 1}:{real['hash'][:12]}")
    wrong = "0" * 12 if not real["hash"].startswith("0" * 12) else "f" * 12
    result = oa.fails(1, "verify", "--anchor", f"{real['seq']}:{wrong}")
    assert f"{real['seq']}:{wrong}" in result.err
    # Every anchor given is checked, not only the first.
    oa.fails(1, "verify", "--anchor", f"{real['seq']}:{real['hash']}", "--anchor", f"1:{wrong}")


def test_an_anchor_pasted_as_printed_is_read_and_said_to_match(
    oa: Oa, assigned: Callable[..., int]
) -> None:
    assigned()
    printed = oa.ok("--lang", "zh", "verify").out.splitlines()[-1]  # 台账校验码：SEQ:HASH
    real = head(oa)
    assert printed == f"台账校验码：{real['seq']}:{real['hash']}"
    short = f"{real['seq']}:{real['hash'][:12]}"
    wide = "".join(chr(ord(c) + 0xFEE0) for c in str(real["seq"]))  # full-width digits
    for pasted in (
        printed,
        f"{real['seq']}：{real['hash'][:12].upper()}",
        f"台账校验码 {short}。",
        f"{wide}:{real['hash'][:12]}",
    ):
        out = oa.ok("--lang", "zh", "verify", "--anchor", pasted).out
        assert out.splitlines()[-1] == f"校验码 {short} 相符"
    assert oa.ok("verify", "--anchor", short).out.splitlines()[-1] == f"anchor {short} matches"


@pytest.mark.parametrize(
    "anchor",
    [
        "abc",
        "5",
        "5:",
        ":abcdef123456",
        "x:abcdef123456",
        "5:abcdefghijkl",
        "5-abc",
        "x14:abcdef123456",  # a label ends in a colon or a space
        "-14:abcdef123456",
        "1.14:abcdef123456",
        "13:abcdef12345614:abcdef123456",  # two anchors run together
    ],
)
def test_anchor_that_is_not_n_colon_hex_is_a_usage_error(
    oa: Oa, assigned: Callable[..., int], anchor: str
) -> None:
    assigned()
    oa.fails(2, "verify", "--anchor", anchor)


# --- every report carries the anchor -------------------------------------------------------


@pytest.mark.parametrize(
    "report", [["daily"], ["daily", "--date", "2026-11-20"], ["weekly"], ["stats"]]
)
def test_report_json_carries_the_anchor_of_verify(
    oa: Oa, assigned: Callable[..., int], report: list[str]
) -> None:
    item_id = assigned()
    oa.ok("feedback", str(item_id), "首报")
    doc = oa.ok(*report, "--format", "json").json()
    assert doc["anchor"] == head(oa)
    assert list(doc["anchor"]) == ["seq", "hash"]


@pytest.mark.parametrize("fmt", ["html", "markdown", "table"])
@pytest.mark.parametrize("report", ["daily", "weekly", "stats"])
def test_printed_report_footer_carries_the_anchor(
    oa: Oa, assigned: Callable[..., int], report: str, fmt: str
) -> None:
    item_id = assigned()
    oa.ok("close", str(item_id), "--basis", "已办结")
    now = head(oa)
    out = oa.ok("--lang", "zh", report, "--format", fmt).out
    found = re.findall(r"台账校验码\s*(\d+):([0-9a-f]{12})(?![0-9a-f])", out)
    assert found == [(str(now["seq"]), now["hash"][:12])]


# --- the daily and weekly as they stood -----------------------------------------------------

DAY = "2026-11-11"  # Wednesday of 2026-W46


def _ledger_of_week_46(oa: Oa) -> dict[str, int]:
    at = "2026-11-09T09:00:00"
    ids = {
        "closed_later": oa.add("逾期后办结", "--unit", "市住建局", "--due", "2026-11-10", now=at),
        "edited_later": oa.add("原标题", now=at),  # still registered on DAY
        "carded_later": oa.add("临期后亮牌", "--unit", "市交通局", "--due", "2026-11-12", now=at),
        "extended_later": oa.add("临期后延期", "--unit", "市水务局", "--due", "2026-11-13", now=at),
        "closed_on_day": oa.add("当日办结", "--unit", "市环保局", "--due", "2026-11-20", now=at),
    }
    oa.ok("close", str(ids["closed_on_day"]), "--basis", "已办结", now=f"{DAY}T23:59:00")
    return ids


def _write_after_day(oa: Oa, ids: dict[str, int]) -> None:
    later = "2026-11-18T10:00:00"
    oa.ok("edit", str(ids["edited_later"]), "--title", "后来改的标题", now=later)
    oa.ok("close", str(ids["closed_later"]), "--basis", "已办结", now=later)
    oa.ok("escalate", str(ids["carded_later"]), "--level", "red", now=later)
    oa.ok("extend", str(ids["extended_later"]), "--due", "2026-12-01", "--reason", "申请延期",
          now=later)  # fmt: skip
    oa.ok("feedback", str(ids["carded_later"]), "首报", now=later)
    oa.add("后来登记的事项", now=later)
    oa.ok("escalate", "--auto", now=later)


def _ids(daily: dict[str, Any]) -> dict[str, list[int]]:
    return {name: [i["id"] for i in items] for name, items in daily["sections"].items()}


def test_daily_date_shows_the_ledger_as_it_stood_at_the_end_of_that_day(oa: Oa) -> None:
    ids = _ledger_of_week_46(oa)
    before = oa.ok("daily", "--date", DAY, "--format", "json", now=f"{DAY}T23:59:30").json()
    # The first second of the next day is after the end of DAY.
    oa.ok("edit", str(ids["edited_later"]), "--remark", "午夜后加的备注", now="2026-11-12T00:00:00")
    _write_after_day(oa, ids)
    after = oa.ok("daily", "--date", DAY, "--format", "json").json()

    assert after["date"] == DAY
    assert after["sections"] == before["sections"]
    assert after["summary"] == before["summary"]
    sections = _ids(after)
    assert sections["to_assign"] == [ids["edited_later"]]
    assert sections["overdue"] == [ids["closed_later"]]
    assert ids["carded_later"] in sections["due_soon"]
    assert ids["extended_later"] in sections["due_soon"]
    assert sections["closed_today"] == [ids["closed_on_day"]]
    items = {i["id"]: i for s in after["sections"].values() for i in s}
    assert items[ids["closed_later"]]["status"] == "assigned"
    assert items[ids["closed_later"]]["closed_at"] is None
    assert items[ids["edited_later"]]["title"] == "原标题"
    assert items[ids["edited_later"]]["remark"] is None
    assert items[ids["carded_later"]]["card"] is None
    assert items[ids["carded_later"]]["feedback_count"] == 0
    assert items[ids["extended_later"]]["due"] == "2026-11-13"
    assert after["summary"]["open"] == 4  # the item registered later is not counted
    assert after["summary"]["closed_today"] == 1


def test_weekly_of_a_past_week_is_the_same_before_and_after_later_writes(oa: Oa) -> None:
    ids = _ledger_of_week_46(oa)
    before = oa.ok("weekly", "--week", "2026-W46", "--format", "json",
                   now="2026-11-15T23:00:00").json()  # fmt: skip
    _write_after_day(oa, ids)
    after = oa.ok("weekly", "--week", "2026-W46", "--format", "json").json()
    assert after["anchor"] != before["anchor"]  # the anchor is the head when it was made
    del before["anchor"], after["anchor"]
    assert after == before
    text = json.dumps(after, ensure_ascii=False)
    assert "后来改的标题" not in text and "后来登记的事项" not in text
    assert "原标题" in text


# --- copy and backup carry everything -------------------------------------------------------


def _ledger_with_evidence(oa: Oa, assigned: Callable[..., int]) -> None:
    oa.ok("unit", "add", "zjj", "市住建局")
    item_id = str(assigned())
    oa.ok("feedback", item_id, "首报", "--file", write(oa, "报告.pdf", BINARY))
    oa.ok("close", item_id, "--basis", "已办结", "--file", write(oa, "a.txt", TWIN_A))
    oa.add("第二件")
    oa.ok("escalate", "--auto")


def test_copy_to_an_empty_path_verifies_with_the_same_head_and_export(
    oa: Oa, assigned: Callable[..., int]
) -> None:
    _ledger_with_evidence(oa, assigned)
    dest = oa.tmp / "office" / "copy.db"
    dest.parent.mkdir()
    oa.ok("copy", str(dest))
    source = oa.ok("verify", "--format", "json").json()
    copied = oa.ok("--db", str(dest), "verify", "--format", "json").json()
    assert copied == source
    assert copied["ok"] is True
    assert (
        oa.ok("--db", str(dest), "export", "--format", "json").out
        == oa.ok("export", "--format", "json").out
    )
    assert oa.ok("--db", str(dest), "log", "--format", "json").json() == log(oa)
    out = oa.tmp / "from-copy.pdf"
    oa.ok("--db", str(dest), "evidence", sha(BINARY)[:12], "-o", str(out))
    assert out.read_bytes() == BINARY


def test_copy_onto_a_non_empty_ledger_is_refused(oa: Oa, assigned: Callable[..., int]) -> None:
    _ledger_with_evidence(oa, assigned)
    dest = oa.tmp / "other.db"
    oa.ok("--db", str(dest), "add", "别人的事项")
    before = oa.ok("--db", str(dest), "verify", "--format", "json").json()
    result = oa.fails(1, "copy", str(dest))
    assert str(dest) in result.err or dest.name in result.err
    assert oa.ok("--db", str(dest), "verify", "--format", "json").json() == before


def test_backup_carries_the_evidence(oa: Oa, assigned: Callable[..., int]) -> None:
    _ledger_with_evidence(oa, assigned)
    dest = oa.tmp / "backup.db"
    oa.ok("backup", str(dest))
    assert (
        oa.ok("--db", str(dest), "verify", "--format", "json").json()
        == oa.ok("verify", "--format", "json").json()
    )
    out = oa.tmp / "from-backup.pdf"
    oa.ok("--db", str(dest), "evidence", sha(BINARY)[:12], "-o", str(out))
    assert out.read_bytes() == BINARY


@given(
    seq=st.integers(min_value=1, max_value=10**12),
    digest=st.text(alphabet="0123456789abcdef", min_size=12, max_size=64),
    label=st.sampled_from(["", "台账校验码：", "台账校验码 ", "head: ", "ledger check code "]),
    end=st.sampled_from(["", "。", "；", " "]),
)
def test_any_anchor_as_printed_reads_back(seq: int, digest: str, label: str, end: str) -> None:
    from oa_cli.actions.verify import parse_anchor

    assert parse_anchor(f"{label}{seq}:{digest}{end}") == (seq, digest)
    assert parse_anchor(f"{label}{seq}：{digest.upper()}") == (seq, digest)
