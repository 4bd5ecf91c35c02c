"""The weekly update's streamed paths give what the general report gives (same ids, same
order, same bytes), and the report itself agrees with a plain reading of the ledger, on
a small random ledger: this week and a past week (read from the journal), on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from conftest import Oa, side_by_side
from pgserver import PgServer, pg_server_fixture, pg_url_fixture  # noqa: F401  (fixtures)

UNITS = ("市财政局", "市住建局", "市交通运输局")
DAYS = [f"2026-11-{d:02d}" for d in range(9, 28)]


def _random_office(oa: Oa, seed: int, items: int = 14) -> None:
    """Items received, assigned, transferred, reported on, returned, carded, extended,
    closed and reopened on random days of three weeks (in time order)."""
    rnd = random.Random(seed)
    steps: list[tuple[str, int, tuple[str, ...]]] = []
    for n in range(1, items + 1):
        got = rnd.randrange(len(DAYS) - 3)
        due = f"2026-11-{rnd.randrange(10, 30):02d}"
        steps.append((DAYS[got] + "T08:00", n, ("add", f"事项{n}", "--due", due)))
        if rnd.random() < 0.85:
            steps.append((DAYS[got + 1] + "T09:00", n, ("assign", str(n), rnd.choice(UNITS))))
            for day in rnd.sample(DAYS[got + 2 :], k=min(4, len(DAYS) - got - 2)):
                steps.append((day + f"T1{rnd.randrange(10)}:00", n, _move(rnd, n)))
    steps.sort()
    for at, _, args in steps:
        oa(*args, now=at)  # some are refused (a closed item carded, …): as in life


def _move(rnd: random.Random, n: int) -> tuple[str, ...]:
    item = str(n)
    return rnd.choice(
        [
            ("feedback", item, "已部署落实"),
            ("return", item, "--reason", "内容空泛"),
            ("escalate", item),
            ("extend", item, "--due", "2026-12-04", "--reason", "需协调"),
            ("assign", item, rnd.choice(UNITS)),
            ("close", item, "--basis", "已办结"),
            ("reopen", item, "--due", "2026-12-11", "--reason", "群众再反映"),
        ]
    )


def _context(db: str | Path, now: str) -> Any:
    from oa_cli.actions import Context, open_ledger
    from oa_cli.config import Config
    from oa_cli.domain.calendar import WorkCalendar

    when = dt.datetime.fromisoformat(now + "+08:00")
    ledger = open_ledger(db, None, write=False)
    return Context(ledger, when, "clerk", Config(), WorkCalendar("cn"), lambda: when)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _plain_reading(ctx: Any, day: dt.date) -> dict[str, Any]:
    """Summary counts, rows per unit and moved entries as the ledger's general
    operations give them, one query a section (how the weekly was made before)."""
    from oa_cli.actions.reports import _week
    from oa_cli.domain.selection import Selection
    from oa_cli.domain.stats import WEEKLY_ACTIONS, unit_order, unit_rows

    week = _week(ctx, day)
    source, sels = week.source, week.selections
    events = list(ctx.ledger.events(since=week.first, until=week.after, actions=WEEKLY_ACTIONS))
    ids = tuple(sorted({e["item_id"] for e in events}))
    titles = {i["id"]: i for i in source.select(Selection(statuses=(), ids=ids))}
    moved: dict[int, dict[str, Any]] = {}
    for e in events:
        if e["item_id"] not in titles or (
            e["action"] == "assign" and e["data"].get("previous_unit") is None
        ):
            continue
        item = titles[e["item_id"]]
        entry = moved.setdefault(
            item["id"], {"id": item["id"], "title": item["title"], "unit": item["unit"]}
        )
        entry.setdefault("events", []).append({k: e[k] for k in ("at", "action", "actor", "data")})
    counts = {name: source.counts_by_unit(sel) for name, sel in sels.items()}
    return {
        "summary": {name: source.count(sel) for name, sel in sels.items()},
        "units": unit_rows(
            counts,
            source.counts_by_unit(Selection()),
            unit_order(u.name for u in ctx.config.units),  # no unit added by `oa unit add`
        ),
        "moved": [moved[k] for k in sorted(moved)],
        "sections": {name: [i["id"] for i in source.select(sel)] for name, sel in sels.items()},
    }


def _check_week(ctx: Any, day: dt.date) -> dict[str, Any]:
    from oa_cli.actions.reports import (
        section_rows,
        weekly,
        weekly_json,
        weekly_records,
        weekly_values,
    )
    from oa_cli.domain.item import KEYS
    from oa_cli.render.report import moved_block

    report = weekly(ctx, day)
    out = io.BytesIO()
    weekly_json(ctx, day, out)
    assert out.getvalue().decode() == _dumps(report) + "\n"
    rows = list(section_rows(report))
    assert [r.decode() for b in weekly_records(ctx, day) for r in b] == [_dumps(r) for r in rows]
    assert list(weekly_values(ctx, day)) == [[r.get(k) for k in ("section", *KEYS)] for r in rows]
    screen = weekly(ctx, day, limit=2)
    assert bool(screen["moved"]) == bool(report["moved"])
    # a screen draws the first moves, decoded, and counts the rest without decoding them
    drawn, whole = moved_block(screen["moved"], 2), moved_block(report["moved"])
    assert (drawn.total, drawn.rows) == (whole.total, whole.rows[:2])
    assert moved_block(screen["moved"], 2).rows == drawn.rows  # read again
    assert {name: len(items) for name, items in screen["sections"].items()} == {
        name: min(2, len(items)) for name, items in report["sections"].items()
    }
    plain = _plain_reading(ctx, day)
    assert {k: report["summary"][k] for k in plain["summary"]} == plain["summary"]
    assert (report["units"], report["moved"]) == (plain["units"], plain["moved"])
    assert {n: [i["id"] for i in s] for n, s in report["sections"].items()} == plain["sections"]
    return report


def _weeks(db: str | Path) -> list[dict[str, Any]]:
    """This week (live) and the two before (the past read from the journal)."""
    reports = []
    for day in ("2026-11-27", "2026-11-18", "2026-11-11"):
        ctx = _context(db, "2026-11-27T18:00")
        try:
            reports.append(_check_week(ctx, dt.date.fromisoformat(day)))
        finally:
            ctx.close()
    return reports


@pytest.mark.parametrize("seed", [1, 3])
def test_the_streamed_weekly_is_the_report_on_a_random_ledger(oa: Oa, seed: int) -> None:
    _random_office(oa, seed)
    reports = _weeks(oa.db)
    assert any(r["moved"] for r in reports)
    assert any(r["summary"]["closed"] for r in reports)
    transfers = [
        e for r in reports for m in r["moved"] for e in m["events"] if e["action"] == "assign"
    ]
    assert all(e["data"]["previous_unit"] for e in transfers)


def test_a_week_without_moves_or_items(oa: Oa) -> None:
    oa.init()
    ctx = _context(oa.db, "2026-11-27T18:00")
    report = _check_week(ctx, dt.date(2026, 11, 27))
    assert (report["moved"], report["units"]) == ([], [])
    assert set(report["summary"].values()) == {0}


@pytest.mark.pg
def test_the_streamed_weekly_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    lite, shared = side_by_side(tmp_path, pg_url)
    for oa in (lite, shared):
        _random_office(oa, seed=4, items=8)
    mine, theirs = _weeks(lite.db), _weeks(pg_url)
    for report in (*mine, *theirs):
        report.pop("anchor")
    assert theirs == mine
