"""The YAML configuration file → validated settings. No file means defaults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oa_cli.errors import ConfigError
from oa_cli.i18n import t


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    contact: str | None = None


@dataclass(frozen=True)
class Config:
    calendar: str = "cn"
    holidays: tuple[dt.date, ...] = ()
    workdays: tuple[dt.date, ...] = ()
    deadlines: dict[str, int] = field(
        default_factory=lambda: {"urgent": 3, "high": 5, "normal": 10}
    )
    feedback: dict[str, int] = field(default_factory=lambda: {"first_within": 3, "every": 5})
    escalation: dict[str, int] = field(
        default_factory=lambda: {"remind_before_due": 2, "yellow_after": 1, "red_after": 5}
    )
    units: tuple[Unit, ...] = ()


_INT_MAPS = ("deadlines", "feedback", "escalation")
_KEYS = ("calendar", "holidays", "workdays", *_INT_MAPS, "units")


def load(path: Path) -> Config:
    if not path.exists():
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(t("{file}: cannot read: {error}", file=path, error=exc)) from None
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(
            t(
                "{file}: line {line}: malformed YAML: {problem}",
                file=path,
                line=line,
                problem=problem,
            )
        ) from None
    return parse(data, path)


def parse(data: Any, path: Path | str) -> Config:
    if data is None:
        return Config()
    if not isinstance(data, dict):
        raise ConfigError(t("{file}: the top level must be a mapping of keys", file=path))

    def bad(key: str, expected: str) -> ConfigError:
        return ConfigError(
            t("{file}: key '{key}': expected {expected}", file=path, key=key, expected=expected)
        )

    for key in data:
        if key not in _KEYS:
            raise ConfigError(t("{file}: unknown key '{key}'", file=path, key=key))
    defaults = Config()
    values: dict[str, Any] = {}
    if "calendar" in data:
        if data["calendar"] not in ("cn", "weekdays"):
            raise bad("calendar", "cn or weekdays")
        values["calendar"] = data["calendar"]
    for key in ("holidays", "workdays"):
        if key in data:
            values[key] = _dates(data[key], key, bad)
    for key in _INT_MAPS:
        if key in data:
            values[key] = _int_map(data[key], key, getattr(defaults, key), bad)
    if "units" in data:
        values["units"] = _units(data["units"], bad)
    return Config(**values)


def _dates(value: Any, key: str, bad: Any) -> tuple[dt.date, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise bad(key, "a list of dates YYYY-MM-DD")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, dt.date) and not isinstance(item, dt.datetime):
            out.append(item)
            continue
        try:
            out.append(dt.date.fromisoformat(str(item)))
        except ValueError:
            raise bad(f"{key}[{i}]", "a date YYYY-MM-DD") from None
    return tuple(out)


def _int_map(value: Any, key: str, default: dict[str, int], bad: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise bad(key, "a mapping of " + ", ".join(default))
    merged = dict(default)
    for sub, number in value.items():
        if sub not in default:
            raise bad(f"{key}.{sub}", "one of " + ", ".join(default) + " (unknown key)")
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise bad(f"{key}.{sub}", "a whole number of working days, 0 or more")
        merged[sub] = number
    return merged


def _units(value: Any, bad: Any) -> tuple[Unit, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise bad("units", "a list of {code, name, contact}")
    out = []
    for i, entry in enumerate(value):
        where = f"units[{i}]"
        if not isinstance(entry, dict):
            raise bad(where, "a mapping {code, name, contact}")
        for sub in entry:
            if sub not in ("code", "name", "contact"):
                raise bad(f"{where}.{sub}", "code, name or contact (unknown key)")
        for sub in ("code", "name"):
            if not isinstance(entry.get(sub), str) or not entry[sub].strip():
                raise bad(f"{where}.{sub}", "a non-empty text")
        contact = entry.get("contact")
        if contact is not None and not isinstance(contact, str):
            raise bad(f"{where}.contact", "a text")
        out.append(Unit(entry["code"].strip(), entry["name"].strip(), contact))
    return tuple(out)
