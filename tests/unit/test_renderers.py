"""The PDF, XLSX, DOCX, CSV and SVG renderers, each on one synthetic Thai document.

Each format is rendered once per module. PDF text is read back with poppler's pdftotext,
which splits Thai a little (a tone mark may land on the next line, SARA AM comes back as
SARA AA), so texts are compared after `_plain`: no spaces, NFKD, no combining marks.
"""

import csv
import io
import logging
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from services.reporting.adapters.charts import bar_chart_svg
from services.reporting.adapters.docx import DOCX_FONT, render_docx
from services.reporting.adapters.pdf import render_html, render_pdf
from services.reporting.adapters.xlsx import render_csv, render_xlsx, sheet_name
from services.reporting.domain.document import (
    TWO_PLACES,
    BarChart,
    Column,
    Document,
    Figure,
    Figures,
    Paragraph,
    Section,
    Series,
    Table,
    format_cell,
)

TITLE = "รายงานผลการติดตามรอบที่ 1 ปีงบประมาณ 2570"
OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาตัวอย่าง เขต 1"
EMPTY = "ไม่มีหน่วยที่ส่งรายงานล่าช้า"
LONG_TEXT = (
    "การติดตามผลการดำเนินงานในรอบนี้ครอบคลุมสถานศึกษาในสังกัดทั้งหมด "
    "โดยสถานศึกษาส่วนใหญ่รายงานผลตามกำหนดเวลาและมีผลการดำเนินงานตามตัวชี้วัดอยู่ในระดับดีถึงดีมาก "
    "อย่างไรก็ตามยังมีสถานศึกษาบางแห่งที่ส่งรายงานล่าช้าหรือยังไม่ได้ส่งรายงาน "
    "ซึ่งสำนักงานเขตพื้นที่การศึกษาจะได้ติดตามและให้คำแนะนำเพื่อให้การดำเนินงานเป็นไปตามแผนปฏิบัติราชการ "
    "ทั้งนี้ข้อมูลในรายงานฉบับนี้เป็นข้อมูลสังเคราะห์เพื่อการทดสอบระบบเท่านั้น"
    "ไม่ได้อ้างอิงบุคคลหรือสถานศึกษาจริงแต่อย่างใด"
)
COLUMNS = ("ที่", "โรงเรียน", "ร้อยละความสำเร็จ", "งบประมาณ (บาท)", "วันที่รายงาน")
ROWS = 120
TOTAL_BAHT = sum(Decimal(1000 * i) + Decimal("234.5") for i in range(1, ROWS + 1))
CHART_LABEL = "A & B <กลุ่มทดลอง>"

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext, pdfinfo)"
)


def sample(*, thai_digits: bool = False) -> Document:
    rows = tuple(
        (
            i,
            f"โรงเรียนบ้านตัวอย่างวิทยาคารหมายเลข {i}",
            Decimal(50 + i % 50) + Decimal("0.5"),
            Decimal(1000 * i) + Decimal("234.5"),
            date(2026, 10, 1) + timedelta(days=i % 60) if i % 11 else None,
        )
        for i in range(1, ROWS + 1)
    )
    results = Table(
        title_th="ตารางที่ 1 ผลการติดตามรายโรงเรียน",
        sheet_th="ผลรายโรงเรียน",
        columns=(
            Column(title_th=COLUMNS[0], kind="integer"),
            Column(title_th=COLUMNS[1]),
            Column(title_th=COLUMNS[2], kind="percent"),
            Column(title_th=COLUMNS[3], kind="baht"),
            Column(title_th=COLUMNS[4], kind="date"),
        ),
        rows=rows,
        total_row=("รวม", f"{ROWS} โรงเรียน", Decimal("75.25"), TOTAL_BAHT, None),
    )
    late = Table(
        title_th="ตารางที่ 2 หน่วยที่ส่งรายงานล่าช้า",
        sheet_th="ส่งช้า",
        columns=(Column(title_th="โรงเรียน"), Column(title_th="วันที่ส่ง", kind="date")),
        empty_th=EMPTY,
    )
    chart = BarChart(
        title_th="แผนภูมิที่ 1 ร้อยละความสำเร็จรายกลุ่มโรงเรียน",
        labels=("กลุ่มเครือข่ายที่ 1", CHART_LABEL, "กลุ่มที่ไม่มีข้อมูล"),
        series=(
            Series(name_th="รอบที่ 1", values=(Decimal("85.5"), Decimal("120"), None)),
            Series(name_th="รอบที่ 2", values=(Decimal("90"), Decimal("60"), None)),
        ),
        target=Decimal(80),
    )
    figures = Figures(
        items=(
            Figure(label_th="จำนวนโรงเรียนที่รายงาน", value=ROWS, cell_kind="integer"),
            Figure(label_th="อัตราการรายงาน", value=Decimal("85.5"), cell_kind="percent"),
            Figure(label_th="งบประมาณที่ใช้", value=Decimal("1234.5"), cell_kind="baht"),
            Figure(label_th="วันที่ปิดรอบ", value=date(2026, 12, 31), cell_kind="date"),
        )
    )
    return Document(
        report_type="round",
        title_th=TITLE,
        subtitle_th="ไตรมาสที่ 1 (ตุลาคม – ธันวาคม 2569)",
        office_th=OFFICE,
        made_on=date(2026, 12, 24),
        thai_digits=thai_digits,
        file_stem="รายงานผลการติดตามรอบที่1",
        sections=(
            Section(heading_th="1. สรุปผลภาพรวม", blocks=(figures, Paragraph(text_th=LONG_TEXT))),
            Section(heading_th="2. ผลรายโรงเรียน", blocks=(results,)),
            Section(heading_th="2.1 หน่วยที่ส่งล่าช้า", level=2, blocks=(late,)),
            Section(heading_th="3. แผนภูมิ", blocks=(chart,)),
        ),
    )


