"""Spreadsheets in and out for the set-up import: read a CSV or XLSX, write a template.

Reading returns the header and the raw rows; `domain.imports.parse_rows` does the rest.
Cells come back as the officer sees them: text from CSV; numbers, dates and text from
XLSX (a number shown as a percentage, 80%, comes back as 80).
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from services.monitoring.domain import cells
from services.monitoring.domain.imports import COLUMNS, Column, ImportKind, target_column

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000  # data rows, the header not counted
MAX_COLUMNS = 200
DESCRIPTION_SHEET = "คำอธิบาย"
# Thai Excel saves "CSV" in the Windows Thai code page; cp874 is a superset of TIS-620.
_ENCODINGS = ("utf-8-sig", "cp874")
_DELIMITERS = (",", ";", "\t")

Table = tuple[list[str], list[list[object]]]


class TableError(ValueError):
    """The file cannot be read as a table; `message` says why, for the officer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_table(filename: str, content: bytes, sheet: str | None = None) -> Table:
    """The header and the rows of a `.csv` or `.xlsx` file (its first or named sheet)."""
    if len(content) > MAX_BYTES:
        raise TableError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(content)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(content, sheet)
    else:
        raise TableError(f"{filename!r}: only .xlsx and .csv files can be imported")
    while rows and all(cells.text(value) is None for value in rows[-1]):
        rows.pop()
    if not rows:
        raise TableError("the file is empty: the first row must hold the column names")
    if len(rows) - 1 > MAX_ROWS:
        raise TableError(f"the file has more than {MAX_ROWS:,} rows")
    header = [cells.text(value) or "" for value in rows[0]]
    while header and not header[-1]:
        header.pop()
    return header, rows[1:]


def _csv_rows(content: bytes) -> list[list[object]]:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: Sequence[str] = ("utf-16",)  # Excel's "Unicode Text"
    else:
        encodings = _ENCODINGS
    for encoding in encodings:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError("the file is neither UTF-8 nor Thai (TIS-620) text")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(_DELIMITERS, key=first_line.count)  # ties go to the comma
    rows: list[list[object]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1 and any(row):
                raise TableError(f"the file has more than {MAX_ROWS:,} rows")
    except csv.Error as error:
        raise TableError(f"the CSV cannot be read: {error}") from None
    return rows


def _xlsx_rows(content: bytes, sheet: str | None) -> list[list[object]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise TableError("the file is not a readable .xlsx workbook") from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            names = ", ".join(workbook.sheetnames)
            raise TableError(f"the workbook has no sheet {sheet!r} (it has: {names})")
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        # Sheets often carry formatted empty rows down to row 1,048,576: read one past the limit.
        limit = MAX_ROWS + 2
        return [
            [_cell_value(cell) for cell in row]
            for row in worksheet.iter_rows(max_row=limit, max_col=MAX_COLUMNS)
        ]
    except TableError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged sheet
        raise TableError(f"the workbook cannot be read: {error}") from None
    finally:
        workbook.close()


def _cell_value(cell: Any) -> object:
    value = cell.value
    number_format = getattr(cell, "number_format", None) or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
        return Decimal(repr(value)) * 100  # what the officer sees: 0.8 shown as 80%
    return value


def write_template(kind: ImportKind, round_ids: Iterable[str] = ()) -> bytes:
    """An empty XLSX to fill in: one header row, and a sheet describing every column in Thai.

    Indicators get one `target_<round_id>` column per round in `round_ids`.
    """
    columns = list(COLUMNS[kind])
    if kind == "indicators":
        columns += [target_column(round_id) for round_id in round_ids]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind
    bold = Font(bold=True)
    for position, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=position, value=column.name)
        cell.font = bold
        cell.comment = Comment(column.label_th, "Tidtam")
        if column.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
        if column.convert in (cells.code, cells.code_list, cells.to_date):
            # Typed as text, so 1/10/2569 stays a Thai date and codes keep leading zeros.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    _describe(workbook.create_sheet(DESCRIPTION_SHEET), columns, kind)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def describe_th(column: Column) -> str:
    """What to type in a column, in Thai."""
    hints: dict[cells.Converter, str] = {
        cells.to_date: "วันที่ เช่น 1/10/2569 (วัน/เดือน/ปี พ.ศ.) หรือ 2026-10-01",
        cells.satang: "จำนวนเงิน (บาท) ทศนิยมไม่เกิน 2 ตำแหน่ง เช่น 1,250,000.50",
        cells.integer: "จำนวนเต็ม เช่น 2570",
        cells.decimal: "ตัวเลข",
        cells.code: "รหัส (ตัวอักษรอังกฤษ ตัวเลข . _ -)",
        cells.code_list: "รหัสหลายรายการ คั่นด้วย , หรือ ;",
        cells.text_list: "หลายรายการ คั่นด้วย , หรือ ; เรียงจากต่ำไปสูง",
        cells.choice: "เลือกหนึ่งค่า",
        cells.choice_list: "เลือกได้หลายค่า คั่นด้วย , หรือ ;",
    }
    parts = [column.label_th, hints.get(column.convert, "ข้อความ")]
    if column.choices:
        parts.append("ค่าที่ใช้ได้: " + ", ".join(column.choices))
    return " — ".join(parts)


def _describe(sheet: Any, columns: Sequence[Column], kind: ImportKind) -> None:
    rows = [("คอลัมน์", "จำเป็น", "คำอธิบาย")]
    rows += [(c.name, "จำเป็น" if c.required else "", describe_th(c)) for c in columns]
    if kind == "indicators":
        rows.append(
            ("target_<round_id>", "", "ค่าเป้าหมายของแต่ละรอบ เช่น target_2570-Q2 (หนึ่งคอลัมน์ต่อรอบ)")
        )
    rows.append(("", "", "แถวที่ 1 คือหัวคอลัมน์ ข้อมูลเริ่มแถวที่ 2 ตัวเลขไทย (๐-๙) ใช้ได้"))
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 90
    for row in sheet.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
