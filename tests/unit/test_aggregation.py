"""Participatory scoring: aggregation rules, agreement, roll-up and the "to discuss" list."""

from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from services.evaluation.domain.aggregation import (
    Agreement,
    Discussion,
    Score,
    aggregate_criterion,
    agreement,
    criterion_scores,
    roll_up,
    submitted_positions,
    to_discuss,
)
from services.evaluation.domain.frameworks import (
    FIVE_LEVEL,
    FOUR_LEVEL,
    AggregationRule,
    Framework,
    Node,
    leaves,
)
from tests.unit.test_frameworks import SAMPLE, framework, inner, leaf, scale_of, scale_scores, trees

D = Decimal
RULES: tuple[AggregationRule, ...] = ("mean", "median", "consensus")
positions_5 = st.lists(st.integers(1, 5), min_size=1, max_size=9)


def score(
    assessor: str, criterion: str, subject: str, position: int, *, submitted: bool = True
) -> Score:
    return Score(
        assessor_id=assessor,
        criterion_code=criterion,
        subject=subject,
        level_position=position,
        comment_th="มีหลักฐานการดำเนินงานครบถ้วน",
        evidence=("https://example.org/evidence/1",),
        status="submitted" if submitted else "draft",
    )


# --- aggregating one criterion ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "positions", "expected"),
    [
        ("mean", [3, 4, 4], "3.67"),
        ("mean", [1, 1, 2], "1.33"),
        ("mean", [4, 5, 5], "4.67"),
        ("mean", [1, 2], "1.50"),
        ("mean", [5], "5.00"),
        ("median", [1, 3, 5], "3.00"),
        ("median", [5, 1, 4], "4.00"),
        ("median", [3, 4], "3.50"),
        ("median", [1, 2, 4, 5], "3.00"),
        ("median", [2, 2, 3, 5], "2.50"),
        ("consensus", [4, 4, 4], "4.00"),
        ("consensus", [2], "2.00"),
        ("consensus", [4, 4, 3], None),
        ("consensus", [1, 5], None),
    ],
)
def test_aggregation_rules(
    rule: AggregationRule, positions: list[int], expected: str | None
) -> None:
    result = aggregate_criterion(positions, FIVE_LEVEL, rule)
    assert (None if result is None else str(result)) == expected


def test_aggregation_rounds_half_up_at_two_decimals() -> None:
    close = scale_of([D("2.34"), D("2.35")])
    assert aggregate_criterion([1, 2], close, "mean") == D("2.35")  # 2.345
    assert aggregate_criterion([1, 2], close, "median") == D("2.35")
    closer = scale_of([D("2.343"), D("2.345")])
    assert aggregate_criterion([1, 2], closer, "mean") == D("2.34")  # 2.344
    assert aggregate_criterion([2, 2], closer, "consensus") == D("2.35")


@pytest.mark.parametrize("rule", RULES)
def test_no_submitted_score_aggregates_to_none(rule: AggregationRule) -> None:
    assert aggregate_criterion([], FIVE_LEVEL, rule) is None


def test_a_level_off_the_scale_or_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="level 5 is not on scale four-level"):
        aggregate_criterion([4, 5], FOUR_LEVEL, "mean")
    with pytest.raises(ValueError, match="unknown aggregation rule"):
        aggregate_criterion([4], FIVE_LEVEL, "mode")  # type: ignore[arg-type]


@given(scale_scores.flatmap(lambda s: st.tuples(st.just(s), _positions_on(len(s)))))
def test_an_aggregated_score_lies_within_the_scores_chosen(
    drawn: tuple[list[Decimal], list[int]],
) -> None:
    scores, positions = drawn
    scale = scale_of(scores)
    chosen = [scale.level(p).score for p in positions]
    for rule in RULES:
        result = aggregate_criterion(positions, scale, rule)
        if result is None:
            assert rule == "consensus"
            continue
        assert min(chosen) <= result <= max(chosen)
        assert scale.levels[0].score <= result <= scale.levels[-1].score


def _positions_on(levels: int) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(1, levels), min_size=1, max_size=9)


@given(positions_5)
def test_consensus_is_none_exactly_when_any_assessor_disagrees(positions: list[int]) -> None:
    result = aggregate_criterion(positions, FIVE_LEVEL, "consensus")
    if len(set(positions)) > 1:
        assert result is None
    else:
        assert result == FIVE_LEVEL.level(positions[0]).score


