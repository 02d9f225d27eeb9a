"""The yearly evaluations' domain: who may score, results by hand, discussion, finalising,
reopening, proposals from monitoring's progress and the work-calendar window."""

import random
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.evaluation.domain.aggregation import Score
from services.evaluation.domain.evaluations import (
    Assignment,
    Discussed,
    Evaluation,
    Proposal,
    Results,
    check_assignments,
    check_finalise,
    check_new,
    check_open,
    check_score,
    finalised,
    latest_progress,
    measured,
    proposals,
    reopened,
    results,
    strengths_and_improvements,
)
from services.evaluation.domain.frameworks import (
    FIVE_LEVEL,
    Framework,
    FromIndicator,
    Measure,
    Node,
    Rubric,
    leaves,
    level_for,
)
from services.evaluation.handlers.evaluations import evaluation_window
from shared.contracts.monitoring import IndicatorProgress
from shared.contracts.refusals import Refusal
from shared.platform.service import REFUSAL_STATUS
from shared.thai.numbers import half_up
from shared.thai.work_manual import SEED_TEMPLATES, window_dates

D = Decimal
AT = datetime(2027, 9, 20, 3, 0, tzinfo=UTC)
THRESHOLDS = (D(50), D(65), D(80), D(95))
ASSESSORS = ("A1", "A2", "A3")
SUBJECTS = ("P1", "P2")


def rubric(code: str, weight: int) -> Node:
    return Node(code=code, title_th=f"เกณฑ์ {code}", weight=D(weight), scoring=Rubric())


def from_indicator(
    code: str, weight: int, measure: Measure = "project_indicators", indicator: str | None = None
) -> Node:
    scoring = FromIndicator(measure=measure, indicator_code=indicator, thresholds=THRESHOLDS)
    return Node(code=code, title_th=f"เกณฑ์ {code}", weight=D(weight), scoring=scoring)


def dimension(code: str, weight: int, *children: Node) -> Node:
    return Node(code=code, title_th=f"ด้าน {code}", weight=D(weight), children=children)


def ap_framework(*nodes: Node) -> Framework:
    return Framework(
        framework_id="ap-eval",
        version=1,
        status="published",
        title_th="กรอบการประเมินแผนปฏิบัติการประจำปี",
        evaluation_type="action_plan",
        scale_id="five-level",
        aggregation="mean",
        nodes=nodes,
    )


# Two dimensions (60/40), three criteria: C1 rubric 70, C2 from the project's indicators 30;
# C3 rubric 100.
FRAMEWORK = ap_framework(
    dimension("D1", 60, rubric("C1", 70), from_indicator("C2", 30)),
    dimension("D2", 40, rubric("C3", 100)),
)
CRITERIA = ("C1", "C2", "C3")


def evaluation(
    subjects: tuple[str, ...] = SUBJECTS,
    assessors: tuple[str, ...] = ASSESSORS,
    framework: Framework = FRAMEWORK,
) -> Evaluation:
    """An action plan evaluation: every assessor scores every criterion of every subject."""
    codes = [leaf.node.code for leaf in leaves(framework)]
    return Evaluation(
        evaluation_id="AP2570-EVAL",
        evaluation_type="action_plan",
        fiscal_year=2570,
        title_th="การประเมินผลแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570",
        framework_id=framework.framework_id,
        framework_version=framework.version,
        plan_id="AP2570",
        subject_kind="project",
        subjects=subjects,
        opens_on=date(2027, 9, 1),
        closes_on=date(2027, 10, 31),
        assignments=tuple(
            Assignment(assessor_id=a, criterion_code=c, subject=s)
            for s in subjects
            for c in codes
            for a in assessors
        ),
    )


def score(
    assessor: str, criterion: str, subject: str, position: int, status: str = "submitted"
) -> Score:
    return Score(
        assessor_id=assessor,
        criterion_code=criterion,
        subject=subject,
        level_position=position,
        comment_th="มีหลักฐานการดำเนินงานครบถ้วน",
        evidence=("https://example.org/evidence/1",),
        status="submitted" if status == "submitted" else "draft",
    )


