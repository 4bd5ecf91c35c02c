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


MAX_ID = 2**53 - 1


def item_id(value: int | None) -> int | None:
    """An item id is 1 … 2^53−1 (a usage error otherwise)."""
    if value is not None and not 1 <= value <= MAX_ID:
        raise UsageError(t("an item id is a whole number from 1 to {max}", max=MAX_ID))
    return value


def bounded(low: int, high: int) -> object:
    """A callback keeping a number option within [low, high] (a usage error otherwise)."""

    def check(value: int | None) -> int | None:
        if value is not None and not low <= value <= high:
            raise UsageError(
                t("{value} is not between {low} and {high}", value=value, low=low, high=high)
            )
        return value

    return check
