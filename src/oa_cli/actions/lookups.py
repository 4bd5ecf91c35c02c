"""Small read-only look-ups for shell completion: unit names and open items.

A minimal version for the command line's completion; the lead replaces its body."""

from __future__ import annotations

from oa_cli.actions import Context


def unit_names(ctx: Context) -> list[str]:
    """Every unit name in the directory (config and added units)."""
    from oa_cli.actions.units import directory

    return [unit.name for unit in directory(ctx)]


def open_items(ctx: Context) -> list[tuple[int, str]]:
    """(id, title) of every open item, in due order."""
    from oa_cli.ledger.items import Query, select

    return [(item["id"], item["title"]) for item in select(ctx.conn, Query())]
