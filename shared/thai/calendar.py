"""The Thai calendar as offices use it: Buddhist Era years, fiscal years, quarters, dates.

The fiscal year (ปีงบประมาณ) runs 1 October – 30 September and is named by the BE year in
which it ends: FY 2570 = 1 Oct 2026 – 30 Sep 2027. Quarter 1 (ไตรมาส 1) is Oct–Dec.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

BE_OFFSET = 543
BANGKOK = ZoneInfo("Asia/Bangkok")

MONTHS_LONG = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

_TO_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_TO_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def thai_today(now: datetime) -> date:
    """The date in Thailand at the moment `now`, which must be timezone-aware (offices'
    dates are Bangkok dates)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("thai_today needs a timezone-aware datetime")
    return now.astimezone(BANGKOK).date()


def be_year(ce_year: int) -> int:
    """Buddhist Era year of a Common Era year: 2026 -> 2569."""
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    """Common Era year of a Buddhist Era year: 2569 -> 2026."""
    return be - BE_OFFSET


def fiscal_year(day: date) -> int:
    """The fiscal year (BE) a date falls in: 1 Oct 2026 -> 2570, 30 Sep 2026 -> 2569."""
    return be_year(day.year + 1 if day.month >= 10 else day.year)


@dataclass(frozen=True)
class Period:
    """A closed range of days."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def fiscal_year_period(fy: int) -> Period:
    """1 October of the previous CE year to 30 September."""
    end_year = ce_year(fy)
    return Period(date(end_year - 1, 10, 1), date(end_year, 9, 30))


def quarter_of(day: date) -> int:
    """Fiscal quarter 1–4 of a date: Oct–Dec is 1, Jul–Sep is 4."""
    return (day.month - 10) % 12 // 3 + 1


def quarter_period(fy: int, quarter: int) -> Period:
    """The days of fiscal quarter `quarter` of fiscal year `fy`."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1–4, not {quarter}")
    start_year = ce_year(fy) - 1
    month = 10 + 3 * (quarter - 1)
    start = date(start_year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    next_month = month + 3
    after = date(start_year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1)
    return Period(start, after - timedelta(days=1))


def thai_digits(text: object) -> str:
    """Arabic digits to Thai digits: '2569' -> '๒๕๖๙'."""
    return str(text).translate(_TO_THAI_DIGITS)


def arabic_digits(text: str) -> str:
    """Thai digits to Arabic digits, leaving everything else alone."""
    return text.translate(_TO_ARABIC_DIGITS)


def format_long(day: date, *, digits: str = "arabic") -> str:
    """'24 พฤศจิกายน 2569', the way dates are written in reports."""
    text = f"{day.day} {MONTHS_LONG[day.month - 1]} {be_year(day.year)}"
    return thai_digits(text) if digits == "thai" else text


def format_short(day: date, *, digits: str = "arabic") -> str:
    """'24 พ.ย. 69': short month, two-digit BE year."""
    text = f"{day.day} {MONTHS_SHORT[day.month - 1]} {be_year(day.year) % 100:02d}"
    return thai_digits(text) if digits == "thai" else text


class HasPeriod(Protocol):
    @property
    def period_start(self) -> date: ...
    @property
    def period_end(self) -> date: ...


R = TypeVar("R", bound=HasPeriod)


def rounds_of(day: date, rounds: Iterable[R]) -> list[R]:
    """The rounds whose reporting period contains `day`, shortest period first."""
    covering = [r for r in rounds if r.period_start <= day <= r.period_end]
    return sorted(covering, key=lambda r: (r.period_end - r.period_start, r.period_start))


def round_of(day: date, rounds: Iterable[R]) -> R | None:
    """The narrowest round covering `day` (a quarter before its half-year), or None."""
    covering = rounds_of(day, rounds)
    return covering[0] if covering else None


def quarter_round_id(day: date) -> str:
    """The standard quarter round id of a date: 24 Nov 2026 -> '2570-Q1'."""
    return f"{fiscal_year(day)}-Q{quarter_of(day)}"
