"""The ledger on PostgreSQL behaves as on SQLite: same rows, same JSON bytes, same head;
writers at once keep one chain; a restarted server is reconnected; unit logins are
confined by PostgreSQL itself."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterable, Iterator
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


def _at_schema(url: str, version: int, title: str) -> PgLedger:
    """A new PostgreSQL ledger made by the migrations up to `version` only, as an older
    oa made it, with one item of `title` assigned to 市发改委."""
    from oa_cli.ledger import pg_schema

    with pytest.MonkeyPatch.context() as old:
        old.setattr(pg_schema, "MIGRATIONS", pg_schema.MIGRATIONS[:version])
        old.setattr(pg_schema, "SCHEMA_VERSION", version)
        ledger = _pg(url)
        act.add(_ctx(ledger), _record(title, "2026-12-31"), "市发改委")
    return ledger


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


UNIT = "oa_unit_fgw"


def _login(url: str, login: str) -> str:
    return url.replace("user=postgres", f"user={login}")


def _refused(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> str:
    """The SQLSTATE PostgreSQL refuses `sql` with (each statement on its own)."""
    import psycopg

    with pytest.raises(psycopg.Error) as err:
        conn.execute(sql, params)
    return str(err.value.sqlstate)


def test_unit_login_reads_its_items_and_writes_no_table_itself(
    both: tuple[Ledger, PgLedger], pg_server: PgServer
) -> None:
    import psycopg

    from oa_cli.ledger.journal import event_hash
    from oa_cli.ledger.pg_roles import grant, grants

    _, owner = both
    grant(owner, UNIT, "unit", "市发改委")
    grant(owner, "oa_reader", "read-only")
    grant(owner, "oa_clerk", "office")
    assert [g["login"] for g in grants(owner)] == ["oa_clerk", "oa_reader", UNIT]
    assert grants(owner, UNIT) == [{"login": UNIT, "role": "unit", "unit": "市发改委"}]
    clerk = _pg(_login(owner.url, "oa_clerk"))
    with pytest.raises(OaError, match="cannot create the login oa_new: only the ledger's owner"):
        grant(clerk, "oa_new", "read-only")  # a clerk is not the owner
    clerk.close()
    db = owner.url.split("?")[0].rsplit("/", 1)[-1]
    psql = pg_server.psql(db, "SELECT id FROM items ORDER BY id", user=UNIT)
    assert psql.stdout.split() == ["1", "4"]
    before = owner.head()
    unit = psycopg.connect(_login(owner.url, UNIT), autocommit=True)
    assert {r[0] for r in unit.execute("SELECT DISTINCT item_id FROM events")} == {1, 4}
    assert unit.execute("SELECT seq FROM head").fetchone()[0] == before[0]
    assert unit.execute("SELECT count(*) FROM items WHERE id = 2").fetchone()[0] == 0
    denied = "42501"
    found = unit.execute("SELECT column_name FROM information_schema.columns"
                         " WHERE table_name = 'items'")  # fmt: skip
    columns = [r[0] for r in found]
    assert len(columns) > 30
    for column in columns:
        assert _refused(unit, f"UPDATE items SET {column} = {column} WHERE id = 1") == denied
    # the true next link of the chain, with its own hash: still not the unit's to write
    seq, prev = before
    link = {"seq": seq + 1, "item_id": 1, "at": "2026-11-24T09:00:00+08:00",
            "recorded_at": "2026-11-24T09:00:00+08:00", "actor": UNIT,
            "action": "ack", "data": {"by": "x"}}  # fmt: skip
    insert = "INSERT INTO events VALUES (%s, 1, %s, %s, %s, 'ack', '{\"by\":\"x\"}', %s, %s)"
    values = (seq + 1, link["at"], link["at"], UNIT, prev, event_hash(prev, link))
    assert _refused(unit, insert, values) == denied
    assert _refused(unit, "UPDATE head SET seq = seq") == denied
    data = b"%PDF forged"
    sha = hashlib.sha256(data).hexdigest()
    assert _refused(unit, "INSERT INTO evidence VALUES (%s, %s, %s)", (sha, 11, data)) == denied
    for table in ("items", "events", "head", "evidence", "units", "auto_actions", "oa_logins",
                  "oa_workdays", "oa_rules", "oa_schema"):  # fmt: skip
        assert _refused(unit, f"DELETE FROM {table}") == denied
    assert _refused(unit, "INSERT INTO oa_workdays VALUES ('2026-11-29')") == denied
    # the write functions: only its own assigned items, at the present time, and the
    # server decides the kind, the counters and the next deadline
    at = "2026-11-24T09:00:00+08:00"
    feedback = "SELECT oa_unit_feedback(%s, 'x', NULL, NULL, NULL, '{}', '{}', %s)"
    assert _refused(unit, feedback, (2, at)) == denied  # another unit's item
    assert _refused(unit, "SELECT oa_unit_ack(4, NULL, %s)", (at,)) == "55000"  # closed
    for later in ("'2099-01-01'", "'first'", "1, 'first', '2099-01-01'"):
        made_up = feedback.replace(", %s)", f", %s, {later})")
        assert _refused(unit, made_up, (1, at)) == "42883"  # no such function
    assert _refused(unit, feedback, (1, "2099-01-01T09:00:00+08:00")) == "OA002"
    assert _refused(unit, feedback, (1, "2026-11-01T09:00:00+08:00")) == "OA002"
    assert _refused(unit, feedback, (1, "2026-11-24")) == "OA002"
    append = "SELECT oa_unit_append(1, 'feedback', %s, '{}')"
    assert _refused(unit, append, (at,)) == denied
    clerk = psycopg.connect(_login(owner.url, "oa_clerk"), autocommit=True)
    assert _refused(clerk, "SELECT oa_unit_ack(1, NULL, %s)", (at,)) == denied
    unit.close()
    clerk.close()
    assert owner.head() == before and owner.chain_problems() == []


def test_unit_ack_and_feedback_follow_the_office_rules(
    both: tuple[Ledger, PgLedger], tmp_path: Path
) -> None:
    """What a unit login writes through oa is what the office would write: the same
    item rows and stored objects, the same event data, at the same time."""
    from oa_cli.actions.roles import publish
    from oa_cli.actions.verify import verify
    from oa_cli.ledger.pg_roles import grant

    lite, owner = both
    for ledger in both:
        act.add(_ctx(ledger), _record("单位签收事项", "2026-12-31"), "市发改委", ["市住建局"])
    grant(owner, UNIT, "unit", "市发改委")
    unit = _pg(_login(owner.url, UNIT))
    later = NOW + dt.timedelta(hours=2)
    ctx = _ctx(unit, later)
    with pytest.raises(OaError, match="working days around 2026-11-23 are not on the ledger"):
        act.feedback(ctx, 5, "尚无日历")
    publish(_ctx(owner))
    proof = tmp_path / "unit.pdf"
    proof.write_bytes(b"%PDF unit")
    for who, c in ((unit, ctx), (lite, _ctx(lite, later))):
        assert act.ack(c, 5, " 王五 ")["acked_at"] == "2026-11-23T11:00:00+08:00"
        act.feedback(c, 5, "首次反馈", 30, "发改〔2026〕1号", files=[str(proof)])
        done = act.feedback(c, 5, '续报\n"引号"', by="赵六")
        act.feedback(c, 1, "再次反馈")
        assert done["feedback_count"] == 2 and who is not None
    assert done["report_due"] == "2026-11-30"  # 5 working days after 2026-11-23
    assert list(owner.stored_items()) == list(lite.stored_items())
    got = list(owner.events(since="2026-11-23T10"))

    def steps(events: Iterable[dict[str, Any]]) -> list[Any]:
        return [(e["seq"], e["at"], e["action"], e["data"]) for e in events]

    assert steps(got) == steps(lite.events(since="2026-11-23T10"))
    assert {e["actor"] for e in got} == {UNIT}
    assert got[1]["data"]["kind"] == "first" and got[2]["data"]["kind"] == "follow_up"
    assert verify(_ctx(owner)).ok
    assert list(owner.evidence_all()) == list(lite.evidence_all())
    with pytest.raises(OaError, match=f"{UNIT} may only read the items of 市发改委"):
        act.remind(ctx, 1, "催")
    with pytest.raises(OaError, match="item 2 is not among the items of 市发改委"):
        act.feedback(ctx, 2, "别人的事项")
    with pytest.raises(OaError, match="already acknowledged"):
        act.ack(ctx, 5)
    # a co-unit does not sign for the lead's assignment (the lead could then never sign)
    act.add(_ctx(owner), _record("协办事项", "2026-12-31"), "市住建局", ["市发改委"])
    with pytest.raises(OaError, match="only the lead unit 市住建局 signs for this item"):
        act.ack(ctx, 6)
    assert owner.get(6)["acked_at"] is None
    with pytest.raises(OaError, match="present time: 2026-11-02 09:00 is before"):
        act.feedback(_ctx(unit, NOW - dt.timedelta(days=21)), 5, "倒签")
    # the office returns the report at 15:00: the unit's next one is not dated before it
    act.return_report(_ctx(owner, NOW + dt.timedelta(hours=6)), 5, "内容不全")
    with pytest.raises(OaError, match="present time: 2026-11-23 14:00 is.*latest event"):
        act.feedback(_ctx(unit, NOW + dt.timedelta(hours=5)), 5, "倒签在退回之前")
    assert act.feedback(_ctx(unit, NOW + dt.timedelta(hours=6)), 5, "补报")["feedback_count"] == 2
    with pytest.raises(OaError, match=f"{UNIT} sees only the items of 市发改委"):
        verify(ctx)
    grant(owner, "oa_reader", "read-only")
    reader = _pg(_login(owner.url, "oa_reader"))
    with pytest.raises(OaError, match="oa_reader may only read"):
        act.ack(_ctx(reader), 5)
    with pytest.raises(OaError, match="oa_reader may only read"):
        reader.require_office()
    with pytest.raises(OaError, match=f"{UNIT} may only read the items"):
        unit.require_office()
    owner.require_office()
    for ledger in (unit, reader):
        ledger.close()


def test_a_unit_login_through_oa_is_one_line_in_its_language(
    both: tuple[Ledger, PgLedger], oa: Any, tmp_path: Path
) -> None:
    from oa_cli.actions.roles import publish
    from oa_cli.ledger.pg_roles import grant

    _, owner = both
    act.add(_ctx(owner), _record("命令行签收", "2026-12-31"), "市发改委")
    grant(owner, UNIT, "unit", "市发改委")
    publish(_ctx(owner))
    url = _login(owner.url, UNIT)
    proof = tmp_path / "报告.pdf"
    proof.write_bytes(b"%PDF cli")
    oa.ok("--db", url, "ack", "5", "--by", "王五")
    oa.ok("--db", url, "feedback", "5", "已推进", "--file", str(proof))
    refused = oa.fails(1, "--db", url, "--lang", "zh", "remind", "5")
    assert refused.err.strip() == f"oa：登录名 {UNIT} 只能查看市发改委的事项，并对其签收和反馈"
    assert oa.fails(1, "--db", url, "verify").err.count("\n") == 1
    assert oa.ok("--db", owner.url, "verify").code == 0
    assert owner.get(5)["feedback_count"] == 1
    # `oa grant` says which unit a unit's login is for
    given = oa.ok("--db", owner.url, "--lang", "zh", "grant", "oa_unit_two", "--unit", "市发改委")
    assert given.err.strip() == "已授予 oa_unit_two 承办单位权限：市发改委"
    listed = oa.ok("--db", owner.url, "grant", "--list").out
    assert "oa_unit_two\tunit\t市发改委" in listed
    # another unit's item is said to be not the unit's, not merely missing
    hidden = oa.fails(1, "--db", url, "--lang", "zh", "show", "2").err.strip()
    assert hidden == f"oa：事项 2 不存在或不属于市发改委（登录名 {UNIT} 只能查看市发改委的事项）"
    # a holiday the office adds to its config: its commands say the units' working days
    # are not the config's, until escalate --auto writes them (--as is said unrecorded)
    oa.config.write_text("holidays: [2026-11-24, 2026-11-25]\n", encoding="utf-8")
    urged = oa.ok("--db", owner.url, "--as", "张科长", "remind", "5").err
    assert "the actor is the login postgres; --as 张科长 is not recorded" in urged
    assert "reports fall due by on this ledger are not this configuration's" in urged
    assert "not recorded" not in oa.ok("--db", owner.url, "--as", "张科长", "list").err
    assert "configuration's" not in oa.ok("--db", owner.url, "escalate", "--auto").err
    assert "configuration's" not in oa.ok("--db", owner.url, "remind", "5").err
    oa.ok("--db", url, "feedback", "5", "续报")
    assert owner.get(5)["report_due"] == "2026-12-02"  # 5 working days, 24th and 25th off


def test_an_older_ledger_is_upgraded_by_its_owner_only(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oa_cli.ledger import pg as pg_module
    from oa_cli.ledger import pg_schema
    from oa_cli.ledger.pg_roles import grant

    ledger = _at_schema(pg_url, 7, "七版台账事项")
    grant(ledger, "oa_clerk", "office")
    ledger.close()
    copies: list[int] = []
    monkeypatch.setattr(
        pg_module, "backup_path", lambda url, v: copies.append(v) or tmp_path / f"s{v}.bak"
    )
    with pytest.raises(OaError, match="at schema 7 and this oa needs 8: its owner must open"):
        _pg(_login(pg_url, "oa_clerk"))
    assert copies == []  # refused before any copy is made
    owner = _pg(pg_url)
    assert pg_schema.current_version(owner.conn) == pg_schema.SCHEMA_VERSION and copies == [7]
    owner.close()
    clerk = _pg(_login(pg_url, "oa_clerk"))
    assert clerk.get(1)["title"] == "七版台账事项"
    clerk.close()


def test_a_schema4_ledger_is_upgraded_and_its_unit_logins_lose_their_writes(
    pg_url: str, pg_server: PgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oa_cli.actions.roles import publish
    from oa_cli.ledger import pg as pg_module
    from oa_cli.ledger import pg_schema

    _at_schema(pg_url, 4, "旧台账事项").close()
    db = pg_url.split("?")[0].rsplit("/", 1)[-1]
    pg_server.psql(db, f'CREATE ROLE "{UNIT}" LOGIN')
    schema4 = (  # what oa grant --unit gave a unit login in schema 4
        f"INSERT INTO oa_logins VALUES ('{UNIT}', 'unit', '市发改委');"
        f" GRANT SELECT ON items, events, units, evidence, head, oa_schema TO {UNIT};"
        f" GRANT UPDATE (acked_at, report_due, doc) ON items TO {UNIT};"
        f" GRANT INSERT ON events, evidence TO {UNIT}; GRANT UPDATE (seq, hash) ON head TO {UNIT}"
    )
    assert pg_server.psql(db, schema4).returncode == 0
    monkeypatch.setattr(pg_module, "backup_path", lambda url, version: tmp_path / "s4.bak")
    owner = _pg(pg_url)
    assert pg_schema.current_version(owner.conn) == pg_schema.SCHEMA_VERSION
    assert (tmp_path / "s4.bak").exists()
    update = "UPDATE items SET report_due = '2099-01-01' WHERE id = 1"
    assert "permission denied" in pg_server.psql(db, update, user=UNIT).stderr
    publish(_ctx(owner))
    unit = _pg(_login(pg_url, UNIT))
    act.ack(_ctx(unit), 1)
    act.feedback(_ctx(unit), 1, "升级后反馈")
    assert owner.get(1)["report_due"] == "2026-11-30"
    assert owner.chain_problems() == [] and owner.integrity_problems() == []
    unit.close()
    owner.close()


def test_without_the_driver_a_postgresql_ledger_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg → ImportError
    with pytest.raises(OaError, match=r"pip install 'oa-cli\[postgres\]'"):
        _pg("postgresql:///oa?host=/nowhere")
