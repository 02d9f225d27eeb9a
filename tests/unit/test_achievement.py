"""Progress against targets and budget: round actuals, accumulation, achievement, status."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from services.monitoring.domain.achievement import (
    ActivityCounts,
    ProjectProgress,
    ValueKeys,
    achievement,
    aggregate_round,
    cumulative,
    project_progress,
    rounds_up_to,
    status_of,
    target_for,
    worst,
)
from services.monitoring.domain.budget import (
    CABINET_DISBURSEMENT_TARGETS,
    ExpectedDisbursement,
    Thresholds,
    budget_status,
    disbursement,
    expected_by,
)
from services.monitoring.domain.calendar import standard_rounds
from shared.contracts.setup import Indicator, Project

LEVELS = ("กำลังพัฒนา", "ปานกลาง", "ดี", "ดีเลิศ", "ยอดเยี่ยม")
ROUNDS = {r.round_id: r for r in standard_rounds(2570)}
PROJECT = Project(
    code="P2570-01",
    plan_id="AP2570",
    name_th="โครงการพัฒนาทักษะการอ่าน",
    responsible_unit="srt-plan",
    budget_satang=10_000_000,
    starts_on=date(2026, 10, 1),
    ends_on=date(2027, 9, 30),
)

positive = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**6), places=2)
non_negative = st.decimals(min_value=Decimal(0), max_value=Decimal(10**6), places=2)
percent_values = st.decimals(min_value=Decimal(0), max_value=Decimal(200), places=2)


def indicator(indicator_type: str = "number", **extra: Any) -> Indicator:
    return Indicator.model_validate(
        {
            "code": f"I-{indicator_type}",
            "project_code": PROJECT.code,
            "name_th": "ตัวชี้วัดทดสอบ",
            "unit_of_measure": "ร้อยละ" if indicator_type == "percent" else "คน",
            "indicator_type": indicator_type,
        }
        | ({"levels": LEVELS} if indicator_type == "level" else {})
        | extra
    )


NUMBER, PERCENT, YES_NO, LEVEL = (indicator(t) for t in ("number", "percent", "yes_no", "level"))
LOWER = indicator(direction="lower_is_better")


# Round actuals


def test_number_sums_the_units_that_reported() -> None:
    reports: list[dict[str, Any]] = [
        {"actual": "12"},
        {"actual": "30.5"},
        {"actual": None},
        {},
        {"actual": "n/a"},
    ]
    assert aggregate_round(NUMBER, reports) == Decimal("42.5")
    assert aggregate_round(NUMBER, [{}, {"actual": ""}]) is None
    assert aggregate_round(NUMBER, []) is None


def test_percent_pools_numerators_and_denominators() -> None:
    reports = [
        {"actual": "50", "numerator": "1", "denominator": "2"},
        {"numerator": "9", "denominator": "10"},
    ]
    assert aggregate_round(PERCENT, reports) == Decimal("83.33")  # 10 / 12, not (50 + 90) / 2


def test_percent_without_every_pair_is_the_mean_of_actuals() -> None:
    reports: list[dict[str, Any]] = [
        {"actual": "50"},
        {"actual": "80"},
        {"numerator": "1", "denominator": "4"},
    ]
    assert aggregate_round(PERCENT, reports) == Decimal("51.67")  # (50 + 80 + 25) / 3
    assert aggregate_round(PERCENT, [{"numerator": "0", "denominator": "0"}]) is None
    assert aggregate_round(PERCENT, [{"actual": "1"}, {"actual": "2"}]) == Decimal("1.50")


def test_yes_no_is_the_percentage_of_units_answering_yes() -> None:
    reports: list[dict[str, Any]] = [
        {"actual": True},
        {"actual": "1"},
        {"actual": False},
        {"actual": "maybe"},
    ]
    assert aggregate_round(YES_NO, reports) == Decimal("66.67")
    assert aggregate_round(YES_NO, [{"actual": "0"}]) == Decimal("0.00")
    assert aggregate_round(YES_NO, [{}]) is None


def test_level_is_the_lower_median_of_positions_or_labels() -> None:
    reports: list[dict[str, Any]] = [
        {"actual": "ดีเลิศ"},
        {"actual": 0},
        {"actual": "2"},
        {"actual": "ยอดเยี่ยม"},
    ]
    assert aggregate_round(LEVEL, reports) == Decimal(2)  # positions 0, 2, 3, 4
    off_scale: list[dict[str, Any]] = [
        {"actual": 5},
        {"actual": "1.5"},
        {"actual": True},
        {"actual": "ดีมาก"},
    ]
    assert aggregate_round(LEVEL, off_scale) is None


@given(st.lists(st.integers(min_value=0, max_value=len(LEVELS) - 1), min_size=1), st.randoms())
def test_level_median_is_a_reported_lower_median_whatever_the_order(
    positions: list[int], random: Any
) -> None:
    shuffled = positions[:]
    random.shuffle(shuffled)
    median = aggregate_round(LEVEL, [{"actual": p} for p in shuffled])
    assert median is not None and int(median) in positions
    n = len(positions)
    assert sum(p <= median for p in positions) >= (n + 1) // 2
    assert sum(p >= median for p in positions) >= n // 2 + 1
    labels = aggregate_round(LEVEL, [{"actual": LEVELS[p]} for p in positions])
    assert labels == median


def test_custom_field_keys() -> None:
    keys = ValueKeys(actual="value", numerator="passed", denominator="tested")
    assert aggregate_round(NUMBER, [{"value": "3"}, {"actual": "100"}], keys=keys) == 3
    reports = [{"passed": 3, "tested": 4}]
    assert aggregate_round(PERCENT, reports, keys=keys) == Decimal("75.00")


# Accumulation and targets


@given(st.lists(st.one_of(st.none(), non_negative), min_size=1, max_size=6))
def test_sum_accumulation_equals_the_sum_of_rounds(values: list[Decimal | None]) -> None:
    per_round = [(f"2570-R{i}", v) for i, v in enumerate(values)]
    total = cumulative(indicator(accumulation="sum"), per_round)
    reported = [v for v in values if v is not None]
    assert total == (sum(reported, Decimal(0)) if reported else None)


def test_latest_and_average_accumulation() -> None:
    per_round = [("2570-Q1", Decimal(10)), ("2570-Q2", Decimal(20)), ("2570-Q3", None)]
    assert cumulative(indicator(accumulation="latest"), per_round) == Decimal(20)
    assert cumulative(indicator(accumulation="average"), per_round) == Decimal("15.00")
    thirds = [("a", Decimal(1)), ("b", Decimal(1)), ("c", Decimal(0))]
    assert cumulative(indicator(accumulation="average"), thirds) == Decimal("0.67")
    assert cumulative(NUMBER, [("2570-Q1", None)]) is None


def test_target_of_the_round_the_sum_so_far_or_the_year() -> None:
    targets = {"2570-Q1": Decimal(10), "2570-Q3": Decimal(30)}
    summed = indicator(accumulation="sum", round_targets=targets, year_target=Decimal(100))
    assert target_for(summed, ["2570-Q1", "2570-Q2", "2570-Q3"]) == Decimal(40)
    assert target_for(summed, ["2570-Q1", "2570-Q2"]) == Decimal(100)  # Q2 has none: the year
    latest = indicator(round_targets=targets, year_target=Decimal(100))
    assert target_for(latest, ["2570-Q1", "2570-Q2", "2570-Q3"]) == Decimal(30)
    assert target_for(indicator(), ["2570-Q1"]) is None
    assert target_for(indicator("yes_no", year_target=1), ["2570-Q1"]) == Decimal(100)


def test_rounds_up_to_now_never_overlap() -> None:
    def ids(round_id: str) -> list[str]:
        return [r.round_id for r in rounds_up_to(ROUNDS[round_id], ROUNDS.values())]

    assert ids("2570-Q1") == ["2570-Q1"]
    assert ids("2570-Q3") == ["2570-Q1", "2570-Q2", "2570-Q3"]
    assert ids("2570-H1") == ["2570-H1"]
    assert ids("2570-Y") == ["2570-Y"]
    assert [r.round_id for r in rounds_up_to(ROUNDS["2570-Q2"], [])] == ["2570-Q2"]


# Achievement and status


def test_achievement_examples() -> None:
    assert achievement(NUMBER, Decimal(80), Decimal(100)) == Decimal("80.00")
    assert achievement(NUMBER, Decimal(2), Decimal(3)) == Decimal("66.67")
    assert achievement(NUMBER, Decimal(1), Decimal(8)) == Decimal("12.50")
    assert achievement(NUMBER, Decimal(10**6), Decimal(1)) == Decimal("999.99")
    assert achievement(NUMBER, Decimal(5), Decimal(0)) is None
    assert achievement(NUMBER, None, Decimal(5)) is None
    assert achievement(NUMBER, Decimal(5), None) is None
    assert achievement(NUMBER, Decimal(-5), Decimal(5)) is None
    assert achievement(LOWER, Decimal(8), Decimal(4)) == Decimal("50.00")
    assert achievement(LOWER, Decimal(0), Decimal(0)) == Decimal("100.00")
    assert achievement(LOWER, Decimal(0), Decimal(3)) == Decimal("999.99")
    assert achievement(LOWER, Decimal(3), Decimal(0)) == Decimal("0.00")


def test_level_achievement_compares_ranks() -> None:
    assert achievement(LEVEL, Decimal(2), Decimal(3)) == Decimal("75.00")  # ดี of ดีเลิศ
    assert achievement(LEVEL, Decimal(0), Decimal(0)) == Decimal("100.00")


@given(positive, positive)
def test_lower_is_better_mirrors_higher_is_better(actual: Decimal, target: Decimal) -> None:
    assert achievement(LOWER, actual, target) == achievement(NUMBER, target, actual)
    reached = achievement(NUMBER, actual, target)
    mirrored = achievement(LOWER, actual, target)
    assert reached is not None and mirrored is not None
    assert Decimal(0) <= reached <= Decimal("999.99") and reached.as_tuple().exponent == -2
    if actual >= target:
        assert reached >= 100 >= mirrored
    else:
        assert reached <= 100 <= mirrored


thresholds = st.tuples(percent_values, percent_values).map(
    lambda pair: Thresholds(on_track=max(pair), at_risk=min(pair))
)


@given(thresholds)
def test_status_boundaries_are_exactly_the_thresholds(limits: Thresholds) -> None:
    cent = Decimal("0.01")
    assert status_of(limits.on_track, limits) == "on_track"
    assert status_of(limits.on_track + cent, limits) == "on_track"
    if limits.at_risk < limits.on_track:
        assert status_of(limits.on_track - cent, limits) == "at_risk"
        assert status_of(limits.at_risk, limits) == "at_risk"
    if limits.at_risk > 0:
        assert status_of(limits.at_risk - cent, limits) == "off_track"
    assert status_of(None, limits) == "no_data"


def test_default_thresholds() -> None:
    assert [status_of(Decimal(v)) for v in ("80", "79.99", "50", "49.99")] == [
        "on_track",
        "at_risk",
        "at_risk",
        "off_track",
    ]
    with pytest.raises(ValidationError):
        Thresholds(on_track=Decimal(40), at_risk=Decimal(60))


def test_worst_ignores_no_data() -> None:
    assert worst(["on_track", "no_data", "at_risk"]) == "at_risk"
    assert worst(["off_track", "on_track"]) == "off_track"
    assert worst(["no_data", "no_data"]) == "no_data"
    assert worst([]) == "no_data"


# Budget


def test_expected_disbursement_by_quarter() -> None:
    assert CABINET_DISBURSEMENT_TARGETS == (30, 55, 80, 100)
    ends = [date(2026, 10, 1), date(2026, 12, 31), date(2027, 3, 31), date(2027, 6, 1)]
    assert [expected_by(d, 2570) for d in ends] == [30, 30, 55, 80]
    assert expected_by(date(2027, 9, 30), 2570) == 100
    assert expected_by(date(2026, 9, 30), 2570) == 0
    assert expected_by(date(2027, 10, 1), 2570) == 100
    own = ExpectedDisbursement(fiscal_year=2570, by_quarter=(25, 50, 75, 95))
    assert expected_by(date(2027, 3, 31), 2570, own) == 50
    with pytest.raises(ValueError):
        expected_by(date(2027, 3, 31), 2571, own)
    with pytest.raises(ValidationError):
        ExpectedDisbursement(by_quarter=(50, 40, 80, 100))


def test_disbursement_rate() -> None:
    assert disbursement(800, 100) == Decimal("12.50")
    assert disbursement(300, 200) == Decimal("66.67")
    assert disbursement(0, 100) is None
    assert disbursement(100, None) is None


@given(st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2), thresholds)
def test_budget_status_boundaries(expected: Decimal, limits: Thresholds) -> None:
    on_track_from = expected * limits.on_track / 100
    at_risk_from = expected * limits.at_risk / 100
    assert budget_status(on_track_from, expected, limits) == "on_track"
    assume(at_risk_from < on_track_from)
    assert budget_status(at_risk_from, expected, limits) == "at_risk"
    assert budget_status(at_risk_from - Decimal("0.0001"), expected, limits) == "off_track"
    assert budget_status(None, expected, limits) == "no_data"


def test_activity_counts() -> None:
    statuses = ["done", "done", "in_progress", "cancelled", None, "unknown", 3]
    counts = ActivityCounts.of(statuses)
    assert (counts.not_started, counts.in_progress, counts.done, counts.cancelled) == (0, 1, 2, 1)


# A project in a round


def unit_values(status: str, spent: int, **indicators: dict[str, Any]) -> dict[str, Any]:
    return {
        "problems": "งบประมาณล่าช้า",
        "projects": {PROJECT.code: {"activity_status": status, "budget_spent": spent}},
        "indicators": indicators,
    }


def test_project_progress_in_the_second_quarter() -> None:
    readers = indicator(
        code="P2570-01-I1",
        accumulation="sum",
        round_targets={"2570-Q1": Decimal(50), "2570-Q2": Decimal(50)},
    )
    passing = indicator("percent", code="P2570-01-I2", year_target=Decimal(80))
    elsewhere = indicator(code="P2570-02-I1", project_code="P2570-02")
    values_by_round = {
        "2570-Q1": [unit_values("in_progress", 1_000_000, **{"P2570-01-I1": {"actual": "40"}})],
        "2570-Q2": [
            unit_values("done", 2_500_000, **{"P2570-01-I1": {"actual": "30"}}),
            unit_values(
                "in_progress",
                1_500_000,
                **{"P2570-01-I2": {"actual": "75", "numerator": 3, "denominator": 4}},
            ),
            {"projects": {"P2570-02": {"activity_status": "done"}}},
        ],
        "2570-H1": [unit_values("done", 9_000_000, **{"P2570-01-I1": {"actual": "999"}})],
    }
    progress = project_progress(
        PROJECT,
        [readers, passing, elsewhere],
        ROUNDS["2570-Q2"],
        ROUNDS.values(),
        values_by_round,
        Thresholds(),
        ExpectedDisbursement(),
    )
    assert progress.units_reporting == 2
    assert progress.activities == ActivityCounts(in_progress=1, done=1)
    assert progress.units_with_problems == 2 and progress.units_with_suggestions == 0
    assert (progress.allocated_satang, progress.spent_satang) == (10_000_000, 4_000_000)
    assert progress.disbursement_rate == Decimal("40.00")
    assert progress.expected_disbursement == 55
    assert progress.budget_status == "at_risk"  # 40 < 55 × 80% = 44, ≥ 55 × 50%
    first, second = progress.indicators
    assert (first.round_actual, first.cumulative_actual, first.target) == (30, 70, 100)
    assert (first.achievement, first.status) == (Decimal("70.00"), "at_risk")
    assert (second.round_actual, second.target, second.achievement) == (75, 80, Decimal("93.75"))
    assert second.status == "on_track"
    assert progress.status == "at_risk"
    assert ProjectProgress.model_validate_json(progress.model_dump_json()) == progress


def test_project_progress_with_no_reports_is_no_data() -> None:
    progress = project_progress(
        PROJECT, [indicator(year_target=Decimal(5))], ROUNDS["2570-Q1"], ROUNDS.values(), {}
    )
    assert progress.units_reporting == 0
    assert progress.spent_satang is None and progress.disbursement_rate is None
    assert progress.budget_status == "no_data"
    assert progress.indicators[0].status == "no_data"
    assert progress.status == "no_data"
    assert progress.model_dump(mode="json")["expected_disbursement"] == "30"


def test_project_progress_reads_the_forms_own_keys() -> None:
    keys = ValueKeys(projects="work", budget_spent="used", activity_status="state")
    values = {"2570-Q4": [{"work": {PROJECT.code: {"state": "done", "used": 10_000_000}}}]}
    progress = project_progress(PROJECT, [], ROUNDS["2570-Q4"], ROUNDS.values(), values, keys=keys)
    assert progress.activities.done == 1
    assert (progress.disbursement_rate, progress.budget_status) == (Decimal("100.00"), "on_track")
    assert progress.status == "on_track"
