"""The unit directory: config `units:` plus `oa unit add`; resolve a unit by code or name."""

from __future__ import annotations

import difflib
from collections.abc import Callable

from oa_cli.actions import Context
from oa_cli.config import Unit
from oa_cli.domain.fields import field_name
from oa_cli.domain.item import require_text
from oa_cli.domain.stats import unit_order
from oa_cli.errors import InvalidInput
from oa_cli.i18n import t


def directory(ctx: Context) -> list[Unit]:
    units = {u.code: u for u in ctx.config.units}
    for code, name, contact in ctx.ledger.units():
        units.setdefault(code, Unit(code, name, contact))
    return list(units.values())


_PLACES = "市区县旗盟州省"  # the place a unit's name may start with (市人社局)


def order(ctx: Context) -> Callable[[str | None], tuple[bool, int, str]]:
    """The sort key of units in the directory's order (`domain.stats.unit_order`)."""
    return unit_order(u.name for u in directory(ctx))


def resolve(ctx: Context, text: str, units: list[Unit] | None = None, key: str = "unit") -> str:
    """The stored name of a unit given by code, name or alias, or by its name without the
    place it starts with (人社局 for 市人社局, 财政局 for 区财政局) when that names no
    other unit; any name when there is no directory."""
    value = require_text(text, field_name(key))
    units = directory(ctx) if units is None else units
    if not units:
        return value
    for unit in units:
        if value in unit.words:
            return unit.name
    short = [u for u in units if u.name[:1] in _PLACES and u.name[1:] == value != ""]
    if len(short) == 1:  # 人社局 for 市人社局: the one unit named so after its 市, 区 …
        return short[0].name
    names = [u.name for u in units]
    codes = {u.code: u.name for u in units}
    close = difflib.get_close_matches(value, names, n=3, cutoff=0.4)
    close += [codes[c] for c in difflib.get_close_matches(value, list(codes), n=3, cutoff=0.6)]
    close += [
        u.name for u in units if any(value in w or w in value for w in u.words[1:])
    ]  # 人社 in an alias 人社局 or in the name
    suggestions = list(dict.fromkeys(close))[:3]
    message = t("unknown unit '{unit}'", unit=value)
    if suggestions:
        message += t("; did you mean: {names}?", names=t(", ").join(suggestions))
    raise InvalidInput(message)


def add(ctx: Context, code: str, name: str, contact: str | None) -> Unit:
    code, name = require_text(code, t("unit code")), require_text(name, t("unit name"))
    with ctx.ledger.transaction():
        for unit in directory(ctx):
            if code == unit.code or name == unit.name:
                raise InvalidInput(
                    t("unit {code} {name} already exists", code=unit.code, name=unit.name)
                )
            for word in (code, name):
                if word in unit.words:  # a code that is another's name, or the reverse
                    raise InvalidInput(
                        t("'{word}' already names the unit {name}", word=word, name=unit.name)
                    )
        ctx.ledger.add_unit(code, name, contact)
        ctx.journal().append(None, "unit", {"code": code, "name": name, "contact": contact})
    return Unit(code, name, contact)
