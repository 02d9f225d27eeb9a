"""Any `Document` as a Word file that officers can edit, laid out like the PDF.

Decisions:
- The font is `DOCX_FONT`, TH Sarabun New, which officers' Word has (LibreOffice falls
  back to Laksaman). Word draws Thai with the complex-script font, size and bold
  (w:cs, w:szCs, w:bCs), so those are set next to the Latin ones on the document
  defaults, Normal, the headings and every bold run; theme fonts are removed because they
  win over named ones. Sizes are those of an official document: 16 pt body, 14 pt tables.
- A4 with margins 2.5 cm left and 2 cm elsewhere; the office in every page header and
  "หน้า x / y" from PAGE and NUMPAGES fields in the footer (`\\* ThaiArabic` gives Thai
  digits when the document asks for them).
- Tables use "Table Grid" with the first row repeated on every page (w:tblHeader). Charts
  are images (`docx_parts.chart`); their values are in the tables beside them.
- A cover, the contents and the signatures come from `docx_parts` when the document has them.
- Every cell goes through `format_cell`. Core properties and zip timestamps come from
  `made_on`, so the same document gives the same bytes.
"""

import io
import unicodedata
from datetime import datetime

from docx import Document as new_docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from services.reporting.adapters import docx_parts
from services.reporting.adapters.xlsx import stable_zip
from services.reporting.domain.document import (
    Cell,
    CellKind,
    Document,
    Figures,
    Paragraph,
    Table,
    format_cell,
)
from shared.thai.calendar import format_long

DOCX_FONT = "TH Sarabun New"
TABLE_STYLE = "Tidtam Table"  # a paragraph style: 14 pt, no spacing, for table cells
HEADER_FILL = "E7E6E6"
TEXT_WIDTH_CM = 21.0 - 2.5 - 2.0

