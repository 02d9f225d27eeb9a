"""The sample office's annual report as printed: PDF pages read back with pdftotext, the
DOCX's cover, contents field and chart images, the XLSX's Buddhist Era date cells.

Rendered once for the module (a small office: every section, a few seconds). Text read
from the PDF is mostly compared after `plain` (pdftotext may drop or move a tone mark: the
PDF's ToUnicode maps one glyph to one text; see adapters/pdf.py and thai_font.py)."""

import io
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from itertools import pairwise
from pathlib import Path

import docx
import openpyxl
import pytest

from samples.office import generate_office
from samples.reports import report_data
from services.reporting.adapters.docx import render_docx
from services.reporting.adapters.pdf import render_pdf
from services.reporting.adapters.xlsx import DATE_FORMAT, render_xlsx
from services.reporting.domain.document import Document
from services.reporting.domain.reports import annual_report

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)"
)
FY = 2570


def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text).replace("\u0e33", "\u0e32")
    kept = (c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return re.sub(r"\s+", "", "".join(kept))


@pytest.fixture(scope="module")
def document() -> Document:
    return annual_report(report_data(generate_office(schools=12)), FY)


@pytest.fixture(scope="module")
def pages(document: Document, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Each page's text, as pdftotext lays it out (lines kept)."""
    path: Path = tmp_path_factory.mktemp("annual") / "annual.pdf"
    path.write_bytes(render_pdf(document))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def test_the_cover_then_the_contents_with_page_numbers(
    document: Document, pages: list[str]
) -> None:
    assert plain("รายงานผลการดำเนินงานประจำปี") in plain(pages[0])
    assert plain("ปีงบประมาณ พ.ศ. 2570") in plain(pages[0])
    assert "หน้า" not in pages[0]  # the cover has no page number
    contents = plain(pages[1])
    assert plain("สารบัญ") in contents
    listed = [plain(s.heading_th) for s in document.sections] + [plain("การรับรองรายงาน")]
    for heading, after in pairwise(listed):
        found = re.search(re.escape(heading) + r"\.+(\d+)" + re.escape(after), contents)
        assert found is not None, heading
        assert heading in plain(pages[int(found[1]) - 1]), heading


def test_text_copied_from_the_pdf_keeps_sara_am(pages: list[str]) -> None:
    # SARA AM (ำ) has its own SARA AA glyph in thai_font's Laksaman: า and ำ stay apart
    assert "รายงานผลการดำเนินงานประจำปี" in pages[0]
    assert "สำนักงานเขตพื้นที่การศึกษา" in "".join(pages)


def test_every_section_and_the_signatures_are_printed(document: Document, pages: list[str]) -> None:
    text = plain("".join(pages[2:]))
    for section in document.sections:
        assert plain(section.heading_th) in text
    for signature in document.signatures:
        assert signature.name_th is not None and plain(signature.name_th) in text
        assert signature.position_th is not None and plain(signature.position_th) in text


def test_no_page_is_blank_or_holds_only_a_heading(document: Document, pages: list[str]) -> None:
    headings = [plain(s.heading_th) for s in document.sections]
    for number, page in enumerate(pages, start=1):
        body = re.sub(
            plain("หน้า") + r"\d+/\d+", "", plain(page).replace(plain(document.office_th), "")
        )
        assert body, f"page {number} is blank"
        assert body not in headings, f"page {number} holds only its heading"
        assert not any(body.endswith(h) for h in headings), f"page {number} ends with a heading"


def test_codes_and_statuses_never_wrap(document: Document, pages: list[str]) -> None:
    text = "\n".join(pages)
    codes = {
        row[0] for t in document.tables() if t.sheet_th.startswith("โครงการ") for row in t.rows
    }
    assert codes
    for code in codes:
        assert str(code) in text, code  # whole on one line
    statuses = plain(text).count(plain("ล่าช้ากว่าแผน")) + plain(text).count(plain("เป็นไปตามแผน"))
    assert statuses >= len(codes)  # each project's status, whole


def test_docx_has_the_cover_contents_field_charts_and_signatures(document: Document) -> None:
    word = docx.Document(io.BytesIO(render_docx(document)))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "รายงานผลการดำเนินงานประจำปี"
    assert "สารบัญ" in texts
    assert ' TOC \\o "1-2" \\h \\z \\u ' in word.element.body.xml
    charts = sum(1 for s in document.sections for b in s.blocks if b.kind == "bar_chart")
    images = [p for p in word.part.package.parts if p.content_type == "image/png"]
    assert charts == 3 and len(images) == charts
    signer = document.signatures[-1]
    assert f"({signer.name_th})" in texts and signer.position_th in texts


def test_xlsx_dates_are_dates_shown_in_the_buddhist_era(document: Document) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(document)))
    dated = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, date)
    ]
    assert dated and all(cell.number_format == DATE_FORMAT for cell in dated)
    assert DATE_FORMAT.startswith("[$-107041E]")  # Thai locale, Buddhist calendar
