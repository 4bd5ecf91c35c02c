"""`oa notice`: the urging notice (催办通知单) to each unit whose items need urging;
with `--issue`, numbered per year and recorded as one 催办 per listed item."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from oa_cli.actions import Context, units
from oa_cli.actions.items import urge
from oa_cli.actions.reports import as_of
from oa_cli.domain.dates import office_day
from oa_cli.domain.item import Item, to_json
from oa_cli.domain.rules import Bounds
from oa_cli.domain.selection import Selection
from oa_cli.errors import InvalidInput, OaError, UsageError
from oa_cli.i18n import t

COLOURS = ("blue", "yellow", "red")


def number_text(year: int, number: int) -> str:
    return f"〔{year}〕{number}号"


_NUMBER = re.compile(
    r"(?:[^\d〔【\[(]*[〔【\[(]?\s*(?P<a>\d{4})\s*[〕】\])]|(?P<b>\d{4})\s*[/-]|(?P<c>\d{4})\s*年)?"
    r"\s*第?\s*(?P<n>\d{1,9})\s*号?\s*[。.，,]?"
)


def parse_number(text: str, year: int) -> tuple[int, int]:
    """A notice number as a clerk writes it: 〔2026〕7号 (after the office's word for
    its notices too: 市委督办〔2026〕7号), 【2026】7号, [2026]7, 2026-7, 2026/7,
    2026年第7号, or 7 (of `year`); full-width digits, an opening bracket left out and a
    closing 。 too."""
    found = _NUMBER.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if found is None or int(found["n"]) == 0:
        raise UsageError(
            t("'{value}' is not a notice number: write it as 〔{year}〕7号", value=text, year=year)
        )
    given = found["a"] or found["b"] or found["c"]
    return (int(given) if given else year), int(found["n"])


def needing_urging(ctx: Context, day: dt.date) -> list[Item]:
    """Open items that are overdue, owe a late report, or carded, in due order."""
    source = as_of(ctx, day)
    sections = Bounds.of(ctx.config, ctx.calendar, day).daily()
    found: dict[int, Item] = {}
    for sel in (sections["overdue"], sections["awaiting_feedback"], Selection(carded=True)):
        for item in source.select(sel):
            found.setdefault(item["id"], to_json(item, day, ctx.calendar))
    return sorted(found.values(), key=lambda i: (i["due"], i["id"]))


def _colour(items: list[Item]) -> str:
    cards = {i["card"] for i in items}
    return "red" if "red" in cards else "yellow" if "yellow" in cards else "blue"


def reply_by(ctx: Context, day: dt.date) -> dt.date:
    """A unit answers a notice as it would re-file a returned report: within
    `feedback.resubmit_within` working days."""
    return ctx.calendar.add(day, ctx.config.feedback["resubmit_within"])


def notices(
    ctx: Context,
    day: dt.date,
    only: Sequence[str] = (),
    issue: bool = False,
    deliver: Callable[[list[dict[str, Any]]], None] | None = None,
    held: list[str] | None = None,
) -> list[dict[str, Any]]:
    """The notices of `day`, handed to `deliver`. With `issue`, each is numbered and its
    items urged (催办) in the same transaction as the delivery: a notice that cannot
    be written is not recorded either. `held` gets the units issued theirs already."""
    if issue and day != ctx.today:
        raise InvalidInput(t("--issue is for today's notices; without it, --date previews"))
    wanted, order = {units.resolve(ctx, u) for u in only}, units.order(ctx)
    by_unit: dict[str, list[Item]] = {}
    for item in needing_urging(ctx, day):
        if item["unit"] is not None and (not wanted or item["unit"] in wanted):
            by_unit.setdefault(item["unit"], []).append(item)
    out = [
        {"unit": unit, "colour": _colour(items), "number": None, "items": items}
        for unit, items in sorted(by_unit.items(), key=lambda found: order(found[0]))
    ]
    if not (issue and out):
        if deliver is not None:
            deliver(out)
        return out
    with ctx.ledger.transaction():
        out = _not_urged_today(ctx, day, out, held if held is not None else [])
        _issue(ctx, day, out)
        if deliver is not None:
            deliver(out)
    return out


def _not_urged_today(
    ctx: Context, day: dt.date, out: list[dict[str, Any]], held: list[str]
) -> list[dict[str, Any]]:
    """The notices without the items a notice issued today urged already (a second run,
    a double key press): a unit left with none is said, with the notice it had."""
    urged: dict[tuple[str, int], str] = {}  # (unit, item) → the notice that urged it
    for year, number, unit, at, ids in ctx.ledger.issued_notices():
        if office_day(at) == day:
            urged.update({(unit, i): number_text(year, number) for i in ids})
    kept = []
    for notice in out:
        unit = notice["unit"]
        items = [i for i in notice["items"] if (unit, i["id"]) not in urged]
        if items:
            kept.append({**notice, "colour": _colour(items), "items": items})
            continue
        held.append(unit)
        ctx.warn(
            t(
                "{unit} was issued {number} today already: nothing issued again; to print"
                " it again: oa notice --reprint {number}",
                unit=unit,
                number=urged[(unit, notice["items"][0]["id"])],
            )
        )
    return kept


def _issue(ctx: Context, day: dt.date, out: list[dict[str, Any]]) -> None:
    """Number each notice and record one 催办 per listed item."""
    number = ctx.ledger.last_notice_number(day.year)
    journal = ctx.journal()
    for notice in out:
        number += 1
        notice["number"] = number_text(day.year, number)
        by = reply_by(ctx, day).isoformat()
        for item in notice["items"]:
            data = {
                "notice": {
                    "year": day.year,
                    "number": number,
                    "unit": notice["unit"],
                    "reply_by": by,
                }
            }
            urged = urge(ctx, ctx.ledger.get(item["id"]), data, journal)
            item["remind_count"] = urged["remind_count"]


@dataclass(frozen=True)
class Reprint:
    """An issued notice as it was issued: the notice, its day and reply date, the
    journal's head just after it (its anchor) and the latest report of each of its
    items then."""

    notice: dict[str, Any]
    day: dt.date
    reply_by: dt.date
    anchor: dict[str, Any]
    progress: dict[int, str]


def reprint(ctx: Context, text: str) -> Reprint:
    """The issued notice `text` (a number, `parse_number`) rebuilt from the journal as it
    stood just after it was issued; records nothing."""
    year, number = parse_number(text, ctx.today.year)
    reminds = ctx.ledger.notice_reminds(year, number)
    if not reminds:
        raise OaError(t("no notice {number} was issued", number=number_text(year, number)))
    last, unit, by = reminds[-1][0], reminds[0][3], reminds[0][4]
    ids = [item_id for _, item_id, *_ in reminds]
    day = office_day(reminds[0][2])
    found = ctx.ledger.items_through(ids, last)
    items = sorted(
        (to_json(found[i], day, ctx.calendar) for i in dict.fromkeys(ids) if i in found),
        key=lambda i: (i["due"], i["id"]),
    )
    notice = {
        "unit": unit,
        "colour": _colour(items),
        "number": number_text(year, number),
        "items": items,
    }
    anchor = {"seq": last, "hash": ctx.ledger.event_hash(last)}
    replies = dt.date.fromisoformat(by) if by else reply_by(ctx, day)  # older: as now reckoned
    return Reprint(notice, day, replies, anchor, ctx.ledger.latest_reports(ids, through=last))


def register(ctx: Context) -> list[dict[str, Any]]:
    """Every issued notice, in year and number order: its number, the day it was issued,
    the unit and the items it urged (the office's register of notices, 督办单登记)."""
    return [
        {
            "number": number_text(year, number),
            "date": office_day(at).isoformat(),
            "unit": unit,
            "items": ids,
        }
        for year, number, unit, at, ids in ctx.ledger.issued_notices()
    ]
