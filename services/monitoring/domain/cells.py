"""Cells of an imported set-up sheet: headers, columns, choices and what is wrong with them.

The values themselves (Thai digits, Buddhist Era dates, baht with thousands separators)
are read by `shared.thai.input`; this module adds what only the set-up import needs:
header matching, column letters, Thai words for choice values, lists separated by commas,
and the officer's reading of pydantic's errors.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Literal

from pydantic_core import ErrorDetails

from shared.contracts.setup import CODE, EMAIL, LINE_USER_ID, ROUND_ID
from shared.thai.input import CellError as CellError
from shared.thai.input import code as code
from shared.thai.input import decimal as decimal
from shared.thai.input import integer as integer
from shared.thai.input import satang as satang
from shared.thai.input import text as text
from shared.thai.input import to_date as to_date

Converter = Callable[[object], object]
ErrorCode = Literal["required", "invalid"]

_SEPARATORS = re.compile(r"[,;\n]")

# Thai words officers type for the English values of choice columns.
VALUE_ALIASES: dict[str, str] = {
    "สพฐ.": "obec",
    "สพฐ": "obec",
    "สำนักงานเขตพื้นที่": "office",
    "สพม.": "office",
    "สพป.": "office",
    "กลุ่ม": "group",
    "โรงเรียน": "school",
    "สถานศึกษา": "school",
    "อื่นๆ": "other",
    "อื่น ๆ": "other",
    "แผนปฏิบัติการ": "action_plan",
    "แผนปฏิบัติการประจำปี": "action_plan",
    "แผนพัฒนาการศึกษาขั้นพื้นฐาน": "development_plan",
    "แผนพัฒนา": "development_plan",
    "จำนวน": "number",
    "ร้อยละ": "percent",
    "ใช่/ไม่ใช่": "yes_no",
    "มี/ไม่มี": "yes_no",
    "ระดับ": "level",
    "ยิ่งมากยิ่งดี": "higher_is_better",
    "ยิ่งน้อยยิ่งดี": "lower_is_better",
    "ผลรวม": "sum",
    "ค่าล่าสุด": "latest",
    "ค่าเฉลี่ย": "average",
    "เพิ่ม": "add",
    "ยกเลิก": "remove",
}

# The set-up models' own rule messages: the column to blame and the officer's Thai.
MODEL_RULES: dict[str, tuple[str | None, str]] = {
    "a school code has exactly 10 digits": ("code", "รหัสโรงเรียนต้องเป็นตัวเลข 10 หลัก"),
    "OBEC, and only OBEC, has no parent unit": (
        "parent_code",
        "ต้องระบุหน่วยงานต้นสังกัด (ยกเว้น สพฐ. ซึ่งไม่มีต้นสังกัด)",
    ),
    "active_to is before active_from": ("active_to", "วันที่ปิดอยู่ก่อนวันที่เปิด"),
    "last_fiscal_year is before first_fiscal_year": (
        "last_fiscal_year",
        "ปีงบประมาณสุดท้ายอยู่ก่อนปีงบประมาณแรก",
    ),
    "an annual action plan covers one fiscal year": (
        "last_fiscal_year",
        "แผนปฏิบัติการประจำปีครอบคลุมปีงบประมาณเดียว",
    ),
    "ends_on is before starts_on": ("ends_on", "วันที่สิ้นสุดอยู่ก่อนวันที่เริ่ม"),
    "a project cannot be its own parent": ("parent_code", "โครงการเป็นโครงการหลักของตัวเองไม่ได้"),
    "percent targets lie between 0 and 100": (None, "ค่าร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
    "yes/no targets are 0 or 1": (None, "ค่าเป้าหมายแบบใช่/ไม่ใช่ต้องเป็น 0 หรือ 1"),
    "a level indicator needs its scale (at least two levels)": (
        "levels",
        "ตัวชี้วัดแบบระดับต้องระบุระดับอย่างน้อย 2 ระดับ",
    ),
    "level targets are positions on the scale, 0-based": (
        None,
        "ค่าเป้าหมายแบบระดับคือลำดับของระดับ เริ่มจาก 0",
    ),
    "effective_to is before effective_from": ("effective_to", "วันที่สิ้นสุดผลอยู่ก่อนวันที่เริ่มมีผล"),
}


REF_NAMES_TH: dict[str, str] = {
    "unit": "หน่วยงาน",
    "plan": "แผน",
    "project": "โครงการ",
    "form": "แบบรายงาน",
    "round": "รอบการรายงาน",
    "strategy": "กลยุทธ์",
}


def header_key(header: str) -> str:
    """What a header is matched by: "Name  TH" and "name_th" are the same column."""
    return "_".join(unicodedata.normalize("NFC", header).casefold().split())


def column_letter(position: int) -> str:
    """The spreadsheet letter of a 0-based column: 0 -> A, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def choice(value: object) -> str | None:
    """One of a column's English values, lower-cased, or the Thai word for it."""
    cleaned = text(value)
    if cleaned is None:
        return None
    if cleaned in VALUE_ALIASES:
        return VALUE_ALIASES[cleaned]
    return "_".join(cleaned.casefold().replace("-", " ").split())