# Levels by (subject, criterion): A1, A2, A3.
LEVELS = {
    ("P1", "C1"): (4, 5, 4),  # 13/3 = 4.33
    ("P1", "C2"): (3, 3, 4),  # 10/3 = 3.33
    ("P1", "C3"): (2, 4, 3),  # 3.00, two levels apart
    ("P2", "C1"): (1, 3, 2),  # 2.00, two levels apart
    ("P2", "C2"): (5, 5, 5),  # 5.00
    ("P2", "C3"): (2, 2, 1),  # 5/3 = 1.67
}


def scores_of(levels: Mapping[tuple[str, str], tuple[int, ...]]) -> list[Score]:
    return [
        score(assessor, criterion, subject, position)
        for (subject, criterion), positions in levels.items()
        for assessor, position in zip(ASSESSORS, positions, strict=True)
    ]


def indicator(code: str, achievement: str | None, direction: str = "higher_is_better") -> Any:
    return IndicatorProgress(
        code=code,
        name_th=f"ตัวชี้วัด {code}",
        unit_of_measure="ร้อยละ",
        direction=direction,
        achievement=None if achievement is None else D(achievement),
        status="on_track",
    ).model_dump(mode="json")


def progress(
    project: str,
    round_id: str,
    *achievements: str | None,
    rate: str | None = "50.00",
    reporting: int = 12,
) -> dict[str, Any]:
    """A project's progress as evaluation keeps it (monitoring's event, as JSON)."""
    return {
        "project_code": project,
        "round_id": round_id,
        "units_reporting": reporting,
        "disbursement_rate": rate,
        "indicators": [
            indicator(f"{project}-I{n}", value) for n, value in enumerate(achievements, start=1)
        ],
    }


def no_proposals() -> dict[tuple[str, str], Proposal]:
    return {}


# --- who may score what -------------------------------------------------------------------


def refusal(error: pytest.ExceptionInfo[Refusal]) -> tuple[int, str, str]:
    """The refusal's status over HTTP (its kind, as the platform maps it), field and code."""
    problem = error.value.problems[0]
    return REFUSAL_STATUS[error.value.kind], problem.field, problem.code


def test_a_score_from_an_assessor_not_assigned_is_403() -> None:
    assigned_elsewhere = evaluation(assessors=("A1",))
    with pytest.raises(Refusal) as error:
        check_score(score("A9", "C1", "P1", 3), assigned_elsewhere, FIVE_LEVEL, None, None)
    assert refusal(error) == (403, "criterion_code", "not_assigned")
    only_c1 = assigned_elsewhere.model_copy(
        update={"assignments": (Assignment(assessor_id="A1", criterion_code="C1", subject="P1"),)}
    )
    with pytest.raises(Refusal) as error:
        check_score(score("A1", "C3", "P1", 3), only_c1, FIVE_LEVEL, None, None)
    assert refusal(error) == (403, "criterion_code", "not_assigned")
    check_score(score("A1", "C1", "P1", 3), only_c1, FIVE_LEVEL, None, None)


@pytest.mark.parametrize("position", [0, 6, 9, -1])
def test_a_level_off_the_scale_is_422(position: int) -> None:
    off = score("A1", "C1", "P1", 1).model_copy(update={"level_position": position})
    with pytest.raises(Refusal) as error:
        check_score(off, evaluation(), FIVE_LEVEL, None, None)
    assert refusal(error) == (422, "level_position", "off_scale")


def test_an_unknown_subject_or_criterion_is_422() -> None:
    with pytest.raises(Refusal) as error:
        check_score(score("A1", "C1", "P9", 3), evaluation(), FIVE_LEVEL, None, None)
    assert refusal(error) == (422, "subject", "unknown_subject")
    with pytest.raises(Refusal) as error:
        check_score(
            score("A1", "C9", "P1", 3), evaluation(), FIVE_LEVEL, None, None, criteria=CRITERIA
        )
    assert refusal(error) == (422, "criterion_code", "unknown_criterion")


