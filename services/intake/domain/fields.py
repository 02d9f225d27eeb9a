"""One form field's value: converted by its type, checked against its bounds.

A value arrives as a unit typed it (Thai digits, baht with separators, Thai words) or as
another system sent it (JSON numbers, booleans, lists). `convert` makes it the value
intake stores, JSON-serialisable: text, int, bool, an ISO date, a canonical decimal
string, or money as integer satang. `comparable` gives what bounds and cross-field rules
compare: numbers as Decimal in the field's own unit (money in baht), dates as dates.

A money field's `minimum` and `maximum` are in baht, as the form's designer typed them,
although its value is stored in satang.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from shared.contracts.base import DECIMAL_DIGITS, DECIMAL_LIMIT, INT64_MAX, INT64_MIN
from shared.contracts.setup import ACTIVITY_STATUSES, FormField
from shared.thai.input import (
    CellError,
    decimal,
    decimal_text,
    integer,
    normalise_text,
    parse_bool,
    satang,
    text,
    to_date,
)

MAX_EVIDENCE = 20
MAX_EVIDENCE_ID = 128
MAX_URL = 2000
_NUMERIC = ("integer", "decimal", "money", "percent")
_HUNDRED = Decimal(100)

# What reporters type for an activity's status (สถานะการดำเนินงาน).
STATUS_WORDS_TH: dict[str, str] = {
    "ยังไม่ดำเนินการ": "not_started",
    "กำลังดำเนินการ": "in_progress",
    "ดำเนินการแล้ว": "done",
    "เสร็จสิ้น": "done",
    "ดำเนินการเสร็จสิ้น": "done",
    "ยกเลิก": "cancelled",
}


def say(thai: str, english: str) -> str:
    """A message for people: Thai first, English in parentheses."""
    return f"{thai} ({english})"


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with a value; `at` is appended to the field's path (e.g. "[2]")."""

    code: str
    message: str
    at: str = ""