# --- agreement ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("positions", "spread", "stdev", "discuss"),
    [
        ([3, 4, 4], 1, "0.47", False),
        ([4, 4, 2], 2, "0.94", True),
        ([2, 4], 2, "1.00", True),
        ([1, 5], 4, "2.00", True),
        ([1, 2], 1, "0.50", False),
        ([3], 0, "0.00", False),
        ([], 0, "0.00", False),
    ],
)
def test_agreement(positions: list[int], spread: int, stdev: str, discuss: bool) -> None:
    assert agreement(positions, FIVE_LEVEL) == Agreement(
        count=len(positions), spread=spread, stdev=D(stdev), to_discuss=discuss
    )


def test_standard_deviation_rounds_an_exact_half_up() -> None:
    tiny = scale_of([D("0"), D("0.01")])
    assert agreement([1, 2], tiny).stdev == D("0.01")  # exactly 0.005


@given(scale_scores.flatmap(lambda s: st.tuples(st.just(s), _positions_on(len(s)))))
def test_standard_deviation_is_the_population_one_rounded_half_up(
    drawn: tuple[list[Decimal], list[int]],
) -> None:
    scores, positions = drawn
    scale = scale_of(scores)
    values = [Fraction(scale.level(p).score) for p in positions]
    mean = sum(values, Fraction(0)) / len(values)
    variance = sum(((v - mean) ** 2 for v in values), Fraction(0)) / len(values)
    with localcontext() as context:
        context.prec = 80
        root = (D(variance.numerator) / D(variance.denominator)).sqrt()
        expected = root.quantize(D("0.01"), rounding="ROUND_HALF_UP")
    found = agreement(positions, scale)
    assert found.stdev == expected
    assert found.spread == max(positions) - min(positions)
    assert found.to_discuss == (found.spread >= 2)


# --- roll-up ------------------------------------------------------------------------------

SAMPLE_SCORES = {"C1": D("3.67"), "C2": D("4.00"), "S1": D("2.50"), "S2": D("4.33")}


def test_roll_up_by_weights_with_levels_at_every_node() -> None:
    result = roll_up(SAMPLE, SAMPLE_SCORES, FIVE_LEVEL)
    # D1 = (50×3.67 + 50×4.00)/100 = 3.835 → 3.84; C3 = (30×2.50 + 70×4.33)/100 = 3.781 → 3.78
    # D2 = C3 = 3.78; total = (40×3.84 + 60×3.78)/100 = 3.804 → 3.80
    scores = {code: node.score for code, node in result.nodes.items()}
    assert scores == {
        "D1": D("3.84"),
        "C1": D("3.67"),
        "C2": D("4.00"),
        "D2": D("3.78"),
        "C3": D("3.78"),
        "S1": D("2.50"),
        "S2": D("4.33"),
    }
    assert result.total == D("3.80")
    assert result.level is not None and result.level.label_th == "ดีเลิศ"
    assert result.scored_weight == 100
    levels = {code: node.level.label_th for code, node in result.nodes.items() if node.level}
    assert levels["S1"] == "ปานกลาง"  # 2.50 sits on the midpoint: the lower level
    assert levels["D1"] == "ดีเลิศ"
    assert [node.path for node in result.nodes.values()] == [
        "D1",
        "D1.C1",
        "D1.C2",
        "D2",
        "D2.C3",
        "D2.C3.S1",
        "D2.C3.S2",
    ]
    assert (result.framework_id, result.version) == ("ap-eval", 1)


def test_rounding_happens_at_every_node_not_only_at_the_end() -> None:
    shaped = framework(
        inner("D1", 50, leaf("C1", 50), leaf("C2", 50)),
        inner("D2", 50, leaf("C3", 100)),
    )
    result = roll_up(shaped, {"C1": D("1.00"), "C2": D("1.01"), "C3": D("1.00")}, FIVE_LEVEL)
    assert result.nodes["D1"].score == D("1.01")  # 1.005 → 1.01
    # From the rounded dimensions: (1.01 + 1.00) / 2 = 1.005 → 1.01; straight from the
    # leaves by effective weight it would be 1.0025 → 1.00.
    assert result.total == D("1.01")
    assert roll_up(shaped, {"C1": D("3.675")}, FIVE_LEVEL).nodes["C1"].score == D("3.68")


