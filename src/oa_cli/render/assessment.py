"""The assessment (`oa stats`) as a `Document`: units, leaders or sources ranked by
score, each rate coloured by how good it is."""

from __future__ import annotations

from typing import Any

from oa_cli.i18n import N_, t
from oa_cli.render.report import Block, Cell, Column, Document, Meta, long_date

GROUP_HEADERS = {"unit": N_("Unit"), "leader": N_("Leader"), "source": N_("Source")}


def rate_cell(rate: float | None) -> Cell:
    """A rate as a percentage, coloured by how good it is: green only from 90%."""
    if rate is None:
        return Cell("—")
    grade = "good" if rate >= 0.9 else "fair" if rate >= 0.6 else "poor"
    return Cell(f"{rate:.0%}", grade, rate)


def _stats_row(n: int, r: dict[str, Any], by: str) -> list[Cell]:
    labelled = by in ("source", "priority") and r["group"]
    group = t(r["group"]) if labelled else (r["group"] or t("(none)"))

    def num(key: str, style: str = "") -> Cell:
        return Cell(str(r[key]), style if r[key] else "")

    return [
        Cell(str(n)),
        Cell("—" if r["rank"] is None else str(r["rank"])),
        Cell(group),
        num("total"),
        num("closed"),
        rate_cell(r["closed_rate"]),
        num("on_time"),
        rate_cell(r["on_time_rate"]),
        Cell(f"{r['first_reports_on_time']}/{r['first_reports']}"),
        num("overdue", "red"),
        num("yellow", "card-yellow"),
        num("red", "card-red"),
        num("reminders"),
        num("returned"),
        Cell(f"{r['score']:g}"),
    ]


def stats_columns(by: str) -> list[Column]:
    return [
        Column(t("No."), "seq", 4, terminal=False),
        Column(t("Rank"), "num", 4.5),
        Column(t(GROUP_HEADERS.get(by, N_("Priority"))), "name", 13),
        Column(t("Total"), "num", 5),
        Column(t("Done"), "num", 5, terminal=False),
        Column(t("Done %"), "rate", 7),
        Column(t("On time"), "num", 6.5, terminal=False),
        Column(t("On time %"), "rate", 12),
        Column(t("First on time"), "num", 7.5),
        Column(t("Overdue"), "num", 6.5),
        Column(t("Yellow"), "num", 5),
        Column(t("Red"), "num", 5),
        Column(t("Urged"), "num", 6),
        Column(t("Returned"), "num", 7),
        Column(t("Score"), "num", 6),
    ]


def stats_document(
    report: dict[str, Any],
    meta: Meta,
    by: str = "unit",
    start: str | None = None,
    end: str | None = None,
) -> Document:
    rows = sorted(report["rows"], key=lambda r: (r["rank"] is None, r["rank"] or 0))
    span = f"{long_date(start) if start else '…'} – {long_date(end) if end else '…'}"
    line = t("received {span}", span=span) if start or end else t("all items")
    if meta.made_at:  # what they had become by then, not at the end of the span
        line += " · " + t("as of {day}", day=long_date(meta.made_at[:10]))
    total = sum(r["total"] for r in rows)
    closed = sum(r["closed"] for r in rows)
    notes = [
        t("{total} items, {closed} closed", total=total, closed=closed),
        t("cancelled {n} (not counted)", n=report.get("cancelled", 0)),
        t("assigned late by the office {n}", n=report.get("late_assignments", 0)),
        t("ranked by score, then by on-time rate; equal figures share a rank"),
    ]
    block = Block(
        t("Ranking by score"),
        stats_columns(by),
        [_stats_row(n, r, by) for n, r in enumerate(rows, 1)],
        len(rows),
    )
    block.more = f"oa stats --by {by} --format tsv"
    return Document(t("Assessment figures"), line, notes, [block], meta)
