"""Evaluation frameworks: scales as data, weights, depth, levels and proposed levels."""

from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from services.evaluation.domain.frameworks import (
    FIVE_LEVEL,
    FOUR_LEVEL,
    SEED_SCALES,
    Framework,
    FrameworkError,
    FromIndicator,
    Node,
    Problem,
    Rubric,
    Scale,
    ScaleLevel,
    check_framework,
    leaves,
    level_for,
    propose_level,
    validate_framework,
)
from shared.contracts.monitoring import IndicatorProgress
from shared.thai.numbers import half_up

D = Decimal
THRESHOLDS = (D(50), D(65), D(80), D(95))


def leaf(
    code: str,
    weight: int | str | Decimal,
    indicator_code: str | None = None,
    thresholds: tuple[Decimal, ...] = THRESHOLDS,
) -> Node:
    """A criterion scored by a rubric, or from `indicator_code` by `thresholds`."""
    scoring = (
        Rubric()
        if indicator_code is None
        else FromIndicator(indicator_code=indicator_code, thresholds=thresholds)
    )
    return Node(code=code, title_th=f"ประเด็น {code}", weight=D(weight), scoring=scoring)


def inner(code: str, weight: int | str | Decimal, *children: Node) -> Node:
    return Node(code=code, title_th=f"ด้าน {code}", weight=D(weight), children=children)


def framework(*nodes: Node, scale_id: str = "five-level") -> Framework:
    return Framework(
        framework_id="ap-eval",
        version=1,
        title_th="กรอบการประเมินแผนปฏิบัติการประจำปี",
        evaluation_type="action_plan",
        scale_id=scale_id,
        nodes=nodes,
    )


SAMPLE = framework(
    inner(
        "D1",
        40,
        leaf("C1", 50),
        leaf("C2", 50, indicator_code="P2570-01-I1", thresholds=THRESHOLDS),
    ),
    inner("D2", 60, inner("C3", 100, leaf("S1", 30), leaf("S2", 70))),
)


def codes(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in problems]


# --- scales -------------------------------------------------------------------------------


def test_the_seed_scales_are_thai_school_quality_levels_low_to_high() -> None:
    assert SEED_SCALES == {"five-level": FIVE_LEVEL, "four-level": FOUR_LEVEL}
    assert [(lv.label_th, lv.label_en, lv.score) for lv in FIVE_LEVEL.levels] == [
        ("กำลังพัฒนา", "developing", 1),
        ("ปานกลาง", "fair", 2),
        ("ดี", "good", 3),
        ("ดีเลิศ", "very good", 4),
        ("ยอดเยี่ยม", "excellent", 5),
    ]
    assert [(lv.label_th, lv.label_en, lv.score) for lv in FOUR_LEVEL.levels] == [
        ("ปรับปรุง", "needs improvement", 1),
        ("พอใช้", "fair", 2),
        ("ดี", "good", 3),
        ("ดีมาก", "very good", 4),
    ]
    assert [lv.position for lv in FIVE_LEVEL.levels] == [1, 2, 3, 4, 5]


def test_the_seed_scales_cannot_be_changed_in_place() -> None:
    with pytest.raises(TypeError):
        SEED_SCALES["five-level"] = FOUR_LEVEL  # type: ignore[index]
    with pytest.raises(ValidationError):
        FIVE_LEVEL.scale_id = "other"  # type: ignore[misc]


def _level(position: int, score: str) -> ScaleLevel:
    return ScaleLevel(position=position, label_th=f"ระดับ {position}", label_en="x", score=D(score))


@pytest.mark.parametrize(
    "levels",
    [
        (_level(1, "1"),),
        (_level(1, "1"), _level(3, "2")),
        (_level(2, "1"), _level(1, "2")),
        (_level(1, "2"), _level(2, "2")),
        (_level(1, "3"), _level(2, "1")),
    ],
    ids=["one level", "gap", "out of order", "equal scores", "falling scores"],
)
def test_a_scale_rises_strictly_with_positions_one_to_n(levels: tuple[ScaleLevel, ...]) -> None:
    with pytest.raises(ValidationError):
        Scale(scale_id="bad", name_th="ไม่ถูกต้อง", levels=levels)


