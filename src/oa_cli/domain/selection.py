"""Which items a listing, a report section or a rule reads: a plain value that
`ledger/` turns into one query. Every bound is an ISO date or time string; a
timestamp compares with a date by its own date (`2026-11-20T09:00` < `2026-11-21`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from oa_cli.domain.item import OPEN

SORTS = ("due", "id", "received")


@dataclass(frozen=True)
class Selection:
    statuses: tuple[str, ...] = OPEN  # () means every status
    unit: str | None = None  # lead unit
    unit_or_co: str | None = None  # lead unit or one of the co-units
    leader: str | None = None
    priority: str | None = None
    tag: str | None = None
    search: str | None = None
    card: str | None = None  # "none": no card
    card_not: str | None = None
    due_before: str | None = None  # due < x
    due_from: str | None = None  # due >= x
    due_until: str | None = None  # due <= x
    report_due_before: str | None = None  # report_due < x
    unacked_assigned_before: str | None = None  # not acknowledged, assigned before x
    assigned_before: str | None = None  # assigned_at < x
    no_report_since: str | None = None  # no counted report on or after x
    carded: bool = False  # has a card
    received_before: str | None = None  # received_at < x
    received_from: str | None = None  # received_at >= x
    closed_from: str | None = None  # closed_at >= x
    closed_before: str | None = None  # closed_at < x
    ids: tuple[int, ...] | None = None  # only these items
    sort: str = "due"
    limit: int | None = None

    def but(self, **changes: object) -> Selection:
        return replace(self, **changes)  # type: ignore[arg-type]


EVERY = Selection(statuses=(), sort="id")
