"""Write verbs on items: load, apply the rules, update the row, journal the change.

An event's data carries the columns the change set (replay applies them) and,
beside them, language-neutral facts about it (a reason, a rule, a file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from oa_cli.actions import Context, evidence, units
from oa_cli.domain import item as model
from oa_cli.domain import workflow
from oa_cli.domain.dates import iso, minute, parse_due
from oa_cli.domain.fields import change, value
from oa_cli.domain.item import Item
from oa_cli.domain.records import NewItem, RecordError, to_item
from oa_cli.domain.rules import due_on
from oa_cli.errors import InvalidInput, RefusedTransition
from oa_cli.i18n import t


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _tags(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


def _apply(
    ctx: Context, item: Item, action: str, changes: dict[str, Any], extra: dict[str, Any]
) -> Item:
    ctx.ledger.update(item["id"], changes)
    data = {k: v for k, v in extra.items() if v is not None}
    data.update({k: v for k, v in changes.items() if k != "title_key"})
    ctx.journal().append(item["id"], action, data)
    change(item, changes)
    return item


def _load(ctx: Context, item_id: int, action: str) -> Item:
    item = ctx.ledger.get(item_id)
    model.require_status(item, action)
    return item


def new_item(ctx: Context, record: dict[str, Any]) -> NewItem:
    """`add`'s options as a record, validated like an imported one."""
    try:
        return to_item(
            record,
            now=ctx.now,
            calendar=ctx.calendar,
            config=ctx.config,
            actor=ctx.actor,
            due_from_received=True,
        )
    except RecordError as exc:
        problems = exc.problems
        raise InvalidInput(*[p.line() for p in problems]) from None


def add(
    ctx: Context,
    record: dict[str, Any],
    unit: str | None = None,
    co_units: Sequence[str] = (),
    owner: str | None = None,
) -> Item:
    """Register an item; with a unit, also assign it (one transaction)."""
    if unit is None and (co_units or owner):
        raise InvalidInput(t("--co and --owner need --unit"))
    item = new_item(ctx, {**record, "status": "registered"}).item
    given = item["due"]
    item["due"] = item["original_due"] = _kept_due(ctx, dt.date.fromisoformat(given)).isoformat()
    with ctx.ledger.transaction():
        _warn_duplicates(ctx, item)
        directory = units.directory(ctx)
        ctx.ledger.insert(item)
        data = {k: v for k, v in item.items() if k not in ("id", "title_key")}
        ctx.journal().append(item["id"], "add", data)
        if unit is not None:
            changes = _assignment(ctx, item, unit, co_units, owner, directory)
            _apply(ctx, item, "assign", changes, {})
    if item["due"] < item["received_at"][:10]:  # back-filled: accepted, and said
        ctx.warn(t("the deadline {due} is before the received date", due=item["due"]))
    _warn_rest_day(ctx, item["due"], given)
    return item


def _kept_due(ctx: Context, day: dt.date) -> dt.date:
    """A deadline as the office keeps it (`rules.due_on`: 顺延 or as given)."""
    return due_on(day, ctx.calendar, ctx.config)


def _warn_rest_day(ctx: Context, due: str, given: str) -> None:
    """A deadline given on a day off is said: moved to the next working day (顺延, as
    `due_on_day_off` has it), or kept, and then overdue on the next day while no working
    day has passed."""
    if given != due:
        ctx.warn(
            t("the deadline {given} is a day off: moved to {due} (顺延)", given=given, due=due)
        )
        return
    day = dt.date.fromisoformat(due)
    if not ctx.calendar.is_workday(day):
        weekday = t(day.strftime("%A"))
        ctx.warn(t("the deadline {due} ({weekday}) is not a working day", due=due, weekday=weekday))


def _warn_duplicates(ctx: Context, item: Item) -> None:
    since = (ctx.today - dt.timedelta(days=workflow.DUPLICATE_WINDOW_DAYS)).isoformat()
    same = ctx.ledger.same_title(item["title_key"], since)
    if same:
        ctx.warn(
            t(
                "possible duplicate (疑似重复) of item {ids} with the same title",
                ids=", ".join(str(i) for i in same),
            )
        )