def test_a_level_off_the_scale_is_refused() -> None:
    assert FIVE_LEVEL.level(5).label_th == "ยอดเยี่ยม"
    for position in (0, 6, -1):
        with pytest.raises(ValueError, match="not on scale five-level"):
            FIVE_LEVEL.level(position)


# --- rounding -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (D("2.345"), "2.35"),
        (D("2.344"), "2.34"),
        (D("2.3449999"), "2.34"),
        (D("2.335"), "2.34"),
        (D("-2.345"), "-2.35"),
        (Fraction(11, 3), "3.67"),
        (Fraction(10, 3), "3.33"),
        (4, "4.00"),
    ],
)
def test_half_up_rounds_exactly_to_two_decimals(value: Decimal | Fraction, rounded: str) -> None:
    result = half_up(value)
    assert str(result) == rounded


# --- level_for ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "position"),
    [
        ("0", 1),
        ("1.00", 1),
        ("1.50", 1),
        ("1.51", 2),
        ("2.50", 2),
        ("2.51", 3),
        ("3.50", 3),
        ("3.51", 4),
        ("4.50", 4),
        ("4.51", 5),
        ("5.00", 5),
        ("6", 5),
    ],
)
def test_five_level_bands_are_the_thai_reading_of_a_mean(score: str, position: int) -> None:
    assert level_for(FIVE_LEVEL, D(score)).position == position


@pytest.mark.parametrize(
    ("score", "label"),
    [("1.50", "ปรับปรุง"), ("1.51", "พอใช้"), ("2.51", "ดี"), ("3.50", "ดี"), ("3.51", "ดีมาก")],
)
def test_four_level_bands(score: str, label: str) -> None:
    assert level_for(FOUR_LEVEL, D(score)).label_th == label


scale_scores = st.lists(
    st.integers(min_value=-1000, max_value=1000), min_size=2, max_size=7, unique=True
).map(lambda hundredths: sorted(D(h).scaleb(-2) for h in hundredths))


def scale_of(scores: list[Decimal]) -> Scale:
    levels = tuple(
        ScaleLevel(position=i, label_th=f"ระดับ {i}", label_en=f"level {i}", score=score)
        for i, score in enumerate(scores, start=1)
    )
    return Scale(scale_id="generated", name_th="มาตราส่วนทดสอบ", levels=levels)


@given(scale_scores)
def test_level_for_boundaries_are_exact_midpoints_going_to_the_lower_level(
    scores: list[Decimal],
) -> None:
    scale = scale_of(scores)
    tiny = D("1e-20")
    for lower, upper in pairwise(scale.levels):
        midpoint = (lower.score + upper.score) / 2
        assert level_for(scale, lower.score) == lower
        assert level_for(scale, midpoint) == lower
        assert level_for(scale, midpoint - tiny) == lower
        assert level_for(scale, midpoint + tiny) == upper
        assert level_for(scale, upper.score) == upper
    assert level_for(scale, scores[0] - 1) == scale.levels[0]
    assert level_for(scale, scores[-1] + 1) == scale.levels[-1]


# --- validation ---------------------------------------------------------------------------


def test_a_valid_framework_has_no_problems() -> None:
    assert validate_framework(SAMPLE, SEED_SCALES) == []
    assert check_framework(SAMPLE, SEED_SCALES) is SAMPLE


def test_a_framework_round_trips_through_json() -> None:
    again = Framework.model_validate_json(SAMPLE.model_dump_json())
    assert again == SAMPLE
    assert isinstance(again.nodes[0].children[1].scoring, FromIndicator)