def is_blank(raw: object) -> bool:
    """Nothing was given: None, empty or blank text, an empty list."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return text(raw) is None
    return isinstance(raw, list | tuple) and not raw


def convert(field: FormField, raw: object) -> tuple[Any, list[FieldProblem]]:
    """The stored value (None if it cannot be converted) and every problem with it."""
    if field.field_type == "evidence":
        return _evidence(raw)
    if isinstance(raw, Mapping | list | tuple):
        return None, [FieldProblem("invalid", say("ต้องเป็นค่าเดียว", "must be a single value"))]
    try:
        value = _CONVERTERS[field.field_type](field, raw)
    except CellError as error:
        return None, [FieldProblem("invalid", say(error.message_th, error.message))]
    except _Uncomputable:
        th = f"ตัวเลขเกินช่วงที่คำนวณได้ (ไม่เกิน ±10^15 และไม่เกิน {DECIMAL_DIGITS} หลัก)"
        en = f"a number beyond ±10^15 or of more than {DECIMAL_DIGITS} digits"
        return None, [FieldProblem("number_out_of_range", say(th, en))]
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        # Text such as "99999999999999999999" converts to an int MongoDB cannot hold (money
        # more so, ×100): refused at its field, as the input boundary refuses such a number.
        th, en = "ตัวเลขเกินช่วงที่เก็บได้", f"a number outside {INT64_MIN}…{INT64_MAX}"
        return None, [FieldProblem("number_out_of_range", say(th, en))]
    return value, _bounds(field, value)


class _Uncomputable(ValueError):
    """A decimal outside the contracts' `Quantity` (1e300 as JSON, say): no rule can
    compute with it, and its text would be hundreds of digits."""


def _computable(number: Decimal) -> Decimal:
    digits = number.as_tuple()
    exponent = int(digits.exponent)
    count = len(digits.digits) + exponent if exponent >= 0 else max(len(digits.digits), -exponent)
    if abs(number) > DECIMAL_LIMIT or count > DECIMAL_DIGITS:
        raise _Uncomputable(str(number))
    return number


def comparable(field: FormField, value: Any) -> Any:
    """What a rule compares: Decimal for numbers (money in baht), date, bool or text."""
    if value is None:
        return None
    if field.field_type == "money":
        return Decimal(value) / _HUNDRED
    if field.field_type in _NUMERIC:
        return Decimal(value)
    if field.field_type == "date":
        return date.fromisoformat(value)
    return value


_HINTS_TH: dict[str, str] = {
    "text": "ข้อความ",
    "integer": "จำนวนเต็ม",
    "decimal": "ตัวเลข ทศนิยมได้",
    "money": "จำนวนเงิน (บาท) ทศนิยมไม่เกิน 2 ตำแหน่ง เช่น 1,250,000.50",
    "percent": "ร้อยละ 0–100",
    "yes_no": "ใช่/ไม่ใช่ หรือ มี/ไม่มี",
    "choice": "เลือกหนึ่งค่า",
    "date": "วันที่ เช่น 1/10/2569 (วัน/เดือน/ปี พ.ศ.) หรือ 2026-10-01",
    "activity_status": "ยังไม่ดำเนินการ / กำลังดำเนินการ / ดำเนินการแล้ว / ยกเลิก",
    "evidence": f"ลิงก์ http:// หรือ https:// คั่นด้วยเว้นวรรคหรือ , (ไม่เกิน {MAX_EVIDENCE} รายการ)",
}


def describe_th(field: FormField) -> str:
    """What to type for a field, in Thai (for templates and help)."""
    parts = [_HINTS_TH[field.field_type]]
    if field.choices:
        parts.append("ตัวเลือก: " + ", ".join(c.label_th for c in field.choices))
    if field.max_length is not None:
        parts.append(f"ไม่เกิน {field.max_length} ตัวอักษร")
    unit = " บาท" if field.field_type == "money" else ""
    if field.minimum is not None:
        parts.append(f"ไม่น้อยกว่า {_shown(field.minimum, field)}{unit}")
    if field.maximum is not None:
        parts.append(f"ไม่เกิน {_shown(field.maximum, field)}{unit}")
    return " — ".join(parts)


def _text(field: FormField, raw: object) -> str:
    if isinstance(raw, bool):
        raise CellError(f"{raw} is not text", f"{raw} ไม่ใช่ข้อความ")
    return normalise_text(text(raw) or "")


def _integer(field: FormField, raw: object) -> int | None:
    return integer(raw)


def _decimal(field: FormField, raw: object) -> str | None:
    number = decimal(raw, percent_sign=field.field_type == "percent")
    return None if number is None else decimal_text(_computable(number))


def _money(field: FormField, raw: object) -> int | None:
    return satang(raw)


def _yes_no(field: FormField, raw: object) -> bool | None:
    return parse_bool(raw)


def _date(field: FormField, raw: object) -> str | None:
    day = to_date(raw)
    return None if day is None else day.isoformat()


def _choice(field: FormField, raw: object) -> str:
    typed = normalise_text(text(raw) or "")
    for choice in field.choices:
        if typed.casefold() in (
            choice.value.casefold(),
            normalise_text(choice.label_th).casefold(),
        ):
            return choice.value
    shown = ", ".join(f"{c.value} ({c.label_th})" for c in field.choices)
    raise CellError(f"{typed!r} is not one of: {shown}", f"“{typed}” ไม่ใช่ตัวเลือกที่มี: {shown}")


def _activity_status(field: FormField, raw: object) -> str:
    typed = normalise_text(text(raw) or "")
    english = "_".join(typed.casefold().replace("-", " ").split())
    if english in ACTIVITY_STATUSES:
        return english
    thai = STATUS_WORDS_TH.get("".join(typed.split()))
    if thai is not None:
        return thai
    shown = ", ".join((*STATUS_WORDS_TH, *ACTIVITY_STATUSES))
    raise CellError(
        f"{typed!r} is not an activity status ({', '.join(ACTIVITY_STATUSES)})",
        f"“{typed}” ไม่ใช่สถานะการดำเนินงาน (ใช้ได้: {shown})",
    )


_CONVERTERS: dict[str, Callable[[FormField, object], Any]] = {
    "text": _text,
    "integer": _integer,
    "decimal": _decimal,
    "money": _money,
    "percent": _decimal,
    "yes_no": _yes_no,
    "choice": _choice,
    "date": _date,
    "activity_status": _activity_status,
}


def _bounds(field: FormField, value: Any) -> list[FieldProblem]:
    """Length of text; minimum and maximum of numbers; 0–100 for every percent."""
    if field.field_type == "text" and field.max_length and len(value) > field.max_length:
        th, en = f"ยาวเกิน {field.max_length} ตัวอักษร", f"longer than {field.max_length} characters"
        return [FieldProblem("too_long", say(th, en))]
    if field.field_type not in _NUMERIC:
        return []
    number = comparable(field, value)
    low, high = field.minimum, field.maximum
    if field.field_type == "percent":
        low = Decimal(0) if low is None else max(low, Decimal(0))
        high = _HUNDRED if high is None else min(high, _HUNDRED)
    unit_th, unit_en = (" บาท", " baht") if field.field_type == "money" else ("", "")
    if low is not None and number < low:
        shown = _shown(low, field)
        th, en = f"ต้องไม่น้อยกว่า {shown}{unit_th}", f"must be at least {shown}{unit_en}"
        return [FieldProblem("below_minimum", say(th, en))]
    if high is not None and number > high:
        shown = _shown(high, field)
        th, en = f"ต้องไม่เกิน {shown}{unit_th}", f"must be at most {shown}{unit_en}"
        return [FieldProblem("above_maximum", say(th, en))]
    return []


def _shown(bound: Decimal, field: FormField) -> str:
    return f"{bound:,.2f}" if field.field_type == "money" else decimal_text(bound)


def _evidence(raw: object) -> tuple[list[dict[str, str]] | None, list[FieldProblem]]:
    """A list of at most 20 items, each {"evidence_id": …} or {"url": "http(s)://…"}."""
    if not isinstance(raw, list | tuple):
        th, en = "ต้องเป็นรายการหลักฐาน", "must be a list of evidence items"
        return None, [FieldProblem("invalid", say(th, en))]
    problems: list[FieldProblem] = []
    if len(raw) > MAX_EVIDENCE:
        th, en = f"หลักฐานได้ไม่เกิน {MAX_EVIDENCE} รายการ", f"at most {MAX_EVIDENCE} items"
        problems.append(FieldProblem("too_many", say(th, en)))
    items: list[dict[str, str]] = []
    for index, item in enumerate(raw):
        try:
            items.append(_evidence_item(item))
        except CellError as error:
            message = say(error.message_th, error.message)
            problems.append(FieldProblem("invalid", message, f"[{index}]"))
    return (None if problems else items), problems


def _evidence_item(item: object) -> dict[str, str]:
    if not isinstance(item, Mapping) or len(item) != 1:
        raise CellError(
            'an item is {"evidence_id": …} or {"url": …}',
            "หลักฐานแต่ละรายการคือรหัสไฟล์ (evidence_id) หรือลิงก์ (url) อย่างใดอย่างหนึ่ง",
        )
    ((key, value),) = item.items()
    cleaned = text(value) if isinstance(value, str) else None
    if key == "evidence_id" and cleaned and len(cleaned) <= MAX_EVIDENCE_ID:
        return {"evidence_id": cleaned}
    if key == "url" and cleaned and _is_web_link(cleaned):
        return {"url": cleaned}
    if key == "url":
        raise CellError(
            f"{value!r} is not an http(s) link", f"“{value}” ไม่ใช่ลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://"
        )
    raise CellError(f"{key!r}: {value!r} is not an evidence id", f"“{value}” ไม่ใช่รหัสไฟล์หลักฐานที่ใช้ได้")


def _is_web_link(url: str) -> bool:
    if len(url) > MAX_URL or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
