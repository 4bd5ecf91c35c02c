"""`oa verify`: database integrity, the journal's hash chain, the replay of items and
units against their rows, the alerts `escalate --auto` noted, every evidence file,
and the anchors a report printed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from oa_cli.actions import Context, evidence
from oa_cli.domain.fields import value
from oa_cli.domain.item import COLUMNS
from oa_cli.errors import UsageError
from oa_cli.i18n import t
from oa_cli.ledger.items import stored_doc
from oa_cli.ledger.journal import replay


@dataclass
class Report:
    ok: bool
    items: int
    events: int
    head: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "items": self.items,
            "events": self.events,
            "head": self.head,
            "problems": self.problems,
        }


# SEQ:HASH, as typed or as copied from a printed footer or `oa verify`: a label before it
# ends in a colon or a space (台账校验码：, head:, "ledger check code "), and a closing
# full stop or semicolon after it is left out. Read after NFKC, so full-width digits and
# colons are their ASCII selves.
_ANCHOR = re.compile(r"(?:.*[:\s])?([0-9]+)\s*:\s*([0-9a-fA-F]{12,64})[\s。.;；,，]*")


def parse_anchor(text: str) -> tuple[int, str]:
    """`SEQ:HASH` with a hash prefix of 12+ hex digits (a usage error otherwise)."""
    import unicodedata

    found = _ANCHOR.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if found is None:
        raise UsageError(
            t("invalid anchor '{anchor}': use SEQ:HASH (12 or more hex digits)", anchor=text)
        )
    return int(found[1]), found[2].lower()


def verify(ctx: Context, anchors: Sequence[tuple[int, str]] = ()) -> Report:
    ledger = ctx.ledger
    problems = ledger.integrity_problems()
    problems += ledger.chain_problems()
    problems += _replay_problems(ctx)
    problems += _alert_problems(ctx)
    problems += evidence.problems(ctx)
    for seq, digest in anchors:
        found = ledger.event_hash(seq)
        if found is None or not found.startswith(digest):
            problems.append(
                t(
                    "anchor {seq}:{hash} does not match: the history before it was rewritten"
                    " or cut",
                    seq=seq,
                    hash=digest[:12],
                )
            )
    seq, digest = ledger.head()
    return Report(
        not problems,
        ledger.item_count(),
        ledger.event_count(),
        {"seq": seq, "hash": digest},
        problems,
    )


def _replay_problems(ctx: Context) -> list[str]:
    try:
        expected = replay(ctx.ledger.events())
    except ValueError:
        return [t("journal: an event's data cannot be read; replay impossible")]
    problems = []
    seen = set()
    for item, doc in ctx.ledger.stored_items():
        seen.add(item["id"])
        want = expected.get(item["id"])
        if want is None:
            problems.append(t("item {id}: not in the journal", id=item["id"]))
            continue
        diff = [k for k in COLUMNS if value(item, k) != want[k]]
        if not diff and doc != stored_doc(item):  # SQLite makes it from the columns;
            diff.append("JSON object")  # PostgreSQL stores it: said when it alone differs
        if diff:
            problems.append(
                t(
                    "item {id}: stored {fields}: not what the journal's replay gives",
                    id=item["id"],
                    fields=", ".join(diff),
                )
            )
    for item_id in sorted(set(expected) - seen):
        problems.append(t("item {id}: in the journal but missing from the ledger", id=item_id))
    return problems + _unit_problems(ctx)


def _unit_problems(ctx: Context) -> list[str]:
    """Units added with `oa unit add` are in the journal: the table must match it."""
    journaled = {}
    for event in ctx.ledger.events(actions=("unit", "unit_add")):
        data = event["data"]
        journaled[data.get("code")] = (data.get("code"), data.get("name"), data.get("contact"))
    stored = {code: (code, name, contact) for code, name, contact in ctx.ledger.units()}
    if stored == journaled:
        return []
    changed = sorted(
        set(stored) ^ set(journaled) | {c for c in stored if stored[c] != journaled.get(c)}
    )
    return [t("units: {codes} differ from the journal", codes=", ".join(map(str, changed)))]


def _alert_problems(ctx: Context) -> list[str]:
    """Each day's alert marks must be the journal's alerts (a forged mark would silence
    an alert)."""
    alerts = {e["seq"]: e for e in ctx.ledger.events(actions=("alert", "remind", "escalate"))}
    bad = 0
    for item_id, _rule, day, seq in ctx.ledger.auto_marks():
        event = alerts.get(seq)
        if event is None or event["item_id"] != item_id or event["at"][:10] != day:
            bad += 1
    if not bad:
        return []
    return [t("escalation marks: {n} do not match the journal", n=bad)]
