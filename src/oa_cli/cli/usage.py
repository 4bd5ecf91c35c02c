"""What the framework prints, in the active language: help pages and usage errors (exit 2).

Typer's click is vendored without gettext, so its words are translated here: the help
formatter (`OaFormatter`, installed on every context by `cli/lazy.py`) translates headings,
the usage prefix, option help and the `[default: …]`/`[required]` notes at display time;
`report` prints a usage error as one `oa: ` / `oa：` line plus a hint.
"""

import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from oa_cli.cli.clicklib import click as _click
from oa_cli.cli.clicklib import errors
from oa_cli.i18n import N_, VOCABULARY, get_lang, t


def prefix() -> str:
    """The one prefix of every error line: `oa: ` in English, `oa：` in Chinese."""
    return "oa：" if get_lang() == "zh" else "oa: "


class NoSuchCommand(errors.UsageError):
    """`oa sign 11`: an unknown command, with the close matches click would suggest."""

    def __init__(self, name: str, matches: Sequence[str], ctx: Any) -> None:
        message = f"No such command {name!r}."
        if matches:
            message += " Did you mean {}?".format(", ".join(repr(m) for m in matches))
        super().__init__(message, ctx)
        self.name = name
        self.matches = list(matches)


# ---------------------------------------------------------------- usage errors

# Messages of click's own types and of nested Typer groups, as (pattern, message id).
_PATTERNS = [
    (re.compile(r"^'(?P<v>.*)' is not a valid int(?:eger)?\.$"), N_("'{v}' is not a whole number")),
    (re.compile(r"^'(?P<v>.*)' is not a valid float\.$"), N_("'{v}' is not a number")),
    (re.compile(r"^'(?P<v>.*)' is not a valid boolean\..*$"), N_("'{v}' is not yes or no")),
    (
        re.compile(r"^(?P<v>.+) is not in the range (?P<r>.+)\.$"),
        N_("{v} is not in the range {r}"),
    ),
    (
        re.compile(r"^No such command '(?P<x>.+?)'\.(?: Did you mean (?P<m>.+)\?)?$"),
        N_("no such command: {x}"),
    ),
    (
        re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<x>.+)\)$"),
        N_("unexpected argument: {x}"),
    ),
    (re.compile(r"^Missing command\.$"), N_("missing command")),
    (re.compile(r"^Option '(?P<x>.+)' requires .*$"), N_("option {x} needs a value")),
    (re.compile(r"^Option '(?P<x>.+)' does not take a value\.$"), N_("option {x} takes no value")),
]


def _translate(text: str) -> str:
    for pattern, msgid in _PATTERNS:
        match = pattern.match(text)
        if match:
            found = {k: v for k, v in match.groupdict().items() if k != "m"}
            message = t(msgid, **found)
            if match.groupdict().get("m"):
                message += t("; did you mean {names}?", names=match["m"].replace("'", ""))
            return message
    return t(text)


def _hint(exc: Any) -> str:
    if exc.param_hint is not None:
        hint = exc.param_hint
        return " / ".join(hint) if isinstance(hint, list | tuple) else str(hint)
    if exc.param is not None:
        if exc.param.param_type_name == "argument":  # as help names it (编号, 事项 …)
            return t(exc.param.metavar) if exc.param.metavar else str(exc.param.name)
        return " / ".join(exc.param.opts)
    return ""


def message(exc: Any) -> str:
    """A click UsageError's message in the active language (click's own text in English)."""
    if get_lang() != "zh":
        return str(exc.format_message())
    if isinstance(exc, NoSuchCommand):
        text = t("no such command: {x}", x=exc.name)
        if exc.matches:
            text += t("; did you mean {names}?", names=", ".join(exc.matches))
        return text
    if isinstance(exc, errors.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param else "")
        msgid = N_("missing argument: {x}") if kind == "argument" else N_("missing option: {x}")
        return t(msgid, x=_hint(exc))
    if isinstance(exc, errors.NoSuchOption):
        text = t("no such option: {x}", x=exc.option_name)
        if exc.possibilities:
            text += t("; did you mean {names}?", names=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, errors.BadParameter):
        hint = _hint(exc)
        whole = _PATTERNS[0][0].match(exc.message)
        if whole and hint:
            return t("{x}: '{v}' is not a whole number", x=hint, v=whole["v"])
        value = _translate(exc.message)
        return t("invalid value for {x}: {v}", x=hint, v=value) if hint else value
    return _translate(exc.message)


def report(exc: Any) -> int:
    """Print a click UsageError as `oa: message` and a hint, in the active language; return 2."""
    if isinstance(exc, errors.NoArgsIsHelpError):  # `oa` alone: the help, as click does
        print(exc.ctx.get_help(), file=sys.stderr)
        return 2
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else _command_of(sys.argv[1:])
    from oa_cli.render.plain import printable

    print(f"{prefix()}{printable(message(exc))}", file=sys.stderr)
    if isinstance(exc, errors.NoSuchOption) and ctx is not None and ctx.parent is not None:
        root = ctx.find_root().command
        if any(exc.option_name in p.opts for p in root.params):  # `oa daily --now …`
            said = t(
                "{option} is an option of oa itself: put it before the command, as in "
                "'oa {option} … {name}'",
                option=exc.option_name,
                name=ctx.info_name,
            )
            print(f"{prefix()}{said}", file=sys.stderr)
            return 2
    print(t("see '{command} --help'", command=command), file=sys.stderr)
    return 2