def _assignment(
    ctx: Context,
    item: Item,
    unit: str,
    co_units: Sequence[str],
    owner: str | None,
    directory: list[Any],
) -> dict[str, Any]:
    lead = units.resolve(ctx, unit, directory)
    co = list(dict.fromkeys(units.resolve(ctx, c, directory, "co_units") for c in co_units))
    changes: dict[str, Any] = {
        "status": model.ASSIGNED,
        "unit": lead,
        "co_units": [c for c in co if c != lead],
        "owner": _clean(owner),
    }
    if item["status"] == model.ASSIGNED and lead == item["unit"]:
        return changes  # the same lead unit: new co-units or owner; its 签收 and 首报 hold
    changes["acked_at"] = None
    if item["assigned_at"] is None:
        changes["assigned_at"] = iso(ctx.now)
    if not item["feedback_count"]:  # a new unit has its own time for the first report
        changes["report_due"] = workflow.first_report_due(ctx.config, ctx.calendar, ctx.today)
    return changes


def assign(
    ctx: Context,
    item_id: int,
    unit: str,
    co_units: Sequence[str] = (),
    owner: str | None = None,
    note: str | None = None,
    correct: bool = False,
) -> Item:
    """Assign an item, or transfer it (转办); with `correct`, put right a unit entered
    wrongly (更正)."""
    if correct:
        return correct_unit(ctx, item_id, unit, co_units, owner, note)
    with ctx.ledger.transaction():
        item = _load(ctx, item_id, "assign")
        previous = item["unit"]
        changes = _assignment(ctx, item, unit, co_units, owner, units.directory(ctx))
        extra = {"note": _clean(note), "previous_unit": previous}
        done = _apply(ctx, item, "assign", changes, extra)
    if done["due"] <= ctx.today.isoformat():  # handed on with no time left
        ctx.warn(
            t(
                "the deadline {due} leaves {unit} no time; to give it some: oa extend {id}"
                " --due DATE --reason TEXT",
                due=done["due"],
                unit=done["unit"],
                id=item_id,
            )
        )
    return done


def correct_unit(
    ctx: Context,
    item_id: int,
    unit: str,
    co_units: Sequence[str] = (),
    owner: str | None = None,
    reason: str | None = None,
) -> Item:
    """更正: the unit entered wrongly put right, as if the item had been assigned to it:
    not a transfer, its assignment time and report deadline stand; a 签收 by the wrong
    unit does not."""
    with ctx.ledger.transaction():
        item = _load(ctx, item_id, "correct")
        previous = item["unit"]
        if previous is None or item["status"] != model.ASSIGNED:
            raise InvalidInput(t("item {id} has no unit to correct: assign it", id=item_id))
        changes = _assignment(ctx, item, unit, co_units, owner, units.directory(ctx))
        lead = changes["unit"]
        if lead == previous:
            raise InvalidInput(t("the unit is {unit} already: nothing to correct", unit=previous))
        if not co_units:  # the co-units stand unless others are given
            changes["co_units"] = [c for c in item["co_units"] if c != lead]
        changes = {key: changes[key] for key in ("unit", "co_units", "owner", "acked_at")}
        extra = {"reason": _clean(reason), "previous_unit": previous}
        cleared = item["owner"] if owner is None else None  # a person of the wrong unit
        done = _apply(ctx, item, "correct", changes, extra)
    if cleared:
        ctx.warn(
            t(
                "the owner {owner} of {old} is cleared: give --owner",
                owner=cleared,
                old=previous,
            )
        )
    return done


def ack(ctx: Context, item_id: int, by: str | None = None) -> Item:
    """The unit confirms it received the current assignment (签收), once. A unit's own
    login on a shared ledger has the ledger write it (`Ledger.unit_write`)."""
    with ctx.ledger.transaction():
        item = _load(ctx, item_id, "ack")
        if (acked := item["acked_at"]) is not None:
            raise RefusedTransition(
                t("item {id} was already acknowledged at {at}", id=item_id, at=minute(acked))
            )
        done = ctx.ledger.unit_write("ack", item_id, iso(ctx.now), {"by": _clean(by)})
        if done is not None:
            return done
        return _apply(ctx, item, "ack", {"acked_at": iso(ctx.now)}, {"by": _clean(by)})


def feedback(
    ctx: Context,
    item_id: int,
    text: str,
    progress: int | None = None,
    ref: str | None = None,
    by: str | None = None,
    files: Sequence[str] = (),
) -> Item:
    body = model.require_text(text, t("feedback text"))
    if progress is not None and not 0 <= progress <= 100:
        raise InvalidInput(t("progress must be between 0 and 100, not {value}", value=progress))
    stored = evidence.read_files(ctx, files)
    facts = {"text": body, "progress": progress, "ref": _clean(ref), "by": _clean(by)}
    with ctx.ledger.transaction():
        item = _load(ctx, item_id, "feedback")
        sent = [(f.name, f.data) for f in stored]
        done = ctx.ledger.unit_write("feedback", item_id, iso(ctx.now), facts, sent)
        if done is not None:
            return done
        changes = {
            "feedback_count": item["feedback_count"] + 1,
            "last_feedback_at": iso(ctx.now),
            "report_due": workflow.next_report_due(ctx.config, ctx.calendar, ctx.today),
        }
        extra = {
            **facts,
            "kind": "first" if item["feedback_count"] == 0 else "follow_up",
            "answered": item["report_due"],
            "files": evidence.store(ctx, stored) or None,
        }
        return _apply(ctx, item, "feedback", changes, extra)


