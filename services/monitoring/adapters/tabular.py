"""Spreadsheets for the set-up import: `shared.platform.tables` reads; this writes templates."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from services.monitoring.domain import cells
from services.monitoring.domain.imports import COLUMNS, Column, ImportKind, target_column

DESCRIPTION_SHEET = "คำอธิบาย"


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
