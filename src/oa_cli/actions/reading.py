"""Read use cases of the listing commands: what they select, as item objects for the
report date, as stored JSON bytes, or as rows of values."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from oa_cli.actions import Context
from oa_cli.domain.item import Item
from oa_cli.domain.selection import EVERY, Selection


def items(ctx: Context, sel: Selection) -> Iterator[Item]:
    """SPEC item objects, for today."""
    return (ctx.item_json(i) for i in ctx.ledger.select(sel))


def items_json(ctx: Context, sel: Selection) -> Iterator[list[bytes]]:
    """The same objects as UTF-8 JSON, in batches, as the ledger keeps them."""
    return ctx.ledger.select_json(sel, ctx.today, ctx.calendar)


def items_values(ctx: Context, sel: Selection) -> Iterator[list[Any]]:
    """The same objects as lists of values in key order (tsv, csv)."""
    return ctx.ledger.select_values(sel, ctx.today, ctx.calendar)


def count(ctx: Context, sel: Selection) -> int:
    return ctx.ledger.count(sel)


def item(ctx: Context, item_id: int) -> Item:
    return ctx.item_json(ctx.ledger.get(item_id))


def timeline(
    ctx: Context, item_id: int | None, since: str | None = None
) -> Iterator[dict[str, Any]]:
    """An item's journal events (every event without an id), oldest first."""
    return ctx.ledger.events(item_id, since)


def current_unit(ctx: Context, item_id: int) -> str | None:
    return ctx.ledger.get(item_id)["unit"] if ctx.ledger.exists(item_id) else None


def workbook_items(ctx: Context) -> tuple[list[Item], dict[int, str]]:
    """Every item, and each one's latest counted report (办理情况)."""
    found = list(items(ctx, EVERY))
    return found, ctx.ledger.latest_reports([i["id"] for i in found])


def ledger_path(ctx: Context) -> Path | None:
    """The ledger's file (outputs may never land on it); None for a shared ledger."""
    return ctx.ledger.path


def backup(ctx: Context, dest: Path, force: bool) -> None:
    ctx.ledger.backup_to(dest, force=force)