def proposal(position: int | None) -> Proposal:
    return Proposal(
        criterion_code="C2",
        subject="P1",
        achievement=None if position is None else D("85.00"),
        level=None if position is None else FIVE_LEVEL.level(position),
        round_id="2570-Q3",
    )


def test_an_override_needs_a_reason_only_when_submitted_and_different() -> None:
    proposed = proposal(4)
    differs = score("A1", "C2", "P1", 2)
    with pytest.raises(Refusal) as error:
        check_score(differs, evaluation(), FIVE_LEVEL, proposed, None)
    assert refusal(error) == (422, "override_reason_th", "reason_needed")
    with pytest.raises(Refusal):
        check_score(differs, evaluation(), FIVE_LEVEL, proposed, "   ")
    check_score(differs, evaluation(), FIVE_LEVEL, proposed, "ผลการเบิกจ่ายยังไม่สะท้อนผลงาน")
    as_draft = score("A1", "C2", "P1", 2, status="draft")
    check_score(as_draft, evaluation(), FIVE_LEVEL, proposed, None)
    check_score(score("A1", "C2", "P1", 4), evaluation(), FIVE_LEVEL, proposed, None)
    check_score(differs, evaluation(), FIVE_LEVEL, proposal(None), None)  # nothing proposed
    check_score(differs, evaluation(), FIVE_LEVEL, None, None)  # a rubric criterion


def test_a_finalised_evaluation_refuses_scores_with_409_before_anything_else() -> None:
    done = finalised(evaluation(), {"total": "3.02"}, "officer", AT)
    with pytest.raises(Refusal) as error:
        check_score(score("A9", "C9", "P9", 9), done, FIVE_LEVEL, None, None)
    assert refusal(error) == (409, "status", "finalised")


def test_assignments_name_criteria_and_subjects_of_the_evaluation() -> None:
    wrong = [
        Assignment(assessor_id="A1", criterion_code="C1", subject="P1"),
        Assignment(assessor_id="A1", criterion_code="D1", subject="P3"),
    ]
    problems = check_assignments(wrong, evaluation(), FRAMEWORK)
    assert [(p.field, p.code) for p in problems] == [
        ("assignments.1.criterion_code", "unknown_criterion"),
        ("assignments.1.subject", "unknown_subject"),
    ]


def test_a_new_evaluation_needs_a_published_framework_of_its_type_and_known_subjects() -> None:
    new = evaluation().model_copy(update={"subjects": ("P1", "P9", "P1")})
    draft = FRAMEWORK.model_copy(update={"status": "draft"})
    problems = check_new(new, draft, {"P1", "P2"})
    assert [(p.field, p.code) for p in problems] == [
        ("framework_version", "not_published"),
        ("subjects.1", "unknown_subject"),
        ("subjects", "duplicate"),
    ]
    strategy = FRAMEWORK.model_copy(update={"evaluation_type": "obec_strategy"})
    assert [p.code for p in check_new(evaluation(), strategy, SUBJECTS)] == ["type_mismatch"]
    assert check_new(evaluation(), FRAMEWORK, SUBJECTS) == []


# --- results, by hand ---------------------------------------------------------------------


def hand_results() -> Results:
    return results(evaluation(), FRAMEWORK, FIVE_LEVEL, scores_of(LEVELS), no_proposals())


def test_three_assessors_give_the_totals_computed_by_hand() -> None:
    found = hand_results()
    by_subject = {s.subject: s for s in found.subjects}
    p1, p2 = by_subject["P1"], by_subject["P2"]
    assert [line.score for line in p1.criteria] == [D("4.33"), D("3.33"), D("3.00")]
    assert [line.score for line in p2.criteria] == [D("2.00"), D("5.00"), D("1.67")]
    # D1 = (70 × 4.33 + 30 × 3.33) / 100 = 4.03; total = (60 × 4.03 + 40 × 3.00) / 100 = 3.618
    assert p1.result.nodes["D1"].score == D("4.03")
    assert p1.result.nodes["D2"].score == D("3.00")
    assert (p1.result.total, p1.result.level and p1.result.level.label_th) == (D("3.62"), "ดีเลิศ")
    # D1 = (70 × 2.00 + 30 × 5.00) / 100 = 2.90; total = (60 × 2.90 + 40 × 1.67) / 100 = 2.408
    assert p2.result.nodes["D1"].score == D("2.90")
    assert p2.result.nodes["D2"].score == D("1.67")
    assert (p2.result.total, p2.result.level and p2.result.level.label_th) == (D("2.41"), "ปานกลาง")
    # (3.62 + 2.41) / 2 = 3.015, half-up
    assert (found.total, found.level and found.level.label_th) == (D("3.02"), "ดี")
    assert p1.criteria[0].levels == {"A1": 4, "A2": 5, "A3": 4}
    assert [line.path for line in p1.criteria] == ["D1.C1", "D1.C2", "D2.C3"]
    assert (found.submitted, found.drafts, found.expected) == (18, 0, 18)


