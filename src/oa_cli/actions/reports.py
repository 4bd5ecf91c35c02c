"""Read-side use cases that assemble reports from the ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

from oa_cli.actions import Context
from oa_cli.domain import reports
from oa_cli.domain import stats as domain_stats
from oa_cli.domain.item import to_json
from oa_cli.domain.rules import Rules
from oa_cli.domain.stats import History
from oa_cli.ledger import items as store


def rules_for(ctx: Context, day: dt.date | None = None) -> Rules:
    return Rules(ctx.config, ctx.calendar, day or ctx.today)


def daily(ctx: Context, day: dt.date) -> dict[str, Any]:
    rules = rules_for(ctx, day)
    open_items = (to_json(i, day, ctx.calendar) for i in store.select(ctx.conn, store.Query()))
    closed = (
        to_json(store.from_row(row), day, ctx.calendar)
        for row in ctx.conn.execute(
            store.SELECT + " WHERE status = 'closed' AND closed_at >= ? AND closed_at < ?",
            (day.isoformat(), (day + dt.timedelta(days=1)).isoformat()),
        )
    )
    return reports.daily(rules, open_items, closed)


def daily_json(ctx: Context, day: dt.date, out: BinaryIO) -> bool:
    """Write the daily report as UTF-8 JSON from the stored item objects (the fast path
    for pipes); return whether it needs attention (`daily --check`)."""
    until = ctx.calendar.add(day, ctx.config.escalation["remind_before_due"])
    feedback = ctx.config.feedback
    summary = store.daily_json(
        ctx.conn, out, ctx.calendar, day, until, feedback["first_within"], feedback["every"]
    )
    return summary["overdue"] > 0 or store.unassigned_before(ctx.conn, day) > 0


def histories(ctx: Context) -> dict[int, History]:
    """Per item: late extensions and cards issued, from the journal."""
    found: dict[int, History] = {}
    rows = ctx.conn.execute(
        "SELECT item_id, action, at, json_extract(data, '$.card'),"
        " json_extract(data, '$.previous_due') FROM events"
        " WHERE action IN ('extend', 'escalate') ORDER BY seq"
    )
    for item_id, action, at, card, previous_due in rows:
        history = found.setdefault(item_id, History())
        if action == "escalate" and card in history.cards:
            history.cards[card] += 1
        elif action == "extend" and previous_due and at[:10] > previous_due:
            history.extended_late = True
    return found


def stats(
    ctx: Context, by: str, start: dt.date | None, end: dt.date | None
) -> list[dict[str, Any]]:
    where, params = [], []
    if start is not None:
        where.append("substr(received_at, 1, 10) >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("substr(received_at, 1, 10) <= ?")
        params.append(end.isoformat())
    sql = store.SELECT + (" WHERE " + " AND ".join(where) if where else "")
    items = (store.from_row(row) for row in ctx.conn.execute(sql, params))
    return domain_stats.stats(items, histories(ctx), by, ctx.calendar, ctx.today)


def weekly(ctx: Context, day: dt.date) -> dict[str, Any]:
    _, _, sunday = domain_stats.iso_week(day)
    as_of = min(sunday, ctx.today)
    rows = store.select(ctx.conn, store.Query(statuses=(), sort="due"))
    items = (to_json(i, as_of, ctx.calendar) for i in rows)
    return domain_stats.weekly(items, histories(ctx), day)
