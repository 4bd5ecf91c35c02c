"""Write verbs on items: load, apply the rules, update the row, journal the change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from oa_cli.actions import Context, units
from oa_cli.domain import item as rules
from oa_cli.domain.dates import iso, parse_datetime, parse_due
from oa_cli.errors import InvalidInput
from oa_cli.i18n import t
from oa_cli.ledger import items as store
from oa_cli.ledger.connection import write


@dataclass
class NewItem:
    title: str
    body: str | None = None
    source: str = "instruction"
    leader: str | None = None
    doc_no: str | None = None
    received: str | None = None
    due: str | None = None
    priority: str = "normal"
    tags: Sequence[str] = ()
    unit: str | None = None
    co_units: Sequence[str] = ()
    owner: str | None = None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _tags(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


def build(ctx: Context, new: NewItem) -> dict[str, Any]:
    """Validate a new item and compute its stored fields (no writing)."""
    title = rules.require_text(new.title, t("title"))
    rules.require_choice(new.source, rules.SOURCES, t("source"))
    rules.require_choice(new.priority, rules.PRIORITIES, t("priority"))
    received = ctx.now
    if new.received is not None:
        received = parse_datetime(new.received, now=ctx.now, calendar=ctx.calendar)
    base = received.date()
    if new.due is None:
        due = ctx.calendar.add(base, ctx.config.deadlines[new.priority])
    else:
        due = parse_due(new.due, base=base, today=ctx.today, calendar=ctx.calendar)
    return {
        "title": title,
        "body": new.body if new.body and new.body.strip() else None,
        "source": new.source,
        "leader": _clean(new.leader),
        "doc_no": _clean(new.doc_no),
        "priority": new.priority,
        "status": rules.REGISTERED,
        "unit": None,
        "co_units": [],
        "owner": None,
        "tags": _tags(new.tags),
        "received_at": iso(received),
        "assigned_at": None,
        "due": due.isoformat(),
        "original_due": due.isoformat(),
        "closed_at": None,
        "close_basis": None,
        "close_ref": None,
        "card": None,
        "feedback_count": 0,
        "last_feedback_at": None,
        "remind_count": 0,
        "created_by": ctx.actor,
    }


def add(ctx: Context, new: NewItem) -> dict[str, Any]:
    if new.unit is None and (new.co_units or new.owner):
        raise InvalidInput(t("--co and --owner need --unit"))
    item = build(ctx, new)
    with write(ctx.conn):
        directory = units.directory(ctx)
        assignment = None
        if new.unit is not None:
            assignment = _assignment(ctx, item, new.unit, new.co_units, new.owner, directory)
        item["id"] = store.insert(ctx.conn, item)
        journal = ctx.journal()
        journal.append(item["id"], "add", {k: v for k, v in item.items() if k != "id"})
        if assignment is not None:
            _apply(ctx, item, "assign", assignment, {}, journal)
    return item


def _assignment(
    ctx: Context,
    item: dict[str, Any],
    unit: str,
    co_units: Sequence[str],
    owner: str | None,
    directory: list[units.Unit],
) -> dict[str, Any]:
    lead = units.resolve(ctx, unit, directory)
    co = list(dict.fromkeys(units.resolve(ctx, c, directory) for c in co_units))
    changes: dict[str, Any] = {
        "status": rules.ASSIGNED,
        "unit": lead,
        "co_units": [c for c in co if c != lead],
        "owner": _clean(owner),
    }
    if item["assigned_at"] is None:
        changes["assigned_at"] = iso(ctx.now)
    return changes


def _apply(
    ctx: Context,
    item: dict[str, Any],
    action: str,
    changes: dict[str, Any],
    extra: dict[str, Any],
    journal: Any = None,
) -> dict[str, Any]:
    store.update(ctx.conn, item["id"], changes)
    data = {k: v for k, v in extra.items() if v is not None}
    data.update(changes)
    (journal or ctx.journal()).append(item["id"], action, data)
    item.update(changes)
    return item


def _load(ctx: Context, item_id: int, action: str) -> dict[str, Any]:
    item = store.get(ctx.conn, item_id)
    rules.require_status(item, action)
    return item


def assign(
    ctx: Context,
    item_id: int,
    unit: str,
    co_units: Sequence[str] = (),
    owner: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    with write(ctx.conn):
        item = _load(ctx, item_id, "assign")
        previous = item["unit"]
        changes = _assignment(ctx, item, unit, co_units, owner, units.directory(ctx))
        extra = {"note": _clean(note), "previous_unit": previous}
        action = "transfer" if previous is not None else "assign"
        return _apply(ctx, item, action, changes, extra)


def feedback(ctx: Context, item_id: int, text: str, progress: int | None) -> dict[str, Any]:
    body = rules.require_text(text, t("feedback text"))
    if progress is not None and not 0 <= progress <= 100:
        raise InvalidInput(t("progress must be between 0 and 100, not {value}", value=progress))
    with write(ctx.conn):
        item = _load(ctx, item_id, "feedback")
        changes = {"feedback_count": item["feedback_count"] + 1, "last_feedback_at": iso(ctx.now)}
        kind = "first" if item["feedback_count"] == 0 else "follow_up"
        extra = {"text": body, "progress": progress, "kind": kind}
        return _apply(ctx, item, "feedback", changes, extra)


def remind(ctx: Context, item_id: int, note: str | None, auto: str | None = None) -> dict[str, Any]:
    with write(ctx.conn):
        item = _load(ctx, item_id, "remind")
        changes = {"remind_count": item["remind_count"] + 1}
        return _apply(ctx, item, "remind", changes, {"note": _clean(note), "rule": auto})


def escalate(ctx: Context, item_id: int, level: str | None, reason: str | None) -> dict[str, Any]:
    with write(ctx.conn):
        item = _load(ctx, item_id, "escalate")
        card = rules.next_card(item["card"], level, item_id)
        extra = {"reason": _clean(reason), "previous_card": item["card"]}
        return _apply(ctx, item, "escalate", {"card": card}, extra)


def extend(ctx: Context, item_id: int, due: str, reason: str) -> dict[str, Any]:
    why = rules.require_text(reason, t("reason"))
    new_due = parse_due(due, base=ctx.today, today=ctx.today, calendar=ctx.calendar)
    with write(ctx.conn):
        item = _load(ctx, item_id, "extend")
        changes: dict[str, Any] = {"due": new_due.isoformat()}
        if item["card"] is not None and new_due >= ctx.today:
            changes["card"] = None
        extra = {"reason": why, "previous_due": item["due"]}
        return _apply(ctx, item, "extend", changes, extra)


def close(ctx: Context, item_id: int, basis: str | None, ref: str | None) -> dict[str, Any]:
    text = rules.require_text(basis, t("closing basis (--basis)"))
    with write(ctx.conn):
        item = _load(ctx, item_id, "close")
        changes = {
            "status": rules.CLOSED,
            "closed_at": iso(ctx.now),
            "close_basis": text,
            "close_ref": _clean(ref),
        }
        return _apply(ctx, item, "close", changes, {})


def reopen(ctx: Context, item_id: int, reason: str) -> dict[str, Any]:
    why = rules.require_text(reason, t("reason"))
    with write(ctx.conn):
        item = _load(ctx, item_id, "reopen")
        changes = {
            "status": rules.ASSIGNED,
            "closed_at": None,
            "close_basis": None,
            "close_ref": None,
        }
        return _apply(ctx, item, "reopen", changes, {"reason": why})


def cancel(ctx: Context, item_id: int, reason: str) -> dict[str, Any]:
    why = rules.require_text(reason, t("reason"))
    with write(ctx.conn):
        item = _load(ctx, item_id, "cancel")
        return _apply(ctx, item, "cancel", {"status": rules.CANCELLED}, {"reason": why})


def edit(
    ctx: Context,
    item_id: int,
    fields: dict[str, str | None],
    tags: Sequence[str] = (),
    untags: Sequence[str] = (),
) -> dict[str, Any]:
    given = {k: v for k, v in fields.items() if v is not None}
    if not given and not tags and not untags:
        raise InvalidInput(t("nothing to edit: give at least one field to change"))
    changes: dict[str, Any] = {}
    if "title" in given:
        changes["title"] = rules.require_text(given["title"], t("title"))
    if "priority" in given:
        changes["priority"] = rules.require_choice(
            given["priority"] or "", rules.PRIORITIES, t("priority")
        )
    if "body" in given:
        changes["body"] = given["body"] if (given["body"] or "").strip() else None
    for key in ("leader", "doc_no"):
        if key in given:
            changes[key] = _clean(given[key])
    with write(ctx.conn):
        item = _load(ctx, item_id, "edit")
        if tags or untags:
            drop = set(_tags(untags))
            changes["tags"] = [x for x in _tags([*item["tags"], *tags]) if x not in drop]
        changes = {k: v for k, v in changes.items() if item[k] != v}
        if not changes:
            return item
        return _apply(ctx, item, "edit", changes, {})
