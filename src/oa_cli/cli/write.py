"""Write commands: each parses, calls one action (one transaction), and reports."""

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from oa_cli.cli.options import item_id
from oa_cli.cli.state import STATE, command_help, say
from oa_cli.i18n import N_, t

ItemId = Annotated[
    int,
    typer.Argument(help=N_("Item id."), show_default=False, callback=item_id, metavar=N_("ID")),
]
Files = Annotated[
    list[str] | None,
    typer.Option(
        "--file", help=N_("Evidence file kept in the ledger (repeatable)."), show_default=False
    ),
]


def _done(message: str) -> None:
    say(message)


def _read_body(body: str | None) -> str | None:
    if body != "-":
        return body
    from oa_cli.errors import InvalidInput

    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            t(
                "{name}: not UTF-8 text (byte {pos}); save it as UTF-8",
                name="--body -",
                pos=exc.start,
            )
        ) from None


def add(
    title: Annotated[
        str,
        typer.Argument(help=N_("What the item is about."), show_default=False, metavar=N_("TITLE")),
    ],
    body: Annotated[str | None, typer.Option(help=N_("Instruction text; - reads stdin."))] = None,
    source: Annotated[
        str, typer.Option(help=N_("instruction, meeting, document or other (or 领导批示, 会议…)."))
    ] = "instruction",
    leader: Annotated[str | None, typer.Option(help=N_("Leader who gave the instruction."))] = None,
    doc_no: Annotated[str | None, typer.Option("--doc-no", help=N_("Document number."))] = None,
    received: Annotated[
        str | None,
        typer.Option(help=N_("When it arrived: a date, a time, 昨天 17:00 (default: now).")),
    ] = None,
    due: Annotated[
        str | None,
        typer.Option(
            help=N_("Deadline: YYYY-MM-DD, 12月20日, +Nd, +Nwd, today, tomorrow, 下周五.")
        ),
    ] = None,
    priority: Annotated[
        str, typer.Option(help=N_("urgent, high or normal (or 特急, 加急, 平件)."))
    ] = "normal",
    tag: Annotated[list[str] | None, typer.Option("--tag", help=N_("Tag (repeatable)."))] = None,
    remark: Annotated[str | None, typer.Option(help=N_("Remark (备注)."))] = None,
    repeat: Annotated[
        str | None, typer.Option(help=N_("Recurring: monthly:D or weekly:W (1 = Monday)."))
    ] = None,
    unit: Annotated[str | None, typer.Option(help=N_("Lead unit: also assigns the item."))] = None,
    co: Annotated[list[str] | None, typer.Option("--co", help=N_("Co-unit (repeatable)."))] = None,
    owner: Annotated[str | None, typer.Option(help=N_("Person responsible in the unit."))] = None,
) -> None:
    """Register an item (with --unit, also assign it). Prints the new id."""
    from oa_cli.actions import items
    from oa_cli.cli.options import choice

    record: dict[str, Any] = {
        "title": title,
        "body": _read_body(body),
        "source": choice("source", source, "--source"),
        "leader": leader,
        "doc_no": doc_no,
        "received_at": received,
        "due": due,
        "priority": choice("priority", priority, "--priority"),
        "tags": tag or [],
        "remark": remark,
        "repeat": repeat,
    }
    item = items.add(STATE.context(), record, unit, co or [], owner)
    print(item["id"])
    if item["unit"] is not None:
        _done(
            t(
                "added item {id}, assigned to {unit}, due {due}",
                id=item["id"],
                unit=item["unit"],
                due=item["due"],
            )
        )
    else:
        _done(t("added item {id}, due {due}", id=item["id"], due=item["due"]))


def ack(
    item_id: ItemId,
    by: Annotated[str | None, typer.Option(help=N_("Who signed for the unit."))] = None,
) -> None:
    """The unit acknowledges the assignment (签收)."""
    from oa_cli.actions import items

    items.ack(STATE.context(), item_id, by)
    _done(t("item {id} acknowledged", id=item_id))