def test_weights_not_summing_to_100_name_the_parent() -> None:
    bad = framework(inner("D1", 100, leaf("C1", 50), leaf("C2", 40)))
    [problem] = validate_framework(bad, SEED_SCALES)
    assert (problem.path, problem.code) == ("D1", "weights_sum")
    assert problem.message == "weights of D1's criteria sum to 90, not 100"


def test_dimension_weights_are_checked_at_the_framework_itself() -> None:
    bad = framework(leaf("D1", "33.33"), leaf("D2", "33.33"), leaf("D3", "33.33"))
    [problem] = validate_framework(bad, SEED_SCALES)
    assert (problem.path, problem.code) == ("", "weights_sum")
    assert problem.message == "weights of the dimensions sum to 99.99, not 100"


def test_every_problem_is_listed_at_once_with_its_path() -> None:
    bad = Framework(
        framework_id="ap-eval",
        version=2,
        title_th="กรอบที่มีปัญหา",
        evaluation_type="development_plan_midterm",
        scale_id="five-level",
        nodes=(
            inner(
                "D1",
                60,
                leaf("C1", 50),
                Node(code="C2", title_th="ไม่มีวิธีให้คะแนน", weight=D(40)),
                leaf("C3", 0, indicator_code="I1", thresholds=(D(50), D(50), D(80))),
            ),
            Node(
                code="D2",
                title_th="มีทั้งลูกและวิธีให้คะแนน",
                weight=D(40),
                scoring=Rubric(),
                children=(
                    Node(
                        code="C1",
                        title_th="รหัสซ้ำ",
                        weight=D(100),
                        scoring=Rubric(descriptors={0: "ศูนย์", 3: "ดี", 6: "เกิน"}),
                    ),
                ),
            ),
        ),
    )
    problems = validate_framework(bad, SEED_SCALES)
    assert codes(problems) == [
        ("D1", "weights_sum"),
        ("D1.C2", "leaf_unscored"),
        ("D1.C3", "weight_not_positive"),
        ("D1.C3", "threshold_count"),
        ("D1.C3", "thresholds_not_increasing"),
        ("D2", "inner_scored"),
        ("D2.C1", "duplicate_code"),
        ("D2.C1", "descriptor_off_scale"),
    ]
    assert "at D1.C1" in problems[6].message
    assert "[0, 6]" in problems[7].message
    with pytest.raises(FrameworkError) as raised:
        check_framework(bad, SEED_SCALES)
    assert raised.value.problems == problems
    assert "D1: weights of D1's criteria sum to 90, not 100" in str(raised.value)


def test_an_unknown_scale_and_no_dimensions_are_problems() -> None:
    assert codes(validate_framework(framework(scale_id="seven-level"), SEED_SCALES)) == [
        ("", "unknown_scale"),
        ("", "no_nodes"),
    ]


def test_thresholds_must_fit_the_frameworks_scale_and_be_non_negative() -> None:
    four = framework(
        leaf("D1", 100, indicator_code="I1", thresholds=THRESHOLDS), scale_id="four-level"
    )
    assert codes(validate_framework(four, SEED_SCALES)) == [("D1", "threshold_count")]
    negative = framework(leaf("D1", 100, indicator_code="I1", thresholds=(D(-1), D(60), D(80))))
    assert codes(validate_framework(negative, SEED_SCALES)) == [
        ("D1", "threshold_count"),
        ("D1", "threshold_negative"),
    ]


def test_a_fourth_level_is_refused_at_the_sub_criterion_that_has_children() -> None:
    deep = framework(inner("D1", 100, inner("C1", 100, inner("S1", 100, leaf("X1", 100)))))
    [problem] = validate_framework(deep, SEED_SCALES)
    assert (problem.path, problem.code) == ("D1.C1.S1", "too_deep")


