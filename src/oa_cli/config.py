"""The YAML configuration file → validated settings. No file means defaults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oa_cli.errors import ConfigError
from oa_cli.i18n import os_error, t


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    contact: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        """What names this unit: its code, name and aliases."""
        return (self.code, self.name, *self.aliases)


@dataclass(frozen=True)
class Config:
    calendar: str = "cn"
    holidays: tuple[dt.date, ...] = ()
    workdays: tuple[dt.date, ...] = ()
    deadlines: dict[str, int] = field(
        default_factory=lambda: {"urgent": 3, "high": 5, "normal": 10}
    )
    feedback: dict[str, int] = field(
        default_factory=lambda: {
            "ack_within": 1,
            "first_within": 3,
            "every": 5,
            "resubmit_within": 2,
        }
    )
    escalation: dict[str, int] = field(
        default_factory=lambda: {
            "remind_before_due": 2,
            "yellow_after": 1,
            "red_after": 5,
            "report_yellow_after": 3,
        }
    )
    assessment: dict[str, int] = field(
        default_factory=lambda: {
            "overdue": 5,
            "yellow": 2,
            "red": 5,
            "missed_report": 1,
            "returned": 1,
        }
    )
    display: dict[str, int] = field(default_factory=lambda: {"max_rows": 100})
    office: dict[str, str] = field(
        default_factory=lambda: {"name": "中共某市委办公室督查室", "short": "市委督查室"}
    )
    lang: str | None = None
    # a deadline on a day off: kept as given, or moved to the next working day (顺延)
    due_on_day_off: str = "as_given"
    evidence: dict[str, int] = field(default_factory=lambda: {"max_mb": 50})
    units: tuple[Unit, ...] = ()


_INT_MAPS = ("deadlines", "feedback", "escalation", "assessment", "display", "evidence")
_KEYS = (
    "calendar",
    "holidays",
    "workdays",
    "lang",
    "office",
    "due_on_day_off",
    *_INT_MAPS,
    "units",
)
DUE_ON_DAY_OFF = ("as_given", "next_working_day")
# Upper bounds of the numbers, so a typo cannot make a command loop for minutes.
_LIMITS = {
    "deadlines": 250,
    "feedback": 250,
    "escalation": 250,
    "assessment": 100,
    "display": 100_000,
    "evidence": 4096,
}


def load(path: Path) -> Config:
    if not path.exists():
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        error = os_error(exc) if isinstance(exc, OSError) else exc
        raise ConfigError(t("{file}: cannot read: {error}", file=path, error=error)) from None
    import yaml

    try:
        data = load_yaml(text)
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


def load_yaml(text: str) -> Any:
    """YAML with the safe loader, dates left as text: a date such as 2026-02-30 is then
    reported with its key or record by whoever reads it, not as a loader crash."""
    import yaml

    class Loader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            """A key written twice is refused: which one was meant cannot be known (a
            merge `<<:` may give keys again; the mapping's own win, as YAML says)."""
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(
                    key_node, yaml.ScalarNode
                ):
                    continue  # a merge, or a key no mapping can hold (said by YAML)
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        t("{key} is given twice", key=key_node.value),
                        key_node.start_mark,
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass


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
    if "lang" in data:
        if data["lang"] not in ("en", "zh"):
            raise bad("lang", "en or zh")
        values["lang"] = data["lang"]
    if "due_on_day_off" in data:
        if data["due_on_day_off"] not in DUE_ON_DAY_OFF:
            raise bad("due_on_day_off", " or ".join(DUE_ON_DAY_OFF))
        values["due_on_day_off"] = data["due_on_day_off"]
    if "office" in data:
        values["office"] = _office(data["office"], defaults.office, bad)
    if "units" in data:
        values["units"] = _units(data["units"], bad)
        _one_unit_a_word(values["units"], path)
    both = set(values.get("holidays", ())) & set(values.get("workdays", ()))
    if both:
        day = min(both).isoformat()
        raise ConfigError(
            t("{file}: {day} is both under holidays and under workdays", file=path, day=day)
        )
    return Config(**values)


def _one_unit_a_word(units: tuple[Unit, ...], path: Path | str) -> None:
    """Each code, name and alias names one unit (else `assign X` would pick one unseen)."""
    seen: dict[str, int] = {}
    for i, unit in enumerate(units):
        for word in dict.fromkeys(unit.words):
            first = seen.setdefault(word, i)
            if first != i:
                raise ConfigError(
                    t(
                        "{file}: units[{i}]: '{word}' already names units[{first}];"
                        " each code, name and alias names one unit",
                        file=path,
                        i=i,
                        word=word,
                        first=first,
                    )
                )


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
            day = dt.date.fromisoformat(str(item))
        except ValueError:
            raise bad(f"{key}[{i}]", "a date YYYY-MM-DD") from None
        if not dt.date(1990, 1, 1) <= day <= dt.date(2100, 12, 31):
            raise bad(f"{key}[{i}]", "a date from 1990-01-01 to 2100-12-31")
        out.append(day)
    return tuple(out)


def _int_map(value: Any, key: str, default: dict[str, int], bad: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise bad(key, "a mapping of " + ", ".join(default))
    merged = dict(default)
    for sub, number in value.items():
        if sub not in default:
            raise bad(f"{key}.{sub}", "one of " + ", ".join(default) + " (unknown key)")
        limit = _LIMITS[key]
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= limit:
            raise bad(f"{key}.{sub}", f"a whole number from 0 to {limit}")
        merged[sub] = number
    return merged


def _office(value: Any, default: dict[str, str], bad: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise bad("office", "a mapping {name, short}")
    merged = dict(default)
    for sub, text in value.items():
        if sub not in default:
            raise bad(f"office.{sub}", "name or short (unknown key)")
        if not isinstance(text, str) or not text.strip():
            raise bad(f"office.{sub}", "a non-empty text")
        merged[sub] = text.strip()
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
            if sub not in ("code", "name", "contact", "aliases"):
                raise bad(f"{where}.{sub}", "code, name, contact or aliases (unknown key)")
        for sub in ("code", "name"):
            if not isinstance(entry.get(sub), str) or not entry[sub].strip():
                raise bad(f"{where}.{sub}", "a non-empty text")
        contact = entry.get("contact")
        if contact is not None and not isinstance(contact, str):
            raise bad(f"{where}.contact", "a text")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(
            isinstance(a, str) and a.strip() for a in aliases
        ):
            raise bad(f"{where}.aliases", "a list of names")
        out.append(
            Unit(
                entry["code"].strip(),
                entry["name"].strip(),
                contact,
                tuple(a.strip() for a in aliases),
            )
        )
    return tuple(out)
