"""Small reads for the command line: shell completion and unit filters."""

from __future__ import annotations

from oa_cli.actions import Context, units
from oa_cli.domain.selection import Selection


def unit_names(ctx: Context) -> list[str]:
    return [u.name for u in units.directory(ctx)]


def open_items(ctx: Context) -> list[tuple[int, str]]:
    return [(i["id"], i["title"]) for i in ctx.ledger.select(Selection(sort="id", limit=1000))]


def closed_items(ctx: Context) -> list[tuple[int, str]]:
    """Items closed in the last year (what `reopen` may take), by id."""
    import datetime as dt

    since = (ctx.today - dt.timedelta(days=366)).isoformat()
    found = ctx.ledger.select(
        Selection(statuses=("closed",), closed_from=since, sort="id", limit=1000)
    )
    return [(i["id"], i["title"]) for i in found]
