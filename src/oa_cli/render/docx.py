"""Word documents (python-docx): the urging notice (A4 portrait, one page per unit,
Chinese fonts, a bordered table whose header row repeats, space for the stamp) and the
reports (A4 landscape)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

from oa_cli.i18n import t
from oa_cli.render.notice import COLOUR_HEX, NoticeText, notice_columns, notice_rows, notice_text
from oa_cli.render.report import (
    CENTRED,
    Cell,
    Column,
    Document,
    Meta,
    clean,
    footer_text,
    page_of,
)

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
PORTRAIT_WIDTH_CM = 17.0  # 21 cm less two 2 cm margins
NOTICE_CELL_PT = 10.5  # 五号, as official tables are set
REPORT_CELL_PT = 9  # landscape tables carry many columns: 小五
CELL_FILL = {"card-yellow": "FFD54F", "card-red": "D32F2F"}


def _east_asian(element: Any, font: str) -> None:
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), font)
    for key in ("w:ascii", "w:hAnsi"):  # digits and Latin: narrow, so dates fit their column
        rfonts.set(qn(key), LATIN_FONT)


def _run(
    paragraph: Any,
    text: str,
    size: float,
    *,
    bold: bool = False,
    colour: str = "",
    font: str = BODY_FONT,
) -> Any:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(clean(text))
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
    _east_asian(run._r, font)
    return run


def _paragraph(doc: Any, align: str = "left", before: float = 0, after: float = 0) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.alignment = getattr(WD_ALIGN_PARAGRAPH, align.upper())
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.space_after = Pt(after)
    return p


def _setup(doc: Any) -> None:
    from docx.shared import Cm, Pt

    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.5)
        section.left_margin, section.right_margin = Cm(2.0), Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    _east_asian(normal.element, BODY_FONT)


def _flag(row: Any, tag: str) -> None:
    """A row property: w:tblHeader (repeat on each page) or w:cantSplit."""
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn(tag), {qn("w:val"): "true"}))


def _fill(cell: Any, colour: str) -> None:
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    tcpr.append(tcpr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:fill"): colour}))


def _cell(cell: Any, value: Cell, width: Any, size: float, column: Column | None = None) -> None:
    """One cell: a header cell (no `column`) centred and shaded; a body cell centred as its
    column's kind is (`CENTRED`) or when it holds a card."""
    cell.width = width
    p = cell.paragraphs[0]
    header = column is None
    centre = column is None or value.style.startswith("card") or column.kind in CENTRED
    p.alignment = 1 if centre else 0
    colour = "#FFFFFF" if value.style == "card-red" else "#C00000" if value.style == "red" else ""
    _run(p, value.text, size, bold=header or bool(colour), colour=colour)
    if value.style in CELL_FILL:
        _fill(cell, CELL_FILL[value.style])
    if header:
        _fill(cell, "E6E6E6")