@st.composite
def weights_summing_to_100(draw: st.DrawFn, count: int) -> list[Decimal]:
    """`count` positive weights of 2 decimals that sum to exactly 100."""
    cuts = draw(st.lists(st.integers(1, 9999), min_size=count - 1, max_size=count - 1, unique=True))
    edges = [0, *sorted(cuts), 10000]
    return [D(b - a).scaleb(-2) for a, b in pairwise(edges)]


@st.composite
def trees(draw: st.DrawFn, depth: int = 1, prefix: str = "N", deepest: int = 3) -> tuple[Node, ...]:
    """Sibling nodes with valid weights; the first one goes on down to depth `deepest`."""
    count = draw(st.integers(1, 3))
    weights = draw(weights_summing_to_100(count))
    nodes = []
    for index, weight in enumerate(weights):
        code = f"{prefix}{index + 1}"
        go_deeper = depth < deepest and (index == 0 or draw(st.booleans()))
        children = draw(trees(depth + 1, f"{code}-", deepest)) if go_deeper else ()
        scoring = None if children else Rubric()
        nodes.append(
            Node(code=code, title_th="ประเด็น", weight=weight, children=children, scoring=scoring)
        )
    return tuple(nodes)


@given(st.integers(1, 3).flatmap(lambda deepest: trees(deepest=deepest)))
def test_generated_frameworks_within_three_levels_with_weights_summing_to_100_are_valid(
    nodes: tuple[Node, ...],
) -> None:
    shaped = framework(*nodes)
    assert validate_framework(shaped, SEED_SCALES) == []
    assert sum(item.effective_weight for item in leaves(shaped)) == 100


@given(st.integers(4, 6).flatmap(lambda deepest: trees(deepest=deepest)))
def test_a_framework_deeper_than_three_levels_is_always_refused(nodes: tuple[Node, ...]) -> None:
    problems = validate_framework(framework(*nodes), SEED_SCALES)
    assert problems
    assert {p.code for p in problems} == {"too_deep"}
    assert all(p.path.count(".") == 2 for p in problems)


@given(
    st.lists(st.integers(1, 20000), min_size=1, max_size=6),
    st.integers(1, 3),
)
def test_weights_that_do_not_sum_to_100_are_always_refused(
    hundredths: list[int], depth: int
) -> None:
    assume(sum(hundredths) != 10000)
    bad_siblings = tuple(leaf(f"X{i}", D(h).scaleb(-2)) for i, h in enumerate(hundredths))
    parent_path = ""
    nodes = bad_siblings
    for level in range(depth - 1, 0, -1):
        code = f"L{level}"
        nodes = (inner(code, 100, *nodes),)
        parent_path = f"{code}.{parent_path}" if parent_path else code
    problems = validate_framework(framework(*nodes), SEED_SCALES)
    assert codes(problems) == [(parent_path, "weights_sum")]
    with pytest.raises(FrameworkError):
        check_framework(framework(*nodes), SEED_SCALES)


# --- leaves and effective weights ---------------------------------------------------------


def test_leaves_in_order_with_paths_and_effective_weights() -> None:
    found = [(item.path, item.depth, item.effective_weight) for item in leaves(SAMPLE)]
    # D1.C1: 40 × 50 / 100 = 20; D2.C3.S1: 60 × 100 × 30 / 100² = 18
    assert found == [("D1.C1", 2, 20), ("D1.C2", 2, 20), ("D2.C3.S1", 3, 18), ("D2.C3.S2", 3, 42)]
    assert [item.node.code for item in leaves(SAMPLE)] == ["C1", "C2", "S1", "S2"]


def test_effective_weights_are_exact() -> None:
    thirds = framework(
        inner("D1", "33.33", leaf("C1", "33.33"), leaf("C2", "66.67")),
        leaf("D2", "66.67"),
    )
    assert [item.effective_weight for item in leaves(thirds)] == [
        D("11.108889"),
        D("22.221111"),
        D("66.67"),
    ]
    assert sum(item.effective_weight for item in leaves(thirds)) == 100


