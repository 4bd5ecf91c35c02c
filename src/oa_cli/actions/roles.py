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
    publish(ctx)
    return name


def publish(ctx: Context) -> None:
    """Write this office's `feedback.every` and its working days around today to the
    shared ledger, where a unit login's `feedback` reads its next deadline. Run by an
    office login; nothing on a SQLite file."""
    if not hasattr(ctx.ledger, "login"):
        return
    from oa_cli.ledger.pg_roles import publish_rules

    first = ctx.today - dt.timedelta(days=PUBLISH_BACK_DAYS)
    last = ctx.today + dt.timedelta(days=PUBLISH_AHEAD_DAYS)
    workdays = ctx.calendar.workdays_between(first, last)
    with ctx.ledger.transaction():
        publish_rules(_shared(ctx), ctx.config.feedback["every"], first, last, workdays)


def grants(ctx: Context, login: str | None = None) -> list[dict[str, Any]]:
    """The logins and their roles; only `login`'s when given."""
    from oa_cli.ledger.pg_roles import grants as listed

    return listed(_shared(ctx), login)
