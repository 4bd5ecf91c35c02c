"""Read-side use cases that assemble reports from the ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oa_cli.actions import Context
from oa_cli.domain import reports
from oa_cli.domain.item import to_json
from oa_cli.domain.rules import Rules
from oa_cli.ledger import items as store


def rules_for(ctx: Context, day: dt.date | None = None) -> Rules:
    return Rules(ctx.config, ctx.calendar, day or ctx.today)


def daily(ctx: Context, day: dt.date) -> dict[str, Any]:
    rules = rules_for(ctx, day)
    open_items = (to_json(i, day, ctx.calendar) for i in store.select(ctx.conn, store.Query()))
    closed = (
        to_json(store.from_row(row), day, ctx.calendar)
        for row in ctx.conn.execute(
            "SELECT * FROM items WHERE status = 'closed' AND closed_at >= ? AND closed_at < ?",
            (day.isoformat(), (day + dt.timedelta(days=1)).isoformat()),
        )
    )
    return reports.daily(rules, open_items, closed)