def assign(
    item_id: ItemId,
    unit: Annotated[
        str,
        typer.Argument(
            help=N_("Lead unit (code or name)."), show_default=False, metavar=N_("UNIT")
        ),
    ],
    co: Annotated[list[str] | None, typer.Option("--co", help=N_("Co-unit (repeatable)."))] = None,
    owner: Annotated[str | None, typer.Option(help=N_("Person responsible in the unit."))] = None,
    note: Annotated[str | None, typer.Option(help=N_("Note for the unit."))] = None,
    correct: Annotated[
        bool,
        typer.Option(
            "--correct",
            help=N_("Correct a unit entered wrongly (更正): not a transfer; --note gives why."),
        ),
    ] = False,
) -> None:
    """Assign an item to a unit; assigning again transfers it (转办)."""
    from oa_cli.actions import items, reading

    ctx = STATE.context()
    previous = reading.current_unit(ctx, item_id)
    item = items.assign(ctx, item_id, unit, co or [], owner, note, correct)
    if correct:
        _done(
            t(
                "item {id}: unit corrected from {old} to {unit}",
                id=item_id,
                old=previous,
                unit=item["unit"],
            )
        )
    elif previous == item["unit"]:
        _done(
            t("item {id} stays with {unit}; co-units and owner as given", id=item_id, unit=previous)
        )
    elif previous is not None:
        _done(
            t(
                "item {id} transferred from {old} to {unit}",
                id=item_id,
                old=previous,
                unit=item["unit"],
            )
        )
    else:
        _done(t("item {id} assigned to {unit}", id=item_id, unit=item["unit"]))


def feedback(
    item_id: ItemId,
    text: Annotated[
        str,
        typer.Argument(help=N_("The unit's report."), show_default=False, metavar=N_("TEXT")),
    ],
    progress: Annotated[int | None, typer.Option(help=N_("Progress in percent, 0–100."))] = None,
    ref: Annotated[str | None, typer.Option(help=N_("Document number of the report."))] = None,
    by: Annotated[str | None, typer.Option(help=N_("Who reported."))] = None,
    file: Files = None,
) -> None:
    """Record a progress report from the unit (首报 / 续报)."""
    from oa_cli.actions import items

    item = items.feedback(STATE.context(), item_id, text, progress, ref, by, file or [])
    _done(
        t(
            "report recorded on item {id}; the next is owed by {due}",
            id=item_id,
            due=item["report_due"],
        )
    )


def return_(
    item_id: ItemId,
    reason: Annotated[str, typer.Option(help=N_("Why it is insufficient."), show_default=False)],
) -> None:
    """Return the latest report as insufficient (退回重报)."""
    from oa_cli.actions import items

    item = items.return_report(STATE.context(), item_id, reason)
    _done(
        t("report returned on item {id}; owed again by {due}", id=item_id, due=item["report_due"])
    )


def remind(
    item_id: ItemId,
    note: Annotated[str | None, typer.Option(help=N_("What was said."))] = None,
) -> None:
    """Record an urging of the unit (催办)."""
    from oa_cli.actions import items

    item = items.remind(STATE.context(), item_id, note)
    _done(t("reminder {n} recorded on item {id}", n=item["remind_count"], id=item_id))


def escalate(
    item_id: Annotated[
        int | None,
        typer.Argument(help=N_("Item id."), show_default=False, callback=item_id, metavar=N_("ID")),
    ] = None,
    level: Annotated[
        str | None, typer.Option(help=N_("yellow or red (黄牌, 红牌; default: one up)."))
    ] = None,
    reason: Annotated[str | None, typer.Option(help=N_("Why."))] = None,
    auto: Annotated[
        bool, typer.Option("--auto", help=N_("Apply the escalation rules to every open item."))
    ] = False,
    fmt: Annotated[
        str | None, typer.Option("--format", help=N_("Output format for --auto."))
    ] = None,
) -> None:
    """Issue a yellow or red card (黄牌 / 红牌), or with --auto apply the rules to all items."""
    from oa_cli.cli.options import maybe
    from oa_cli.errors import UsageError

    if auto:
        if item_id is not None or level is not None:
            raise UsageError(t("--auto takes no item id and no --level"))
        _escalate_auto(fmt)
        return
    if item_id is None:
        raise UsageError(t("give an item id, or --auto"))
    from oa_cli.actions import items

    item = items.escalate(STATE.context(), item_id, maybe("card", level, "--level"), reason)
    _done(t("item {id} now has a {card} card", id=item_id, card=t(item["card"] or "")))


def extend(
    item_id: ItemId,
    due: Annotated[
        str,
        typer.Option(
            help=N_("New deadline: a date, 下周五, or +Nwd / +Nd counted from today."),
            show_default=False,
        ),
    ],
    reason: Annotated[str, typer.Option(help=N_("Why."), show_default=False)],
    correct: Annotated[
        bool,
        typer.Option(
            "--correct", help=N_("Correct a wrongly entered deadline (更正), not an extension.")
        ),
    ] = False,
) -> None:
    """Move the deadline (延期), or correct it (更正); the first deadline stays original_due."""
    from oa_cli.actions import items

    item = items.extend(STATE.context(), item_id, due, reason, correct)
    if correct:
        _done(t("item {id}: deadline corrected to {due}", id=item_id, due=item["due"]))
    else:
        _done(t("item {id} now due {due}", id=item_id, due=item["due"]))


