"""The daily for mail, print and pipes is streamed from printed rows (ledger/rows.py) and
made a batch at a time, or, to a pipe or file, each open item's row made once in one pass
and spooled per section: on a small random ledger it gives the same ids, in the same
order, in the same bytes as the general path (item objects drawn through Cells), on
SQLite and on PostgreSQL."""

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

from oa_cli.i18n import set_lang

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
UNITS = ("市住建局", "市财政局", "市教育局", "市民政局")
TITLES = (
    "关于供暖保障的批示",
    "<b>标签</b> & 'q' \"d\"",
    "竖线|与\\反斜杠",
    "换行\n第二行",
    "控\x1b[31m\u202e制",
    '"overdue":false,"overdue_days":0,"report_overdue_days":0,',  # the parts patched in
)
DAYS = ("2026-11-25", "2026-11-27", "2026-12-03")


def _office(oa: Oa, seed: int = 7, n: int = 18) -> None:
    """Items in every section: unassigned, assigned with or without acknowledgement, due
    soon and overdue, reports filed and returned, closed; hostile titles and owners."""
    rng = random.Random(seed)
    oa.ok("import", str(EXAMPLES / "items.yaml"), now="2026-11-16T08:00")
    for i in range(n):
        now = f"2026-11-{rng.choice((16, 17, 18, 19, 20, 23)):02d}T09:00"
        args = [rng.choice(TITLES) + str(i)]
        if rng.random() < 0.8:
            args += ["--unit", rng.choice(UNITS), "--due", f"2026-11-{rng.randint(17, 30)}"]
            args += ["--owner", rng.choice(("李科长", "<i>x</i>", "王|五"))]
        item = oa.add(*args, now=now)
        roll = rng.random()
        if len(args) > 1 and roll < 0.3:
            oa.ok("feedback", str(item), rng.choice(TITLES), now="2026-11-24T10:00")
        if len(args) > 1 and roll < 0.1:
            oa.ok("return", str(item), "--reason", "重报", now="2026-11-24T11:00")
        if len(args) > 1 and 0.3 <= roll < 0.45:
            oa.ok("ack", str(item), "--by", "科员", now="2026-11-24T10:00")
        if len(args) > 1 and roll >= 0.9:
            oa.ok("close", str(item), "--basis", "办结", now="2026-11-25T10:00")
    oa.ok("escalate", "--auto", now="2026-11-25T07:30")


def _context(db: Path | str, day: str) -> Any:
    from oa_cli.actions import Context
    from oa_cli.config import Config
    from oa_cli.domain.calendar import WorkCalendar
    from oa_cli.ledger.connection import open_ledger
    from oa_cli.ledger.store import Ledger

    now = dt.datetime.fromisoformat(day + "T09:00:00+08:00")
    ledger = Ledger(open_ledger(Path(db)), Path(db))
    return Context(ledger, now, "t", Config(), WorkCalendar("cn"), lambda: now)


def _documents(ctx: Any, day: dt.date) -> tuple[Any, Any]:
    """The daily as the fast path draws it, and as the general path does (item objects,
    every row a list of Cells)."""
    from oa_cli.actions import reports
    from oa_cli.render import report as r

    facts = reports.daily_facts(ctx, day)
    fast_report = reports.daily(ctx, day, form="printed")
    fast = r.daily_document(fast_report, facts, r.Meta(office="办", anchor=reports.anchor(ctx)))
    items = reports.daily(ctx, day)
    meta = r.Meta(office="办", anchor=reports.anchor(ctx), progress=reports.progress(ctx, items))
    general = r.daily_document(items, facts, meta)
    for block in general.blocks:
        block.rows = list(block.rows)  # Cells: the general renderers
    return fast, general