def code_list(value: object) -> tuple[str, ...] | None:
    """Codes separated by commas or semicolons."""
    return _split(code(value))


def text_list(value: object) -> tuple[str, ...] | None:
    """Text items separated by commas or semicolons (e.g. the levels of a scale)."""
    return _split(text(value))


def choice_list(value: object) -> tuple[str, ...] | None:
    """Choice values separated by commas or semicolons."""
    items = _split(text(value))
    return None if items is None else tuple(str(choice(item)) for item in items)


def explain(error: ErrorDetails) -> tuple[ErrorCode, str, str]:
    """(code, English, Thai) for one pydantic error of a set-up model."""
    kind, ctx, shown = error["type"], error.get("ctx", {}), _shown(error.get("input"))
    message = error["msg"].removeprefix("Value error, ")
    if kind in ("missing", "string_too_short"):
        return "required", "a value is required", "ต้องกรอกข้อมูล"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == CODE:
        return (
            "invalid",
            f"{shown!r} is not a code (letters, digits, '.', '_' or '-'; at most 32)",
            f"“{shown}” ไม่ใช่รหัสที่ใช้ได้ (ตัวอักษรอังกฤษ ตัวเลข . _ - ไม่เกิน 32 ตัว)",
        )
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ROUND_ID:
        return "invalid", f"{shown!r} is not a round id", f"“{shown}” ไม่ใช่รหัสรอบ เช่น 2570-Q1"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == EMAIL:
        return "invalid", f"{shown!r} is not an e-mail address", f"“{shown}” ไม่ใช่อีเมลที่ใช้ได้"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == LINE_USER_ID:
        return (
            "invalid",
            f"{shown!r} is not a LINE user id (U and 32 hexadecimal digits)",
            f"“{shown}” ไม่ใช่ LINE user id (U ตามด้วยเลขฐานสิบหก 32 หลัก)",
        )
    if kind == "literal_error":
        message = f"{shown!r} is not one of {ctx.get('expected')}"
    thai = {
        "literal_error": f"“{shown}” ไม่ใช่ค่าที่ใช้ได้ ({ctx.get('expected')})",
        "greater_than_equal": f"ต้องไม่น้อยกว่า {ctx.get('ge')}",
        "less_than_equal": f"ต้องไม่เกิน {ctx.get('le')}",
        "string_too_long": f"ยาวเกิน {ctx.get('max_length')} ตัวอักษร",
        "value_error": MODEL_RULES.get(message, (None, f"ข้อมูลไม่สอดคล้องกัน: {message}"))[1],
    }.get(kind, f"ข้อมูลไม่ถูกต้อง: {message}")
    return "invalid", message, thai


def rule_column(message: str, columns: Iterable[str]) -> str | None:
    """The column a model-level rule blames: its own, else the first column it names."""
    if message in MODEL_RULES:
        return MODEL_RULES[message][0]
    named = [
        (found.start(), name) for name in columns if (found := re.search(rf"\b{name}\b", message))
    ]
    return min(named)[1] if named else None


def _split(cleaned: str | None) -> tuple[str, ...] | None:
    if cleaned is None:
        return None
    items = (text(item) for item in _SEPARATORS.split(cleaned))
    return tuple(item for item in items if item) or None


def _shown(value: object) -> str:
    return value if isinstance(value, str) else str(value)
