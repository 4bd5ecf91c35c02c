"""Small reads for the command line: shell completion and unit filters."""

from __future__ import annotations

from oa_cli.actions import Context, units
from oa_cli.domain.selection import Selection


def unit_names(ctx: Context) -> list[str]:
    return [u.name for u in units.directory(ctx)]


def open_items(ctx: Context) -> list[tuple[int, str]]:
    return [(i["id"], i["title"]) for i in ctx.ledger.select(Selection(sort="id", limit=1000))]
