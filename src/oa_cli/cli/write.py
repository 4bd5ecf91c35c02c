"""Write commands: each parses, calls one action (one transaction), and reports."""

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from oa_cli.cli.state import STATE, command_help
from oa_cli.i18n import t

ItemId = Annotated[int, typer.Argument(help="Item id.", show_default=False)]


def _done(message: str) -> None:
    print(message, file=sys.stderr)


def _read_body(body: str | None) -> str | None:
    if body == "-":
        return sys.stdin.read()
    return body


def add(
    title: Annotated[str, typer.Argument(help="What the item is about.", show_default=False)],
    body: Annotated[str | None, typer.Option(help="Instruction text; - reads stdin.")] = None,
    source: Annotated[
        str, typer.Option(help="instruction, meeting, document or other.")
    ] = "instruction",
    leader: Annotated[str | None, typer.Option(help="Leader who gave the instruction.")] = None,
    doc_no: Annotated[str | None, typer.Option("--doc-no", help="Document number.")] = None,
    received: Annotated[str | None, typer.Option(help="When it arrived (default: now).")] = None,
    due: Annotated[
        str | None, typer.Option(help="Deadline: YYYY-MM-DD, +Nd, +Nwd, today, tomorrow.")
    ] = None,
    priority: Annotated[str, typer.Option(help="urgent, high or normal.")] = "normal",
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Tag (repeatable).")] = None,
    unit: Annotated[str | None, typer.Option(help="Lead unit: also assigns the item.")] = None,
    co: Annotated[list[str] | None, typer.Option("--co", help="Co-unit (repeatable).")] = None,
    owner: Annotated[str | None, typer.Option(help="Person responsible in the unit.")] = None,
) -> None:
    """Register an item (with --unit, also assign it). Prints the new id."""
    from oa_cli.actions import items

    new = items.NewItem(
        title=title,
        body=_read_body(body),
        source=source,
        leader=leader,
        doc_no=doc_no,
        received=received,
        due=due,
        priority=priority,
        tags=tag or [],
        unit=unit,
        co_units=co or [],
        owner=owner,
    )
    item = items.add(STATE.context(), new)
    print(item["id"])
    _done(t("added item {id}, due {due}", id=item["id"], due=item["due"]))


def assign(
    item_id: ItemId,
    unit: Annotated[str, typer.Argument(help="Lead unit (code or name).", show_default=False)],
    co: Annotated[list[str] | None, typer.Option("--co", help="Co-unit (repeatable).")] = None,
    owner: Annotated[str | None, typer.Option(help="Person responsible in the unit.")] = None,
    note: Annotated[str | None, typer.Option(help="Note for the unit.")] = None,
) -> None:
    """Assign an item to a unit; assigning again transfers it (转办)."""
    from oa_cli.actions import items

    item = items.assign(STATE.context(), item_id, unit, co or [], owner, note)
    _done(t("item {id} assigned to {unit}", id=item_id, unit=item["unit"]))


def feedback(
    item_id: ItemId,
    text: Annotated[str, typer.Argument(help="The unit's report.", show_default=False)],
    progress: Annotated[int | None, typer.Option(help="Progress in percent, 0–100.")] = None,
) -> None:
    """Record a progress report from the unit (首报 / 续报)."""
    from oa_cli.actions import items

    item = items.feedback(STATE.context(), item_id, text, progress)
    _done(t("feedback {n} recorded on item {id}", n=item["feedback_count"], id=item_id))


def remind(
    item_id: ItemId,
    note: Annotated[str | None, typer.Option(help="What was said.")] = None,
) -> None:
    """Record an urging of the unit (催办)."""
    from oa_cli.actions import items

    item = items.remind(STATE.context(), item_id, note)
    _done(t("reminder {n} recorded on item {id}", n=item["remind_count"], id=item_id))


