"""Use cases: one function per verb, one transaction each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oa_cli.config import Config
from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.dates import iso

if TYPE_CHECKING:
    from oa_cli.domain.item import Item
    from oa_cli.ledger.store import Ledger


@dataclass
class Context:
    """Everything an action needs from the invocation: ledger, clock, actor, settings."""

    ledger: Ledger
    now: dt.datetime
    actor: str
    config: Config
    calendar: WorkCalendar
    real_clock: Callable[[], dt.datetime]
    say: Callable[[str], None] = field(default=lambda message: None)  # a warning, on stderr
    snapshots: dict[Any, Any] = field(default_factory=dict)  # the ledger as of a day, made once

    @property
    def today(self) -> dt.date:
        return self.now.date()

    def close(self) -> None:
        self.ledger.close()

    def journal(self) -> Any:
        return self.ledger.journal(
            at=iso(self.now), recorded_at=iso(self.real_clock()), actor=self.actor
        )

    def item_json(self, item: Item, day: dt.date | None = None) -> Item:
        from oa_cli.domain.item import to_json

        return to_json(item, day or self.today, self.calendar)

    def warn(self, message: str) -> None:
        self.say(message)


def is_shared(db: str | Path) -> bool:
    """Whether `--db` names a shared ledger on PostgreSQL (postgresql://…)."""
    return str(db).startswith(("postgresql://", "postgres://"))


def is_unmade(db: str | Path) -> bool:
    """Whether `db` names a SQLite ledger not made yet: no file, or an empty one (a write
    would make the ledger there; a read finds none)."""
    if is_shared(db):
        return False
    path = Path(db)
    return not path.exists() or path.stat().st_size == 0


def open_ledger(
    db: str | Path, on_upgrade: Callable[[int, int, Path], None] | None, *, write: bool
) -> Ledger:
    """The one place a command opens its ledger: a SQLite file, or a shared ledger on
    PostgreSQL. A read never creates one."""
    if is_shared(db):
        from oa_cli.ledger.pg import open_pg

        return open_pg(str(db), on_upgrade, create=write)
    from oa_cli.ledger.connection import open_ledger as connect
    from oa_cli.ledger.store import Ledger

    path = Path(db)
    return Ledger(connect(path, on_upgrade, create=write), path)