def _plain(text: str) -> str:
    """Text as pdftotext reliably gives it back: no spaces, no Thai vowel or tone marks."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not c.isspace() and unicodedata.category(c) != "Mn")


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class RenderedPdf:
    def __init__(self, tmp: Path, document: Document) -> None:
        handler = _Collect()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(handler)
        try:
            self.data = render_pdf(document)
        finally:
            logger.removeHandler(handler)
        self.warnings = handler.messages
        self.path = tmp / "report.pdf"
        self.path.write_bytes(self.data)
        self.text = _run("pdftotext", "-layout", str(self.path), "-")
        self.pages = [_plain(page) for page in self.text.split("\f") if page.strip()]
        info = _run("pdfinfo", str(self.path))
        self.info = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
        self.page_count = int(self.info["Pages"])


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> RenderedPdf:
    return RenderedPdf(tmp_path_factory.mktemp("pdf"), sample())


@pytest.fixture(scope="module")
def thai_pdf(tmp_path_factory: pytest.TempPathFactory) -> RenderedPdf:
    return RenderedPdf(tmp_path_factory.mktemp("thai_pdf"), sample(thai_digits=True))


@pytest.fixture(scope="module")
def xlsx() -> Iterator[openpyxl.Workbook]:
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(sample())))
    yield workbook
    workbook.close()


@pytest.fixture(scope="module")
def word() -> WordDocument:
    return docx.Document(io.BytesIO(render_docx(sample())))


# PDF


@needs_poppler
def test_pdf_holds_the_title_headings_figures_and_tables(pdf: RenderedPdf) -> None:
    assert pdf.data.startswith(b"%PDF")
    text = "".join(pdf.pages)
    for wanted in (TITLE, "ข้อมูล ณ วันที่ 24 ธันวาคม 2569", "1. สรุปผลภาพรวม", "2. ผลรายโรงเรียน"):
        assert _plain(wanted) in text
    assert _plain("2.1 หน่วยที่ส่งล่าช้า") in text
    assert "1,234.50" in text
    assert "85.50%" in text
    assert format_cell(TOTAL_BAHT, "baht") in text
    assert _plain(EMPTY) in text
    assert _plain(OFFICE) in pdf.pages[0]


@needs_poppler
def test_pdf_breaks_the_long_thai_paragraph_into_lines(pdf: RenderedPdf) -> None:
    lines = [line for line in pdf.text.splitlines() if _plain(line) in _plain(LONG_TEXT)]
    assert len([line for line in lines if len(_plain(line)) > 20]) >= 3


@needs_poppler
def test_pdf_numbers_every_page_in_its_footer(pdf: RenderedPdf) -> None:
    assert pdf.page_count >= 3  # 120 rows run over pages
    assert len(pdf.pages) == pdf.page_count
    for number, page in enumerate(pdf.pages, start=1):
        assert _plain(f"หน้า {number} / {pdf.page_count}") in page


@needs_poppler
def test_pdf_repeats_the_table_header_on_the_next_page(pdf: RenderedPdf) -> None:
    second = pdf.pages[1]
    assert _plain("2. ผลรายโรงเรียน") not in second
    for title in COLUMNS[1:]:
        assert _plain(title) in second
    assert "".join(pdf.pages).count(format_cell(TOTAL_BAHT, "baht")) == 1


@needs_poppler
def test_pdf_embeds_laksaman(pdf: RenderedPdf) -> None:
    fonts = _run("pdffonts", str(pdf.path)).splitlines()[2:]
    embedded = [line for line in fonts if "Laksaman" in line and " yes " in line]
    assert embedded, fonts


@needs_poppler
def test_pdf_carries_title_and_author(pdf: RenderedPdf) -> None:
    assert pdf.info["Title"].strip() == TITLE
    assert pdf.info["Author"].strip() == "Tidtam"


@needs_poppler
def test_pdf_css_raises_no_weasyprint_warning(pdf: RenderedPdf) -> None:
    # Old system HarfBuzz lacks its subsetter; WeasyPrint says so, unrelated to the CSS.
    assert [m for m in pdf.warnings if "HarfBuzz-Subset" not in m] == []


@needs_poppler
def test_pdf_with_thai_digits(thai_pdf: RenderedPdf) -> None:
    assert _plain("หน้า ๑ / ") in thai_pdf.pages[0]
    assert _plain("ข้อมูล ณ วันที่ ๒๔ ธันวาคม ๒๕๖๙") in thai_pdf.pages[0]
    assert "๑,๒๓๔.๕๐" in thai_pdf.pages[0]


def test_html_escapes_text_and_marks_the_language() -> None:
    html = render_html(sample())
    assert '<html lang="th">' in html
    assert f"<title>{TITLE}</title>" in html
    assert '<meta name="author" content="Tidtam">' in html
    assert "A &amp; B &lt;กลุ่มทดลอง&gt;" in html
    assert CHART_LABEL not in html
    assert "word-break" not in html


# XLSX


def test_xlsx_has_a_summary_then_one_sheet_per_table(xlsx: openpyxl.Workbook) -> None:
    assert xlsx.sheetnames == ["สรุป", "ผลรายโรงเรียน", "ส่งช้า"]
    assert xlsx.properties.title == TITLE
    assert xlsx.properties.creator == "Tidtam"


def test_xlsx_summary_is_typed(xlsx: openpyxl.Workbook) -> None:
    rows = {row[0]: row[1] for row in xlsx["สรุป"].iter_rows(values_only=True) if row[0]}
    assert TITLE in rows
    assert rows["หน่วยงาน"] == OFFICE
    assert rows["ข้อมูล ณ วันที่"] == datetime(2026, 12, 24)
    assert rows["จำนวนโรงเรียนที่รายงาน"] == ROWS
    assert rows["อัตราการรายงาน"] == pytest.approx(0.855)
    assert rows["วันที่ปิดรอบ"] == datetime(2026, 12, 31)


def test_xlsx_table_sheet_keeps_numbers_and_dates_typed(xlsx: openpyxl.Workbook) -> None:
    sheet = xlsx["ผลรายโรงเรียน"]
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert all(cell.font.b for cell in sheet[1])
    number, name, percent, baht, day = sheet[2]
    assert (number.value, number.number_format) == (1, "#,##0")
    assert name.value == "โรงเรียนบ้านตัวอย่างวิทยาคารหมายเลข 1"
    assert percent.value == pytest.approx(0.515)
    assert percent.number_format == "0.00%"
    assert isinstance(baht.value, float) and baht.value == 1234.5
    assert baht.number_format == "#,##0.00"
    assert day.is_date and day.value == datetime(2026, 10, 2)
    assert sheet.cell(row=12, column=5).value is None  # row 11 has no date
    total = sheet[ROWS + 2]
    assert total[0].value == "รวม" and all(cell.font.b for cell in total)
    assert total[3].value == pytest.approx(float(TOTAL_BAHT))


def test_xlsx_table_sheet_freezes_filters_and_sizes_columns(xlsx: openpyxl.Workbook) -> None:
    sheet = xlsx["ผลรายโรงเรียน"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:E{ROWS + 1}"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDE"]
    assert all(8 <= width <= 60 for width in widths)
    assert widths[1] > widths[0]


def test_xlsx_empty_table_keeps_its_header_and_says_so(xlsx: openpyxl.Workbook) -> None:
    sheet = xlsx["ส่งช้า"]
    assert [cell.value for cell in sheet[1]] == ["โรงเรียน", "วันที่ส่ง"]
    assert sheet["A2"].value == EMPTY
    assert sheet.auto_filter.ref == "A1:B1"


def test_xlsx_is_the_same_bytes_every_time() -> None:
    assert render_xlsx(sample()) == render_xlsx(sample())


def test_xlsx_text_starting_with_equals_is_not_a_formula() -> None:
    table = Table(
        title_th="t", sheet_th="t", columns=(Column(title_th="ข้อความ"),), rows=(("=1+1",),)
    )
    document = sample().model_copy(update={"sections": (Section(heading_th="h", blocks=(table,)),)})
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(document)))["t"]
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"


def test_sheet_names_are_cleaned_and_made_unique() -> None:
    taken = {"สรุป"}
    assert sheet_name("ผล[รายงาน]: รอบ*1?/2\\", taken) == "ผลรายงาน รอบ12"
    assert sheet_name("สรุป", taken) == "สรุป (2)"
    long = "ก" * 31
    assert sheet_name(long, taken) == long
    assert sheet_name(long, taken) == "ก" * 27 + " (2)"
    assert sheet_name(long, taken) == "ก" * 27 + " (3)"
    assert all(len(name) <= 31 for name in taken)


# DOCX


def test_docx_has_the_tables_with_repeating_header_rows(word: WordDocument) -> None:
    figures, results, late = word.tables  # the chart is an image, not a table
    assert len(figures.rows) == 4
    header = results.rows[0]
    assert [cell.text for cell in header.cells] == list(COLUMNS)
    assert header._tr.trPr is not None and header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert results.style is not None and results.style.name == "Table Grid"
    assert len(results.rows) == ROWS + 2
    assert results.rows[1].cells[3].text == "1,234.50"
    assert results.rows[-1].cells[3].text == format_cell(TOTAL_BAHT, "baht")
    assert [cell.text for cell in late.rows[1].cells] == [EMPTY, EMPTY]  # one merged cell


def test_docx_carries_the_chart_as_a_png_image(word: WordDocument) -> None:
    images = [part for part in word.part.package.parts if part.content_type == "image/png"]
    assert len(images) == 1
    assert images[0].blob.startswith(b"\x89PNG")


def test_docx_sets_the_thai_font_for_complex_script(word: WordDocument) -> None:
    for name in ("Normal", "Heading 1", "Heading 2"):
        rpr = word.styles[name].element.rPr
        assert rpr is not None
        fonts = rpr.find(qn("w:rFonts"))
        assert fonts is not None
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            assert fonts.get(qn(attribute)) == DOCX_FONT
    normal = word.styles["Normal"].element.rPr
    assert normal is not None
    size = normal.find(qn("w:szCs"))
    assert size is not None and size.get(qn("w:val")) == "32"
    lang = normal.find(qn("w:lang"))
    assert lang is not None and lang.get(qn("w:bidi")) == "th-TH"


def test_docx_page_header_footer_and_properties(word: WordDocument) -> None:
    section = word.sections[0]
    assert section.page_width is not None and round(section.page_width.cm, 1) == 21.0
    assert section.page_height is not None and round(section.page_height.cm, 1) == 29.7
    assert section.left_margin is not None and round(section.left_margin.cm, 1) == 2.5
    assert OFFICE in section.header.paragraphs[0].text
    footer = section.footer.paragraphs[0]._p.xml
    assert "หน้า" in footer and 'w:instr=" PAGE "' in footer and "NUMPAGES" in footer
    assert word.core_properties.title == TITLE
    assert word.core_properties.author == "Tidtam"
    assert word.paragraphs[0].text == TITLE


def test_docx_with_thai_digits_numbers_pages_in_thai() -> None:
    word = docx.Document(io.BytesIO(render_docx(sample(thai_digits=True))))
    assert r"PAGE \* ThaiArabic" in word.sections[0].footer.paragraphs[0]._p.xml
    assert word.tables[1].rows[1].cells[3].text == "๑,๒๓๔.๕๐"


def test_docx_is_the_same_bytes_every_time() -> None:
    assert render_docx(sample()) == render_docx(sample())


# CSV


def test_csv_is_excel_friendly_utf8_with_plain_numbers() -> None:
    data = render_csv(sample().tables()[0])
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(COLUMNS)
    assert rows[1] == ["1", "โรงเรียนบ้านตัวอย่างวิทยาคารหมายเลข 1", "51.50", "1234.50", "2026-10-02"]
    assert rows[11][4] == ""
    assert rows[-1] == ["รวม", f"{ROWS} โรงเรียน", "75.25", f"{TOTAL_BAHT:.2f}", ""]
    assert len(rows) == ROWS + 2


def test_csv_of_an_empty_table_is_its_header() -> None:
    data = render_csv(sample().tables()[1]).decode("utf-8-sig")
    assert data == "โรงเรียน,วันที่ส่ง\r\n"


# SVG


def _chart(document: Document) -> BarChart:
    block = document.sections[-1].blocks[0]
    assert isinstance(block, BarChart)
    return block


def test_svg_chart_parses_and_escapes_its_labels() -> None:
    svg = bar_chart_svg(_chart(sample()), digits_th=False)
    assert "A &amp; B &lt;กลุ่มทดลอง&gt;" in svg
    root = ET.fromstring(svg)
    namespace = "{http://www.w3.org/2000/svg}"
    texts = [element.text for element in root.iter(f"{namespace}text")]
    assert CHART_LABEL in texts
    assert {"85.50%", "120.00%", "60.00%", "–", "รอบที่ 1", "รอบที่ 2"} <= set(texts)
    assert "เป้าหมาย 80.00%" in texts
    bars = [r for r in root.iter(f"{namespace}rect") if float(r.get("height", 0)) > 14]
    assert len(bars) == 4  # two labels with two values each; None draws nothing
    axis_end = max(float(line.get("x2", 0)) for line in root.iter(f"{namespace}line"))
    ends = sorted(float(r.get("x", 0)) + float(r.get("width", 0)) for r in bars)
    assert ends[-1] == pytest.approx(axis_end)  # 120% stops at the axis end (100%)
    assert ends[-2] < axis_end
    dashed = [line for line in root.iter(f"{namespace}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1
    assert root.get("width") == "640"


def test_svg_chart_in_thai_digits() -> None:
    svg = bar_chart_svg(_chart(sample()), digits_th=True)
    assert "๑๒๐.๐๐%" in svg and "๑๐๐%" in svg


# Properties


amounts = st.decimals(
    min_value=Decimal("-1000000000"),
    max_value=Decimal("1000000000"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)


@settings(max_examples=50, deadline=None)
@given(amounts, amounts)
def test_csv_writes_what_format_cell_prints_without_separators(
    baht: Decimal, percent: Decimal
) -> None:
    for kind in ("integer", "decimal", "percent", "baht"):
        assert format_cell(baht, kind)
    table = Table(
        title_th="t",
        sheet_th="t",
        columns=(Column(title_th="บาท", kind="baht"), Column(title_th="ร้อยละ", kind="percent")),
        rows=((baht, percent),),
    )
    rows = list(csv.reader(io.StringIO(render_csv(table).decode("utf-8-sig"))))
    written_baht, written_percent = rows[1]
    assert Decimal(written_baht) == baht.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    assert Decimal(written_percent) == percent.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    assert written_baht == format_cell(baht, "baht").replace(",", "")
    assert written_percent == format_cell(percent, "percent").replace(",", "").rstrip("%")


def test_every_format_renders_odd_but_valid_documents() -> None:
    chart = BarChart(
        title_th="",
        labels=(),
        series=(Series(name_th="คน", values=()),),
        unit="คน",
        maximum=Decimal(0),
    )
    short_rows = Table(
        title_th="แถวสั้น",
        sheet_th="แถว:สั้น?",
        columns=(Column(title_th="ก"), Column(title_th="ข", kind="baht")),
        rows=(("มีแต่ข้อความ",),),
        total_row=(None, Decimal("1.005")),
    )
    bare = Document(
        report_type="x",
        title_th="ว่าง",
        office_th="สำนักงาน",
        made_on=date(2027, 1, 1),
        file_stem="x",
    )
    odd = bare.model_copy(
        update={"sections": (Section(heading_th="หัวข้อ", blocks=(chart, short_rows)),)}
    )
    for document in (bare, odd):
        assert render_pdf(document).startswith(b"%PDF")
        assert render_xlsx(document).startswith(b"PK")
        assert render_docx(document).startswith(b"PK")
    ET.fromstring(bar_chart_svg(chart, digits_th=False))
    rows = list(csv.reader(io.StringIO(render_csv(short_rows).decode("utf-8-sig"))))
    assert rows[1:] == [["มีแต่ข้อความ", ""], ["", "1.01"]]
    sheets = openpyxl.load_workbook(io.BytesIO(render_xlsx(odd))).sheetnames
    assert sheets == ["สรุป", "แถวสั้น"]


def test_a_landscape_document_is_landscape_in_every_format(tmp_path: Path) -> None:
    wide = sample().model_copy(update={"landscape": True})
    path = tmp_path / "wide.pdf"
    path.write_bytes(render_pdf(wide))
    size = dict(line.split(":", 1) for line in _run("pdfinfo", str(path)).splitlines())
    width, height = (float(v) for v in size["Page size"].split("pts")[0].split(" x "))
    assert width > height, "A4 landscape"
    word = docx.Document(io.BytesIO(render_docx(wide)))
    assert word.sections[0].page_width > word.sections[0].page_height
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(wide)))
    assert book.worksheets[1].page_setup.orientation == "landscape"