def test_assessors_two_levels_apart_are_to_be_discussed_in_tree_order() -> None:
    found = hand_results()
    assert [(code, subject) for code, subject, _ in found.to_discuss] == [
        ("C1", "P2"),
        ("C3", "P1"),
    ]
    _, _, agreed = found.to_discuss[0]
    assert (agreed.count, agreed.spread, agreed.stdev, agreed.to_discuss) == (
        3,
        2,
        D("0.82"),  # √(2/3)
        True,
    )
    one_apart = next(s for s in found.subjects if s.subject == "P1").criteria[0].agreement
    assert (one_apart.spread, one_apart.to_discuss) == (1, False)


def test_drafts_and_scores_of_assessors_no_longer_assigned_do_not_count() -> None:
    scores = [
        *scores_of(LEVELS),
        score("A4", "C1", "P1", 1),  # given before A4 was unassigned
        score("A3", "C2", "P2", 1, status="draft").model_copy(update={"assessor_id": "A5"}),
    ]
    with_a5 = evaluation()
    a5 = Assignment(assessor_id="A5", criterion_code="C2", subject="P2")
    with_a5 = with_a5.model_copy(update={"assignments": (*with_a5.assignments, a5)})
    found = results(with_a5, FRAMEWORK, FIVE_LEVEL, scores, no_proposals())
    assert found.total == hand_results().total
    assert (found.submitted, found.drafts, found.expected) == (18, 1, 19)


def test_nothing_submitted_gives_no_total() -> None:
    drafts = [s.model_copy(update={"status": "draft"}) for s in scores_of(LEVELS)]
    found = results(evaluation(), FRAMEWORK, FIVE_LEVEL, drafts, no_proposals())
    assert (found.total, found.level, found.to_discuss) == (None, None, ())
    assert all(s.result.total is None for s in found.subjects)


def test_strengths_and_improvements_from_the_criteria_means_over_subjects() -> None:
    # C1 (4.33 + 2.00) / 2 = 3.17 ดี; C2 (3.33 + 5.00) / 2 = 4.17 ดีเลิศ; C3 2.34 ปานกลาง
    strengths, improvements = strengths_and_improvements(FRAMEWORK, hand_results(), FIVE_LEVEL)
    assert (strengths, improvements) == (["C2 เกณฑ์ C2"], ["C3 เกณฑ์ C3"])


# --- finalising and reopening -------------------------------------------------------------


def test_finalising_waits_until_every_disagreement_is_discussed() -> None:
    found = hand_results()
    with pytest.raises(Refusal) as error:
        check_finalise(found, [])
    assert refusal(error) == (409, "discussed", "to_discuss")
    assert "C1 of P2, C3 of P1" in str(error.value)
    half = [Discussed(criterion_code="C1", subject="P2", note_th="ตกลงใช้ระดับ 2")]
    with pytest.raises(Refusal, match="C3 of P1") as error:
        check_finalise(found, half)
    assert "C1 of P2" not in str(error.value)
    check_finalise(
        found, [*half, Discussed(criterion_code="C3", subject="P1", note_th="ตกลงใช้ระดับ 3")]
    )


