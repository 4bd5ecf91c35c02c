"""`oa copy`: the whole ledger — items, journal, units, evidence — into an empty one,
which then verifies with the same head."""

from __future__ import annotations

from pathlib import Path

from oa_cli.actions import Context
from oa_cli.errors import InvalidInput
from oa_cli.i18n import t


def copy_ledger(ctx: Context, dest: str) -> tuple[int, str]:
    from oa_cli.actions import is_shared, open_ledger
    from oa_cli.ledger.store import Ledger
    from oa_cli.outfile import refuse_ledger

    if ctx.ledger.path is not None and not is_shared(dest):
        refuse_ledger(Path(dest), ctx.ledger.path)
    target = open_ledger(dest, None, write=True)
    try:
        with target.transaction():
            if not target.is_empty():
                raise InvalidInput(
                    t("{path} is not empty: oa copy needs an empty ledger", path=dest)
                )
            for table in Ledger.TABLES:
                for batch in ctx.ledger.dump(table):
                    target.load(table, batch)
            target.loaded()
        head = target.head()
    finally:
        target.close()
    if head != ctx.ledger.head():
        raise InvalidInput(t("the copy does not end with the same head"))
    return head
