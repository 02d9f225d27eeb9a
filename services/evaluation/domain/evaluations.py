"""An evaluation (การประเมิน): a published framework applied to a fiscal year and its subjects.

- **Kinds** follow the framework's evaluation type: OBEC strategy, development plan (and its
  mid-plan evaluation), annual action plan. An action plan evaluation's subjects are the
  plan's projects, scored project by project; the others' subjects are units (usually the
  office itself). The **window** (opens, closes) is taken from the work calendar.
- **Assignments** say which assessor scores which criterion of which subject; only those
  scores are accepted (any other is refused as forbidden).
- A **score** is a level, a comment and evidence references; it is a draft until submitted,
  and only submitted scores count. While the evaluation is open an assessor may change
  their score, e.g. after the discussion of a criterion they disagreed on.
- **Proposed levels** come from monitoring's latest project progress of the fiscal year
  (cumulative achievement): criteria scored from indicators show one beside the assessors'
  scores. An assessor who submits another level gives a reason (`override_reason_th`).
- **Results** per subject roll up by `aggregation.roll_up`; the evaluation's overall total is
  the mean of the subjects' totals, half-up at 2 decimals (subjects weigh the same).
- **Finalising** needs every submitted-score disagreement of two levels or more
  ("to discuss") recorded as discussed, with a note; it freezes the results and the summary.
  A finalised evaluation refuses every change; reopening needs a reason, and each step is
  kept in the history.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.evaluation.domain.aggregation import (
    Agreement,
    Result,
    Score,
    aggregate_criterion,
    agreement,
    roll_up,
    submitted_positions,
    to_discuss,
)
from services.evaluation.domain.frameworks import (
    EvaluationType,
    Framework,
    FromIndicator,
    Scale,
    ScaleLevel,
    leaves,
    level_for,
    propose_level,
)
from shared.contracts.base import INT64_MAX
from shared.contracts.refusals import Kind, Problem, Refusal
from shared.contracts.setup import CODE
from shared.thai.numbers import half_up

SubjectKind = Literal["project", "unit"]
SUBJECT_KIND: Mapping[str, SubjectKind] = {
    "action_plan": "project",
    "obec_strategy": "unit",
    "development_plan": "unit",
    "development_plan_midterm": "unit",
}


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def refused(field: str, code: str, message: str, kind: Kind = "invalid") -> Refusal:
    """A refusal of one problem; `kind` says what is wrong (the platform names the status)."""
    return Refusal.of(field, code, message, kind)


class Assignment(_Data):
    """An assessor scores one criterion of one subject."""

    assessor_id: str = Field(pattern=CODE)
    criterion_code: str = Field(pattern=CODE)
    subject: str = Field(pattern=CODE)


class Discussed(_Data):
    """A criterion and subject the assessors disagreed on, as discussed before finalising."""

    criterion_code: str
    subject: str
    note_th: str = Field(min_length=1, max_length=2000)


class UnitRecommendation(_Data):
    """What a responsible unit should do next (ข้อเสนอแนะ)."""

    unit_code: str = Field(pattern=CODE)
    text_th: str = Field(min_length=1, max_length=2000)


class HistoryEntry(_Data):
    at: datetime
    action: Literal["created", "assigned", "finalised", "reopened"]
    by: str
    reason_th: str | None = None


class Evaluation(_Data):
    evaluation_id: str = Field(pattern=CODE, examples=["AP2570-EVAL"])
    evaluation_type: EvaluationType
    fiscal_year: int = Field(ge=2500, le=2800)
    title_th: str = Field(min_length=1, max_length=500)
    framework_id: str = Field(pattern=CODE)
    framework_version: int = Field(ge=1, le=INT64_MAX)
    plan_id: str | None = Field(None, pattern=CODE, description="The plan evaluated, if any.")
    subject_kind: SubjectKind
    subjects: tuple[str, ...] = Field(min_length=1, description="Project or unit codes.")
    opens_on: date
    closes_on: date
    assignments: tuple[Assignment, ...] = ()
    status: Literal["open", "finalised"] = "open"
    revision: int = Field(0, ge=0, description="Grows with every change; guards writes.")
    history: tuple[HistoryEntry, ...] = ()
    final: dict[str, Any] | None = Field(None, description="The frozen results when finalised.")
    earlier_finals: tuple[dict[str, Any], ...] = Field(
        (), description="Results of earlier finalisations, kept when reopened."
    )


class Proposal(_Data):
    """A level proposed from monitoring for a criterion and subject."""

    criterion_code: str
    subject: str
    achievement: Decimal | None
    level: ScaleLevel | None
    round_id: str | None


def check_new(
    evaluation: Evaluation, framework: Framework | None, known_subjects: Iterable[str]
) -> list[Problem]:
    """Problems of a new evaluation: its framework, kind, subjects and window."""
    problems = []
    if framework is None or framework.status != "published":
        problems.append(
            Problem(
                field="framework_version",
                code="not_published",
                message="an evaluation uses a published framework version",
            )
        )
    elif framework.evaluation_type != evaluation.evaluation_type:
        problems.append(
            Problem(
                field="evaluation_type",
                code="type_mismatch",
                message=f"the framework is for {framework.evaluation_type}",
            )
        )
    if evaluation.subject_kind != SUBJECT_KIND[evaluation.evaluation_type]:
        problems.append(
            Problem(
                field="subject_kind",
                code="subject_kind",
                message=f"a {evaluation.evaluation_type} evaluation scores "
                f"{SUBJECT_KIND[evaluation.evaluation_type]}s",
            )
        )
    known = set(known_subjects)
    for index, subject in enumerate(evaluation.subjects):
        if subject not in known:
            problems.append(
                Problem(
                    field=f"subjects.{index}",
                    code="unknown_subject",
                    message=f"no {evaluation.subject_kind} {subject} in the set-up",
                )
            )
    if len(set(evaluation.subjects)) != len(evaluation.subjects):
        problems.append(Problem(field="subjects", code="duplicate", message="listed twice"))
    if evaluation.closes_on < evaluation.opens_on:
        problems.append(Problem(field="closes_on", code="window", message="closes before it opens"))
    return problems


def check_assignments(
    assignments: Sequence[Assignment], evaluation: Evaluation, framework: Framework
) -> list[Problem]:
    criteria = {leaf.node.code for leaf in leaves(framework)}
    problems = []
    for index, assignment in enumerate(assignments):
        if assignment.criterion_code not in criteria:
            problems.append(
                Problem(
                    field=f"assignments.{index}.criterion_code",
                    code="unknown_criterion",
                    message=f"{assignment.criterion_code} is not a criterion of the framework",
                )
            )
        if assignment.subject not in evaluation.subjects:
            problems.append(
                Problem(
                    field=f"assignments.{index}.subject",
                    code="unknown_subject",
                    message=f"{assignment.subject} is not a subject of this evaluation",
                )
            )
    return problems


def check_open(evaluation: Evaluation) -> None:
    if evaluation.status == "finalised":
        raise refused(
            "status",
            "finalised",
            "the evaluation is finalised: reopen it with a reason",
            "conflict",
        )


def check_score(
    score: Score,
    evaluation: Evaluation,
    scale: Scale,
    proposal: Proposal | None,
    override_reason_th: str | None,
    criteria: Collection[str] | None = None,
) -> None:
    """A score may be written: open, of a subject of the evaluation and (given `criteria`)
    a criterion of its framework (else invalid), assigned (else forbidden), on the scale,
    overrides explained."""
    check_open(evaluation)
    if score.subject not in evaluation.subjects:
        raise refused(
            "subject", "unknown_subject", f"{score.subject} is not a subject of this evaluation"
        )
    if criteria is not None and score.criterion_code not in criteria:
        raise refused(
            "criterion_code",
            "unknown_criterion",
            f"{score.criterion_code} is not a criterion of the framework",
        )
    assigned = Assignment(
        assessor_id=score.assessor_id,
        criterion_code=score.criterion_code,
        subject=score.subject,
    )
    if assigned not in evaluation.assignments:
        raise refused(
            "criterion_code",
            "not_assigned",
            f"{score.assessor_id} is not assigned {score.criterion_code} of {score.subject}",
            "forbidden",
        )
    if not 1 <= score.level_position <= len(scale.levels):
        raise refused(
            "level_position",
            "off_scale",
            f"level {score.level_position} is not on the scale (1–{len(scale.levels)})",
        )
    overrides = (
        proposal is not None
        and proposal.level is not None
        and proposal.level.position != score.level_position
    )
    if score.status == "submitted" and overrides and not (override_reason_th or "").strip():
        raise refused(
            "override_reason_th",
            "reason_needed",
            "a level other than the proposed one needs a reason",
        )


def latest_progress(
    progress: Iterable[Mapping[str, Any]],
    fiscal_year: int,
    period_ends: Mapping[str, date] | None = None,
) -> dict[str, Mapping[str, Any]]:
    """Each project's progress of its latest round of the fiscal year (cumulative).

    The latest round is the one whose period ends last (`period_ends` by round id, from the
    set-up); equal ends, and rounds the set-up does not know (they come first), go by round
    id. Round ids alone do not order rounds: a custom "2570-T1" is not after "2570-Q4".
    Only rounds in which some unit reported on the project count: monitoring also announces
    rounds nobody has reported in yet (all empty), and those must not hide the latest data.
    """
    ends = period_ends or {}

    def order(round_id: str) -> tuple[date, str]:
        return ends.get(round_id, date.min), round_id

    latest: dict[str, Mapping[str, Any]] = {}
    for row in progress:
        round_id = str(row["round_id"])
        if not round_id.startswith(f"{fiscal_year}-") or row.get("units_reporting") == 0:
            continue
        held = latest.get(row["project_code"])
        if held is None or order(round_id) > order(str(held["round_id"])):
            latest[row["project_code"]] = row
    return latest


def _mean_achievement(row: Mapping[str, Any]) -> Decimal | None:
    values = [
        Fraction(Decimal(str(indicator["achievement"])))
        for indicator in row.get("indicators", ())
        if indicator.get("achievement") is not None
    ]
    return half_up(sum(values, Fraction(0)) / len(values)) if values else None


def measured(
    scoring: FromIndicator, subject: str, latest: Mapping[str, Mapping[str, Any]]
) -> tuple[Decimal | None, str | None]:
    """The achievement a criterion measures for a subject, and the round it comes from."""
    if scoring.measure == "indicator":
        for row in latest.values():
            for indicator in row.get("indicators", ()):
                if indicator["code"] == scoring.indicator_code:
                    value = indicator.get("achievement")
                    return (None if value is None else Decimal(str(value))), row["round_id"]
        return None, None
    if subject not in latest:
        return None, None
    row = latest[subject]
    achievement = _mean_achievement(row)
    if scoring.measure == "project_indicators":
        return achievement, row["round_id"]
    rate = row.get("disbursement_rate")
    if achievement is None or rate is None or Decimal(str(rate)) <= 0:
        return None, row["round_id"]
    return half_up(Fraction(achievement) / Fraction(Decimal(str(rate))) * 100), row["round_id"]


def proposals(
    evaluation: Evaluation,
    framework: Framework,
    scale: Scale,
    latest: Mapping[str, Mapping[str, Any]],
) -> dict[tuple[str, str], Proposal]:
    """Proposed levels of the criteria scored from indicators, per (criterion, subject)."""
    found = {}
    for leaf in leaves(framework):
        scoring = leaf.node.scoring
        if not isinstance(scoring, FromIndicator):
            continue
        for subject in evaluation.subjects:
            achievement, round_id = measured(scoring, subject, latest)
            found[(leaf.node.code, subject)] = Proposal(
                criterion_code=leaf.node.code,
                subject=subject,
                achievement=achievement,
                level=propose_level(scoring, achievement, scale),
                round_id=round_id,
            )
    return found


class CriterionLine(_Data):
    criterion_code: str
    path: str
    title_th: str
    levels: dict[str, int] = Field(description="Submitted level position by assessor.")
    score: Decimal | None
    level: ScaleLevel | None
    agreement: Agreement
    proposal: Proposal | None
    overrides: dict[str, str] = Field(
        default_factory=dict,
        description="Why an assessor gave another level than the proposed one, by assessor.",
    )


class SubjectResult(_Data):
    subject: str
    result: Result
    criteria: tuple[CriterionLine, ...]


class Results(_Data):
    evaluation_id: str
    subjects: tuple[SubjectResult, ...]
    total: Decimal | None
    level: ScaleLevel | None
    to_discuss: tuple[tuple[str, str, Agreement], ...]
    submitted: int
    drafts: int
    expected: int = Field(description="Assignments: scores expected.")


def results(
    evaluation: Evaluation,
    framework: Framework,
    scale: Scale,
    scores: Sequence[Score],
    found_proposals: Mapping[tuple[str, str], Proposal],
    reasons: Mapping[tuple[str, str, str], str] | None = None,
) -> Results:
    """Every subject's criterion lines and roll-up, the overall total and what to discuss.

    `reasons` are the assessors' reasons for overriding a proposal, by (assessor, criterion,
    subject); they are shown where the proposal still differs from the submitted level.

    Only scores of the current assignments count: a score given before its assessor was
    unassigned stays stored but no longer weighs in.
    """
    assigned = {(a.assessor_id, a.criterion_code, a.subject) for a in evaluation.assignments}
    scores = [s for s in scores if (s.assessor_id, s.criterion_code, s.subject) in assigned]
    grouped = submitted_positions(framework, scores, scale)
    by_assessor: dict[tuple[str, str], dict[str, int]] = {}
    for score in scores:
        if score.status == "submitted":
            key = (score.criterion_code, score.subject)
            by_assessor.setdefault(key, {})[score.assessor_id] = score.level_position
    subjects = []
    for subject in evaluation.subjects:
        lines = []
        criterion_scores: dict[str, Decimal | None] = {}
        for leaf in leaves(framework):
            code = leaf.node.code
            positions = grouped.get((code, subject), [])
            value = aggregate_criterion(positions, scale, framework.aggregation)
            criterion_scores[code] = value
            lines.append(
                CriterionLine(
                    criterion_code=code,
                    path=leaf.path,
                    title_th=leaf.node.title_th,
                    levels=dict(sorted(by_assessor.get((code, subject), {}).items())),
                    score=value,
                    level=None if value is None else level_for(scale, value),
                    agreement=agreement(positions, scale),
                    proposal=found_proposals.get((code, subject)),
                    overrides=_overrides(
                        by_assessor.get((code, subject), {}),
                        found_proposals.get((code, subject)),
                        {
                            a: r
                            for (a, c, s), r in (reasons or {}).items()
                            if (c, s) == (code, subject)
                        },
                    ),
                )
            )
        subjects.append(
            SubjectResult(
                subject=subject,
                result=roll_up(framework, criterion_scores, scale),
                criteria=tuple(lines),
            )
        )
    totals = [Fraction(s.result.total) for s in subjects if s.result.total is not None]
    total = half_up(sum(totals, Fraction(0)) / len(totals)) if totals else None
    discuss = to_discuss(framework, scores, scale)
    return Results(
        evaluation_id=evaluation.evaluation_id,
        subjects=tuple(subjects),
        total=total,
        level=None if total is None else level_for(scale, total),
        to_discuss=tuple((d.criterion_code, d.subject, d.agreement) for d in discuss),
        submitted=sum(1 for s in scores if s.status == "submitted"),
        drafts=sum(1 for s in scores if s.status == "draft"),
        expected=len(evaluation.assignments),
    )


def _overrides(
    levels: Mapping[str, int], proposal: Proposal | None, reasons: Mapping[str, str]
) -> dict[str, str]:
    if proposal is None or proposal.level is None:
        return {}
    return {
        assessor: reasons[assessor]
        for assessor, position in sorted(levels.items())
        if position != proposal.level.position and reasons.get(assessor)
    }


def strengths_and_improvements(
    framework: Framework, found: Results, scale: Scale
) -> tuple[list[str], list[str]]:
    """Criteria whose mean score over subjects sits at the top two levels (strengths) or the
    bottom two (to improve), as "code title" lines in tree order."""
    strengths, improvements = [], []
    top = len(scale.levels)
    for leaf in leaves(framework):
        values = [
            Fraction(line.score)
            for subject in found.subjects
            for line in subject.criteria
            if line.criterion_code == leaf.node.code and line.score is not None
        ]
        if not values:
            continue
        level = level_for(scale, half_up(sum(values, Fraction(0)) / len(values)))
        text = f"{leaf.node.code} {leaf.node.title_th}"
        if level.position >= top - 1:
            strengths.append(text)
        elif level.position <= 2:
            improvements.append(text)
    return strengths, improvements


def check_finalise(found: Results, discussed: Sequence[Discussed]) -> None:
    """Every to-discuss criterion must be recorded as discussed (a conflict lists what is
    left)."""
    noted = {(d.criterion_code, d.subject) for d in discussed}
    left = [
        (code, subject) for code, subject, _ in found.to_discuss if (code, subject) not in noted
    ]
    if left:
        listed = ", ".join(f"{code} of {subject}" for code, subject in left)
        raise refused("discussed", "to_discuss", f"discuss first: {listed}", "conflict")


def finalised(evaluation: Evaluation, final: dict[str, Any], by: str, at: datetime) -> Evaluation:
    check_open(evaluation)
    entry = HistoryEntry(at=at, action="finalised", by=by)
    return evaluation.model_copy(
        update={
            "status": "finalised",
            "final": final,
            "revision": evaluation.revision + 1,
            "history": (*evaluation.history, entry),
        }
    )


def reopened(evaluation: Evaluation, reason_th: str, by: str, at: datetime) -> Evaluation:
    if evaluation.status != "finalised":
        raise refused("status", "not_finalised", "only a finalised evaluation reopens", "conflict")
    if not reason_th.strip():
        raise refused("reason_th", "reason_needed", "reopening needs a reason")
    entry = HistoryEntry(at=at, action="reopened", by=by, reason_th=reason_th)
    return evaluation.model_copy(
        update={
            "status": "open",
            "final": None,
            "earlier_finals": (*evaluation.earlier_finals, evaluation.final or {}),
            "revision": evaluation.revision + 1,
            "history": (*evaluation.history, entry),
        }
    )