# The order of w:rPr's children in the schema (ECMA-376 CT_RPr): Word may refuse a file
# whose run properties are out of order.
_RPR_ORDER = (
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
_THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_NAMED_FONTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")


def _child(rpr: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    """The `tag` child of a w:rPr, added in schema order when missing."""
    found = rpr.find(qn(tag))
    if found is not None:
        return found
    element: BaseOxmlElement = OxmlElement(tag)
    rpr.insert_element_before(element, *_RPR_ORDER[_RPR_ORDER.index(tag) + 1 :])
    return element


def _font(rpr: BaseOxmlElement, *, size: float | None = None, bold: bool = False) -> None:
    """Thai-aware run properties: the font for every script, size and bold for both."""
    fonts = _child(rpr, "w:rFonts")
    for name in _THEME_FONTS:
        fonts.attrib.pop(qn(name), None)
    for name in _NAMED_FONTS:
        fonts.set(qn(name), DOCX_FONT)
    if bold:
        _child(rpr, "w:b")
        _child(rpr, "w:bCs")
    if size is not None:
        half_points = str(round(size * 2))
        _child(rpr, "w:sz").set(qn("w:val"), half_points)
        _child(rpr, "w:szCs").set(qn("w:val"), half_points)


def _black(rpr: BaseOxmlElement) -> None:
    color = _child(rpr, "w:color")
    color.attrib.clear()
    color.set(qn("w:val"), "000000")


def _set_up_styles(word: WordDocument) -> None:
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for rpr in defaults.iter(qn("w:rPr")):
            _font(rpr, size=16)
            _child(rpr, "w:lang").set(qn("w:bidi"), "th-TH")
    normal = word.styles["Normal"]
    normal_rpr = normal.element.get_or_add_rPr()
    _font(normal_rpr, size=16)
    _child(normal_rpr, "w:lang").set(qn("w:bidi"), "th-TH")
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for name, size, before in (("Heading 1", 18, 12), ("Heading 2", 16, 6)):
        heading = word.styles[name]
        rpr = heading.element.get_or_add_rPr()
        _font(rpr, size=size, bold=True)
        _black(rpr)
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(3)
    for name in ("Header", "Footer"):
        _font(word.styles[name].element.get_or_add_rPr(), size=14)
    table_text = word.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    _font(table_text.element.get_or_add_rPr(), size=14)


def _run(
    paragraph: WordParagraph, text: str, *, bold: bool = False, size: float | None = None
) -> None:
    run = paragraph.add_run(text)
    if bold or size is not None:
        _font(run._r.get_or_add_rPr(), size=size, bold=bold)


def _field(paragraph: WordParagraph, instruction: str, placeholder: str) -> None:
    field = OxmlElement("w:fldSimple", {qn("w:instr"): instruction})
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _page_frame(word: WordDocument, document: Document) -> None:
    section = word.sections[0]
    short, long = Cm(21.0), Cm(29.7)  # A4
    if document.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = long, short
    else:
        section.page_width, section.page_height = short, long
    section.left_margin = Cm(2.5)
    section.right_margin = section.top_margin = section.bottom_margin = Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(header, document.office_th)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    digits = r" \* ThaiArabic" if document.thai_digits else ""
    one = format_cell(1, "integer", digits_th=document.thai_digits)
    _run(footer, "หน้า ")
    _field(footer, f" PAGE{digits} ", one)
    _run(footer, " / ")
    _field(footer, f" NUMPAGES{digits} ", one)


def _title_block(word: WordDocument, document: Document) -> None:
    made_on = format_long(document.made_on, digits="thai" if document.thai_digits else "arabic")
    lines = [(document.title_th, 20.0, True), (document.subtitle_th, 18.0, True)]
    lines.append((f"ข้อมูล ณ วันที่ {made_on}", 16.0, False))
    for text, size, bold in lines:
        if text:
            paragraph = word.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(paragraph, text, bold=bold, size=size)
    word.paragraphs[-1].paragraph_format.space_after = Pt(12)


_ALIGNMENT = {
    "integer": WD_ALIGN_PARAGRAPH.RIGHT,
    "decimal": WD_ALIGN_PARAGRAPH.RIGHT,
    "percent": WD_ALIGN_PARAGRAPH.RIGHT,
    "baht": WD_ALIGN_PARAGRAPH.RIGHT,
    "date": WD_ALIGN_PARAGRAPH.CENTER,
    "text": WD_ALIGN_PARAGRAPH.LEFT,
}


def _write(
    cell: _Cell, text: str, kind: CellKind, *, bold: bool = False, style_id: str | None = None
) -> None:
    paragraph = cell.paragraphs[0]
    if style_id:
        paragraph._p.style = style_id  # by id: looking a style up by name per cell is slow
    paragraph.alignment = _ALIGNMENT[kind]
    _run(paragraph, text, bold=bold)


def _figures(word: WordDocument, block: Figures, *, digits_th: bool) -> None:
    table = word.add_table(rows=len(block.items), cols=2)
    for row, item in zip(table.rows, block.items, strict=True):
        label, value = row.cells
        _write(label, item.label_th, "text")
        _write(value, format_cell(item.value, item.cell_kind, digits_th=digits_th), item.cell_kind)


def _measure(text: str) -> float:
    """A text's width in average Thai characters: marks above and below take none, digits
    and Latin letters a third more."""
    return sum(0 if unicodedata.category(c) == "Mn" else 1.3 if c.isascii() else 1 for c in text)


def _weight(table: Table, index: int) -> float:
    """A column's share of the width: codes, numbers and labels as wide as their longest
    value (their headers wrap), text columns as their longest text within 12 to 40."""
    column = table.columns[index]
    if column.width is not None:
        return column.width
    rows = (*table.rows, *([table.total_row] if table.total_row is not None else []))
    values = [format_cell(row[index], column.kind) for row in rows if index < len(row)]
    longest = max((_measure(value) for value in values), default=0)
    if column.kind == "text" and not column.nowrap:
        return min(max(longest, 12), 40)
    return max(longest + 2, 8)


def _table(word: WordDocument, block: Table, *, digits_th: bool) -> None:
    title = word.add_paragraph()
    title.paragraph_format.keep_with_next = True
    title.paragraph_format.space_before = Pt(6)
    _run(title, block.title_th, bold=True)
    lines: list[tuple[tuple[Cell, ...], bool]] = [(row, False) for row in block.rows]
    if block.total_row is not None and block.rows:
        lines.append((block.total_row, True))
    count = len(block.columns)
    weights = [_weight(block, index) for index in range(count)]
    widths = [Cm(TEXT_WIDTH_CM * weight / sum(weights)) for weight in weights]
    style_id = word.styles[TABLE_STYLE].style_id
    table = word.add_table(rows=1 + max(len(lines), 1), cols=count)
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # the grid's widths, not an equal share per column
    for grid_column, width in zip(table.columns, widths, strict=True):
        grid_column.width = width
    rows = table.rows
    header = rows[0].cells
    rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeats on each page
    for cell, column, width in zip(header, block.columns, widths, strict=True):
        cell.width = width
        _write(cell, column.title_th, "text", bold=True, style_id=style_id)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        fill = {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): HEADER_FILL}
        cell._tc.get_or_add_tcPr().append(OxmlElement("w:shd", fill))
    if not lines:
        merged = rows[1].cells[0].merge(rows[1].cells[count - 1])
        _write(merged, block.empty_th, "text", style_id=style_id)
        merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row, (values, bold) in zip(rows[1:], lines, strict=False):
        padded = (*values, *[None] * (count - len(values)))[:count]
        for index, (cell, value) in enumerate(zip(row.cells, padded, strict=True)):
            column = block.columns[index]
            cell.width = widths[index]
            text = format_cell(value, column.kind, digits_th=digits_th)
            _write(cell, text, column.kind, bold=bold, style_id=style_id)
            if column.nowrap or column.kind != "text":
                cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))


def render_docx(document: Document) -> bytes:
    """The document as a .docx file."""
    word = new_docx()
    _set_up_styles(word)
    _page_frame(word, document)
    docx_parts.cover(word, document, _run)
    docx_parts.contents(word, document, _run)
    _title_block(word, document)
    digits_th = document.thai_digits
    for section in document.sections:
        word.add_heading(section.heading_th, level=section.level)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                paragraph = word.add_paragraph(block.text_th)
                paragraph.paragraph_format.first_line_indent = Cm(2.5)
                paragraph.paragraph_format.space_after = Pt(6)
            elif isinstance(block, Figures):
                _figures(word, block, digits_th=digits_th)
            elif isinstance(block, Table):
                _table(word, block, digits_th=digits_th)
            else:
                docx_parts.chart(word, block, digits_th=digits_th)
    docx_parts.signatures(word, document)
    stamp = datetime(document.made_on.year, document.made_on.month, document.made_on.day)
    properties = word.core_properties
    properties.title = document.title_th
    properties.author = properties.last_modified_by = "Tidtam"
    properties.created = properties.modified = properties.last_printed = stamp
    properties.revision = 1
    out = io.BytesIO()
    word.save(out)
    return stable_zip(out.getvalue())