def test_a_finalised_evaluation_refuses_every_change() -> None:
    done = finalised(evaluation(), {"total": "3.02"}, "หัวหน้างานติดตาม", AT)
    assert (done.status, done.final, done.revision) == ("finalised", {"total": "3.02"}, 1)
    assert [h.action for h in done.history] == ["finalised"]
    with pytest.raises(Refusal) as error:
        check_open(done)
    assert refusal(error) == (409, "status", "finalised")
    with pytest.raises(Refusal) as error:
        finalised(done, {"total": "1.00"}, "officer", AT)
    assert REFUSAL_STATUS[error.value.kind] == 409


def test_reopening_needs_a_reason_and_keeps_the_earlier_final() -> None:
    done = finalised(evaluation(), {"total": "3.02", "finalisation": 1}, "officer", AT)
    for blank in ("", "   "):
        with pytest.raises(Refusal) as error:
            reopened(done, blank, "officer", AT)
        assert refusal(error) == (422, "reason_th", "reason_needed")
    with pytest.raises(Refusal) as error:
        reopened(evaluation(), "แก้ไขคะแนน", "officer", AT)
    assert refusal(error) == (409, "status", "not_finalised")

    again = reopened(done, "พบหลักฐานเพิ่มเติมของโครงการ P1", "ผู้อำนวยการกลุ่ม", AT)
    assert (again.status, again.final, again.revision) == ("open", None, 2)
    assert again.earlier_finals == ({"total": "3.02", "finalisation": 1},)
    assert [(h.action, h.reason_th) for h in again.history] == [
        ("finalised", None),
        ("reopened", "พบหลักฐานเพิ่มเติมของโครงการ P1"),
    ]
    check_open(again)
    twice = reopened(finalised(again, {"total": "3.10"}, "officer", AT), "อีกครั้ง", "o", AT)
    assert twice.earlier_finals == (
        {"total": "3.02", "finalisation": 1},
        {"total": "3.10"},
    )


# --- proposals from monitoring ------------------------------------------------------------


def test_latest_progress_takes_the_round_that_ends_last_in_the_fiscal_year_only() -> None:
    rows = [
        progress("P1", "2569-Y", "100.00"),  # an earlier fiscal year
        progress("P1", "2570-Q1", "20.00"),
        progress("P1", "2570-Q3", "70.00"),
        progress("P1", "2570-T1", "40.00"),  # a custom round over quarter 2
        progress("P1", "2570-Y", None, rate=None, reporting=0),  # nobody reported yet
        progress("P2", "2570-Q1", "30.00"),
        progress("P3", "2571-Q1", "10.00"),  # a later fiscal year
    ]
    ends = {
        "2570-Q1": date(2026, 12, 31),
        "2570-T1": date(2027, 3, 31),
        "2570-Q3": date(2027, 6, 30),
        "2570-Y": date(2027, 9, 30),
    }
    latest = latest_progress(rows, 2570, ends)
    assert {code: row["round_id"] for code, row in latest.items()} == {
        "P1": "2570-Q3",
        "P2": "2570-Q1",
    }
    assert latest_progress(rows, 2570)["P1"]["round_id"] == "2570-T1", "by id, without ends"
    assert latest_progress(rows, 2569)["P1"]["round_id"] == "2569-Y"
    assert latest_progress([], 2570) == {}


def proposed(
    measure: Measure, rows: list[dict[str, Any]], indicator_code: str | None = None
) -> dict[str, tuple[str | None, int | None, str | None]]:
    framework = ap_framework(
        dimension("D1", 100, from_indicator("C1", 100, measure, indicator_code))
    )
    latest = latest_progress(rows, 2570)
    found = proposals(evaluation(("P1", "P2", "P3")), framework, FIVE_LEVEL, latest)
    return {
        subject: (
            None if p.achievement is None else str(p.achievement),
            None if p.level is None else p.level.position,
            p.round_id,
        )
        for (code, subject), p in found.items()
    }


ROWS = [
    progress("P1", "2570-Q2", "80.00", "90.00", rate="60.00"),  # mean 85.00
    progress("P2", "2570-Q2", None, "40.00", rate=None),  # mean of those with a value
    progress("P3", "2570-Q2", None, rate="0.00"),  # no achievement at all
]


