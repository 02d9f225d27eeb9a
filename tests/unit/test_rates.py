"""Reporting rates: only expected units count, half-up to 2 dp, rolled up to group and office."""

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.monitoring.domain.rates import (
    Rates,
    ReportStatus,
    UnitReport,
    ancestors,
    late_list,
    missing_list,
    rollup,
    rollup_by_unit,
)
from shared.contracts.setup import Unit
from shared.thai.numbers import half_up, percent

OFFICE = "sec-srt"
GROUP = "srt-plan"


def unit(code: str, unit_type: str, parent: str | None) -> Unit:
    return Unit.model_validate(
        {"code": code, "unit_type": unit_type, "name_th": f"หน่วยงาน {code}", "parent_code": parent}
    )


UNITS = {
    u.code: u
    for u in (
        unit("obec", "obec", None),
        unit(OFFICE, "office", "obec"),
        unit(GROUP, "group", OFFICE),
        unit("srt-plan-me", "other", GROUP),
        unit("8401000001", "school", OFFICE),
        unit("8401000002", "school", OFFICE),
    )
}


def report(
    code: str,
    *,
    expected: bool = True,
    state: Literal["missing", "on_time", "late"] = "missing",
    status: ReportStatus | None = None,
) -> UnitReport:
    """`state` is missing, on_time or late; a received report is submitted unless `status`."""
    received = state != "missing"
    return UnitReport(
        round_id="2570-Q1",
        form_id="action-plan-progress",
        unit_code=code,
        expected=expected,
        received=received,
        on_time=state == "on_time",
        late=state == "late",
        status=(status or "submitted") if received else "missing",
        first_received_at=datetime(2027, 1, 10, tzinfo=UTC) if received else None,
    )


reports = st.lists(
    st.builds(
        report,
        st.sampled_from(["8401000001", "8401000002", GROUP, "srt-plan-me", "x"]),
        expected=st.booleans(),
        state=st.sampled_from(["missing", "on_time", "late"]),
        status=st.sampled_from([None, "approved", "returned", "reopened"]),
    ),
    max_size=60,
)


def test_counts_and_rates_of_a_round() -> None:
    rates = rollup(
        [
            report("8401000001", state="on_time", status="approved"),
            report("8401000002", state="late"),
            report(GROUP),
            report("9999999999", expected=False, state="on_time"),
        ]
    )
    assert rates == Rates(
        expected=3,
        received=2,
        on_time=1,
        late=1,
        missing=1,
        approved=1,
        returned=0,
        pending_review=1,
        unexpected=1,
        rate=Decimal("66.67"),
        on_time_rate=Decimal("33.33"),
    )
    assert rates.model_dump(mode="json")["rate"] == "66.67"


def test_nobody_expected_is_no_rate() -> None:
    rates = rollup([report("8401000001", expected=False, state="late")])
    assert (rates.expected, rates.unexpected, rates.rate, rates.on_time_rate) == (0, 1, None, None)
    assert rollup([]).rate is None


def test_half_up_at_two_places() -> None:
    assert percent(2, 3) == Decimal("66.67")
    assert percent(1, 8) == Decimal("12.50")
    assert str(percent(1, 8)) == "12.50"
    assert percent(1, 3) == Decimal("33.33")
    assert percent(1, 1) == Decimal("100.00")
    assert percent(5, 0) is None
    assert half_up(Decimal("0.125")) == Decimal("0.13")  # not banker's 0.12
    assert half_up(Decimal("-0.125")) == Decimal("-0.13")
    assert half_up(Decimal("2.675")) == Decimal("2.68")


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_percent_is_the_nearest_hundredth_rounding_halves_up(part: int, whole: int) -> None:
    result = percent(part, whole)
    assert result is not None and result.as_tuple().exponent == -2
    exact = Fraction(part * 100, whole)
    error = Fraction(result) - exact
    assert Fraction(-1, 200) < error <= Fraction(1, 200)