def return_report(ctx: Context, item_id: int, reason: str) -> Item:
    """The office returns the latest counted report as insufficient (退回)."""
    why = model.require_text(reason, t("reason"))
    with ctx.ledger.transaction():
        item = _load(ctx, item_id, "return")
        counted = _counted_reports(ctx, item_id)
        if not counted:
            raise RefusedTransition(t("item {id} has no counted report to return", id=item_id))
        returned = counted.pop()
        changes = {
            "feedback_count": len(counted),
            "last_feedback_at": counted[-1]["at"] if counted else None,
            "report_due": workflow.resubmit_due(
                ctx.config, ctx.calendar, returned["data"].get("answered"), ctx.today
            ),
        }
        extra = {"reason": why, "returned_seq": returned["seq"]}
        return _apply(ctx, item, "return", changes, extra)


def _counted_reports(ctx: Context, item_id: int) -> list[dict[str, Any]]:
    """The item's report events that still count, oldest first."""
    events = ctx.ledger.events(item_id, actions=("feedback", "return"))
    return workflow.still_counted((e["action"], e) for e in events)


def remind(ctx: Context, item_id: int, note: str | None) -> Item:
    """An urging of the unit by hand (催办)."""
    with ctx.ledger.transaction():
        data = {"note": _clean(note)} if _clean(note) else {}
        return urge(ctx, ctx.ledger.get(item_id), data)


def urge(ctx: Context, item: Item, data: dict[str, Any], journal: Any = None) -> Item:
    """One 催办 on a loaded item, by hand or by an issued notice (`data` says which),
    inside the caller's transaction."""
    model.require_status(item, "remind")
    (journal or ctx.journal()).append(item["id"], "remind", data)
    ctx.ledger.update(item["id"], {"remind_count": item["remind_count"] + 1})
    item["remind_count"] += 1
    return item


def escalate(ctx: Context, item_id: int, level: str | None, reason: str | None) -> Item:
    with ctx.ledger.transaction():
        item = _load(ctx, item_id, "escalate")
        card = model.next_card(item["card"], level, item_id)
        extra = {"reason": _clean(reason), "previous_card": item["card"]}
        return _apply(ctx, item, "escalate", {"card": card}, extra)


def extend(ctx: Context, item_id: int, due: str, reason: str, correct: bool = False) -> Item:
    """Move the deadline later (延期), or correct a wrongly entered one (更正)."""
    why = model.require_text(reason, t("reason"))
    given = parse_due(due, base=ctx.today, today=ctx.today, calendar=ctx.calendar)
    new_due = _kept_due(ctx, given)
    action = "correct" if correct else "extend"
    with ctx.ledger.transaction():
        item = _load(ctx, item_id, action)
        day = new_due.isoformat()
        if not correct and day <= item["due"]:
            raise InvalidInput(
                t(
                    "the new deadline {new} is not later than {due}; use --correct to fix a"
                    " wrongly entered deadline",
                    new=day,
                    due=item["due"],
                )
            )
        if not correct and new_due < ctx.today:
            raise InvalidInput(t("the new deadline {new} is before today", new=day))
        if correct and day == item["due"] == item["original_due"]:
            raise InvalidInput(t("the deadline is {due} already: nothing to correct", due=day))
        changes: dict[str, Any] = {"due": day}
        if correct:
            changes["original_due"] = day
        if item["card"] is not None and new_due >= ctx.today:
            changes["card"] = None
        extra = {"reason": why, "previous_due": item["due"]}
        done = _apply(ctx, item, action, changes, extra)
    _warn_rest_day(ctx, day, given.isoformat())  # once it is written
    return done


