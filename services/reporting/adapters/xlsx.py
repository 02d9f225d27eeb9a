"""Any `Document` as an Excel workbook, and any `Table` as CSV.

Decisions:
- XLSX keeps values typed so that officers can sum and filter: numbers stay numbers with a
  number format that shows them as `format_cell` prints them (a percentage is stored as a
  fraction, 85.5 as 0.855 shown "85.50%"), dates are date cells shown in the Buddhist Era
  by their number format (`DATE_FORMAT`). Text stays text even when it starts with "="
  (never a formula).
- The first sheet, "สรุป", holds the title, office, date and every key figure; then one
  sheet per table, header in row 1 (frozen, filtered), the total row bold below the rows.
- Sheet names lose the characters Excel forbids and clashes get " (2)", " (3)"... within
  Excel's 31 characters (compared without case, as Excel does).
- The bytes are reproducible: the workbook's dates come from `made_on`, it is written
  without openpyxl's `save_workbook` (which stamps the time) and every zip entry gets the
  same timestamp (`stable_zip`, also used for DOCX).
- CSV is for machines: UTF-8 with a BOM (Excel then reads Thai correctly), CRLF, plain
  numbers with two decimals and no separators (the header carries the unit, so no "%"),
  ISO dates, and never Thai digits, so there is no `digits_th` parameter.
"""

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from services.reporting.domain.document import (
    TWO_PLACES,
    Cell,
    CellKind,
    Document,
    Figures,
    Table,
    format_cell,
)