# --- proposed levels from an indicator ----------------------------------------------------


@pytest.mark.parametrize(
    ("achievement", "position"),
    [
        ("0", 1),
        ("49.99", 1),
        ("50", 2),
        ("50.00", 2),
        ("64.99", 2),
        ("65.00", 3),
        ("79.99", 3),
        ("80.00", 4),
        ("94.99", 4),
        ("95.00", 5),
        ("999.99", 5),
    ],
)
def test_proposed_level_begins_at_each_threshold(achievement: str, position: int) -> None:
    linked = FromIndicator(indicator_code="P2570-01-I1", thresholds=THRESHOLDS)
    proposed = propose_level(linked, D(achievement), FIVE_LEVEL)
    assert proposed is not None
    assert proposed.position == position


def test_no_achievement_proposes_nothing_and_thresholds_must_fit_the_scale() -> None:
    linked = FromIndicator(indicator_code="P2570-01-I1", thresholds=THRESHOLDS)
    assert propose_level(linked, None, FIVE_LEVEL) is None
    with pytest.raises(ValueError, match="4 thresholds for a 4-level scale"):
        propose_level(linked, D(70), FOUR_LEVEL)


@given(
    st.lists(st.integers(0, 100_000), min_size=4, max_size=4, unique=True).map(sorted),
)
def test_proposed_level_boundaries_are_exact(hundredths: list[int]) -> None:
    thresholds = tuple(D(h).scaleb(-2) for h in hundredths)
    linked = FromIndicator(indicator_code="I1", thresholds=thresholds)
    for index, threshold in enumerate(thresholds):
        at = propose_level(linked, threshold, FIVE_LEVEL)
        below = propose_level(linked, threshold - D("0.01"), FIVE_LEVEL)
        assert at is not None and below is not None
        assert at.position == index + 2
        assert below.position == index + 1


def _lower_is_better_achievement(target: Decimal, actual: Decimal) -> Decimal:
    """As monitoring publishes it for a lower-is-better indicator: target / actual × 100."""
    return half_up(Fraction(target) * 100 / Fraction(actual))


def test_a_lower_is_better_indicator_proposes_by_monitorings_mirrored_achievement() -> None:
    """Dropout rate, target at most 2%: 4% reaches 50% of the target, 2.5% reaches 80%."""
    linked = FromIndicator(indicator_code="P2570-03-I2", thresholds=THRESHOLDS)
    expected = {"4": "ปานกลาง", "3.2": "ปานกลาง", "2.5": "ดีเลิศ", "2": "ยอดเยี่ยม", "1": "ยอดเยี่ยม"}
    for actual, label in expected.items():
        progress = IndicatorProgress(
            code="P2570-03-I2",
            name_th="อัตราการออกกลางคัน",
            unit_of_measure="ร้อยละ",
            direction="lower_is_better",
            cumulative_actual=D(actual),
            target=D(2),
            achievement=_lower_is_better_achievement(D(2), D(actual)),
            status="on_track",
        )
        proposed = propose_level(linked, progress.achievement, FIVE_LEVEL)
        assert proposed is not None
        assert proposed.label_th == label, actual


@given(
    st.integers(1, 10_000),
    st.integers(1, 10_000),
    st.integers(1, 10_000),
)
def test_for_lower_is_better_a_lower_actual_never_proposes_a_lower_level(
    target: int, actual: int, other: int
) -> None:
    better, worse = sorted((D(actual).scaleb(-2), D(other).scaleb(-2)))
    linked = FromIndicator(indicator_code="I1", thresholds=THRESHOLDS)
    target_value = D(target).scaleb(-2)
    good = propose_level(linked, _lower_is_better_achievement(target_value, better), FIVE_LEVEL)
    poor = propose_level(linked, _lower_is_better_achievement(target_value, worse), FIVE_LEVEL)
    assert good is not None and poor is not None
    assert good.position >= poor.position