def close(
    ctx: Context, item_id: int, basis: str | None, ref: str | None, files: Sequence[str] = ()
) -> tuple[Item, Item | None]:
    """Close with a basis; a recurring item registers its next one in the same
    transaction. Returns the item and the next one (or None)."""
    text = model.require_text(basis, t("closing basis (--basis)"))
    stored = evidence.read_files(ctx, files)
    with ctx.ledger.transaction():
        item = _load(ctx, item_id, "close")
        changes = {
            "status": model.CLOSED,
            "closed_at": iso(ctx.now),
            "close_basis": text,
            "close_ref": _clean(ref),
            "report_due": None,
        }
        _apply(ctx, item, "close", changes, {"files": evidence.store(ctx, stored) or None})
        following = None
        if item["repeat"] and ctx.ledger.successor(item_id) is None:  # once per item
            following = _next_in_series(ctx, item)
    return item, following


def _next_in_series(ctx: Context, item: Item) -> Item:
    assert item["repeat"] is not None  # only a repeating item has a next one
    given = workflow.next_occurrence(item["repeat"], dt.date.fromisoformat(item["due"]))
    due = _kept_due(ctx, given)
    record = {
        "title": item["title"],
        "body": item["body"],
        "source": item["source"],
        "leader": item["leader"],
        "doc_no": item["doc_no"],
        "priority": item["priority"],
        "tags": item["tags"],
        "due": due.isoformat(),
        "repeat": item["repeat"],
        "remark": item["remark"],
        "status": "registered",
    }
    following = new_item(ctx, record).item
    following["previous_id"] = item["id"]
    if due < ctx.today:
        ctx.warn(t("the next item of the series is due {due}, already past", due=due.isoformat()))
    _warn_rest_day(ctx, due.isoformat(), given.isoformat())
    ctx.ledger.insert(following)
    data = {k: v for k, v in following.items() if k not in ("id", "title_key")}
    ctx.journal().append(following["id"], "add", data)
    assert item["unit"] is not None  # a closed item was assigned
    changes = _assignment(ctx, following, item["unit"], item["co_units"], item["owner"], [])
    return _apply(ctx, following, "assign", changes, {"previous_id": item["id"]})


def reopen(ctx: Context, item_id: int, reason: str, due: str) -> Item:
    why = model.require_text(reason, t("reason"))
    given = parse_due(due, base=ctx.today, today=ctx.today, calendar=ctx.calendar)
    new_due = _kept_due(ctx, given)
    if new_due < ctx.today:
        raise InvalidInput(t("the new deadline {new} is before today", new=new_due.isoformat()))
    with ctx.ledger.transaction():
        item = _load(ctx, item_id, "reopen")
        changes = {
            "status": model.ASSIGNED,
            "closed_at": None,
            "close_basis": None,
            "close_ref": None,
            "due": new_due.isoformat(),
            "report_due": workflow.next_report_due(ctx.config, ctx.calendar, ctx.today),
        }
        if item["card"] is not None:
            changes["card"] = None
        extra = {"reason": why, "previous_due": item["due"]}
        done = _apply(ctx, item, "reopen", changes, extra)
    _warn_rest_day(ctx, new_due.isoformat(), given.isoformat())  # once it is written
    return done


def cancel(ctx: Context, item_id: int, reason: str) -> Item:
    why = model.require_text(reason, t("reason"))
    with ctx.ledger.transaction():
        item = _load(ctx, item_id, "cancel")
        changes = {"status": model.CANCELLED, "report_due": None}
        return _apply(ctx, item, "cancel", changes, {"reason": why})


def edit(
    ctx: Context,
    item_id: int,
    fields: dict[str, str | None],
    tags: Sequence[str] = (),
    untags: Sequence[str] = (),
) -> Item:
    given = {k: v for k, v in fields.items() if v is not None}
    if not given and not tags and not untags:
        raise InvalidInput(t("nothing to edit: give at least one field to change"))
    changes: dict[str, Any] = {}
    if "title" in given:
        changes["title"] = model.require_text(given["title"], t("title"))
        changes["title_key"] = workflow.title_key(changes["title"])
    if "priority" in given:
        changes["priority"] = model.choice("priority", given["priority"] or "", t("priority"))
    if "body" in given:
        changes["body"] = given["body"] if (given["body"] or "").strip() else None
    for key in ("leader", "doc_no", "remark"):
        if key in given:
            changes[key] = _clean(given[key])
    with ctx.ledger.transaction():
        item = _load(ctx, item_id, "edit")
        if tags or untags:
            drop = set(_tags(untags))
            changes["tags"] = [x for x in _tags([*item["tags"], *tags]) if x not in drop]
        changes = {k: v for k, v in changes.items() if k == "title_key" or value(item, k) != v}
        if set(changes) <= {"title_key"}:
            return item
        return _apply(ctx, item, "edit", changes, {})
