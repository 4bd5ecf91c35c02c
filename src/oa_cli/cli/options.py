"""Option values the command line takes in the office's words: enum values in English
or Chinese (`--priority 加急`, `--level 黄牌`, `--status 在办`), as usage errors when
wrong (exit 2)."""

from __future__ import annotations

from oa_cli.domain.fields import BY_KEY, VALUES, value_map
from oa_cli.errors import UsageError
from oa_cli.i18n import get_lang, t


def choice(name: str, value: str, option: str) -> str:
    """The enum value that `value` names (value, Chinese label or common form)."""
    found = value_map(name).get(value.strip())
    if found is not None:
        return found
    zh = get_lang() == "zh"
    names = [c.label if zh else c.value for c in VALUES[name]]
    field = BY_KEY.get(name)
    what = field.label if zh and field is not None else option
    raise UsageError(
        t(
            "invalid {what} '{value}': choose {choices}",
            what=what,
            value=value,
            choices=t(", ").join(names),
        )
    )


def maybe(name: str, value: str | None, option: str) -> str | None:
    return None if value is None else choice(name, value, option)
