"""The urging notice (催办通知单, 督办单): one A4 page per unit, as html and markdown, and
the JSON of SPEC. `render.docx` draws the same `NoticeText` as a Word document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from oa_cli.i18n import N_, get_lang, t
from oa_cli.render.markdown import md_cell, md_table
from oa_cli.render.pages import CSS, ON_ONE_LINE, SERIF, esc, html_head, html_table
from oa_cli.render.report import (
    Cell,
    Column,
    Meta,
    card_cell,
    footer_text,
    long_date,
    progress_of,
    standing,
)

COLOUR_LABELS = {
    "blue": N_("Blue supervision notice"),
    "yellow": N_("Yellow supervision notice"),
    "red": N_("Red supervision notice"),
}
COLOUR_HEX = {"blue": "#1565c0", "yellow": "#b28704", "red": "#c62828"}
JSON_KEYS = ("unit", "colour", "number", "items")


@dataclass(frozen=True)
class NoticeText:
    """The words of one notice, in the order they are printed."""

    office: str
    title: str
    label: str  # 蓝色/黄色/红色督办单
    colour: str
    number: str  # 〔2026〕7号, or 预览
    addressee: str  # 市住建局：
    request: str
    signature: str
    date: str
    footer: str  # made when, by whom, and the ledger's check code


def notice_text(notice: dict[str, Any], meta: Meta) -> NoticeText:
    reply_by = long_date(meta.reply_by) if meta.reply_by else "—"
    return NoticeText(
        office=meta.office,
        title=t("Urging notice"),
        label=t(COLOUR_LABELS[notice["colour"]]),
        colour=notice["colour"],
        number=notice["number"] or t("Preview"),
        addressee=t("{unit}:", unit=notice["unit"]),
        request=t(
            "The items below, assigned to your unit, are overdue or their reports are "
            "missing. Please deal with them and report on them in writing to {office} "
            "by {date}.",
            office=meta.office_short or meta.office,
            date=reply_by,
        ),
        signature=meta.office,
        date=long_date(meta.date) if meta.date else "",
        footer=footer_text(meta),
    )


def notice_columns() -> list[Column]:
    return [
        # percent of A4 portrait's 17 cm, at 五号 in Word: a leader's four characters and
        # a date on one line, the title and the latest report the widest columns
        Column(t("No."), "seq", 5.6),
        Column(t("ID"), "id", 6),
        Column(t("Title"), "title", 21 if get_lang() == "zh" else 19),
        Column(t("Leader"), "name", 10),
        Column(t("Due"), "date", 12.8),
        Column(t("Progress"), "text", 18),
        Column(t("Owner"), "name", 8.2),
        Column(t("Overdue / owed"), "text", 12.4),
        Column(t("Card"), "short", 6 if get_lang() == "zh" else 8),  # 红牌, yellow
    ]


def notice_rows(notice: dict[str, Any], meta: Meta) -> list[list[Cell]]:
    date = meta.date or ""
    return [
        [
            Cell(str(n)),
            Cell(str(item["id"])),
            Cell(item["title"]),
            Cell(item["leader"] or ""),
            Cell(item["due"], "red" if item.get("overdue") else ""),
            Cell(progress_of(meta, item["id"])),
            Cell(item["owner"] or ""),
            standing(item, date),
            card_cell(item["card"]),
        ]
        for n, item in enumerate(notice["items"], 1)
    ]


def notice_rich(notices: list[dict[str, Any]], meta: Meta) -> list[Any]:
    """The notices on a terminal (a preview before --issue): each one's words, in its
    colour, and its table."""
    from rich.text import Text

    from oa_cli.render.pages import rich_table
    from oa_cli.render.report import Block, clean

    out: list[Any] = []
    for notice in notices:
        text, rows = notice_text(notice, meta), notice_rows(notice, meta)
        heading = f"{text.title}  {text.label}  {text.number}"
        out += [Text(clean(text.office)), Text(clean(heading), style=f"bold {text.colour}")]
        out += [Text(clean(text.addressee), style="bold"), Text(clean(text.request))]
        out.append(rich_table(Block("", _filled(notice_columns(), rows), rows), rows, False))
        out += [Text(clean(f"{text.signature}  {text.date}")), Text(clean(text.footer), "dim")]
        out.append(Text(""))
    if not notices:
        out.append(Text(t("No unit needs urging.")))
    return out


def _filled(columns: list[Column], rows: list[list[Cell]]) -> list[Column]:
    """The columns with something in them, on a terminal (no owner, no report yet:
    their room goes to the titles)."""
    import dataclasses

    return [
        col if any(row[i].text for row in rows) else dataclasses.replace(col, terminal=False)
        for i, col in enumerate(columns)
    ]


def notice_json(notices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The JSON of SPEC: [{"unit", "colour", "number", "items"}], one per unit."""
    return [{key: notice[key] for key in JSON_KEYS} for notice in notices]


