"""The journal: one event per change, hash-chained; `oa verify` finds tampering."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import Oa

pytestmark = pytest.mark.backends


def _busy_ledger(oa: Oa, assigned) -> None:
    item_id = str(assigned())
    oa.ok("feedback", item_id, "已部署")
    oa.ok("remind", item_id)
    oa.ok("close", item_id, "--basis", "已办结")
    oa.add("第二件")


def test_every_change_appends_one_event_with_actor_and_times(oa: Oa, assigned) -> None:
    _busy_ledger(oa, assigned)
    events = oa.ok("log", "--format", "json").json()
    assert [e["action"] for e in events] == ["add", "assign", "feedback", "remind", "close", "add"]
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5, 6]
    first = events[0]
    assert set(first) == {"seq", "item_id", "at", "recorded_at", "actor", "action", "data", "hash"}
    assert first["at"] == "2026-11-23T09:00:00+08:00"
    assert first["recorded_at"] != first["at"]  # the real clock: a back-dated entry shows
    assert first["actor"] == "clerk"
    assert len(first["hash"]) == 64


@pytest.mark.sqlite_only("on PostgreSQL the actor is the database login, not --as (SPEC)")
def test_actor_comes_from_as(oa: Oa) -> None:
    oa.ok("--as", "王科长", "add", "事项")
    assert oa.ok("log", "--format", "json").json()[0]["actor"] == "王科长"
    assert oa.item(1)["created_by"] == "王科长"


def test_log_of_one_item_and_since(oa: Oa, assigned) -> None:
    assigned()
    oa.add("第二件", now="2026-11-25T10:00")
    assert [e["item_id"] for e in oa.ok("log", "2", "--format", "json").json()] == [2]
    assert len(oa.ok("log", "--since", "2026-11-24", "--format", "json").json()) == 1
    oa.fails(1, "log", "9")


def test_verify_passes_on_an_honest_ledger(oa: Oa, assigned) -> None:
    _busy_ledger(oa, assigned)
    result = oa.ok("verify")
    assert "2 items" in result.out and "6 events" in result.out


@pytest.mark.sqlite_only("on PostgreSQL the actor is the database login, not --as (SPEC)")
def test_verify_passes_with_an_actor_that_needs_json_escaping(oa: Oa) -> None:
    actor = '王"科长\\'
    oa.ok("--as", actor, "add", "事项")
    records = "\n".join(json.dumps({"title": f"事项{i}"}, ensure_ascii=False) for i in range(3))
    oa.ok("--as", actor, "import", "-", "--format", "jsonl", input=records)
    assert "4 items, 4 events" in oa.ok("verify").out
    assert {e["actor"] for e in json.loads(oa.ok("log", "--format", "json").out)} == {actor}


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (sqlite3.connect on oa.db)")
def test_verify_finds_an_edited_event_and_names_its_seq(oa: Oa, assigned) -> None:
    _busy_ledger(oa, assigned)
    row = sqlite3.connect(oa.db).execute("SELECT data FROM events WHERE seq = 3").fetchone()
    data = json.loads(row[0])
    data["text"] = "伪造的反馈"
    oa.sql("UPDATE events SET data = ? WHERE seq = 3", json.dumps(data, ensure_ascii=False))
    result = oa.fails(1, "verify")
    assert "event 3" in result.err


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (sqlite3.connect on oa.db)")
def test_verify_finds_a_deleted_event(oa: Oa, assigned) -> None:
    _busy_ledger(oa, assigned)
    oa.sql("DELETE FROM events WHERE seq = 4")
    assert "event 4" in oa.fails(1, "verify").err


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (sqlite3.connect on oa.db)")
def test_verify_finds_a_deleted_last_event_through_replay(oa: Oa, assigned) -> None:
    _busy_ledger(oa, assigned)
    oa.sql("DELETE FROM events WHERE seq = 6")
    assert "item 2" in oa.fails(1, "verify").err


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (sqlite3.connect on oa.db)")
def test_verify_finds_reordered_events(oa: Oa, assigned) -> None:
    _busy_ledger(oa, assigned)
    conn = sqlite3.connect(oa.db)
    a = conn.execute("SELECT item_id, action, data FROM events WHERE seq = 3").fetchone()
    b = conn.execute("SELECT item_id, action, data FROM events WHERE seq = 4").fetchone()
    conn.execute("UPDATE events SET item_id=?, action=?, data=? WHERE seq = 3", b)
    conn.execute("UPDATE events SET item_id=?, action=?, data=? WHERE seq = 4", a)
    conn.commit()
    assert "event 3" in oa.fails(1, "verify").err


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (sqlite3.connect on oa.db)")
def test_verify_finds_an_item_row_edited_behind_the_journal(oa: Oa, assigned) -> None:
    _busy_ledger(oa, assigned)
    oa.sql("UPDATE items SET status = 'assigned', close_basis = NULL WHERE id = 1")
    result = oa.fails(1, "verify")
    assert "item 1" in result.err and "status" in result.err


@pytest.mark.sqlite_only("edits the SQLite ledger file directly (sqlite3.connect on oa.db)")
def test_verify_finds_a_stored_json_object_that_disagrees_with_its_row(oa: Oa, assigned) -> None:
    _busy_ledger(oa, assigned)
    conn = sqlite3.connect(oa.db)
    conn.execute("PRAGMA writable_schema = ON")  # as a hex editor would: behind SQLite
    conn.execute(
        "UPDATE sqlite_schema SET sql = replace(sql, 'json(''false'')', 'json(''true'')')"
        " WHERE name = 'items'"
    )
    conn.commit()
    conn.close()
    oa.add("篡改之后新增")
    result = oa("verify")
    assert result.code == 1
    assert "item 3: stored JSON object: not what the journal" in result.err
    assert "item 1:" not in result.err


def test_show_includes_the_timeline(oa: Oa, assigned) -> None:
    item_id = assigned()
    oa.ok("feedback", str(item_id), "首报内容")
    timeline = oa.item(item_id)["timeline"]
    assert [e["action"] for e in timeline] == ["add", "assign", "feedback"]
    assert timeline[2]["data"]["text"] == "首报内容"


def _chain(events: list[tuple], one_at_a_time: bool) -> list[tuple]:
    from oa_cli.ledger.journal import Journal

    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE events (seq INTEGER PRIMARY KEY, item_id INTEGER, at TEXT,"
        " recorded_at TEXT, actor TEXT, action TEXT, data TEXT, prev_hash TEXT, hash TEXT)"
    )
    journal = Journal(conn, at="2026-11-23T09:00:00+08:00", recorded_at="r", actor="王科长")
    for part in ([e] for e in events) if one_at_a_time else [events]:
        journal.append_many(part)
    return conn.execute("SELECT * FROM events ORDER BY seq").fetchall()


def test_a_bulk_append_chains_events_as_single_appends_do() -> None:
    from oa_cli.ledger.journal import _BULK, GENESIS, event_hash

    events = [
        (i, "import", {"title": f"事项{i}", "tags": ["甲"], "n": i}) for i in range(1, _BULK + 5)
    ]
    events.insert(3, (2, "assign", {"unit": "市财政局"}, "2026-11-20T08:00:00+08:00"))
    bulk = _chain(events, one_at_a_time=False)
    assert bulk == _chain(events, one_at_a_time=True)
    prev = GENESIS
    for seq, item_id, at, recorded_at, actor, action, data, prev_hash, digest in bulk:
        head = dict(seq=seq, item_id=item_id, at=at, recorded_at=recorded_at, actor=actor)
        event = {**head, "action": action, "data": json.loads(data)}
        assert prev_hash == prev and digest == event_hash(prev, event)
        prev = digest


def test_verify_names_a_column_changed_behind_oas_back_alike_on_both_backends(oa: Oa) -> None:
    oa.add("关于做好冬季供暖保障工作的批示", "--unit", "市财政局")
    oa.sql("UPDATE items SET title = ? WHERE id = 1", "改过的标题")
    found = oa("verify")
    assert found.code != 0
    assert "item 1: stored title: not what the journal's replay gives" in found.err