SUMMARY_SHEET = "สรุป"
# Thai locale (041E), Buddhist calendar (07), Arabic digits (01): a real date that Excel
# and LibreOffice show as "24 พ.ย. 2569", like the PDF's dates.
DATE_FORMAT = "[$-107041E]d mmm yyyy"
NUMBER_FORMATS: dict[CellKind, str] = {
    "integer": "#,##0",
    "decimal": "#,##0.00",
    "baht": "#,##0.00",
    "percent": "0.00%",
    "date": DATE_FORMAT,
}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
_SHEET_NAME_LENGTH = 31
_FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def stable_zip(data: bytes) -> bytes:
    """The same zip archive with every entry dated `ZIP_TIME`: equal content, equal bytes."""
    out = io.BytesIO()
    with ZipFile(io.BytesIO(data)) as source, ZipFile(out, "w", ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = ZIP_DEFLATED
            info.external_attr = entry.external_attr
            target.writestr(info, source.read(entry))
    return out.getvalue()


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A sheet name Excel accepts and not yet in `taken` (lower case names), then taken."""
    base = _FORBIDDEN_IN_SHEET_NAMES.sub("", wanted).strip().strip("'") or "ตาราง"
    name = base[:_SHEET_NAME_LENGTH]
    number = 1
    while name.lower() in taken:
        number += 1
        suffix = f" ({number})"
        name = base[: _SHEET_NAME_LENGTH - len(suffix)].rstrip() + suffix
    taken.add(name.lower())
    return name


def _cell(sheet: WriteOnlyWorksheet, value: Cell, kind: CellKind, font: Font | None) -> SheetCell:
    """A typed value as a cell, with the number format of its kind."""
    cell = WriteOnlyCell(sheet)
    if font is not None:
        cell.font = font
    if value is None or value == "":
        return cell
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # "=..." is text here, not a formula
        return cell
    if kind == "percent" and isinstance(value, int | Decimal):
        cell.value = Decimal(value) / 100
    else:
        cell.value = value
    if kind in NUMBER_FORMATS and isinstance(value, int | Decimal | date):
        cell.number_format = NUMBER_FORMATS[kind]
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def _append(
    sheet: WriteOnlyWorksheet,
    values: Sequence[Cell],
    kinds: Sequence[CellKind],
    font: Font | None = None,
) -> None:
    sheet.append([_cell(sheet, v, k, font) for v, k in zip(values, kinds, strict=False)])


def _summary(sheet: WriteOnlyWorksheet, document: Document) -> None:
    rows: list[tuple[Sequence[Cell], Sequence[CellKind], Font | None]] = [
        ((document.title_th,), ("text",), _TITLE),
        ((document.subtitle_th,), ("text",), _BOLD),
        (("หน่วยงาน", document.office_th), ("text", "text"), None),
        (("ข้อมูล ณ วันที่", document.made_on), ("text", "date"), None),
    ]
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Figures):
                rows.append(((), (), None))
                rows.append(((section.heading_th,), ("text",), _BOLD))
                rows.extend(
                    ((item.label_th, item.value), ("text", item.cell_kind), None)
                    for item in block.items
                )
    if not document.subtitle_th:
        del rows[1]
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 40
    for values, kinds, font in rows:
        _append(sheet, values, kinds, font)


def column_width(table: Table, index: int) -> int:
    """A column's width in characters: its own, or its longest text, within 8 to 60."""
    column = table.columns[index]
    if column.width is not None:
        return column.width
    texts = [column.title_th]
    for row in (*table.rows, *([table.total_row] if table.total_row is not None else [])):
        if index < len(row):
            texts.append(format_cell(row[index], column.kind))
    # Thai characters count as one each; the marks above and below make up for the
    # Thai glyphs being wider than Excel's width unit, the digit "0".
    return min(max(max(len(text) for text in texts) + 2, _MIN_WIDTH), _MAX_WIDTH)


def _table_sheet(sheet: WriteOnlyWorksheet, table: Table, *, landscape: bool) -> None:
    """Header (frozen, filtered, repeated when printed), rows, total; row by row, so a
    table of 30,000 schools never sits in memory twice. Sheet settings come first."""
    kinds = [column.kind for column in table.columns]
    last_column = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A1:{last_column}{1 + len(table.rows)}"
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    if landscape:
        sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    for index in range(len(table.columns)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column_width(table, index)
    _append(sheet, [c.title_th for c in table.columns], ["text"] * len(kinds), _BOLD)
    for row in table.rows:
        _append(sheet, row, kinds)
    if not table.rows:
        _append(sheet, [table.empty_th], ["text"])
    elif table.total_row is not None:
        _append(sheet, table.total_row, kinds, _BOLD)


def render_xlsx(document: Document) -> bytes:
    """The document as an .xlsx workbook: a summary sheet, then one sheet per table."""
    workbook = Workbook(write_only=True)
    stamp = datetime(document.made_on.year, document.made_on.month, document.made_on.day)
    workbook.properties.title = document.title_th
    workbook.properties.creator = "Tidtam"
    workbook.properties.lastModifiedBy = "Tidtam"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    _summary(workbook.create_sheet(SUMMARY_SHEET), document)
    taken = {SUMMARY_SHEET.lower()}
    for table in document.tables():
        sheet = workbook.create_sheet(sheet_name(table.sheet_th, taken))
        _table_sheet(sheet, table, landscape=document.landscape)
    out = io.BytesIO()
    ExcelWriter(workbook, ZipFile(out, "w", ZIP_DEFLATED)).save()  # keeps `modified`
    return stable_zip(out.getvalue())


def _machine_text(value: Cell, kind: CellKind) -> str:
    if value is None:
        return ""
    if kind == "integer" and isinstance(value, int | Decimal):
        return f"{Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP):f}"
    if kind in ("decimal", "baht", "percent") and isinstance(value, int | Decimal):
        return f"{Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP):f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def render_csv(table: Table) -> bytes:
    """The table as CSV for other programs: plain numbers, ISO dates, Arabic digits."""
    out = io.StringIO()
    writer = csv.writer(out)
    kinds = [column.kind for column in table.columns]
    writer.writerow([column.title_th for column in table.columns])
    total = [table.total_row] if table.total_row is not None and table.rows else []
    for row in (*table.rows, *total):
        padded = [*row, *[None] * len(kinds)][: len(kinds)]
        writer.writerow([_machine_text(v, k) for v, k in zip(padded, kinds, strict=True)])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