def _grid(
    word: Any, columns: list[Column], rows: Iterable[list[Cell]], width_cm: float, size: float
) -> Any:
    """A bordered table across `width_cm`, each column its share of it (`Column.width`,
    as html has it), centred between the margins, its header row repeated on each page."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm

    share = sum(c.width for c in columns) or 1
    widths = [Cm(width_cm * c.width / share) for c in columns]
    table = word.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"  # single borders on every cell
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER  # borders on the margins, not past them
    _margins(table)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # w:gridCol, which LibreOffice and WPS go by
    for cell, column, width in zip(table.rows[0].cells, columns, widths, strict=True):
        _cell(cell, Cell(column.header), width, size)
    _flag(table.rows[0], "w:tblHeader")
    for values in rows:
        row = table.add_row()
        _flag(row, "w:cantSplit")
        for cell, value, width, column in zip(row.cells, values, widths, columns, strict=True):
            _cell(cell, Cell(clean(value.text), value.style), width, size, column)
    return table


def _margins(table: Any) -> None:
    """Cell margins of 1 mm left and right and ½ mm above and below (narrow columns keep
    their room for text; the text never touches a border)."""
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr
    margins = tblpr.makeelement(qn("w:tblCellMar"), {})
    for side, twips in (("top", 28), ("left", 57), ("bottom", 28), ("right", 57)):
        margins.append(
            margins.makeelement(qn(f"w:{side}"), {qn("w:w"): str(twips), qn("w:type"): "dxa"})
        )
    look = tblpr.find(qn("w:tblLook"))  # the schema's order: tblCellMar before tblLook
    if look is None:
        tblpr.append(margins)
    else:
        look.addprevious(margins)


def _page_numbers(section: Any) -> None:
    """Page N of M at the foot of every page of `section` (Word fields)."""
    from docx.oxml.ns import qn

    p = section.footer.paragraphs[0]
    p.alignment = 1
    before, middle, after = page_of()
    for text, field in ((before, "PAGE"), (middle, "NUMPAGES"), (after, None)):
        if text:
            _run(p, text, 9, colour="#666666")
        if field is not None:
            simple = p._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): field})
            run = _run(p, "1", 9, colour="#666666")
            p._p.remove(run._r)
            simple.append(run._r)
            p._p.append(simple)


def _notice(doc: Any, text: NoticeText, rows: list[list[Cell]]) -> None:
    _run(_paragraph(doc, "center"), text.office, 20, bold=True, colour="#C00000", font=TITLE_FONT)
    _run(_paragraph(doc, "center", before=6), text.title, 26, bold=True, font=TITLE_FONT)
    label = _paragraph(doc, "center", before=4)
    _run(label, t("[{label}]", label=text.label), 15, bold=True, colour=COLOUR_HEX[text.colour])
    _run(_paragraph(doc, "center", before=4, after=12), text.number, 14)
    _run(_paragraph(doc, after=4), text.addressee, 15, bold=True)
    request = _paragraph(doc, after=10)
    _run(request, "\u3000\u3000" + text.request, 14)
    table = _grid(doc, notice_columns(), rows, PORTRAIT_WIDTH_CM, NOTICE_CELL_PT)
    last = [p for cell in table.rows[-1].cells for p in cell.paragraphs]
    sign = _paragraph(doc, "right", before=48)
    _run(sign, text.signature + "\u3000\u3000", 14)
    date = _paragraph(doc, "right", before=4)
    _run(date, text.date + "\u3000\u3000", 14)
    for p in (*last, sign, date):  # the signature never on a page of its own
        p.paragraph_format.keep_with_next = True
    _run(_paragraph(doc, before=24), text.footer, 9, colour="#666666")


def write_notice_docx(out: BinaryIO, notices: list[dict[str, Any]], meta: Meta) -> None:
    """Write the notices as one .docx to `out` (a binary file), one A4 page per unit."""
    from docx import Document

    doc = Document()
    _setup(doc)
    for i, notice in enumerate(notices):
        if i:
            doc.add_page_break()
        _notice(doc, notice_text(notice, meta), notice_rows(notice, meta))
    if not notices:
        _run(_paragraph(doc), t("No unit needs urging."), 14)
    doc.save(out)


# -- reports (daily, weekly, stats) -------------------------------------------
LANDSCAPE_WIDTH_CM = 26.7  # 29.7 cm less two 1.5 cm margins


def write_report_docx(out: BinaryIO, doc: Document) -> None:
    """A report as a Word document: A4 landscape, the office heading, every section's
    table at the full width with its header row repeated, and the footer."""
    from docx import Document as Word
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    word = Word()
    _setup(word)
    for section in word.sections:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
        section.left_margin = section.right_margin = Cm(1.5)
        section.top_margin = section.bottom_margin = Cm(1.5)
        _page_numbers(section)
    if doc.meta.office:
        _run(_paragraph(word, "center"), clean(doc.meta.office), 14, font=TITLE_FONT)
    _run(_paragraph(word, "center", before=4), clean(doc.title), 20, bold=True, font=TITLE_FONT)
    _run(_paragraph(word, "center", after=6), clean(doc.date_line), 11)
    _run(_paragraph(word, after=6), clean(" · ".join(doc.summary)), 10.5)
    for block in doc.blocks:
        heading = _paragraph(word, before=8, after=2)
        heading.paragraph_format.keep_with_next = True  # never alone at a page's foot
        _run(heading, clean(block.title), 12, bold=True)
        _grid(word, block.columns, block.rows, LANDSCAPE_WIDTH_CM, REPORT_CELL_PT)
    for note in doc.notes:
        _run(_paragraph(word, before=4), clean(note), 10)
    _run(_paragraph(word, before=12), clean(footer_text(doc.meta)), 9, colour="#666666")
    word.save(out)