@given(reports)
def test_rate_between_0_and_100_and_counts_add_up(items: list[UnitReport]) -> None:
    rates = rollup(items)
    expected = [r for r in items if r.expected]
    received = [r for r in expected if r.received]
    assert rates.expected == len(expected)
    assert rates.missing == rates.expected - len(received)
    assert rates.received + rates.missing == rates.expected
    assert rates.on_time + rates.late == rates.received
    assert rates.approved + rates.returned + rates.pending_review == rates.received
    assert rates.unexpected == sum(1 for r in items if r.received and not r.expected)
    if rates.expected == 0:
        assert rates.rate is None and rates.on_time_rate is None
    else:
        assert rates.rate is not None and rates.on_time_rate is not None
        assert Decimal(0) <= rates.on_time_rate <= rates.rate <= Decimal(100)
        assert rates.rate == percent(len(received), len(expected))


@given(reports)
def test_unexpected_reports_never_raise_the_rate(items: list[UnitReport]) -> None:
    extra = [report("9999999999", expected=False, state="on_time")] * 5
    with_extra = rollup(items + extra)
    assert with_extra.rate == rollup(items).rate
    assert with_extra.unexpected == rollup(items).unexpected + 5


@pytest.mark.parametrize(
    "fields",
    [
        {"received": False, "on_time": True, "late": False, "status": "missing"},
        {"received": False, "on_time": False, "late": False, "status": "submitted"},
        {"received": True, "on_time": True, "late": True, "status": "submitted"},
        {"received": True, "on_time": False, "late": False, "status": "submitted"},
        {"received": True, "on_time": True, "late": False, "status": "missing"},
    ],
)
def test_inconsistent_reports_are_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        UnitReport(round_id="2570-Q1", form_id="f", unit_code="u", expected=True, **fields)


def test_ancestors_stop_at_the_office_and_never_reach_obec() -> None:
    assert ancestors("srt-plan-me", UNITS) == [GROUP, OFFICE]
    assert ancestors("8401000001", UNITS) == [OFFICE]
    assert ancestors(GROUP, UNITS) == [OFFICE]
    assert ancestors(OFFICE, UNITS) == []
    assert ancestors("obec", UNITS) == []
    assert ancestors("unknown", UNITS) == []


def test_ancestors_survive_unknown_parents_and_cycles() -> None:
    orphan = {"8401000009": unit("8401000009", "school", "gone")}
    assert ancestors("8401000009", orphan) == []
    cycle = {"a": unit("a", "group", "b"), "b": unit("b", "group", "a")}
    assert ancestors("a", cycle) == ["b"]
    assert ancestors("b", cycle) == ["a"]
    self_parent = {"a": unit("a", "group", "a")}
    assert ancestors("a", self_parent) == []


def test_rollup_by_unit_counts_each_report_at_its_group_and_office() -> None:
    by_unit = rollup_by_unit(
        [
            report("srt-plan-me", state="on_time"),
            report("8401000001", state="late"),
            report("8401000002"),
        ],
        UNITS,
    )
    assert set(by_unit) == {"srt-plan-me", GROUP, OFFICE, "8401000001", "8401000002"}
    assert (by_unit[GROUP].expected, by_unit[GROUP].rate) == (1, Decimal("100.00"))
    assert (by_unit[OFFICE].expected, by_unit[OFFICE].received) == (3, 2)
    assert by_unit[OFFICE].rate == Decimal("66.67")
    assert "obec" not in by_unit


def test_late_and_missing_lists_are_sorted_expected_units_once() -> None:
    items = [
        report("8401000002", state="late"),
        report("8401000001", state="late"),
        report("8401000001", state="late"),
        report("9999999999", expected=False, state="late"),
        report(GROUP),
        report("8401000003"),
    ]
    assert late_list(items) == ["8401000001", "8401000002"]
    assert missing_list(items) == ["8401000003", GROUP]


@given(reports)
def test_lists_match_the_counts(items: list[UnitReport]) -> None:
    rates = rollup(items)
    assert len(missing_list(items)) <= rates.missing
    assert len(late_list(items)) <= rates.late
    assert not set(missing_list(items)) - {r.unit_code for r in items if r.expected}
