"""One unit's form for one round as an XLSX to fill offline, and reading it back.

Three sheets: ข้อมูลทั่วไป (the report's own fields, one per row), โครงการ (a row per
assigned project: code, name, allocation, then its fields) and ตัวชี้วัด (a row per
indicator: code, project, name, unit of measure, target, earlier rounds, then its fields).
Only the input cells are unlocked (the sheets are protected), fields with choices have a
drop-down, and a hidden sheet says whose report it is. Where each input sits follows from
the form's layout alone (`cells`), so reading needs nothing the file could change.
"""

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from services.console.domain.reporting import FormInput, FormLayout, baht, choices_th

GENERAL, PROJECTS, INDICATORS = "ข้อมูลทั่วไป", "โครงการ", "ตัวชี้วัด"
LISTS, IDENTITY = "รายการเลือก", "ข้อมูลแบบรายงาน"
INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
HEAD_FILL = PatternFill("solid", fgColor="DDE5F0")
PROJECT_HEAD = ("รหัสโครงการ", "ชื่อโครงการ/กิจกรรม", "งบประมาณที่ได้รับจัดสรร (บาท)")
INDICATOR_HEAD = ("รหัสตัวชี้วัด", "โครงการ", "ตัวชี้วัด", "หน่วยนับ", "ค่าเป้าหมาย", "ผลรอบก่อน")
GENERAL_HEAD = ("ช่อง", "ค่าที่รายงาน", "คำอธิบาย")


@dataclass(frozen=True)
class Cell:
    """Where one input (or, with `name` ending in ":", a project or indicator row) sits."""

    sheet: str
    row: int
    column: int
    name: str

    @property
    def letter(self) -> str:
        return get_column_letter(self.column)


@dataclass(frozen=True)
class SheetProblem:
    sheet: str | None
    row: int | None
    column: str | None
    message: str


class NotTheSheet(Exception):
    """The file is not an XLSX, or is another unit's, round's or form's."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def cells(form_layout: FormLayout) -> list[Cell]:
    """Every input's cell, and each project's and indicator's code cell (name `p:CODE:`)."""
    found = [Cell(GENERAL, row, 2, i.name) for row, i in enumerate(form_layout.general, start=2)]
    row = 2
    indicator_row = 2
    first = len(PROJECT_HEAD) + 1
    first_indicator = len(INDICATOR_HEAD) + 1
    for block in form_layout.projects:
        found.append(Cell(PROJECTS, row, 1, f"p:{block.project.code}:"))
        found += [Cell(PROJECTS, row, first + n, i.name) for n, i in enumerate(block.inputs)]
        row += 1
        for line in block.indicators:
            found.append(Cell(INDICATORS, indicator_row, 1, f"i:{line.indicator.code}:"))
            found += [
                Cell(INDICATORS, indicator_row, first_indicator + n, i.name)
                for n, i in enumerate(line.inputs)
            ]
            indicator_row += 1
    return found


def identity_of(round_id: str, form_id: str, version: int, unit_code: str) -> list[str]:
    return [round_id, form_id, str(version), unit_code]


