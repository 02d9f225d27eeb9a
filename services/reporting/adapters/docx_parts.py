"""The parts of a Word file beyond sections: the cover, the contents, charts as images and
the signature block.

Decisions:
- The contents are Word's own TOC field (headings 1–2, page numbers, links), written with
  the headings as its current result so it reads right before Word updates it, and the
  file asks Word to update fields on opening (w:updateFields), which fills in the pages.
- A chart is a PNG drawn by `chart_image` (Thai shaped by HarfBuzz), 16 cm wide, under
  its title; its values are in the PDF's and the XLSX's tables.
"""

import io
from typing import Protocol

from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as WordParagraph
from PIL import Image

from services.reporting.adapters.chart_image import WIDTH_CM, chart_png
from services.reporting.domain.document import BarChart, Document
from shared.thai.calendar import format_long

DOTS = "........................................"
MAX_HEIGHT_CM = 22.0  # of A4 portrait's 25.7 cm between the margins, with the title


class Run(Protocol):
    """docx's `_run`: text in a paragraph, bold and sized for Thai (w:bCs, w:szCs) too."""

    def __call__(
        self, paragraph: WordParagraph, text: str, *, bold: bool = ..., size: float | None = ...
    ) -> None: ...


def _line(
    word: WordDocument, run: Run, text: str, *, size: float, bold: bool = False
) -> WordParagraph:
    paragraph = word.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(paragraph, text, bold=bold, size=size)
    return paragraph


def cover(word: WordDocument, document: Document, run: Run) -> None:
    """The cover page, then a page break."""
    if document.cover is None:
        return
    word.sections[0].different_first_page_header_footer = True  # a cover has no page number
    made_on = format_long(document.made_on, digits="thai" if document.thai_digits else "arabic")
    first = _line(word, run, document.cover.title_th, size=26, bold=True)
    first.paragraph_format.space_before = Pt(200)
    _line(word, run, document.cover.office_th, size=20, bold=True)
    _line(word, run, document.cover.year_th, size=20, bold=True)
    if document.cover.note_th:
        note = _line(word, run, document.cover.note_th, size=18)
        note.paragraph_format.space_before = Pt(120)
    last = _line(word, run, f"ข้อมูล ณ วันที่ {made_on}", size=16)
    last.add_run().add_break(WD_BREAK.PAGE)


def _field_char(paragraph: WordParagraph, kind: str) -> None:
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
    paragraph._p.append(run)


def contents(word: WordDocument, document: Document, run: Run) -> None:
    """สารบัญ: a TOC field whose current result lists the headings; then a page break."""
    if not document.contents:
        return
    _line(word, run, "สารบัญ", size=20, bold=True)
    headings = [s.heading_th for s in document.sections]
    if document.signatures:
        headings.append("การรับรองรายงาน")
    first = word.add_paragraph()
    _field_char(first, "begin")
    instruction = OxmlElement("w:r")
    text = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    text.text = ' TOC \\o "1-2" \\h \\z \\u '
    instruction.append(text)
    first._p.append(instruction)
    _field_char(first, "separate")
    paragraphs = [first, *(word.add_paragraph() for _ in headings[1:])]
    for paragraph, heading in zip(paragraphs, headings, strict=True):
        paragraph.add_run(heading)
    _field_char(paragraphs[-1], "end")
    paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    settings = word.settings.element
    settings.append(OxmlElement("w:updateFields", {qn("w:val"): "true"}))


def chart(word: WordDocument, block: BarChart, *, digits_th: bool) -> None:
    """The chart as an image, kept on one page."""
    picture = word.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_together = True
    png = chart_png(block, digits_th=digits_th)
    with Image.open(io.BytesIO(png)) as image:
        tall = image.height / image.width * WIDTH_CM
    # a chart of many projects is taller than a page: shrunk to fit one
    width = WIDTH_CM if tall <= MAX_HEIGHT_CM else WIDTH_CM * MAX_HEIGHT_CM / tall
    picture.add_run().add_picture(io.BytesIO(png), width=Cm(width))


def signatures(word: WordDocument, document: Document) -> None:
    """ลงชื่อ … with each signer's name and position (dotted lines where unknown)."""
    for signature in document.signatures:
        lines = (
            f"ลงชื่อ {DOTS} {signature.role_th}",
            f"({signature.name_th or DOTS})",
            signature.position_th or f"ตำแหน่ง {DOTS}",
        )
        for number, text in enumerate(lines):
            paragraph = word.add_paragraph(text)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.left_indent = Cm(7)
            paragraph.paragraph_format.keep_with_next = number < len(lines) - 1
            paragraph.paragraph_format.space_before = Pt(24 if number == 0 else 0)