def _general_page(ctx: Any, day: dt.date, fmt: str) -> bytes:
    """The daily page as the general path draws it, with the command's own meta."""
    from oa_cli.actions import reports
    from oa_cli.cli.reports import meta
    from oa_cli.render import markdown, pages
    from oa_cli.render.report import daily_document

    items = reports.daily(ctx, day)
    until = reports.report_until(ctx, day)
    doc = daily_document(items, reports.daily_facts(ctx, day), meta(ctx, items, until))
    for block in doc.blocks:
        block.rows = list(block.rows)  # Cells: the general renderers
    return (pages.html_page(doc) if fmt == "html" else markdown.markdown(doc)).encode()


def _spooled_page(ctx: Any, day: dt.date, fmt: str) -> bytes:
    """The daily page as `oa daily --format html|markdown > file` writes it."""
    from oa_cli.cli.reports import _daily_spooled

    out = io.BytesIO()
    _daily_spooled(ctx, day, fmt, out)
    return out.getvalue()


def _same_pages(ctx: Any, days: tuple[dt.date, ...]) -> None:
    for day in days:
        for fmt in ("html", "markdown"):
            page = _general_page(ctx, day, fmt)
            assert _spooled_page(ctx, day, fmt) == page, (day, fmt)
            assert page.count(b"<tr" if fmt == "html" else b"\n| ") > 5


