"""The Thai calendar helpers, at their boundaries and for every date."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shared.thai.calendar import (
    arabic_digits,
    be_year,
    ce_year,
    fiscal_year,
    fiscal_year_period,
    format_long,
    format_short,
    quarter_of,
    quarter_period,
    thai_digits,
)

dates = st.dates(min_value=date(1960, 1, 1), max_value=date(2200, 12, 31))


def test_fiscal_year_turns_on_the_first_of_october() -> None:
    assert fiscal_year(date(2026, 9, 30)) == 2569
    assert fiscal_year(date(2026, 10, 1)) == 2570
    assert fiscal_year(date(2027, 9, 30)) == 2570
    assert fiscal_year_period(2570).start == date(2026, 10, 1)
    assert fiscal_year_period(2570).end == date(2027, 9, 30)


def test_quarters_of_fiscal_year_2570() -> None:
    assert quarter_period(2570, 1).start == date(2026, 10, 1)
    assert quarter_period(2570, 1).end == date(2026, 12, 31)
    assert quarter_period(2570, 2).start == date(2027, 1, 1)
    assert quarter_period(2570, 4).end == date(2027, 9, 30)
    assert [quarter_of(date(2027, m, 1)) for m in (1, 4, 7, 9)] == [2, 3, 4, 4]


def test_dates_the_way_reports_write_them() -> None:
    assert format_long(date(2026, 11, 24)) == "24 พฤศจิกายน 2569"
    assert format_short(date(2026, 11, 24)) == "24 พ.ย. 69"
    assert format_long(date(2026, 11, 24), digits="thai") == "๒๔ พฤศจิกายน ๒๕๖๙"
    assert format_short(date(2100, 1, 5)) == "5 ม.ค. 43"


@given(dates)
def test_every_date_lies_in_its_fiscal_year_and_quarter(day: date) -> None:
    fy = fiscal_year(day)
    assert day in fiscal_year_period(fy)
    assert day in quarter_period(fy, quarter_of(day))


@given(st.integers(min_value=2400, max_value=2800), st.integers(min_value=1, max_value=4))
def test_quarters_tile_the_fiscal_year(fy: int, quarter: int) -> None:
    period = quarter_period(fy, quarter)
    if quarter < 4:
        assert quarter_period(fy, quarter + 1).start == period.end + timedelta(days=1)
    else:
        assert fiscal_year_period(fy + 1).start == period.end + timedelta(days=1)
    assert fiscal_year(period.start) == fiscal_year(period.end) == fy


@given(st.integers(min_value=1, max_value=9999))
def test_buddhist_era_round_trips(year: int) -> None:
    assert ce_year(be_year(year)) == year


@given(st.text())
def test_digits_round_trip(text: str) -> None:
    assert arabic_digits(thai_digits(text)) == arabic_digits(text)


@given(dates)
def test_the_round_of_a_date_is_its_quarter(day: date) -> None:
    from services.monitoring.domain.calendar import standard_rounds
    from shared.thai.calendar import quarter_round_id, round_of, rounds_of

    rounds = standard_rounds(fiscal_year(day))
    found = round_of(day, rounds)
    assert found is not None and found.round_id == quarter_round_id(day)
    covering = [r.round_id for r in rounds_of(day, rounds)]
    assert covering[-1].endswith("-Y"), "the 12-month round covers every day, widest last"
    assert (f"{fiscal_year(day)}-H1" in covering) == (quarter_of(day) <= 2)


@given(st.integers(min_value=2500, max_value=2700))
def test_standard_rounds_are_ordered_and_inside_their_year(fy: int) -> None:
    from services.monitoring.domain.calendar import standard_rounds

    for made in standard_rounds(fy):
        assert made.opens_on <= made.due_on <= made.closes_on
        assert made.period_end <= made.due_on
        assert made.period_start in fiscal_year_period(fy)
        assert made.period_end in fiscal_year_period(fy)


def test_round_boundaries_of_fiscal_year_2570() -> None:
    from services.monitoring.domain.calendar import standard_rounds
    from shared.thai.calendar import round_of

    rounds = standard_rounds(2570)
    assert round_of(date(2026, 9, 30), rounds) is None, "FY 2569 is not in these rounds"
    assert round_of(date(2026, 10, 1), rounds).round_id == "2570-Q1"  # type: ignore[union-attr]
    assert round_of(date(2026, 12, 31), rounds).round_id == "2570-Q1"  # type: ignore[union-attr]
    assert round_of(date(2027, 1, 1), rounds).round_id == "2570-Q2"  # type: ignore[union-attr]
    assert round_of(date(2027, 9, 30), rounds).round_id == "2570-Q4"  # type: ignore[union-attr]
