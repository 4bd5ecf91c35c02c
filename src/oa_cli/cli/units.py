"""`oa unit add|list`: the unit directory."""

import sys
from typing import Annotated

import typer

from oa_cli.cli.state import STATE, command_help, say
from oa_cli.i18n import N_, t

unit_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


def unit_add(
    code: Annotated[
        str,
        typer.Argument(help="Short code, e.g. fgw.", show_default=False, metavar=N_("CODE")),
    ],
    name: Annotated[
        str,
        typer.Argument(
            help="Full name, e.g. 市发展改革委.", show_default=False, metavar=N_("NAME")
        ),
    ],
    contact: Annotated[str | None, typer.Option(help="Contact person or phone.")] = None,
) -> None:
    """Add a unit to the directory."""
    from oa_cli.actions import units

    unit = units.add(STATE.context(), code, name, contact)
    say(t("unit {code} {name} added", code=unit.code, name=unit.name))


def unit_list(
    fmt: Annotated[str | None, typer.Option("--format", help="Output format.")] = None,
) -> None:
    """List the unit directory (config and added units)."""
    from oa_cli.actions import units
    from oa_cli.render import choose

    fmt = choose(fmt)
    records = [
        {"code": u.code, "name": u.name, "contact": u.contact}
        for u in units.directory(STATE.context(write=False))
    ]
    if fmt == "table":
        from oa_cli.render.table import console, new_table, text

        table = new_table()
        for header in (t("Code"), t("Name"), t("Contact")):
            table.add_column(header, overflow="fold")
        for r in records:
            table.add_row(text(r["code"]), text(r["name"]), text(r["contact"]))
        console().print(table)
        return
    from oa_cli.render.plain import write_records

    write_records(sys.stdout, fmt, records, ("code", "name", "contact"))


def register(app: typer.Typer, name: str) -> None:
    unit_app.command("add", help=command_help(unit_add))(unit_add)
    unit_app.command("list", help=command_help(unit_list))(unit_list)
    app.add_typer(unit_app, name=name, help=t("The unit directory (单位)."))
