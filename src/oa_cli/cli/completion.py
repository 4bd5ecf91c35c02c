"""`oa completion bash|zsh|fish`, and what the shell completes beyond commands and options:
unit names and open item ids (with their titles), read from an existing ledger only."""

import contextlib
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from oa_cli.i18n import N_, t

SHELLS = ("bash", "zsh", "fish")


def completion(
    shell: Annotated[
        str, typer.Argument(help="bash, zsh or fish.", show_default=False, metavar=N_("SHELL"))
    ],
) -> None:
    """Print the shell completion script for bash, zsh or fish (see README: Shell completion)."""
    from typer._completion_shared import get_completion_script

    from oa_cli.errors import UsageError

    if shell not in SHELLS:
        raise UsageError(
            t("unknown shell '{shell}': choose {choices}", shell=shell, choices=", ".join(SHELLS))
        )
    print(get_completion_script(prog_name="oa", complete_var="_OA_COMPLETE", shell=shell))


COMMANDS: dict[str, Callable[..., None]] = {"completion": completion}


def _ledger_context(ctx: Any) -> Any:
    """The action context for the ledger the command line names, or None when there is no
    ledger file yet: completion never creates one."""
    from oa_cli.actions import is_unmade
    from oa_cli.cli.state import STATE, default_db

    root = ctx.find_root().params
    if STATE.db is None and root.get("db") is not None:
        STATE.db = str(root["db"])
    if STATE.config_path is None and root.get("config") is not None:
        STATE.config_path = Path(root["config"])
    if is_unmade(STATE.db or default_db()):
        return None
    return STATE.context(write=False)


def _quietly(lookup: Callable[[Any], list[Any]], ctx: Any) -> list[Any]:
    """Run a look-up with stderr silenced; any failure completes nothing."""
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            context = _ledger_context(ctx)
            return [] if context is None else lookup(context)
    except Exception:  # a broken ledger or config must not break the shell
        if os.environ.get("OA_DEBUG"):
            raise
        return []


def complete_unit(ctx: Any, param: Any, incomplete: str) -> list[Any]:
    """Unit names starting with (or containing) what is typed."""
    from oa_cli.actions import lookups
    from oa_cli.cli.clicklib import CompletionItem

    names = _quietly(lookups.unit_names, ctx)
    return [CompletionItem(n) for n in names if incomplete in n]


def complete_open_item(ctx: Any, param: Any, incomplete: str) -> list[Any]:
    """Ids of open items starting with what is typed, each with its title as help."""
    from oa_cli.actions import lookups

    return _ids(_quietly(lookups.open_items, ctx), incomplete)


def complete_closed_item(ctx: Any, param: Any, incomplete: str) -> list[Any]:
    """Ids of items closed in the last year (for `reopen`), each with its title."""
    from oa_cli.actions import lookups

    return _ids(_quietly(lookups.closed_items, ctx), incomplete)


def _ids(items: list[tuple[int, str]], incomplete: str) -> list[Any]:
    from oa_cli.cli.clicklib import CompletionItem

    return [
        CompletionItem(str(i), help=title) for i, title in items if str(i).startswith(incomplete)
    ]


def complete_word(field: str) -> Callable[[Any, Any, str], list[Any]]:
    """The values of an enum field (`--status`, `--priority`, `--source`, `--level`), each
    with its Chinese word as help; the Chinese words (label and other forms) once one is
    being typed."""

    def complete(ctx: Any, param: Any, incomplete: str) -> list[Any]:
        from oa_cli.cli.clicklib import CompletionItem
        from oa_cli.domain.fields import VALUES

        found = []
        for choice in VALUES[field]:
            if choice.value.startswith(incomplete):
                found.append(CompletionItem(choice.value, help=choice.label))
            elif incomplete:  # the Chinese word, or another form the office says
                words = (choice.label, *choice.aliases)
                found.extend(CompletionItem(w) for w in words if w.startswith(incomplete))
        return found

    return complete


# Parameters completed by name, on every command (unless a command gives its own).
BY_NAME: dict[str, Callable[[Any, Any, str], list[Any]]] = {
    "unit": complete_unit,
    "co": complete_unit,
    "item_id": complete_open_item,
}


# Options completed by name (an argument of the same name, such as import's FILE, is not).
def complete_from(*choices: str) -> Callable[[Any, Any, str], list[Any]]:
    """A fixed set of values (`--sort`, `stats --by`, `--lang`)."""

    def complete(ctx: Any, param: Any, incomplete: str) -> list[Any]:
        from oa_cli.cli.clicklib import CompletionItem

        return [CompletionItem(c) for c in choices if c.startswith(incomplete)]

    return complete


def _sorts(ctx: Any, param: Any, incomplete: str) -> list[Any]:
    from oa_cli.domain.selection import SORTS

    return complete_from(*SORTS)(ctx, param, incomplete)


OPTIONS_BY_NAME: dict[str, Callable[[Any, Any, str], list[Any]]] = {
    "status": complete_word("status"),
    "priority": complete_word("priority"),
    "source": complete_word("source"),
    "level": complete_word("card"),
    "sort": _sorts,
}
# Options whose name other commands use for something else (`ack --by` is a person).
OPTIONS_OF: dict[tuple[str, str], Callable[[Any, Any, str], list[Any]]] = {
    ("stats", "by"): complete_word("by"),
}


def attach(command: Any) -> None:
    """Give a built command's `unit`, `co`, `item_id` parameters and its enum options
    their completion."""
    for param in getattr(command, "params", []):
        found = BY_NAME.get(param.name or "")
        if command.name == "reopen" and param.name == "item_id":
            found = complete_closed_item  # only a closed item can be reopened
        if param.param_type_name == "option":
            found = found or OPTIONS_BY_NAME.get(param.name or "")
            found = found or OPTIONS_OF.get((command.name, param.name or ""))
        if found is not None and getattr(param, "_custom_shell_complete", None) is None:
            param._custom_shell_complete = found
