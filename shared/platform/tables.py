"""Spreadsheets officers send: read a CSV or an XLSX into a header and raw rows.

Cells come back as the officer sees them: text from CSV; numbers, dates and text from
XLSX (a number shown as a percentage, 80%, comes back as 80). What the rows mean is for
the caller (the set-up import, the bulk submission) to decide.
"""

import csv
import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from shared.thai.input import text

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000  # data rows, the header not counted
MAX_COLUMNS = 200
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
    while rows and all(text(value) is None for value in rows[-1]):
        rows.pop()
    if not rows:
        raise TableError("the file is empty: the first row must hold the column names")
    if len(rows) - 1 > MAX_ROWS:
        raise TableError(f"the file has more than {MAX_ROWS:,} rows")
    header = [text(value) or "" for value in rows[0]]
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
