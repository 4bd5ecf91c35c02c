"""Use cases: one function per verb, one transaction each."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from oa_cli.config import Config
from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.dates import iso

if TYPE_CHECKING:  # read commands never load the journal
    from oa_cli.ledger.journal import Journal


@dataclass
class Context:
    """Everything an action needs from the invocation: ledger, clock, actor, settings."""

    conn: sqlite3.Connection
    now: dt.datetime
    actor: str
    config: Config
    calendar: WorkCalendar
    real_clock: Callable[[], dt.datetime]

    @property
    def today(self) -> dt.date:
        return self.now.date()

    def journal(self) -> Journal:
        from oa_cli.ledger.journal import Journal

        return Journal(
            self.conn, at=iso(self.now), recorded_at=iso(self.real_clock()), actor=self.actor
        )

    def item_json(self, item: dict[str, Any]) -> dict[str, Any]:
        from oa_cli.domain.item import to_json

        return to_json(item, self.today, self.calendar)
