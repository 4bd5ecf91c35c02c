"""Time rules over items: due soon, awaiting feedback, what `escalate --auto` should do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from oa_cli.config import Config
from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.item import ASSIGNED, REGISTERED, is_overdue


@dataclass(frozen=True)
class Rules:
    """The configured thresholds, applied on one day."""

    config: Config
    calendar: WorkCalendar
    today: dt.date

    @cached_property
    def _today(self) -> str:
        return self.today.isoformat()

    @cached_property
    def _due_soon_until(self) -> str:
        return self.calendar.add(
            self.today, self.config.escalation["remind_before_due"]
        ).isoformat()

    def is_due_soon(self, item: dict[str, Any]) -> bool:
        """Assigned, not overdue, due today or within `remind_before_due` working days."""
        if item["status"] != ASSIGNED:
            return False
        return self._today <= item["due"] <= self._due_soon_until

    def is_awaiting_feedback(self, item: dict[str, Any]) -> bool:
        """No first report within `first_within`, or the last one older than `every`."""
        if item["status"] != ASSIGNED or item["assigned_at"] is None:
            return False
        fb = self.config.feedback
        if not item["feedback_count"]:
            waited = self.calendar.count_since(item["assigned_at"][:10], self.today)
            return waited > fb["first_within"]
        last = item["last_feedback_at"] or item["assigned_at"]
        return self.calendar.count_since(last[:10], self.today) > fb["every"]

    def is_late_assignment(self, item: dict[str, Any]) -> bool:
        return item["status"] == REGISTERED and item["received_at"][:10] < self._today

    def card_due(self, item: dict[str, Any], overdue_days: int) -> tuple[str, str] | None:
        """The card rule 1 or 2 gives, as (card, rule), or None. Both rules apply to overdue
        items only (with `yellow_after: 0`, an item overdue since a Friday is carded on
        Saturday, at 0 working days)."""
        esc = self.config.escalation
        if not is_overdue(item, self.today):
            return None
        if overdue_days >= esc["red_after"]:
            return None if item["card"] == "red" else ("red", "overdue_red")
        if overdue_days >= esc["yellow_after"] and item["card"] is None:
            return ("yellow", "overdue_yellow")
        return None

    def reminder_due(self, item: dict[str, Any]) -> str | None:
        """The rule (3 or 4) that calls for a reminder today, or None."""
        if self.is_late_assignment(item):
            return "late_assignment"
        if self.is_awaiting_feedback(item):
            return "awaiting_feedback"
        if self.is_due_soon(item):
            return "due_soon"
        return None
