"""`oa grant`: roles of the logins of a shared ledger (PostgreSQL)."""

from collections.abc import Callable
from typing import Annotated

import typer

from oa_cli.cli.state import STATE
from oa_cli.i18n import N_, t


def grant(
    login: Annotated[
        str | None, typer.Argument(help=N_("Database login."), show_default=False)
    ] = None,
    office: Annotated[
        bool, typer.Option("--office", help=N_("Everything, as the office."))
    ] = False,
    unit: Annotated[
        str | None, typer.Option("--unit", help=N_("Only this unit's items: ack and feedback."))
    ] = None,
    read_only: Annotated[
        bool, typer.Option("--read-only", help=N_("Reads and reports only."))
    ] = False,
    list_: Annotated[
        bool, typer.Option("--list", help=N_("Show the logins and their roles."))
    ] = False,
) -> None:
    """Give a login of the shared ledger its role (office, unit or read-only)."""
    from oa_cli.errors import OaError, UsageError

    chosen = sum([office, unit is not None, read_only])
    if not list_ and (login is None or chosen != 1):
        raise UsageError(t("give a login and one of --office, --unit UNIT, --read-only"))
    ctx = STATE.context(write=False)
    raise OaError(
        t(
            "roles exist on a shared ledger (postgresql://…); {path} is a SQLite file",
            path=ctx.ledger.path,
        )
    )


COMMANDS: dict[str, Callable[..., None]] = {"grant": grant}
