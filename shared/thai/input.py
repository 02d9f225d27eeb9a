"""What officers type, made exact: Thai text, Thai digits, baht, Buddhist Era dates, yes/no.

Officers type Thai digits (๐–๙), Buddhist Era dates (1/10/2569, 1 ต.ค. 2569), baht with
thousands separators and Thai words for yes and no; XLSX hands over numbers, dates and
datetimes, JSON hands over numbers and booleans. Each converter takes a raw value and
returns the exact value (None for an empty one) or raises `CellError` with an English and
a Thai message. Money never passes through float: a float is read as the shortest text
that round-trips, which is what Excel shows.
"""

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from shared.thai.calendar import BE_OFFSET, MONTHS_LONG, MONTHS_SHORT, arabic_digits

__all__ = [
    "CellError",
    "arabic_digits",
    "code",
    "decimal",
    "decimal_text",
    "integer",
    "normalise_text",
    "parse_bool",
    "satang",
    "text",
    "to_date",
]

# Zero-width spaces and BOMs ride along when Thai text is copied from the web or Word.
_EDGES = " \t\r\n\u00a0\u200b\ufeff"
# Sara am typed as nikhahit + sara aa (a tone mark may sit between), and sara ae typed as
# two sara e: they look the same on screen but do not compare or search the same.
_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")
_SARA_AE = "\u0e40\u0e40"
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_THAI_MONTH = re.compile(r"(\d{1,2})\s*([^\d\s]+)\s*(?:พ\.ศ\.\s*)?(\d{4})")
_MONTHS = {
    name.replace(".", ""): number
    for names in (MONTHS_LONG, MONTHS_SHORT)
    for number, name in enumerate(names, start=1)
}
# A year this large is a Buddhist Era year (BE 2400 = CE 1857); smaller ones are CE.
_FIRST_BE_YEAR = 2400
_CE_YEARS = range(1900, 2200)
_BOOLEANS = {
    "true": True,
    "yes": True,
    "1": True,
    "ใช่": True,
    "มี": True,
    "false": False,
    "no": False,
    "0": False,
    "ไม่ใช่": False,
    "ไม่มี": False,
}


class CellError(ValueError):
    """A typed value that cannot become what its field or column holds."""

    def __init__(self, message: str, message_th: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_th = message_th


def normalise_text(value: str) -> str:
    """Stripped (zero-width spaces and BOMs too), NFC, with Thai typing variants folded.

    "ํา" (nikhahit + sara aa) becomes "ำ" and "เเ" (two sara e) becomes "แ".
    """
    composed = unicodedata.normalize("NFC", value)
    folded = _SARA_AM.sub("\\1\u0e33", composed).replace(_SARA_AE, "\u0e41")
    return folded.strip(_EDGES)


def text(value: object) -> str | None:
    """NFC-normalised, stripped text; empty is None; XLSX numbers come back as typed.

    Thai typing variants are left as typed; `normalise_text` folds them.
    """
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number: 1084200101.0 -> "1084200101"
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    raw = value.isoformat() if isinstance(value, date) else str(value)
    cleaned = unicodedata.normalize("NFC", raw).strip(_EDGES)
    return cleaned or None


def code(value: object) -> str | None:
    """A code or a reference to one; codes are ASCII, so Thai digits become Arabic."""
    cleaned = text(value)
    return None if cleaned is None else arabic_digits(cleaned)


def decimal(value: object, *, percent_sign: bool = True) -> Decimal | None:
    """An exact number; '1,250.5', '๘๐' and (unless `percent_sign` is off) '80%' as typed."""
    return _number(value, percent_sign=percent_sign)


def decimal_text(number: Decimal) -> str:
    """The canonical text of a number: no exponent, no trailing zeros ('80.50' -> '80.5')."""
    if number == 0:
        return "0"
    shown = format(number, "f")  # exact, unlike normalize(), which rounds to 28 digits
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


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
    if isinstance(value, datetime | date):
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


def parse_bool(value: object) -> bool | None:
    """Yes or no: True/False, 1/0, yes/no, true/false, ใช่/ไม่ใช่, มี/ไม่มี; empty is None."""
    if value is None or isinstance(value, bool):
        return value
    answer: bool | None = None
    if isinstance(value, int | float | Decimal) and value in (0, 1):
        answer = bool(value)
    elif isinstance(value, str):
        cleaned = text(value)
        if cleaned is None:
            return None
        answer = _BOOLEANS.get(arabic_digits(normalise_text(cleaned)).casefold())
    if answer is None:
        raise CellError(
            f"{value!r} is not yes or no (write ใช่/ไม่ใช่, มี/ไม่มี, yes/no or 1/0)",
            f"“{value}” ไม่ใช่ ใช่/ไม่ใช่ (เขียน ใช่/ไม่ใช่ มี/ไม่มี yes/no หรือ 1/0)",
        )
    return answer


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