def escalate(
    item_id: Annotated[int | None, typer.Argument(help="Item id.", show_default=False)] = None,
    level: Annotated[str | None, typer.Option(help="yellow or red (default: one up).")] = None,
    reason: Annotated[str | None, typer.Option(help="Why.")] = None,
    auto: Annotated[
        bool, typer.Option("--auto", help="Apply the escalation rules to every open item.")
    ] = False,
    fmt: Annotated[str | None, typer.Option("--format", help="Output format for --auto.")] = None,
) -> None:
    """Issue a yellow or red card (黄牌 / 红牌), or with --auto apply the rules to all items."""
    from oa_cli.errors import UsageError

    if auto:
        if item_id is not None or level is not None:
            raise UsageError(t("--auto takes no item id and no --level"))
        from oa_cli.cli.reports import escalate_auto

        escalate_auto(fmt)
        return
    if item_id is None:
        raise UsageError(t("give an item id, or --auto"))
    from oa_cli.actions import items

    item = items.escalate(STATE.context(), item_id, level, reason)
    _done(t("item {id} now has a {card} card", id=item_id, card=t(item["card"])))


def extend(
    item_id: ItemId,
    due: Annotated[str, typer.Option(help="New deadline.", show_default=False)],
    reason: Annotated[str, typer.Option(help="Why (required).", show_default=False)],
) -> None:
    """Move the deadline (延期); the first deadline is kept as original_due."""
    from oa_cli.actions import items

    item = items.extend(STATE.context(), item_id, due, reason)
    _done(t("item {id} now due {due}", id=item_id, due=item["due"]))


def close(
    item_id: ItemId,
    basis: Annotated[str | None, typer.Option(help="Basis for closing (required).")] = None,
    ref: Annotated[str | None, typer.Option(help="Document or evidence reference.")] = None,
) -> None:
    """Close an item (办结 / 销账) with its documented basis."""
    from oa_cli.actions import items

    items.close(STATE.context(), item_id, basis, ref)
    _done(t("item {id} closed", id=item_id))


def reopen(
    item_id: ItemId,
    reason: Annotated[str, typer.Option(help="Why (required).", show_default=False)],
) -> None:
    """Take a closed item back to assigned."""
    from oa_cli.actions import items

    items.reopen(STATE.context(), item_id, reason)
    _done(t("item {id} reopened", id=item_id))


def cancel(
    item_id: ItemId,
    reason: Annotated[str, typer.Option(help="Why (required).", show_default=False)],
) -> None:
    """Withdraw an open item (撤销)."""
    from oa_cli.actions import items

    items.cancel(STATE.context(), item_id, reason)
    _done(t("item {id} cancelled", id=item_id))


def edit(
    item_id: ItemId,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    body: Annotated[str | None, typer.Option(help="New instruction text; - reads stdin.")] = None,
    leader: Annotated[str | None, typer.Option(help="New leader.")] = None,
    doc_no: Annotated[str | None, typer.Option("--doc-no", help="New document number.")] = None,
    priority: Annotated[str | None, typer.Option(help="urgent, high or normal.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Add a tag.")] = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help="Remove a tag.")] = None,
) -> None:
    """Change an open item's descriptive fields."""
    from oa_cli.actions import items

    fields: dict[str, Any] = {
        "title": title,
        "body": _read_body(body),
        "leader": leader,
        "doc_no": doc_no,
        "priority": priority,
    }
    items.edit(STATE.context(), item_id, fields, tag or [], untag or [])
    _done(t("item {id} updated", id=item_id))


COMMANDS: dict[str, Callable[..., None]] = {
    "add": add,
    "create": add,
    "assign": assign,
    "feedback": feedback,
    "remind": remind,
    "escalate": escalate,
    "extend": extend,
    "close": close,
    "reopen": reopen,
    "cancel": cancel,
    "edit": edit,
}


def register(app: typer.Typer, name: str) -> None:
    text = t("Alias of add.") if name == "create" else command_help(COMMANDS[name])
    app.command(name, help=text)(COMMANDS[name])
