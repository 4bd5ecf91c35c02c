"""What a printed document says about itself (office, time made, actor, anchor): one
place for the reports, the urging notices and the ledger workbook."""

from typing import Any


def meta(
    ctx: Any, report: dict[str, Any] | None = None, until: str | None = None, **extra: Any
) -> Any:
    """What a printed document says about itself: office, time, actor, anchor; and the
    latest report of each item the report lists (as it stood `until`, for a past day)."""
    from oa_cli.actions.reports import anchor, progress
    from oa_cli.domain.dates import iso
    from oa_cli.render.report import Meta

    return Meta(
        office=ctx.config.office["name"],
        office_short=ctx.config.office["short"],
        # the clock the command runs on (--now): a page made again is the same
        made_at=iso(ctx.now),
        actor=ctx.actor,
        anchor=anchor(ctx),
        progress=progress(ctx, report, until) if report is not None else {},
        max_rows=ctx.config.display["max_rows"],
        **extra,
    )