@pytest.mark.parametrize(("lang", "seed"), [("zh", 7), ("en", 11), ("zh", 23)])
def test_spooled_html_and_markdown_are_the_general_bytes(oa: Oa, lang: str, seed: int) -> None:
    """Rows made once in one pass and numbered per section: the general page, for the
    report date and for past days (the ledger as it stood then)."""
    _office(oa, seed=seed, n=24)
    set_lang(lang)
    try:
        for day in DAYS:
            ctx = _context(oa.db, day)
            past = (ctx.today - dt.timedelta(days=2), ctx.today - dt.timedelta(days=9))
            _same_pages(ctx, (ctx.today, *past))
    finally:
        set_lang("en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fast_html_and_markdown_are_the_general_bytes(oa: Oa, lang: str) -> None:
    from oa_cli.render import markdown, pages

    _office(oa)
    set_lang(lang)
    try:
        for day in DAYS:
            ctx = _context(oa.db, day)
            fast, general = _documents(ctx, ctx.today)
            assert sum(b.total or 0 for b in general.blocks) > 10
            page = pages.html_page(general)
            assert pages.html_page(fast) == page
            fast, general = _documents(ctx, ctx.today)
            assert markdown.markdown(fast) == markdown.markdown(general)
    finally:
        set_lang("en")


def test_printed_rows_are_the_item_objects_values(oa: Oa) -> None:
    """Same ids, same order, same values (progress too), for today and a past day."""
    from oa_cli.actions import reports
    from oa_cli.render.report import Meta, line_of

    _office(oa)
    for day, as_of in (("2026-11-27", "2026-11-27"), ("2026-11-27", "2026-11-24")):
        ctx = _context(oa.db, day)
        when = dt.date.fromisoformat(as_of)
        items = reports.daily(ctx, when)
        meta = Meta(progress=reports.progress(ctx, items))
        printed = reports.daily(ctx, when, form="printed")
        assert printed["summary"] == items["summary"]
        for name, found in items["sections"].items():
            lines = [_flags(x) for batch in printed["sections"][name] for x in batch]
            assert [x[0] for x in lines] == [i["id"] for i in found]
            assert lines == [_flags(line_of(i, meta)) for i in found]
        assert any(meta.progress.values())


def _flags(line: tuple[Any, ...]) -> tuple[Any, ...]:
    """A line with its overdue and report-late values as the flags they are read as."""
    return (*line[:7], bool(line[7]), line[8], line[9], bool(line[10]), *line[11:])


def test_streamed_rows_formats_are_the_general_bytes(oa: Oa) -> None:
    from oa_cli.actions.reports import daily, section_rows
    from oa_cli.domain.item import KEYS
    from oa_cli.render.plain import write_anchor, write_records

    _office(oa)
    for day in DAYS:
        ctx = _context(oa.db, day)
        report = daily(ctx, ctx.today)
        for fmt in ("tsv", "csv", "jsonl"):
            out = io.StringIO()
            write_records(out, fmt, section_rows(report), ("section", *KEYS))
            write_anchor(out, fmt, report["anchor"])
            assert oa.ok("daily", "--format", fmt, now=day + "T09:00").out == out.getvalue()


def test_listed_objects_are_the_items_as_show_computes_them(oa: Oa) -> None:
    """The listings' objects are the stored ones with the day's parts patched in; text
    that spells those parts (a title, a remark) is left as it was written."""
    _office(oa)
    spelled = '"overdue":false,"overdue_days":0,"report_overdue_days":0,'
    late = oa.add(
        "备注也写了",
        "--unit",
        "市财政局",
        "--due",
        "2026-11-17",
        "--remark",
        spelled,
        now="2026-11-09T09:00",
    )
    for day in DAYS:
        now = day + "T09:00"
        listed = [
            json.loads(line)
            for line in oa.ok("export", "--format", "jsonl", now=now).out.splitlines()
        ]
        overdue = [
            json.loads(line)
            for line in oa.ok("overdue", "--format", "jsonl", now=now).out.splitlines()
        ]
        assert sorted(i["id"] for i in overdue) == [i["id"] for i in listed if i["overdue"]] != []
        for item in listed:
            shown = oa.item(item["id"], now=now)
            del shown["timeline"]
            assert list(item.items()) == list(shown.items())  # values, keys and key order
        mine = next(i for i in listed if i["id"] == late)
        assert mine["remark"] == spelled and mine["overdue_days"] > 0
        assert mine["report_overdue_days"] > 0
    assert any(i["title"].startswith('"overdue"') and i["overdue"] for i in overdue)


def test_the_terminal_daily_is_cut_and_says_where_the_rest_are(oa: Oa) -> None:
    _office(oa)
    oa.write_config("display:\n  max_rows: 2\n")
    out = oa.ok("--lang", "zh", "daily", "--format", "table", now="2026-11-27T09:00").out
    assert "每日调度表" in out and "全部请用 oa overdue" in out


@pytest.mark.pg
def test_spooled_pages_are_the_general_bytes_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    from oa_cli.actions import Context
    from oa_cli.config import Config
    from oa_cli.domain.calendar import WorkCalendar
    from oa_cli.ledger.pg import open_pg

    shared = Oa(tmp_path / "shared")
    shared.env["OA_DB"] = pg_url
    shared.config.parent.mkdir(parents=True)
    _office(shared, n=12)
    set_lang("zh")
    ledger = open_pg(pg_url)
    try:
        for day in ("2026-11-25", "2026-11-30"):
            now = dt.datetime.fromisoformat(day + "T09:00:00+08:00")
            ctx = Context(ledger, now, "t", Config(), WorkCalendar("cn"), lambda now=now: now)
            _same_pages(ctx, (ctx.today, ctx.today - dt.timedelta(days=3)))
    finally:
        ledger.close()
        set_lang("en")


def _strip(text: str) -> str:
    """Without the lines that differ between backends: the anchor and the making time."""
    marks = ("台账校验码", "ledger check code", "made ")
    return "\n".join(line for line in text.splitlines() if not any(m in line for m in marks))


@pytest.mark.pg
def test_the_printed_daily_is_the_same_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    lite, shared = side_by_side(tmp_path, pg_url)
    _office(lite, n=10)
    _office(shared, n=10)
    for args in ("daily --format html", "daily --format markdown", "daily --format tsv"):
        for day in ("2026-11-25", "2026-11-30"):
            mine = lite.ok("--lang", "zh", *args.split(), now=day + "T09:00").out
            theirs = shared.ok("--lang", "zh", *args.split(), now=day + "T09:00").out
            assert _strip(theirs) == _strip(mine), (args, day)
            assert mine.count("<tr") > 5 or "html" not in args
