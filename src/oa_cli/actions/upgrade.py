"""What an upgrade of the ledger needs besides its schema: the office's rules applied to
what older versions did not keep (run once, by the command that upgraded it)."""

from __future__ import annotations

from oa_cli.actions import Context
from oa_cli.domain.workflow import report_due_from_now_on
from oa_cli.i18n import t

REPORT_DEADLINES_SINCE = 4  # the schema that began keeping report deadlines (report_due)


def after_upgrade(ctx: Context, old: int) -> None:
    """Run once after the ledger was upgraded from schema `old`."""
    if old < REPORT_DEADLINES_SINCE and (n := schedule_reports(ctx)):
        ctx.warn(
            t(
                "report deadlines set on {n} assigned items the older ledger kept none for;"
                " none before today",
                n=n,
            )
        )


def schedule_reports(ctx: Context) -> int:
    """Give every assigned item that owes no report by any date its next one
    (`report_due_from_now_on`), each a journal event of its own (`schedule`), so the
    daily chases it and a replay of the journal gives it. Returns how many."""
    with ctx.ledger.transaction():
        items = ctx.ledger.unscheduled()
        journal = ctx.journal()
        for item in items:
            due = report_due_from_now_on(ctx.config, ctx.calendar, item, ctx.today)
            journal.append(item["id"], "schedule", {"report_due": due, "rule": "upgrade"})
            ctx.ledger.update(item["id"], {"report_due": due})
    return len(items)