def close(
    item_id: ItemId,
    basis: Annotated[str | None, typer.Option(help=N_("Basis for closing (required)."))] = None,
    ref: Annotated[str | None, typer.Option(help=N_("Document or evidence reference."))] = None,
    file: Files = None,
) -> None:
    """Close an item (办结 / 销账) with its documented basis."""
    from oa_cli.actions import items

    _, following = items.close(STATE.context(), item_id, basis, ref, file or [])
    _done(t("item {id} closed", id=item_id))
    if following is not None:
        _done(
            t("next item of the series: {id}, due {due}", id=following["id"], due=following["due"])
        )


def reopen(
    item_id: ItemId,
    reason: Annotated[str, typer.Option(help=N_("Why."), show_default=False)],
    due: Annotated[str, typer.Option(help=N_("The new deadline."), show_default=False)],
) -> None:
    """Take a closed item back to assigned, with a new deadline."""
    from oa_cli.actions import items

    item = items.reopen(STATE.context(), item_id, reason, due)
    _done(t("item {id} reopened, due {due}", id=item_id, due=item["due"]))


def cancel(
    item_id: ItemId,
    reason: Annotated[str, typer.Option(help=N_("Why."), show_default=False)],
) -> None:
    """Withdraw an open item (撤销)."""
    from oa_cli.actions import items

    items.cancel(STATE.context(), item_id, reason)
    _done(t("item {id} cancelled", id=item_id))


def edit(
    item_id: ItemId,
    title: Annotated[str | None, typer.Option(help=N_("New title."))] = None,
    body: Annotated[
        str | None, typer.Option(help=N_("New instruction text; - reads stdin."))
    ] = None,
    leader: Annotated[str | None, typer.Option(help=N_("New leader."))] = None,
    doc_no: Annotated[str | None, typer.Option("--doc-no", help=N_("New document number."))] = None,
    priority: Annotated[
        str | None, typer.Option(help=N_("urgent, high or normal (or 特急, 加急, 平件)."))
    ] = None,
    remark: Annotated[str | None, typer.Option(help=N_("New remark (备注)."))] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help=N_("Add a tag."))] = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help=N_("Remove a tag."))] = None,
) -> None:
    """Change an open item's descriptive fields."""
    from oa_cli.actions import items
    from oa_cli.cli.options import maybe

    fields: dict[str, Any] = {
        "title": title,
        "body": _read_body(body),
        "leader": leader,
        "doc_no": doc_no,
        "priority": maybe("priority", priority, "--priority"),
        "remark": remark,
    }
    items.edit(STATE.context(), item_id, fields, tag or [], untag or [])
    _done(t("item {id} updated", id=item_id))


def _escalate_auto(fmt: str | None) -> None:
    """`escalate --auto`: the rules over every open item; what was done, in `fmt`."""
    from oa_cli.actions import reading
    from oa_cli.actions.escalate import ACTION_KEYS, escalate_auto
    from oa_cli.domain.selection import Selection
    from oa_cli.render import choose

    fmt = choose(fmt)
    STATE.publishes = True  # it writes the units' working days: no warning that they differ
    ctx = STATE.context()
    if not ctx.calendar.is_workday(ctx.today):
        day = t("{date} is not a working day", date=ctx.today.isoformat())
        say(t("oa: warning: {message}", message=day))
    total = reading.count(ctx, Selection()) if sys.stderr.isatty() else 0
    if total >= 5000:  # a bar on a terminal for a large ledger; cron and pipes get none
        from oa_cli.render.table import progress_bar

        with progress_bar(t("escalating"), total) as advance:
            done = escalate_auto(ctx, advance)
    else:
        done = escalate_auto(ctx)
    if fmt == "table":
        from oa_cli.render.table import actions_table, console

        if done:  # nothing done: the line below says so, without an empty table
            console().print(
                actions_table(done, t("escalate --auto: actions taken: {n}", n=len(done)))
            )
    else:
        from oa_cli.render.plain import write_records

        write_records(sys.stdout, fmt, done, ACTION_KEYS)
    say(_auto_summary(done))


def _auto_summary(done: list[dict[str, Any]]) -> str:
    """How many actions, and of which kind (cron mails this line)."""
    from collections import Counter

    line = t("escalate --auto: actions taken: {n}", n=len(done))
    kinds = Counter(a["action"] for a in done)
    red, yellow, alerts = kinds["red"], kinds["yellow"], kinds["alert"]
    said = (
        (red, t("red cards {n}", n=red)),
        (yellow, t("yellow cards {n}", n=yellow)),
        (alerts, t("alerts {n}", n=alerts)),
    )
    parts = [words for n, words in said if n]
    return t("{line} ({kinds})", line=line, kinds=t(", ").join(parts)) if parts else line


COMMANDS: dict[str, Callable[..., None]] = {
    "add": add,
    "create": add,
    "ack": ack,
    "assign": assign,
    "feedback": feedback,
    "return": return_,
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