def test_project_indicators_propose_the_mean_achievement_of_the_projects_indicators() -> None:
    # thresholds 50 / 65 / 80 / 95: 85 reaches level 4, 40 stays at level 1
    assert proposed("project_indicators", ROWS) == {
        "P1": ("85.00", 4, "2570-Q2"),
        "P2": ("40.00", 1, "2570-Q2"),
        "P3": (None, None, "2570-Q2"),
    }
    assert proposed("project_indicators", ROWS[:1])["P3"] == (None, None, None)


def test_budget_efficiency_is_achievement_per_budget_spent_half_up() -> None:
    # 85.00 ÷ 60.00 × 100 = 141.666…; no disbursement rate (or 0) proposes nothing
    assert proposed("budget_efficiency", ROWS) == {
        "P1": ("141.67", 5, "2570-Q2"),
        "P2": (None, None, "2570-Q2"),
        "P3": (None, None, "2570-Q2"),
    }
    exact_half = [progress("P1", "2570-Q2", "45.01", rate="40.00")]  # 112.525
    assert proposed("budget_efficiency", exact_half)["P1"] == ("112.53", 5, "2570-Q2")
    low = [progress("P1", "2570-Q2", "30.00", rate="50.00")]  # 60.00
    assert proposed("budget_efficiency", low)["P1"] == ("60.00", 2, "2570-Q2")


def test_one_indicator_proposes_for_every_subject() -> None:
    assert proposed("indicator", ROWS, "P2-I2") == {
        subject: ("40.00", 1, "2570-Q2") for subject in ("P1", "P2", "P3")
    }
    assert proposed("indicator", ROWS, "P2-I1")["P1"] == (None, None, "2570-Q2")
    assert proposed("indicator", ROWS, "P9-I1")["P1"] == (None, None, None)


def test_a_lower_is_better_indicator_proposes_from_monitorings_mirrored_achievement() -> None:
    # Dropouts 2.0 % against a target of 2.5 %: monitoring publishes 2.5 / 2.0 × 100 = 125.
    row = progress("P1", "2570-Q2")
    row["indicators"] = [indicator("P1-I1", "125.00", direction="lower_is_better")]
    scoring = FromIndicator(measure="project_indicators", thresholds=THRESHOLDS)
    assert measured(scoring, "P1", latest_progress([row], 2570)) == (D("125.00"), "2570-Q2")
    assert proposed("project_indicators", [row])["P1"] == ("125.00", 5, "2570-Q2")
    row["indicators"] = [indicator("P1-I1", "62.50", direction="lower_is_better")]  # 2.5 / 4
    assert proposed("project_indicators", [row])["P1"] == ("62.50", 2, "2570-Q2")


def test_proposals_are_shown_beside_the_assessors_scores() -> None:
    found = results(
        evaluation(),
        FRAMEWORK,
        FIVE_LEVEL,
        scores_of(LEVELS),
        proposals(evaluation(), FRAMEWORK, FIVE_LEVEL, latest_progress(ROWS, 2570)),
    )
    lines = {(s.subject, line.criterion_code): line for s in found.subjects for line in s.criteria}
    shown = lines[("P1", "C2")].proposal
    assert shown is not None and shown.level is not None
    assert (shown.achievement, shown.level.position) == (D("85.00"), 4)
    assert lines[("P1", "C1")].proposal is None, "a rubric criterion proposes nothing"


# --- the window -------------------------------------------------------------------------


def test_the_action_plan_window_is_the_work_manuals_september_to_october_steps() -> None:
    assert evaluation_window("action_plan", 2570) == (date(2027, 9, 1), date(2027, 10, 31))
    template = next(t for t in SEED_TEMPLATES if t.template_id == "action-plan-evaluation")
    windows = {window_dates(w, 2570) for step in template.steps[1:] for w in step.windows}
    assert windows == {(date(2027, 9, 1), date(2027, 10, 31))}
    assert evaluation_window("obec_strategy", 2571) == (date(2028, 9, 1), date(2028, 10, 31))


