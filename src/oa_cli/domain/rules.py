"""The office's time rules, as values for one report date: what is due soon, what
is owed, what a card or an alert is called for. `ledger/` turns each
`Selection` into a query; no rule is restated anywhere else."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oa_cli.config import Config
from oa_cli.domain.calendar import WorkCalendar
from oa_cli.domain.item import ASSIGNED, OPEN, REGISTERED
from oa_cli.domain.selection import Selection


def _more_than(calendar: WorkCalendar, today: dt.date, n: int) -> str:
    """The day x such that a date d has more than n working days in (d, today] exactly
    when d < x."""
    return calendar.earliest_within(today, n).isoformat()


def _at_least(calendar: WorkCalendar, today: dt.date, n: int) -> str:
    """The day x such that a date d has at least n working days in (d, today] exactly
    when d < x (n = 0: every day before today... and today itself has 0)."""
    if n <= 0:
        return (today + dt.timedelta(days=1)).isoformat()
    return _more_than(calendar, today, n - 1)


@dataclass(frozen=True)
class Bounds:
    """The rules of SPEC for one report date, as dates."""

    today: dt.date
    due_soon_until: str  # due_soon: today <= due <= this
    ack_before: str  # unacknowledged: assigned on a day before this
    red_before: str  # overdue_days >= red_after: due before this
    yellow_before: str  # overdue_days >= yellow_after: due before this (and overdue)
    report_yellow_before: str  # report_overdue_days >= report_yellow_after

    @classmethod
    def of(cls, config: Config, calendar: WorkCalendar, today: dt.date) -> Bounds:
        esc, fb = config.escalation, config.feedback
        day = today.isoformat()
        return cls(
            today=today,
            due_soon_until=calendar.add(today, esc["remind_before_due"]).isoformat(),
            ack_before=_more_than(calendar, today, fb["ack_within"]),
            red_before=min(day, _at_least(calendar, today, esc["red_after"])),
            yellow_before=min(day, _at_least(calendar, today, esc["yellow_after"])),
            report_yellow_before=min(day, _at_least(calendar, today, esc["report_yellow_after"])),
        )

    @property
    def day(self) -> str:
        return self.today.isoformat()

    def daily(self) -> dict[str, Selection]:
        """The sections of the daily dispatch table, in their order, each in due order."""
        day, tomorrow = self.day, (self.today + dt.timedelta(days=1)).isoformat()
        return {
            "to_assign": Selection(statuses=(REGISTERED,)),
            "unacknowledged": Selection(
                statuses=(ASSIGNED,), unacked_assigned_before=self.ack_before
            ),
            "due_soon": Selection(
                statuses=(ASSIGNED,), due_from=day, due_until=self.due_soon_until
            ),
            "overdue": Selection(statuses=OPEN, due_before=day),
            "awaiting_feedback": Selection(statuses=(ASSIGNED,), report_due_before=day),
            "closed_today": Selection(
                statuses=("closed",), closed_from=day, closed_before=tomorrow
            ),
        }

    def late_assignment(self) -> Selection:
        """Still registered, received before the report date (rule 5, `daily --check`)."""
        return Selection(statuses=(REGISTERED,), received_before=self.day)

    def cards(self) -> dict[str, Selection]:
        """Rules 1–3: the items each card rule may act on."""
        return {
            "overdue_red": Selection(statuses=OPEN, due_before=self.red_before, card_not="red"),
            "overdue_yellow": Selection(statuses=OPEN, due_before=self.yellow_before, card="none"),
            "report_yellow": Selection(
                statuses=(ASSIGNED,), report_due_before=self.report_yellow_before, card="none"
            ),
        }

    def alerts(self) -> dict[str, Selection]:
        """Rules 4–5: the items that call for an alert (提醒) today, by reason."""
        sections = self.daily()
        return {
            "report_missed": sections["awaiting_feedback"],
            "due_soon": sections["due_soon"],
            "unacknowledged": sections["unacknowledged"],
            "late_assignment": self.late_assignment(),
        }


def due_on(day: dt.date, calendar: WorkCalendar, config: Config) -> dt.date:
    """A deadline as the office keeps it: with `due_on_day_off: next_working_day`, one
    that falls on a day off is the next working day (顺延: 期间最后一日是休息日的，以
    休息日结束的次日为最后一日); else as given."""
    if config.due_on_day_off == "next_working_day" and not calendar.is_workday(day):
        return calendar.add(day, 1)
    return day


def received(first: str, after: str) -> Selection:
    """Items registered from `first` to before `after` (the daily's 今日新收, the weekly's
    本周新收): a cancelled one (a duplicate, a mistake) was not really registered."""
    return Selection(
        statuses=(REGISTERED, ASSIGNED, "closed"), received_from=first, received_before=after
    )


def card_actions(found: dict[str, dict[int, str | None]]) -> dict[int, tuple[str, str]]:
    """Rules 1–3 in their order, from the items each rule's selection found
    ({rule: {id: current card}}): {id: (card, rule)}; rule 1 wins over 2 and 3."""
    actions: dict[int, tuple[str, str]] = {}
    red = found.get("overdue_red", {})
    for item_id in red:
        actions[item_id] = ("red", "overdue_red")
    for rule in ("overdue_yellow", "report_yellow"):
        for item_id in found.get(rule, {}):
            actions.setdefault(item_id, ("yellow", rule))
    return actions


def narrowed(
    sel: Selection,
    calendar: WorkCalendar,
    today: dt.date,
    overdue: bool = False,
    due_within: int | None = None,
) -> Selection:
    """`list --overdue` (open, due before today) and `--due-within N` (due by the N-th
    working day from today, overdue ones included) on top of a selection."""
    if overdue:
        statuses = tuple(s for s in sel.statuses if s in OPEN) or OPEN
        sel = sel.but(statuses=statuses, due_before=today.isoformat())
    if due_within is not None:
        sel = sel.but(due_until=calendar.add(today, due_within).isoformat())
    return sel