def build(
    form_layout: FormLayout,
    identity: list[str],
    typed: Mapping[str, str],
    unit_name: str,
    round_name: str,
) -> bytes:
    """The XLSX, pre-filled with what the draft holds."""
    book = Workbook()
    general = book.active
    assert general is not None
    general.title = GENERAL
    projects = book.create_sheet(PROJECTS)
    indicators = book.create_sheet(INDICATORS)
    lists = book.create_sheet(LISTS)
    hidden = book.create_sheet(IDENTITY)
    for sheet in (lists, hidden):
        sheet.sheet_state = "hidden"
    for column, value in enumerate(identity, start=1):
        hidden.cell(1, column, value)
    _heads(general, GENERAL_HEAD, widths=(40, 40, 60))
    inputs = {i.name: i for i in form_layout.inputs()}
    for row, item in enumerate(form_layout.general, start=2):
        general.cell(row, 1, item.field.label_th)
        general.cell(row, 3, "จำเป็นต้องกรอก" if item.field.required else "")
    project_inputs = form_layout.projects[0].inputs if form_layout.projects else ()
    _heads(projects, (*PROJECT_HEAD, *(i.field.label_th for i in project_inputs)))
    row = 2
    for block in form_layout.projects:
        name = ("— " if block.is_activity else "") + block.project.name_th
        for column, value in enumerate((block.project.code, name), start=1):
            projects.cell(row, column, value)
        projects.cell(row, 3, baht(block.project.budget_satang)).alignment = Alignment(
            horizontal="right"
        )
        row += 1
    first = next((b.indicators[0].inputs for b in form_layout.projects if b.indicators), ())
    _heads(indicators, (*INDICATOR_HEAD, *(i.field.label_th for i in first)))
    row = 2
    for block in form_layout.projects:
        for line in block.indicators:
            earlier = "; ".join(
                f"{round_th}: {value}"
                for i in line.inputs
                for round_th, value in i.earlier
                if i.field.key == line.inputs[0].field.key
            )
            target = "" if line.target is None else _decimal(line.target)
            shown = (
                line.indicator.code,
                block.project.code,
                line.indicator.name_th,
                line.indicator.unit_of_measure,
                target,
                earlier,
            )
            for column, value in enumerate(shown, start=1):
                indicators.cell(row, column, value)
            row += 1
    sheets = {GENERAL: general, PROJECTS: projects, INDICATORS: indicators}
    validations = _Validations(lists, sheets)
    for cell in cells(form_layout):
        if cell.name.endswith(":"):
            continue
        target = sheets[cell.sheet].cell(cell.row, cell.column, typed.get(cell.name) or None)
        target.protection = Protection(locked=False)
        target.fill = INPUT_FILL
        target.number_format = "@"  # what is typed stays text: Thai digits, 1,250.50, dates
        validations.add(inputs[cell.name], cell)
    for sheet in sheets.values():
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.freeze_panes = "B2"
    general["E1"] = f"{unit_name} · {round_name}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class _Validations:
    """A drop-down per field with choices, its list on the hidden sheet."""

    def __init__(self, lists: Worksheet, sheets: Mapping[str, Worksheet]) -> None:
        self.lists = lists
        self.sheets = sheets
        self.made: dict[tuple[str, str], DataValidation] = {}
        self.columns: dict[tuple[str, ...], str] = {}

    def add(self, item: FormInput, cell: Cell) -> None:
        options = choices_th(item.field)
        if not options:
            return
        if options not in self.columns:
            column = get_column_letter(len(self.columns) + 1)
            for row, option in enumerate(options, start=1):
                self.lists[f"{column}{row}"] = option
            self.columns[options] = f"'{LISTS}'!${column}$1:${column}${len(options)}"
        key = (cell.sheet, self.columns[options])
        if key not in self.made:
            rule = DataValidation(
                type="list", formula1=self.columns[options], allow_blank=True, showDropDown=False
            )
            rule.error = "กรุณาเลือกจากรายการ"
            rule.errorTitle = "ค่าไม่อยู่ในรายการ"
            self.sheets[cell.sheet].add_data_validation(rule)
            self.made[key] = rule
        self.made[key].add(f"{cell.letter}{cell.row}")


def _heads(sheet: Worksheet, heads: tuple[str, ...], widths: tuple[int, ...] = ()) -> None:
    for column, head in enumerate(heads, start=1):
        cell = sheet.cell(1, column, head)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = widths[column - 1] if column <= len(widths) else (40 if column == 3 else 22)
        sheet.column_dimensions[get_column_letter(column)].width = width


def read(
    content: bytes, form_layout: FormLayout, identity: list[str]
) -> tuple[dict[str, str], list[SheetProblem]]:
    """What the sheet's input cells hold, as text, and the rows moved out of place."""
    try:
        book = load_workbook(io.BytesIO(content), data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise NotTheSheet("ไฟล์นี้ไม่ใช่ไฟล์ XLSX ของแบบรายงาน") from error
    if IDENTITY not in book.sheetnames:
        raise NotTheSheet("ไฟล์นี้ไม่ใช่แบบรายงานที่ดาวน์โหลดจากระบบ")
    held = [_text(c.value) for c in book[IDENTITY][1][: len(identity)]]
    if held != identity:
        raise NotTheSheet("ไฟล์นี้เป็นแบบรายงานของหน่วยงาน รอบ หรือแบบฉบับอื่น กรุณาดาวน์โหลดแบบของรอบนี้ใหม่")
    typed: dict[str, str] = {}
    problems: list[SheetProblem] = []
    for cell in cells(form_layout):
        if cell.sheet not in book.sheetnames:
            problems.append(SheetProblem(cell.sheet, None, None, "ไม่พบแผ่นงานนี้ในไฟล์"))
            continue
        value = _text(book[cell.sheet].cell(cell.row, cell.column).value)
        if cell.name.endswith(":"):
            code = cell.name.split(":")[1]
            if value != code:
                message = f"แถวนี้ควรเป็นรหัส {code} กรุณาอย่าย้ายหรือแทรกแถว"
                problems.append(SheetProblem(cell.sheet, cell.row, cell.letter, message))
        elif value:
            typed[cell.name] = value
    return typed, problems


def _text(value: Any) -> str:
    """A cell as a person typed it: numbers without float noise, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _decimal(Decimal(repr(value)))
    return str(value).strip()


def _decimal(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