def test_unscored_criteria_are_left_out_and_the_weights_renormalised() -> None:
    partial = {**SAMPLE_SCORES, "C2": None}
    result = roll_up(SAMPLE, partial, FIVE_LEVEL)
    assert result.nodes["D1"].score == D("3.67")
    assert result.nodes["D1"].scored_weight == 50
    assert result.nodes["C2"].score is None and result.nodes["C2"].level is None
    assert result.total == D("3.74")  # (40×3.67 + 60×3.78)/100 = 3.736
    without_c2 = roll_up(SAMPLE, {k: v for k, v in SAMPLE_SCORES.items() if k != "C2"}, FIVE_LEVEL)
    assert without_c2 == result


def test_a_dimension_with_nothing_scored_has_no_score() -> None:
    result = roll_up(SAMPLE, {"C1": D(2), "C2": D(3)}, FIVE_LEVEL)
    assert result.nodes["D2"].score is None and result.nodes["C3"].score is None
    assert result.total == D("2.50")
    assert result.scored_weight == 40
    nothing = roll_up(SAMPLE, {}, FIVE_LEVEL)
    assert nothing.total is None and nothing.level is None and nothing.scored_weight == 0
    assert all(node.score is None for node in nothing.nodes.values())


def test_roll_up_refuses_what_does_not_belong() -> None:
    with pytest.raises(ValueError, match="uses scale five-level, not four-level"):
        roll_up(SAMPLE, SAMPLE_SCORES, FOUR_LEVEL)
    with pytest.raises(ValueError, match="not criteria of ap-eval: D1, X9"):
        roll_up(SAMPLE, {"D1": D(3), "X9": D(3)}, FIVE_LEVEL)
    for outside in ("0.99", "5.01"):
        with pytest.raises(ValueError, match="outside the scale"):
            roll_up(SAMPLE, {"C1": D(outside)}, FIVE_LEVEL)


@given(trees(), st.integers(100, 500))
def test_roll_up_of_equal_criterion_scores_is_that_score(
    nodes: tuple[Node, ...], hundredths: int
) -> None:
    shaped = framework(*nodes)
    same = D(hundredths).scaleb(-2)
    result = roll_up(shaped, {item.node.code: same for item in leaves(shaped)}, FIVE_LEVEL)
    assert result.total == same
    assert all(node.score == same for node in result.nodes.values())


@given(trees().flatmap(lambda nodes: st.tuples(st.just(nodes), _leaf_scores(nodes))))
def test_a_rolled_up_score_lies_within_the_criterion_scores(
    drawn: tuple[tuple[Node, ...], list[int | None]],
) -> None:
    nodes, hundredths = drawn
    shaped = framework(*nodes)
    given_scores = {
        item.node.code: None if h is None else D(h).scaleb(-2)
        for item, h in zip(leaves(shaped), hundredths, strict=True)
    }
    result = roll_up(shaped, given_scores, FIVE_LEVEL)
    present = [s for s in given_scores.values() if s is not None]
    if not present:
        assert result.total is None
        return
    assert result.total is not None
    assert min(present) <= result.total <= max(present)


def _leaf_scores(nodes: tuple[Node, ...]) -> st.SearchStrategy[list[int | None]]:
    count = len(leaves(framework(*nodes)))
    return st.lists(st.none() | st.integers(100, 500), min_size=count, max_size=count)


# --- assessors' scores and the "to discuss" list ------------------------------------------


def test_score_levels_are_positions_from_one() -> None:
    assert score("A1", "C1", "P1", 1, submitted=False).status == "draft"
    with pytest.raises(ValidationError):
        score("A1", "C1", "P1", 0)


PANEL = [
    # C1 for P1: 4, 4, 2 — the third assessor two levels apart
    score("A1", "C1", "P1", 4),
    score("A2", "C1", "P1", 4),
    score("A3", "C1", "P1", 2),
    # C1 for P2: 5, 3 — two apart
    score("A1", "C1", "P2", 5),
    score("A3", "C1", "P2", 3),
    # C2 for P1: 3, 4, 4 — close enough; a draft far away does not count
    score("A1", "C2", "P1", 3),
    score("A2", "C2", "P1", 4),
    score("A3", "C2", "P1", 4),
    score("A4", "C2", "P1", 1, submitted=False),
    # S1 for P2: 1, 3
    score("A2", "S1", "P2", 1),
    score("A3", "S1", "P2", 3),
]


