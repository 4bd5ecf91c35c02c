"""The ledger on PostgreSQL behaves as on SQLite: same rows, same JSON bytes, same head;
writers at once keep one chain; a restarted server is reconnected; unit logins are
confined by PostgreSQL itself."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pgserver import PgServer, pg_server_fixture, pg_url_fixture  # noqa: F401  (fixtures)

from oa_cli.actions import Context
from oa_cli.actions import items as act
from oa_cli.actions.copy import copy_ledger
from oa_cli.config import Config
from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.selection import EVERY, Selection
from oa_cli.errors import OaError
from oa_cli.ledger.connection import open_ledger
from oa_cli.ledger.journal import check_chain
from oa_cli.ledger.store import Ledger

if TYPE_CHECKING:
    from oa_cli.ledger.pg import PgLedger

pytestmark = pytest.mark.pg
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
TODAY = NOW.date()
ACTOR = "postgres"  # on PostgreSQL the actor is the login: the same name on SQLite


def _ctx(ledger: Ledger, now: dt.datetime = NOW) -> Context:
    return Context(ledger, now, ACTOR, Config(), WorkCalendar(), lambda: now)


def _pg(url: str) -> PgLedger:
    from oa_cli.ledger.pg import open_pg

    return open_pg(url)


def _sqlite(path: Path) -> Ledger:
    return Ledger(open_ledger(path), path)


def _record(title: str, due: str, **more: Any) -> dict[str, Any]:
    return {
        "title": title,
        "source": "meeting",
        "received_at": "2026-11-02",
        "due": due,
        "priority": "normal",
        "tags": [],
        **more,
    }


def build(ledger: Ledger, tmp: Path) -> None:
    """A small ledger touching every column kind: lists, quotes, control characters,
    Chinese, evidence, cards, reports, closing."""
    ctx = _ctx(ledger)
    act.add(ctx, _record("推进\"老旧小区\"改造\t一期", "2026-11-20", tags=["民生", "城建"]),
            "市住建局", ["市财政局", "市发改委"])  # fmt: skip
    act.add(ctx, _record("Budget review", "2026-12-31", leader="张三", body="line1\nline2\\"),
            "市财政局")  # fmt: skip
    act.add(ctx, _record("待交办事项", "2026-11-25", doc_no="市委办〔2026〕12号"))
    act.add(ctx, _record("已办结", "2026-11-30"), "市发改委")
    act.ack(ctx, 1, "李四")
    proof = tmp / "proof.txt"
    proof.write_bytes(b"\x00binary\xffproof")
    act.feedback(ctx, 1, "已完成50%", 50, files=[str(proof)])
    act.remind(ctx, 2, "请抓紧")
    act.escalate(ctx, 1, "yellow", "逾期")
    act.feedback(ctx, 4, "已办结", 100)
    act.close(ctx, 4, "report", "市发改委报告")


SELECTIONS = [
    Selection(),
    EVERY,
    Selection(statuses=(), sort="received"),
    Selection(unit_or_co="市发改委"),
    Selection(tag="民生", statuses=()),
    Selection(search="budget", statuses=()),
    Selection(search="老旧", statuses=()),
    Selection(card="none"),
    Selection(carded=True),
    Selection(due_before="2026-11-23"),
    Selection(statuses=("assigned", "closed"), report_due_before="2026-12-31"),
    Selection(statuses=("closed",), closed_from="2026-11-01", limit=1),
    Selection(unit="市财政局", leader="张三"),
    Selection(no_report_since="2026-11-23T00:00", unacked_assigned_before="2026-12-01"),
]


def _outputs(ledger: Ledger) -> list[Any]:
    cal = WorkCalendar()
    out: list[Any] = []
    for sel in SELECTIONS:
        out.append(b"\n".join(b"\n".join(batch) for batch in ledger.select_json(sel, TODAY, cal)))
        out.append(list(ledger.select_values(sel, TODAY, cal)))
        out.append((list(ledger.select(sel)), ledger.count(sel)))
    out.append([dict(e) for e in ledger.events(since="2026-11-01", actions=["feedback", "ack"])])
    out.append(list(ledger.events(item_id=1, until="2027-01-01")))
    out.append(ledger.latest_reports([1, 2, 4]))
    out.append(ledger.units())
    out.append(list(ledger.evidence_all()))
    out.append(list(ledger.stored_items()))
    out.append((ledger.head(), ledger.event_count(), ledger.item_count(), ledger.next_id()))
    snap = ledger.snapshot("2026-11-24")
    out.append(list(snap.select(EVERY)))
    return out


@pytest.fixture
def both(pg_url: str, tmp_path: Path) -> Iterator[tuple[Ledger, PgLedger]]:
    lite, pg = _sqlite(tmp_path / "a.db"), _pg(pg_url)
    build(lite, tmp_path)
    build(pg, tmp_path)
    yield lite, pg
    lite.close()
    pg.close()


def test_same_operations_give_the_same_rows_and_json_bytes(both: tuple[Ledger, PgLedger]) -> None:
    lite, pg = both
    want, got = _outputs(lite), _outputs(pg)
    for a, b in zip(want, got, strict=True):
        assert a == b
    assert pg.chain_problems() == [] and pg.integrity_problems() == []
    assert pg.same_title("老旧小区", "2026-01-01") == lite.same_title("老旧小区", "2026-01-01")
    assert pg.evidence_matching(lite.evidence_matching("")[0][:8]) == lite.evidence_matching("")


def test_copy_sqlite_to_postgres_and_back_keeps_the_head(
    both: tuple[Ledger, PgLedger], pg_server: PgServer, tmp_path: Path
) -> None:
    lite, _ = both
    _, url = pg_server.new_database()
    pg = _pg(url)
    with pg.transaction():
        for table in Ledger.TABLES:
            for batch in lite.dump(table):
                pg.load(table, batch)
    assert pg.head() == lite.head() and pg.chain_problems() == []
    assert pg.integrity_problems() == []
    head = copy_ledger(_ctx(pg), str(tmp_path / "back.db"))
    back = _sqlite(tmp_path / "back.db")
    assert head == back.head() == lite.head()
    assert list(back.stored_items()) == list(lite.stored_items())
    assert back.integrity_problems() == [] and back.chain_problems() == []


def test_backup_writes_a_sqlite_ledger(both: tuple[Ledger, PgLedger], tmp_path: Path) -> None:
    lite, pg = both
    dest = tmp_path / "backup.db"
    pg.backup_to(dest)
    copy = _sqlite(dest)
    assert copy.head() == pg.head() == lite.head()
    assert list(copy.evidence_all()) == list(lite.evidence_all())
    with pytest.raises(OaError, match="--force"):
        pg.backup_to(dest)
    pg.backup_to(dest, force=True)


def test_writers_at_once_keep_one_chain(pg_url: str) -> None:
    setup = _pg(pg_url)
    act.add(_ctx(setup), _record("共同事项", "2026-12-31"), "市发改委")
    errors: list[BaseException] = []

    def clerk(n: int) -> None:
        ledger = _pg(pg_url)
        try:
            for i in range(25):
                act.remind(_ctx(ledger), 1, f"clerk {n} #{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            ledger.close()

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert setup.event_count() == 2 + 100  # add, assign, 100 reminders
    assert setup.get(1)["remind_count"] == 100
    assert check_chain(setup.conn) == [] and setup.integrity_problems() == []  # type: ignore[arg-type]
    setup.close()


def test_a_restarted_server_is_reconnected(pg_url: str, pg_server: PgServer) -> None:
    ledger = _pg(pg_url)
    act.add(_ctx(ledger), _record("重启前", "2026-12-31"))
    pg_server.restart()
    assert ledger.count(EVERY) == 1  # a read reconnects
    pg_server.restart()
    act.add(_ctx(ledger), _record("重启后", "2026-12-31"))  # so does a write
    assert ledger.head()[0] == 2 and ledger.chain_problems() == []
    ledger.close()


def test_a_server_that_is_down_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(OaError, match="cannot reach the ledger") as err:
        _pg(f"postgresql:///nowhere?host={tmp_path}&user=x")
    assert len(err.value.lines()) == 1 and "\n" not in err.value.message


def test_unit_login_is_confined_by_postgresql(
    both: tuple[Ledger, PgLedger], pg_server: PgServer, tmp_path: Path
) -> None:
    from oa_cli.ledger.pg_roles import grant, grants

    _, owner = both
    grant(owner, "oa_unit_fgw", "unit", "市发改委")
    grant(owner, "oa_reader", "read-only")
    grant(owner, "oa_clerk", "office")
    assert grants(owner) == [
        {"login": "oa_clerk", "role": "office", "unit": None},
        {"login": "oa_reader", "role": "read-only", "unit": None},
        {"login": "oa_unit_fgw", "role": "unit", "unit": "市发改委"},
    ]
    db = owner.url.split("?")[0].rsplit("/", 1)[-1]

    def psql(sql: str) -> Any:
        return pg_server.psql(db, sql, user="oa_unit_fgw")

    assert psql("SELECT id FROM items ORDER BY id").stdout.split() == ["1", "4"]
    assert set(psql("SELECT DISTINCT item_id FROM events").stdout.split()) == {"1", "4"}
    assert psql("SELECT seq FROM head").stdout.strip() == str(owner.head()[0])
    assert psql("UPDATE items SET title = 'x' WHERE id = 1").returncode != 0
    assert psql("UPDATE items SET acked_at = 'x' WHERE id = 2").stdout == ""  # sees no row 2
    assert owner.get(2)["acked_at"] is None
    bad = "INSERT INTO events VALUES (999, 1, 'a', 'b', 'oa_unit_fgw', 'close', '{}', 'p', 'h')"
    refused = ("row-level security", "must follow the last one")
    assert any(word in psql(bad).stderr for word in refused)
    other = bad.replace("999, 1,", "999, 2,").replace("'close'", "'feedback'")
    assert any(word in psql(other).stderr for word in refused)
    # its own item and an allowed action, but not the next link of the chain: refused, so
    # one forged row cannot stop every writer or break the chain
    head_seq = owner.head()[0]
    forged = bad.replace("999,", f"{head_seq + 1},").replace("'close'", "'feedback'")
    assert "must follow the last one" in psql(forged).stderr
    assert "the head names the last event" in psql("UPDATE head SET seq = 0").stderr
    # a true next link inserted by hand moves the head with it: the office goes on
    from oa_cli.ledger.journal import event_hash

    seq, prev = owner.head()
    link = {"seq": seq + 1, "item_id": 1, "at": "2026-11-24T09:00:00+08:00",
            "recorded_at": "2026-11-24T09:00:00+08:00", "actor": "oa_unit_fgw",
            "action": "ack", "data": {"by": "x"}}  # fmt: skip
    digest = event_hash(prev, link)
    psql(
        f"INSERT INTO events VALUES ({seq + 1}, 1, '{link['at']}', '{link['recorded_at']}',"
        f" 'oa_unit_fgw', 'ack', '{{\"by\":\"x\"}}', '{prev}', '{digest}')"
    )
    assert owner.head() == (seq + 1, digest)
    assert psql("INSERT INTO evidence VALUES ('deadbeef', 3, 'abc')").returncode != 0
    # another unit's evidence stays out of sight
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"%PDF another unit")
    act.feedback(_ctx(owner), 2, "别的单位的报告", files=[str(elsewhere)])
    assert psql("SELECT count(*) FROM evidence").stdout.strip() == "1"  # item 1's file only
    assert psql("DELETE FROM events").returncode != 0
    # Through oa: ack and feedback work on its items, anything else is one line.
    unit = _pg(owner.url.replace("user=postgres", "user=oa_unit_fgw"))
    ctx = _ctx(unit)
    assert [i["id"] for i in unit.select(EVERY)] == [1, 4]
    proof = tmp_path / "unit.pdf"
    proof.write_bytes(b"%PDF unit")
    act.feedback(ctx, 1, "单位反馈", files=[str(proof)])
    assert len(list(owner.evidence_all())) == 3
    assert owner.chain_problems() == []
    assert list(owner.events(item_id=1))[-1]["actor"] == "oa_unit_fgw"
    with pytest.raises(OaError, match="oa_unit_fgw may only read the items of 市发改委"):
        act.remind(ctx, 1, "催")
    with pytest.raises(OaError, match="not found"):
        act.feedback(ctx, 2, "别人的事项")
    reader = _pg(owner.url.replace("user=postgres", "user=oa_reader"))
    assert reader.count(EVERY) == 4
    with pytest.raises(OaError, match="oa_reader may only read"):
        act.remind(_ctx(reader), 1, "催")
    for ledger in (unit, reader):
        ledger.close()


def test_without_the_driver_a_postgresql_ledger_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg → ImportError
    with pytest.raises(OaError, match=r"pip install 'oa-cli\[postgres\]'"):
        _pg("postgresql:///oa?host=/nowhere")
