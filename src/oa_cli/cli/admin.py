"""`oa grant`: roles of the logins of a shared ledger (PostgreSQL)."""

import sys
from collections.abc import Callable
from typing import Annotated

import typer

from oa_cli.cli.state import STATE, say
from oa_cli.i18n import N_, t


def grant(
    login: Annotated[
        str | None,
        typer.Argument(help=N_("Database login."), show_default=False, metavar=N_("LOGIN")),
    ] = None,
    office: Annotated[
        bool, typer.Option("--office", help=N_("Everything, as the office."))
    ] = False,
    unit: Annotated[
        str | None,
        typer.Option("--unit", help=N_("Only this unit's items: ack (as lead unit) and feedback.")),
    ] = None,
    read_only: Annotated[
        bool, typer.Option("--read-only", help=N_("Reads and reports only."))
    ] = False,
    list_: Annotated[
        bool,
        typer.Option(
            "--list", help=N_("Show the logins and their roles (only LOGIN's when one is given).")
        ),
    ] = False,
) -> None:
    """Give a login of the shared ledger its role (office, unit or read-only)."""
    from oa_cli.actions import roles
    from oa_cli.errors import UsageError

    chosen = sum([office, unit is not None, read_only])
    if not list_ and (login is None or chosen != 1):
        raise UsageError(t("give a login and one of --office, --unit UNIT, --read-only"))
    STATE.publishes = True  # a grant writes the units' working days itself
    ctx = STATE.context(write=not list_)
    if list_:
        from oa_cli.render import choose
        from oa_cli.render.plain import write_records

        fmt = choose(None)
        rows = roles.grants(ctx, login)
        if fmt == "table":
            fmt = "tsv"
        write_records(sys.stdout, fmt, rows, ("login", "role", "unit"))
        return
    role = "office" if office else "unit" if unit is not None else "read-only"
    assert login is not None
    name = roles.grant(ctx, login, role, unit)
    if name is None:
        say(t("{login} is now {role}", login=login, role=t(role)))
    else:
        say(t("{login} is now the login of {unit}", login=login, unit=name))


COMMANDS: dict[str, Callable[..., None]] = {"grant": grant}