def test_to_discuss_lists_criteria_two_levels_apart_in_tree_order() -> None:
    found = to_discuss(SAMPLE, PANEL, FIVE_LEVEL)
    assert [(d.criterion_code, d.subject) for d in found] == [
        ("C1", "P1"),
        ("C1", "P2"),
        ("S1", "P2"),
    ]
    assert found[0] == Discussion(
        "C1", "P1", Agreement(count=3, spread=2, stdev=D("0.94"), to_discuss=True)
    )


def test_criterion_scores_feed_the_roll_up() -> None:
    for_p1 = criterion_scores(SAMPLE, PANEL, FIVE_LEVEL, "P1")
    assert for_p1 == {"C1": D("3.33"), "C2": D("3.67"), "S1": None, "S2": None}
    result = roll_up(SAMPLE, for_p1, FIVE_LEVEL)
    assert result.nodes["D1"].score == D("3.50")  # (3.33 + 3.67) / 2
    assert result.total == D("3.50")
    assert result.level is not None and result.level.label_th == "ดี"
    consensus = SAMPLE.model_copy(update={"aggregation": "consensus"})
    assert criterion_scores(consensus, PANEL, FIVE_LEVEL, "P1")["C1"] is None


def test_scores_that_do_not_belong_are_refused() -> None:
    with pytest.raises(ValueError, match="D1 is not a criterion of ap-eval"):
        to_discuss(SAMPLE, [score("A1", "D1", "P1", 3)], FIVE_LEVEL)
    with pytest.raises(ValueError, match="not on scale four-level"):
        submitted_positions(SAMPLE, [score("A1", "C1", "P1", 5)], FOUR_LEVEL)
    twice = [score("A1", "C1", "P1", 3), score("A1", "C1", "P1", 5)]
    with pytest.raises(ValueError, match="A1 submitted twice for C1 of P1"):
        to_discuss(SAMPLE, twice, FIVE_LEVEL)
    draft_then_submitted = [score("A1", "C1", "P1", 3, submitted=False), score("A1", "C1", "P1", 5)]
    assert to_discuss(SAMPLE, draft_then_submitted, FIVE_LEVEL) == []


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["C1", "C2", "S1", "S2"]),
            st.sampled_from(["P1", "P2"]),
            st.integers(1, 5),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_to_discuss_holds_exactly_the_submitted_groups_two_levels_apart(
    drawn: list[tuple[str, str, int, bool]],
) -> None:
    scores = [
        score(f"A{i}", criterion, subject, position, submitted=submitted)
        for i, (criterion, subject, position, submitted) in enumerate(drawn)
    ]
    submitted: dict[tuple[str, str], list[int]] = {}
    for criterion, subject, position, is_submitted in drawn:
        if is_submitted:
            submitted.setdefault((criterion, subject), []).append(position)
    expected = {key for key, levels in submitted.items() if max(levels) - min(levels) >= 2}
    found = to_discuss(SAMPLE, scores, FIVE_LEVEL)
    assert {(d.criterion_code, d.subject) for d in found} == expected
    assert len(found) == len(expected)


def test_a_framework_scale_other_than_five_levels() -> None:
    four = Framework.model_validate({**SAMPLE.model_dump(), "scale_id": "four-level"})
    result = roll_up(four, {"C1": D("3.51"), "C2": D("1.50")}, FOUR_LEVEL)
    assert result.nodes["C1"].level is not None and result.nodes["C1"].level.label_th == "ดีมาก"
    assert result.nodes["C2"].level is not None and result.nodes["C2"].level.label_th == "ปรับปรุง"
    assert result.total == D("2.51")  # (3.51 + 1.50) / 2 = 2.505
    assert result.level is not None and result.level.label_th == "ดี"


def test_a_scale_whose_scores_are_not_its_positions_aggregates_by_scores() -> None:
    percent_scale = scale_of([D(0), D(50), D(100)])
    assert aggregate_criterion([1, 2, 3], percent_scale, "mean") == D("50.00")
    assert aggregate_criterion([2, 3, 3], percent_scale, "mean") == D("83.33")
    assert agreement([1, 3], percent_scale).stdev == D("50.00")
