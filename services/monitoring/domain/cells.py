"""Cells of an imported sheet: values as officers type them, and what is wrong with them.

Officers type Thai digits (๐–๙), Buddhist Era dates (1/10/2569), baht with thousands
separators and lists separated by commas; XLSX hands over numbers, dates and datetimes.
Each converter takes a raw cell and returns the model's value (None for an empty cell) or
raises `CellError` with an English and a Thai message. Money never passes through float.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic_core import ErrorDetails

from shared.contracts.setup import CODE, ROUND_ID
from shared.thai_calendar import BE_OFFSET, MONTHS_LONG, MONTHS_SHORT, arabic_digits

Converter = Callable[[object], object]
ErrorCode = Literal["required", "invalid"]

# Zero-width spaces and BOMs ride along when Thai text is copied from the web or Word.
_EDGES = " \t\r\n\u00a0\u200b\ufeff"
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_THAI_MONTH = re.compile(r"(\d{1,2})\s*([^\d\s]+)\s*(?:พ\.ศ\.\s*)?(\d{4})")
_MONTHS = {
    name.replace(".", ""): number
    for names in (MONTHS_LONG, MONTHS_SHORT)
    for number, name in enumerate(names, start=1)
}
_SEPARATORS = re.compile(r"[,;\n]")
# A year this large is a Buddhist Era year (BE 2400 = CE 1857); smaller ones are CE.
_FIRST_BE_YEAR = 2400
_CE_YEARS = range(1900, 2200)

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


class CellError(ValueError):
    """A cell that cannot become its column's value."""

    def __init__(self, message: str, message_th: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_th = message_th


def text(value: object) -> str | None:
    """NFC-normalised, stripped text; empty is None; XLSX numbers come back as typed."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number: 1084200101.0 -> "1084200101"
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    raw = value.isoformat() if isinstance(value, date) else str(value)
    cleaned = unicodedata.normalize("NFC", raw).strip(_EDGES)
    return cleaned or None


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


def code(value: object) -> str | None:
    """A code or a reference to one; codes are ASCII, so Thai digits become Arabic."""
    cleaned = text(value)
    return None if cleaned is None else arabic_digits(cleaned)


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


def decimal(value: object) -> Decimal | None:
    """An exact number; '1,250.5', '๘๐' and '80%' are read as typed."""
    return _number(value, percent_sign=True)


def integer(value: object) -> int | None:
    """A whole number, e.g. a fiscal year typed as '๒๕๗๐'."""
    number = _number(value, percent_sign=False)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(f"{number} is not a whole number", f"{number} ต้องเป็นจำนวนเต็ม")
    return int(number)


def satang(value: object) -> int | None:
    """Baht with at most 2 decimals, as exact integer satang: '1,250,000.50' -> 125000050."""
    baht = _number(value, percent_sign=False)
    if baht is None:
        return None
    amount = baht * 100
    if amount != amount.to_integral_value():
        raise CellError(
            f"{baht} baht has more than 2 decimal places",
            f"จำนวนเงิน {baht} บาท มีทศนิยมเกิน 2 ตำแหน่ง",
        )
    return int(amount)


def to_date(value: object) -> date | None:
    """ISO (2026-10-01), Thai day/month/BE year (1/10/2569, 1 ต.ค. 2569) or an XLSX date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _checked(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, date):
        return _checked(value.year, value.month, value.day, value.isoformat())
    cleaned = text(value)
    if cleaned is None:
        return None
    typed = arabic_digits(cleaned)
    if match := _ISO.fullmatch(typed):
        year, month, day = (int(part) for part in match.groups())
        return _checked(year, month, day, cleaned)
    if match := _DMY.fullmatch(typed):
        day, month, year = (int(part) for part in match.groups())
        return _checked(year, month, day, cleaned)
    if (match := _THAI_MONTH.fullmatch(typed)) and match[2].replace(".", "") in _MONTHS:
        return _checked(int(match[3]), _MONTHS[match[2].replace(".", "")], int(match[1]), cleaned)
    raise CellError(
        f"{cleaned!r} is not a date (write 1/10/2569 or 2026-10-01)",
        f"“{cleaned}” ไม่ใช่วันที่ (เขียนแบบ 1/10/2569 หรือ 2026-10-01)",
    )


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


def _number(value: object, *, percent_sign: bool) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"{value} is not a number", f"{value} ไม่ใช่ตัวเลข")
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # the shortest text that round-trips: what Excel shows
    else:
        cleaned = text(value)
        if cleaned is None:
            return None
        typed = arabic_digits(cleaned)
        typed = typed.removesuffix("%").rstrip() if percent_sign else typed
        if not _NUMBER.fullmatch(typed):
            raise CellError(f"{cleaned!r} is not a number", f"“{cleaned}” ไม่ใช่ตัวเลข")
        number = Decimal(typed.replace(",", ""))
    if not number.is_finite():
        raise CellError(f"{value} is not a number", f"{value} ไม่ใช่ตัวเลข")
    return number


def _checked(year: int, month: int, day: int, typed: str) -> date:
    """The date, with a Buddhist Era year turned into CE."""
    if year >= _FIRST_BE_YEAR:
        year -= BE_OFFSET
    if year not in _CE_YEARS:
        raise CellError(f"{typed!r} has an unlikely year", f"“{typed}” ปีไม่ถูกต้อง")
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"{typed!r} is not a real date", f"“{typed}” ไม่ใช่วันที่ที่มีอยู่จริง") from None


def _split(cleaned: str | None) -> tuple[str, ...] | None:
    if cleaned is None:
        return None
    items = tuple(item.strip(_EDGES) for item in _SEPARATORS.split(cleaned))
    return tuple(item for item in items if item) or None


def _shown(value: object) -> str:
    return value if isinstance(value, str) else str(value)
