"""Roles of the logins of a shared ledger (PostgreSQL): office, unit, read-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oa_cli.actions import Context, units
from oa_cli.errors import OaError
from oa_cli.i18n import t

# The office's working days kept on the ledger for a unit login's report deadlines:
# from a month back to a year and a half ahead of the day they are written.
PUBLISH_BACK_DAYS = 31
PUBLISH_AHEAD_DAYS = 550


def _shared(ctx: Context) -> Any:
    if not hasattr(ctx.ledger, "login"):
        raise OaError(
            t(
                "roles exist on a shared ledger (postgresql://…); {path} is a SQLite file",
                path=ctx.ledger.path,
            )
        )
    return ctx.ledger


def grant(ctx: Context, login: str, role: str, unit: str | None) -> str | None:
    """Give `login` its role, and keep the office's rules for report deadlines on the
    ledger up to date (`publish`); the unit's name as the ledger holds it."""
    from oa_cli.ledger.pg_roles import grant as give

    ledger = _shared(ctx)
    name = units.resolve(ctx, unit) if unit is not None else None
    give(ledger, login, role, name)
    publish(ctx, when_changed=True)
    return name


def publish(ctx: Context, *, when_changed: bool = False) -> None:
    """Write this office's `feedback.every` and its working days around today (and
    around the real day, when `--now` is another) to the shared ledger, where a unit
    login's `feedback` reads its next deadline. Run by an office login; nothing on a
    SQLite file. `when_changed`: only when they differ from what is there (a holiday
    added to the config, or a new day)."""
    if not hasattr(ctx.ledger, "login"):
        return
    import hashlib
    import json

    from oa_cli.ledger.pg_roles import publish_rules, published

    days = (ctx.today, ctx.real_clock().date())
    first = min(days) - dt.timedelta(days=PUBLISH_BACK_DAYS)
    last = max(days) + dt.timedelta(days=PUBLISH_AHEAD_DAYS)
    workdays = ctx.calendar.workdays_between(first, last)
    every = ctx.config.feedback["every"]
    facts = [every, first.isoformat(), last.isoformat(), [d.isoformat() for d in workdays]]
    mark = hashlib.sha256(json.dumps(facts).encode()).hexdigest()[:16]
    ledger = _shared(ctx)
    if when_changed and published(ledger).get("published") == mark:
        return
    with ctx.ledger.transaction():
        publish_rules(ledger, every, first, last, workdays, mark)


def check_published(ctx: Context) -> None:
    """Before an office login's command on a shared ledger: say when the working days
    and `feedback.every` the units' reports fall due by are not this configuration's (a
    holiday added since, or another clerk's configuration); `escalate --auto` and
    `grant` write this configuration's. Clerks' configurations do not take turns."""
    if not getattr(ctx.ledger, "writes_as_office", lambda: False)():
        return
    from oa_cli.ledger.pg_roles import published, published_days

    ledger = _shared(ctx)
    rules = published(ledger)
    if "workdays_from" not in rules:
        return  # nothing published yet: `oa grant` does it
    first = max(ctx.today, dt.date.fromisoformat(rules["workdays_from"]))
    last = min(ctx.today + dt.timedelta(days=366), dt.date.fromisoformat(rules["workdays_until"]))
    ours = [d.isoformat() for d in ctx.calendar.workdays_between(first, last)]
    same_days = first > last or published_days(ledger, first, last) == ours
    if same_days and rules.get("feedback_every") == str(ctx.config.feedback["every"]):
        return
    ctx.warn(
        t(
            "the working days the units' reports fall due by on this ledger are not this"
            " configuration's; `oa escalate --auto` writes this configuration's"
        )
    )


def grants(ctx: Context, login: str | None = None) -> list[dict[str, Any]]:
    """The logins and their roles; only `login`'s when given."""
    from oa_cli.ledger.pg_roles import grants as listed

    return listed(_shared(ctx), login)
