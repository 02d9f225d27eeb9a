"""What officers type, made exact: Thai text, Thai digits, baht, dates, yes/no."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.thai.calendar import be_year, thai_digits
from shared.thai.input import (
    CellError,
    code,
    decimal,
    decimal_text,
    integer,
    normalise_text,
    parse_bool,
    satang,
    text,
    to_date,
)

BAHT = st.decimals(
    min_value=Decimal("-1000000000"),
    max_value=Decimal("1000000000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("\ufeff\u200b น\u0e49\u0e4d\u0e32 \u00a0", "น\u0e49\u0e33"),  # edges stripped, sara am
        ("ทํา", "ทำ"),
        ("น\u0e4d\u0e49\u0e32", "น\u0e49\u0e33"),  # nikhahit typed before the tone mark
        ("เเผน", "แผน"),
        ("เเละเเก้ไข", "และแก้ไข"),
        ("e\u0301", "\u00e9"),  # NFC
        ("โครงการ ๑", "โครงการ ๑"),  # Thai digits in text are kept
        ("  ", ""),
    ],
)
def test_thai_typing_variants_are_folded(typed: str, expected: str) -> None:
    assert normalise_text(typed) == expected


def test_text_leaves_typing_variants_as_typed() -> None:
    # The set-up import reads names with `text`, which does not fold (its behaviour is kept).
    assert text("\u200b เเผน ") == "เเผน"
    assert text(1084200101.0) == "1084200101"
    assert text(datetime(2026, 10, 1)) == "2026-10-01"
    assert text(" \u200b ") is None


@given(st.text())
def test_normalising_twice_changes_nothing(typed: str) -> None:
    once = normalise_text(typed)
    assert normalise_text(once) == once


@given(BAHT)
def test_baht_round_trip_through_satang(baht: Decimal) -> None:
    assert satang(str(baht)) == int(baht * 100)
    assert Decimal(satang(str(baht)) or 0) / 100 == baht


@given(BAHT.filter(lambda baht: baht >= 0))
def test_baht_with_thousands_separators_and_thai_digits(baht: Decimal) -> None:
    typed = thai_digits(f"{baht:,.2f}")
    assert satang(typed) == int(baht * 100)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_thai_digits_anywhere_in_a_whole_number(number: int) -> None:
    typed = str(number)
    mixed = "".join(thai_digits(ch) if position % 2 else ch for position, ch in enumerate(typed))
    assert integer(thai_digits(typed)) == number
    assert integer(mixed) == number
    assert decimal(mixed) == Decimal(number)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4))
def test_decimal_text_is_canonical_and_exact(number: Decimal) -> None:
    shown = decimal_text(number)
    assert Decimal(shown) == number
    assert "E" not in shown and "e" not in shown
    assert decimal_text(Decimal(shown)) == shown
    assert shown == "0" or not ("." in shown and shown.endswith("0"))


@pytest.mark.parametrize("baht", ["1.005", "๐.๐๐๑", "1,25", "abc", "10%", True, float("nan")])
def test_money_not_exact_in_satang_is_an_error(baht: object) -> None:
    with pytest.raises(CellError) as raised:
        satang(baht)
    assert raised.value.message and raised.value.message_th


def test_floats_are_read_as_excel_shows_them() -> None:
    assert satang(0.29) == 29  # 0.29 * 100 is 28.999999999999996 in float
    assert satang(1250000.5) == 125_000_050
    with pytest.raises(CellError):
        satang(0.1 + 0.2)  # 0.30000000000000004: not what anyone typed, so not money


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-10-01", date(2026, 10, 1)),
        ("2026-10-01T00:00:00", date(2026, 10, 1)),
        ("1/10/2569", date(2026, 10, 1)),
        ("1/10/2026", date(2026, 10, 1)),
        ("๑/๑๐/๒๕๖๙", date(2026, 10, 1)),
        ("1 ต.ค. 2569", date(2026, 10, 1)),
        ("1 ต.ค. พ.ศ. 2569", date(2026, 10, 1)),
        ("24 พฤศจิกายน 2569", date(2026, 11, 24)),
        (datetime(2026, 10, 1, 9, 30), date(2026, 10, 1)),
        (date(2026, 10, 1), date(2026, 10, 1)),
        ("", None),
        (None, None),
    ],
)
def test_dates_iso_thai_and_objects(typed: object, expected: date | None) -> None:
    assert to_date(typed) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_any_date_typed_the_thai_way_reads_back(day: date) -> None:
    assert to_date(f"{day.day}/{day.month}/{be_year(day.year)}") == day
    assert to_date(thai_digits(f"{day.day}/{day.month}/{be_year(day.year)}")) == day
    assert to_date(day.isoformat()) == day


@pytest.mark.parametrize("typed", ["31/02/2569", "1/10/69", "เมื่อวาน", "1 ตค 25"])
def test_impossible_dates_are_errors(typed: str) -> None:
    with pytest.raises(CellError):
        to_date(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        (1.0, True),
        (Decimal("0"), False),
        ("yes", True),
        ("No", False),
        ("TRUE", True),
        ("false", False),
        ("๑", True),
        ("0", False),
        (" ใช่ ", True),
        ("ไม่ใช่", False),
        ("มี", True),
        ("ไม่มี", False),
        ("", None),
        (None, None),
    ],
)
def test_yes_and_no_in_english_thai_and_digits(typed: object, expected: bool | None) -> None:
    assert parse_bool(typed) is expected


@pytest.mark.parametrize("typed", [2, "maybe", "อาจจะ", [], 0.5])
def test_anything_else_is_not_yes_or_no(typed: object) -> None:
    with pytest.raises(CellError):
        parse_bool(typed)


def test_codes_and_percentages() -> None:
    assert code("๑๐๘๔๒๐๐๑๐๑") == "1084200101"
    assert decimal("๘๐%") == Decimal("80")
    with pytest.raises(CellError):
        decimal("80%", percent_sign=False)
    with pytest.raises(CellError):
        integer("2570.5")