# --- properties -------------------------------------------------------------------------

positions = st.integers(1, 5)


@st.composite
def scored(draw: st.DrawFn) -> tuple[Evaluation, list[Score]]:
    """An evaluation of 1–4 subjects by 1–4 assessors, some scores missing or drafts."""
    subjects = tuple(f"P{n}" for n in range(1, draw(st.integers(1, 4)) + 1))
    assessors = tuple(f"A{n}" for n in range(1, draw(st.integers(1, 4)) + 1))
    made = []
    for subject in subjects:
        for criterion in CRITERIA:
            for assessor in assessors:
                state = draw(st.sampled_from(("submitted", "submitted", "draft", "none")))
                if state != "none":
                    made.append(score(assessor, criterion, subject, draw(positions), state))
    return evaluation(subjects, assessors), made


@settings(max_examples=60, deadline=None)
@given(scored())
def test_the_overall_total_is_the_half_up_mean_of_the_subjects_totals(
    drawn: tuple[Evaluation, list[Score]],
) -> None:
    made, scores = drawn
    found = results(made, FRAMEWORK, FIVE_LEVEL, scores, no_proposals())
    totals = [Fraction(s.result.total) for s in found.subjects if s.result.total is not None]
    if not totals:
        assert found.total is None
        return
    assert found.total == half_up(sum(totals, Fraction(0)) / len(totals))
    assert found.level == level_for(FIVE_LEVEL, found.total)


@settings(max_examples=60, deadline=None)
@given(st.lists(positions, min_size=3, max_size=3), st.lists(positions, min_size=3, max_size=3))
def test_a_single_assessors_results_are_the_level_scores(
    first: list[int], second: list[int]
) -> None:
    chosen = {("P1", c): (p,) for c, p in zip(CRITERIA, first, strict=True)}
    chosen |= {("P2", c): (p,) for c, p in zip(CRITERIA, second, strict=True)}
    scores = [score("A1", c, s, p[0]) for (s, c), p in chosen.items()]
    found = results(evaluation(assessors=("A1",)), FRAMEWORK, FIVE_LEVEL, scores, no_proposals())
    for subject in found.subjects:
        for line in subject.criteria:
            position = chosen[(subject.subject, line.criterion_code)][0]
            assert line.score == FIVE_LEVEL.level(position).score.quantize(D("0.01"))
            assert line.level == FIVE_LEVEL.level(position)
            assert (line.agreement.spread, line.agreement.stdev) == (0, D("0.00"))
    assert found.to_discuss == ()


@settings(max_examples=60, deadline=None)
@given(scored(), st.randoms(use_true_random=False))
def test_permuting_assessors_does_not_change_the_results(
    drawn: tuple[Evaluation, list[Score]], rng: random.Random
) -> None:
    made, scores = drawn
    before = results(made, FRAMEWORK, FIVE_LEVEL, scores, no_proposals())
    shuffled = list(scores)
    rng.shuffle(shuffled)
    assert results(made, FRAMEWORK, FIVE_LEVEL, shuffled, no_proposals()) == before

    ids = sorted({a.assessor_id for a in made.assignments})
    renamed = dict(zip(ids, rng.sample(ids, len(ids)), strict=True))
    relabelled = made.model_copy(
        update={
            "assignments": tuple(
                a.model_copy(update={"assessor_id": renamed[a.assessor_id]})
                for a in made.assignments
            )
        }
    )
    moved = [s.model_copy(update={"assessor_id": renamed[s.assessor_id]}) for s in shuffled]
    after = results(relabelled, FRAMEWORK, FIVE_LEVEL, moved, no_proposals())
    assert (after.total, after.level, after.to_discuss) == (
        before.total,
        before.level,
        before.to_discuss,
    )
    for old, new in zip(before.subjects, after.subjects, strict=True):
        assert new.result == old.result
        for old_line, new_line in zip(old.criteria, new.criteria, strict=True):
            assert new_line.levels == {renamed[a]: p for a, p in old_line.levels.items()}
            assert (new_line.score, new_line.agreement) == (old_line.score, old_line.agreement)
