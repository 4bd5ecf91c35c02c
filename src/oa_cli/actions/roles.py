"""Roles of the logins of a shared ledger (PostgreSQL): office, unit, read-only."""

from __future__ import annotations

from typing import Any

from oa_cli.actions import Context, units
from oa_cli.errors import OaError
from oa_cli.i18n import t


def _shared(ctx: Context) -> Any:
    if not hasattr(ctx.ledger, "login"):
        raise OaError(
            t(
                "roles exist on a shared ledger (postgresql://…); {path} is a SQLite file",
                path=ctx.ledger.path,
            )
        )
    return ctx.ledger


def grant(ctx: Context, login: str, role: str, unit: str | None) -> None:
    from oa_cli.ledger.pg_roles import grant as give

    ledger = _shared(ctx)
    give(ledger, login, role, units.resolve(ctx, unit) if unit is not None else None)


def grants(ctx: Context) -> list[dict[str, Any]]:
    from oa_cli.ledger.pg_roles import grants as listed

    return listed(_shared(ctx))
