"""`oa escalate --auto`: the escalation rules over every open item, once a day.

Each rule's items come from its selection (domain.rules.Bounds); cards and alerts
are written in batches of their own transactions, so a clerk's write never waits
long behind a large run. A rerun completes an interrupted run and does nothing twice:
cards only go up, and at most one alert a day per item (`auto_actions`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oa_cli.actions import Context, roles
from oa_cli.domain.item import OPEN, Item, overdue_days, report_overdue_days
from oa_cli.domain.rules import Bounds, card_actions

ACTION_KEYS = ("item_id", "action", "rule", "overdue_days", "title", "unit")
_BATCH = 2000


def plan(ctx: Context) -> list[tuple[int, str, str]]:
    """(item id, action, rule) for every card and alert the rules call for today, by id.
    Only ids and cards are read: on a day the rules have already run, nothing more."""
    bounds = Bounds.of(ctx.config, ctx.calendar, ctx.today)
    found = {rule: dict(ctx.ledger.ids_and(sel, "card")) for rule, sel in bounds.cards().items()}
    done = ctx.ledger.alerted(bounds.day)
    alerts: dict[int, str] = {}
    for reason, sel in bounds.alerts().items():
        for item_id in ctx.ledger.ids(sel):
            if item_id not in done:
                alerts.setdefault(item_id, reason)
    out: list[tuple[int, str, str]] = []
    cards = card_actions(found)
    for item_id in sorted(set(cards) | set(alerts)):
        if item_id in cards:
            out.append((item_id, *cards[item_id]))
        if item_id in alerts:
            out.append((item_id, "alert", alerts[item_id]))
    return out


def escalate_auto(
    ctx: Context, progress: Callable[[int], None] | None = None
) -> list[dict[str, Any]]:
    """Apply the plan in batches; return what was done. On a shared ledger it also
    keeps the working days a unit's `feedback` reads current (roles.publish)."""
    ctx.ledger.require_office()
    roles.publish(ctx, when_changed=True)
    todo = plan(ctx)
    day = ctx.today.isoformat()
    done: list[dict[str, Any]] = []
    for start in range(0, len(todo), _BATCH):
        batch = todo[start : start + _BATCH]
        with ctx.ledger.transaction():
            already = ctx.ledger.alerted(day)  # another run may have gone first
            journal = ctx.journal()
            marks = []
            for item_id, action, rule in batch:
                if action == "alert" and item_id in already:
                    continue
                current = ctx.ledger.get(item_id)
                if current["status"] not in OPEN or (
                    action != "alert" and current["card"] in (action, "red")
                ):
                    continue  # changed since the plan was made
                data = _data(ctx, current, action, rule)
                if action == "alert":
                    seq = journal.append(item_id, "alert", data)
                    marks.append((item_id, "alert", day, seq))
                else:
                    journal.append(item_id, "escalate", data)
                    ctx.ledger.update(item_id, {"card": action})
                done.append(_result(current, action, rule, ctx))
            ctx.ledger.mark_auto(marks)
        if progress is not None:
            progress(len(batch))
    return done


def _data(ctx: Context, item: Item, action: str, rule: str) -> dict[str, Any]:
    """Language-neutral: the rule and its numbers; text is made when it is shown."""
    data: dict[str, Any] = {"rule": rule}
    if action != "alert":
        data = {"card": action, "previous_card": item["card"], "rule": rule}
    if rule.startswith("overdue") or rule == "due_soon":
        data["overdue_days"] = overdue_days(item, ctx.today, ctx.calendar)
        data["due"] = item["due"]
    elif rule in ("report_yellow", "report_missed"):
        data["report_overdue_days"] = report_overdue_days(item, ctx.today, ctx.calendar)
        data["report_due"] = item["report_due"]
        data["report"] = "first" if not item["feedback_count"] else "follow_up"
    return data


def _result(item: Item, action: str, rule: str, ctx: Context) -> dict[str, Any]:
    return {
        "item_id": item["id"],
        "action": action,
        "rule": rule,
        "overdue_days": overdue_days(item, ctx.today, ctx.calendar),
        "title": item["title"],
        "unit": item["unit"],
    }