# -- html --------------------------------------------------------------------

_N = {
    "page": "font-size:15px;line-height:1.7;",
    "office": f"text-align:center;font-family:{SERIF};font-size:22px;font-weight:bold;"
    "color:#c00;letter-spacing:3px;margin:0;",
    "title": f"text-align:center;font-family:{SERIF};font-size:30px;font-weight:bold;"
    "letter-spacing:6px;margin:10px 0 0 0;",
    "label": "display:inline-block;padding:1px 12px;border:2px solid {c};color:{c};"
    "font-size:16px;font-weight:bold;letter-spacing:2px;",
    "number": "text-align:center;font-size:15px;margin:6px 0 4px 0;",
    "rule": "border:0;border-top:2px solid #c00;margin:6px 0 18px 0;",
    "addressee": "font-size:17px;font-weight:bold;margin:0 0 4px 0;",
    "request": "font-size:16px;text-indent:2em;margin:0 0 12px 0;",
    # the signature and the footer never on a page of their own: a break before them
    # is taken between earlier rows of the table
    "sign": "text-align:right;font-size:16px;margin:48px 3em 0 0;line-height:2;"
    "page-break-before:avoid;break-before:avoid;",
    "footer": "font-size:11px;color:#666;margin:24px 0 0 0;border-top:1px solid #ccc;"
    "page-break-before:avoid;break-before:avoid;",
}


_LONG_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}")


def _whole_dates(html: str) -> str:
    """Running text whose dates never break across lines (2026年 / 12月1日)."""
    return _LONG_DATE.sub(ON_ONE_LINE, html)


def _notice_html(text: NoticeText, rows: list[list[Cell]], last: bool) -> str:
    brk = "" if last else "page-break-after:always;break-after:page;"
    colour = COLOUR_HEX[text.colour]
    label = _N["label"].format(c=colour)
    return "\n".join(
        [
            f'<section style="{_N["page"]}{brk}">',
            f'<p style="{_N["office"]}">{esc(text.office)}</p>',
            f'<h1 style="{_N["title"]}">{esc(text.title)}</h1>',
            f'<p style="text-align:center;margin:6px 0 0 0"><span style="{label}">'
            f"{esc(text.label)}</span></p>",
            f'<p style="{_N["number"]}">{esc(text.number)}</p>',
            f'<hr style="{_N["rule"]}">',
            f'<p style="{_N["addressee"]}">{esc(text.addressee)}</p>',
            f'<p style="{_N["request"]}">{_whole_dates(esc(text.request))}</p>',
            html_table(notice_columns(), rows, dates_whole=True),
            f'<p style="{_N["sign"]}">{esc(text.signature)}<br>{esc(text.date)}</p>',
            f'<p style="{_N["footer"]}">{esc(text.footer)}</p>',
            "</section>",
        ]
    )


def notice_html(notices: list[dict[str, Any]], meta: Meta) -> str:
    """One A4 portrait page per unit, ready to print, stamp and send."""
    parts = [html_head(t("Urging notice"), "A4 portrait", "25mm 22mm 22mm 22mm")]
    parts.append(f'<body style="{CSS["body"]}">')
    for i, notice in enumerate(notices):
        text = notice_text(notice, meta)
        parts.append(_notice_html(text, notice_rows(notice, meta), i == len(notices) - 1))
    if not notices:
        parts.append(f"<p>{esc(t('No unit needs urging.'))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def notice_markdown(notices: list[dict[str, Any]], meta: Meta) -> str:
    lines: list[str] = []
    for notice in notices:
        text = notice_text(notice, meta)
        lines += [f"**{md_cell(text.office)}**", "", f"# {md_cell(text.title)}", ""]
        lines += [f"{md_cell(text.label)} · {md_cell(text.number)}", ""]
        lines += [md_cell(text.addressee), "", md_cell(text.request), ""]
        lines += md_table(notice_columns(), notice_rows(notice, meta))
        lines += ["", md_cell(text.signature) + "  ", md_cell(text.date), ""]
        lines += [f"<sub>{md_cell(text.footer)}</sub>", "", "---", ""]
    if not notices:
        lines.append(md_cell(t("No unit needs urging.")))
    return "\n".join(lines) + "\n"
