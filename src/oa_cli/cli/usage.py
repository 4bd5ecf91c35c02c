"""Usage errors (exit 2) in the active language: click's own messages, translated."""

import re
import sys
from typing import Any

from oa_cli.i18n import N_, get_lang, t

# click's messages for the usage errors people make most, as (pattern, message id).
_PATTERNS = [
    (
        re.compile(r"^No such option: (?P<x>.+?)(?: \(Possible options: .*\))?$"),
        N_("no such option: {x}"),
    ),
    (re.compile(r"^No such command '(?P<x>.+)'\.$"), N_("no such command: {x}")),
    (re.compile(r"^Missing argument '(?P<x>.+)'\.$"), N_("missing argument: {x}")),
    (re.compile(r"^Missing option '(?P<x>.+)'\.$"), N_("missing option: {x}")),
    (re.compile(r"^Option '(?P<x>.+)' requires an argument\.$"), N_("option {x} needs a value")),
    (
        re.compile(r"^Got unexpected extra arguments? \((?P<x>.+)\)$"),
        N_("unexpected argument: {x}"),
    ),
    (
        re.compile(r"^Invalid value for '(?P<x>.+?)': '(?P<v>.*)' is not a valid int(?:eger)?\.$"),
        N_("{x}: '{v}' is not a whole number"),
    ),
    (re.compile(r"^Invalid value for (?P<x>.+?): (?P<v>.*)$"), N_("invalid value for {x}: {v}")),
]


def message(text: str) -> str:
    for pattern, msgid in _PATTERNS:
        match = pattern.match(text)
        if match:
            return t(msgid, **match.groupdict())
    return text


def report(exc: Any) -> int:
    """Print a click UsageError the way git would, in the active language; return 2."""
    if get_lang() != "zh":
        exc.show()
        return 2
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "oa"
    print(f"oa：{message(exc.format_message())}", file=sys.stderr)
    print(t("see '{command} --help'", command=command), file=sys.stderr)
    return 2
