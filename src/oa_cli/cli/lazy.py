"""A command group that imports a command's module only when that command is used.

`oa --help` and completion list every command (from the functions' docstrings, without
building their parameters); `oa add` imports `cli/write.py` and builds only `add`.

What a command module under `oa_cli.cli` exposes:
- `COMMANDS: dict[str, Callable]`: command name → function (Typer parameters in its
  signature, English help: the docstring's first line, translated when shown). A name
  bound to the same function as an earlier one is listed as its alias.
- a sub-group: `GROUPS: dict[str, typer.Typer]` (its commands registered on import, its
  help English), or, as `cli/units.py` does today, no `COMMANDS` and a
  `register(app: typer.Typer, name: str)` that adds the sub-group to `app`.
A name whose module or function does not exist (yet) is not listed and is unknown.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import os
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

import typer
from typer.core import TyperGroup, _split_opt
from typer.main import get_command_from_info, get_group_from_info
from typer.models import CommandInfo, TyperInfo

from oa_cli.cli.clicklib import CompletionItem
from oa_cli.cli.clicklib import click as _click
from oa_cli.i18n import t


class OaContext(_click.Context):
    """click's context, with our help formatter (imported only when help is shown)."""

    def make_formatter(self) -> _click.HelpFormatter:
        from oa_cli.cli.usage import OaFormatter

        return OaFormatter(width=self.terminal_width, max_width=self.max_content_width)


def _module(name: str) -> ModuleType | None:
    full = f"oa_cli.cli.{name}"
    try:
        return importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name == full:
            return None
        raise


def _group_app(module: ModuleType, name: str) -> typer.Typer | TyperInfo | None:
    groups = getattr(module, "GROUPS", None)
    if groups is not None:
        return groups.get(name)
    if not hasattr(module, "COMMANDS") and hasattr(module, "register"):
        scratch = typer.Typer()
        module.register(scratch, name)
        info = scratch.registered_groups[-1]
        sub = info.typer_instance
        if sub is not None:  # register() adds the commands again on every call: keep one each
            sub.registered_commands[:] = list({c.name: c for c in sub.registered_commands}.values())
        return info
    return None


def adopt(command: _click.Command) -> _click.Command:
    """Our context (translated help) for a built command and its children, and when the
    shell asks for completions, what its parameters complete to."""
    command.context_class = OaContext
    if os.environ.get("_OA_COMPLETE"):
        from oa_cli.cli.completion import attach

        attach(command)
    for child in getattr(command, "commands", {}).values():
        adopt(child)
    return command


class LazyGroup(TyperGroup):
    """The root group; `modules` maps each command name to its module under oa_cli.cli."""

    context_class = OaContext
    modules: Mapping[str, str] = {}

    def _function(self, name: str) -> tuple[ModuleType, Callable[..., Any] | None] | None:
        if name not in self.modules:
            return None
        module = _module(self.modules[name])
        if module is None:
            return None
        function = getattr(module, "COMMANDS", {}).get(name)
        if function is None and not (
            name in getattr(module, "GROUPS", {})
            or (not hasattr(module, "COMMANDS") and hasattr(module, "register"))
        ):
            return None
        return module, function

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return [name for name in self.modules if self._function(name) is not None]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        found = self._function(cmd_name)
        if found is None:
            return None
        module, function = found
        if function is not None:
            info = CommandInfo(name=cmd_name, callback=function)
            command = get_command_from_info(
                info, pretty_exceptions_short=True, rich_markup_mode=None
            )
        else:
            group = _group_app(module, cmd_name)
            if group is None:
                return None
            info_ = group if isinstance(group, TyperInfo) else TyperInfo(group, name=cmd_name)
            command = get_group_from_info(
                info_, pretty_exceptions_short=True, suggest_commands=True, rich_markup_mode=None
            )
        self.commands[cmd_name] = adopt(command)
        return command

    def summary(self, ctx: _click.Context, name: str, limit: int = 45) -> str:
        """A command's line in `oa --help` and in completion, without building it."""
        found = self._function(name)
        if found is None:
            return ""
        function = found[1]
        if function is None:
            command = self.get_command(ctx, name)
            text = (command.help or "") if command is not None else ""
        else:
            functions = getattr(found[0], "COMMANDS", {})
            first = next(n for n, f in functions.items() if f is function)
            if first != name:
                return t("Alias of {command}.", command=first)
            text = inspect.getdoc(function) or ""
        return _click.utils.make_default_short_help(t(text.strip()), limit)

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = [(name, self.summary(ctx, name, limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(
        self, ctx: _click.Context, args: list[str]
    ) -> tuple[str | None, _click.Command | None, list[str]]:
        name = args[0]
        command = self.get_command(ctx, name)
        if command is None and not ctx.resilient_parsing:
            if _split_opt(name)[0]:
                self.parse_args(ctx, args)
            from oa_cli.cli.usage import NoSuchCommand

            matches = difflib.get_close_matches(name, self.list_commands(ctx))
            raise NoSuchCommand(name, matches, ctx)
        return (name if command is not None else None), command, args[1:]

    def shell_complete(self, ctx: _click.Context, incomplete: str) -> list[CompletionItem]:
        items = [
            CompletionItem(name, help=self.summary(ctx, name))
            for name in self.list_commands(ctx)
            if name.startswith(incomplete)
        ]
        items.extend(_click.Command.shell_complete(self, ctx, incomplete))
        return items