def _command_of(argv: list[str]) -> str:
    """`oa COMMAND` as the arguments name it (an option's missing value leaves click no
    context), or `oa`."""
    from typer.main import get_command

    from oa_cli.cli.app import COMMAND_MODULES, _command_at, app

    at = _command_at(argv)
    name = argv[at] if at < len(argv) else ""
    if name not in COMMAND_MODULES:
        return "oa"
    found: Any = get_command(app).get_command(None, name)  # type: ignore[attr-defined]
    sub = argv[at + 1] if at + 1 < len(argv) else ""
    if hasattr(found, "list_commands") and sub in found.list_commands(None):  # a group's
        return f"oa {name} {sub}"  # oa unit add
    return f"oa {name}"


# ---------------------------------------------------------------- help pages

# Words click writes that reach the formatter as variables: marked here for the catalog.
FRAMEWORK_WORDS = (
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("Show this message and exit."),
)
_NOTE = re.compile(r"^(?P<help>.*?)\s*\[(?P<notes>[^\[\]]*)\]$", re.S)
_METAVARS = {"<str>": N_("<text>"), "<int>": N_("<number>"), "<path>": N_("<path>")}
_USAGE_WORDS = {"[OPTIONS]": N_("[OPTIONS]"), "COMMAND [ARGS]...": N_("COMMAND [ARGS]...")}


def _note(note: str) -> str | None:
    """One part of click's `[default: x; required]`, translated, or None if not click's."""
    if note == "required":
        return t("required")
    for head, msgid in (
        ("default: ", N_("default: {value}")),
        ("env var: ", N_("env var: {name}")),
    ):
        if note.startswith(head):
            value = note[len(head) :]
            if value in VOCABULARY:  # `--source`'s default reads 领导批示, which it accepts
                value = t(value)
            return t(msgid, value=value) if "value" in msgid else t(msgid, name=value)
    return None


def help_text(text: str) -> str:
    """An option's help with click's notes, translated (`Show this message and exit.` too)."""
    match = _NOTE.match(text)
    if match is not None:
        notes = [_note(part) for part in match["notes"].split("; ")]
        if all(n is not None for n in notes):
            joined = t("; ").join(n for n in notes if n is not None)
            help_part = t(match["help"]) if match["help"] else ""
            return f"{help_part}  [{joined}]" if help_part else f"[{joined}]"
    return t(text) if text else text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by display width: CJK text breaks between characters, others at spaces."""
    tokens = re.findall(
        r"\s*\[[^\[\]]*\]|[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff]+\s*|\s+",
        text,
    )
    lines, line = [], ""
    for token in tokens:
        if line and _width((line + token).rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


class OaFormatter(_click.HelpFormatter):
    """click's plain help formatter, with every framework word through the catalog."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if get_lang() == "zh":
            for word, msgid in _USAGE_WORDS.items():
                args = args.replace(word, t(msgid))
            # arguments named by their metavar (ID, TITLE …), said when shown
            args = re.sub(r"(?<=[{\[])([A-Z]+)(?=(?:\|-)?[}\]])", lambda m: t(m[1]), args)
            prog = prog.replace("[OPTIONS]", t("[OPTIONS]"))
        super().write_usage(prog, args, t("Usage: "))

    def write_heading(self, heading: str) -> None:
        colon = "：" if get_lang() == "zh" else ":"
        self.write(f"{'':>{self.current_indent}}{t(heading)}{colon}\n")

    def write_text(self, text: str) -> None:
        text = t(text)
        if get_lang() != "zh":
            return super().write_text(text)
        indent = " " * self.current_indent
        for line in wrap(text, max(self.width - self.current_indent, 11)):
            self.write(f"{indent}{line}\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = [(self._term(first), help_text(second)) for first, second in rows]
        if get_lang() != "zh":
            return super().write_dl(rows, col_max, col_spacing)
        self._write_dl_wide(rows, col_max, col_spacing)

    @staticmethod
    def _term(first: str) -> str:
        if get_lang() == "zh":
            for word, msgid in _METAVARS.items():
                first = first.replace(word, t(msgid))
            # an argument, named by its metavar (ID, TITLE …) as the usage line names it
            first = re.sub(r"^([A-Z]+)(?=(?:\|-)?(?:\.\.\.)?$)", lambda m: t(m[1]), first)
            # an option's own metavar (--reprint NUMBER)
            first = re.sub(r"(?<=\s)([A-Z]{2,})$", lambda m: t(m[1]), first)
        return first

    def _write_dl_wide(self, rows: Iterable[tuple[str, str]], col_max: int, spacing: int) -> None:
        rows = list(rows)
        first_width = min(max((_width(a) for a, _ in rows), default=0), col_max) + spacing
        indent = " " * self.current_indent
        text_width = max(self.width - first_width - self.current_indent, 10)
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if _width(first) <= first_width - spacing:
                self.write(" " * (first_width - _width(first)))
            else:
                self.write("\n" + " " * (first_width + self.current_indent))
            lines = wrap(second, text_width)
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_width + self.current_indent}}{line}\n")
