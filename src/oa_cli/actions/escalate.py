"""`oa escalate --auto`: the four escalation rules over every open item, once a day."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oa_cli.actions import Context
from oa_cli.actions.reports import rules_for
from oa_cli.domain.item import overdue_days
from oa_cli.i18n import t
from oa_cli.ledger import items as store
from oa_cli.ledger.connection import write


def escalate_auto(
    ctx: Context, progress: Callable[[int], None] | None = None
) -> list[dict[str, Any]]:
    """Apply the rules in one transaction; return what was done (nothing done twice a day)."""
    rules = rules_for(ctx)
    day = ctx.today.isoformat()
    done: list[dict[str, Any]] = []
    with write(ctx.conn):
        journal = ctx.journal()
        already = {
            (row[0], row[1])
            for row in ctx.conn.execute(
                "SELECT item_id, rule FROM auto_actions WHERE day = ?", (day,)
            )
        }
        reminded = {item_id for item_id, rule in already if rule == "remind"}
        for item in store.select(ctx.conn, store.Query(sort="id")):
            days = overdue_days(item, ctx.today, ctx.calendar)
            card = rules.card_due(item, days)
            if card is not None and (item["id"], card[1]) not in already:
                level, rule = card
                data = {
                    "card": level,
                    "previous_card": item["card"],
                    "rule": rule,
                    "reason": t("overdue {n} working days", n=days),
                }
                seq = journal.append(item["id"], "escalate", data)
                store.update(ctx.conn, item["id"], {"card": level})
                _mark(ctx, item["id"], rule, day, seq)
                done.append(_action(item, level, rule, days))
            reason = rules.reminder_due(item)
            if reason is not None and item["id"] not in reminded:
                count = item["remind_count"] + 1
                seq = journal.append(item["id"], "remind", {"remind_count": count, "rule": reason})
                store.update(ctx.conn, item["id"], {"remind_count": count})
                _mark(ctx, item["id"], "remind", day, seq)
                done.append(_action(item, "remind", reason, days))
            if progress is not None:
                progress(1)
    return done


def _mark(ctx: Context, item_id: int, rule: str, day: str, seq: int) -> None:
    ctx.conn.execute(
        "INSERT INTO auto_actions (item_id, rule, day, seq) VALUES (?, ?, ?, ?)",
        (item_id, rule, day, seq),
    )


ACTION_KEYS = ("item_id", "action", "rule", "overdue_days", "title", "unit")


def _action(item: dict[str, Any], action: str, rule: str, days: int) -> dict[str, Any]:
    return {
        "item_id": item["id"],
        "action": action,
        "rule": rule,
        "overdue_days": days,
        "title": item["title"],
        "unit": item["unit"],
    }
