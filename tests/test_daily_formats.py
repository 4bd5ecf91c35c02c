"""Every format of the daily lists the same items in the same order, on random ledgers:
the one-pass JSON (`daily --format json`) against the report the other formats render."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from pathlib import Path

from conftest import Oa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oa_cli.actions import Context
from oa_cli.actions.reports import daily, daily_json, section_rows
from oa_cli.config import Config
from oa_cli.domain.calendar import WorkCalendar
from oa_cli.ledger.connection import open_ledger
from oa_cli.ledger.store import Ledger

START = dt.date(2026, 11, 2)
UNITS = ("市财政局", "市教育局", None)

record = st.fixed_dictionaries(
    {
        "received": st.integers(0, 30),
        "days": st.integers(0, 25),
        "unit": st.sampled_from(UNITS),
        "closed": st.booleans(),
        "ack": st.booleans(),
        "report": st.booleans(),
    }
)


def _ledger(oa: Oa, specs: list[dict]) -> None:
    lines = []
    for n, spec in enumerate(specs):
        received = START + dt.timedelta(days=spec["received"])
        rec = {
            "title": f"事项{n}",
            "received": received.isoformat(),
            "due": (received + dt.timedelta(days=spec["days"])).isoformat(),
        }
        if spec["unit"]:
            rec["unit"] = spec["unit"]
            if spec["closed"]:
                closed = received + dt.timedelta(days=spec["days"] // 2)
                rec.update(status="closed", close_basis="书面报告", closed_at=closed.isoformat())
        lines.append(json.dumps(rec, ensure_ascii=False))
    source = oa.tmp / "items.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    oa.ok("import", str(source), now="2026-12-03T09:00")
    for n, spec in enumerate(specs, start=1):
        if spec["unit"] and not spec["closed"]:
            when = f"2026-12-{3 + spec['received'] % 5:02d}T10:00"
            if spec["ack"]:
                oa.ok("ack", str(n), now=when)
            if spec["report"]:
                oa.ok("feedback", str(n), "进展", now=when)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(specs=st.lists(record, min_size=1, max_size=10), offset=st.integers(0, 40))
def test_every_daily_format_lists_the_same_items_in_the_same_order(
    specs: list[dict], offset: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        oa = Oa(Path(tmp))
        _ledger(oa, specs)
        day = START + dt.timedelta(days=offset)
        now = dt.datetime.combine(day, dt.time(18), dt.timezone(dt.timedelta(hours=8)))
        ledger = Ledger(open_ledger(oa.db), oa.db)
        try:
            ctx = Context(ledger, now, "t", Config(), WorkCalendar("cn"), lambda: now)
            report = daily(ctx, day)
            out = io.BytesIO()
            daily_json(ctx, day, out)
        finally:
            ledger.close()
        assert out.getvalue().decode() == (
            json.dumps(report, ensure_ascii=False, separators=(",", ":")) + "\n"
        )
        rows = [(r["section"], r["id"]) for r in section_rows(report)]
        tsv = oa.ok("daily", "--format", "tsv", now=now.isoformat()).out.splitlines()[:-1]
        assert [(line.split("\t")[0], int(line.split("\t")[1])) for line in tsv] == rows
        for name, items in report["sections"].items():
            assert [i["id"] for i in items] == [
                i["id"] for i in sorted(items, key=lambda i: (i["due"], i["id"]))
            ], name
