"""How every service rounds and orders: half-up at two decimals, computed exactly, and codes
in their natural order. One rule, so a figure reads the same in monitoring's dashboard,
evaluation's results and reporting's documents."""

import math
import re
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from shared.thai.calendar import arabic_digits

_HUNDRED = 100


def half_up(value: Fraction | Decimal | int) -> Decimal:
    """`value` rounded half-up (away from zero) to exactly 2 decimals, computed exactly."""
    exact = Fraction(value)
    hundredths = math.floor(abs(exact) * _HUNDRED + Fraction(1, 2))
    return Decimal(hundredths if exact >= 0 else -hundredths).scaleb(-2)


def percent(part: Fraction | Decimal | int, whole: Fraction | Decimal | int) -> Decimal | None:
    """part / whole × 100, rounded half-up to 2 decimals; None when whole is 0."""
    if whole == 0:
        return None
    return half_up(Fraction(part) * _HUNDRED / Fraction(whole))


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    """The mean of the values that are there, half-up at 2 decimals; None if none are."""
    present = [Fraction(v) for v in values if v is not None]
    return half_up(sum(present, Fraction(0)) / len(present)) if present else None


def natural_key(code: str) -> tuple[tuple[tuple[int, int, str], ...], str]:
    """Sort key for codes: "I2" < "I10", "1.2" < "1.10" < "2" (Thai digits read as Arabic);
    ties broken by the code itself."""
    parts = re.split(r"(\d+)", arabic_digits(code))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p), code
