"""Use cases of the three yearly evaluations: create, assign, score, see the results
(finalising and reopening are in `finalise`)."""

from collections.abc import Mapping, Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from services.evaluation.domain import evaluations as domain
from services.evaluation.domain.aggregation import Score
from services.evaluation.domain.evaluations import (
    Assignment,
    Discussed,
    Evaluation,
    Proposal,
    Results,
    UnitRecommendation,
    refused,
)
from services.evaluation.domain.frameworks import (
    EvaluationType,
    Framework,
    FromIndicator,
    Scale,
    leaves,
)
from services.evaluation.handlers.ports import EvaluationPorts
from shared.contracts.base import INT64_MAX
from shared.contracts.refusals import Problem, Refusal
from shared.contracts.setup import CODE, Indicator, Plan, Project, Round, Unit
from shared.thai.work_manual import SEED_TEMPLATES, window_dates

# Which work-manual process gives each evaluation its window (steps 2 on: the tools, the
# scoring and the report; step 1 analyses the plan beforehand).
WINDOW_PROCESS: Mapping[str, str] = {
    "action_plan": "action-plan-evaluation",
    "development_plan": "development-plan-evaluation",
    "development_plan_midterm": "development-plan-evaluation",
    "obec_strategy": "obec-strategy-evaluation",
}


def evaluation_window(evaluation_type: str, fiscal_year: int) -> tuple[date, date]:
    """The first and last day of the evaluation's steps in the work calendar."""
    template = next(t for t in SEED_TEMPLATES if t.template_id == WINDOW_PROCESS[evaluation_type])
    days = [
        day
        for step in template.steps[1:]
        for window in step.windows
        for day in window_dates(window, fiscal_year)
    ]
    return min(days), max(days)


class EvaluationIn(BaseModel):
    """A new evaluation; subjects and window default from the set-up and the work calendar."""

    model_config = ConfigDict(extra="forbid")

    evaluation_id: str = Field(pattern=CODE, examples=["AP2570-EVAL"])
    evaluation_type: EvaluationType
    fiscal_year: int = Field(ge=2500, le=2800)
    title_th: str = Field(min_length=1, max_length=500)
    framework_id: str = Field(pattern=CODE)
    framework_version: int = Field(ge=1, le=INT64_MAX)
    plan_id: str | None = Field(
        None, pattern=CODE, description="Action plan: its projects are the subjects."
    )
    subjects: tuple[str, ...] | None = Field(
        None, description="Default: the plan's projects, or the office for the others."
    )
    opens_on: date | None = Field(None, description="Default: from the work calendar.")
    closes_on: date | None = None


class ScoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    criterion_code: str = Field(pattern=CODE)
    subject: str = Field(pattern=CODE)
    level_position: int = Field(ge=1, le=INT64_MAX, description="1 = the scale's lowest level.")
    comment_th: str | None = Field(None, max_length=5000)
    evidence: tuple[str, ...] = Field((), max_length=50)
    status: str = Field("draft", pattern="^(draft|submitted)$")
    override_reason_th: str | None = Field(
        None, max_length=2000, description="Needed to submit a level other than the proposed."
    )


class FinaliseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    discussed: tuple[Discussed, ...] = ()
    strengths_th: tuple[str, ...] | None = Field(
        None, description="Default: criteria at the scale's top two levels."
    )
    improvements_th: tuple[str, ...] | None = Field(
        None, description="Default: criteria at the scale's bottom two levels."
    )
    recommendations: tuple[UnitRecommendation, ...] = ()


async def evaluation_of(ports: EvaluationPorts, evaluation_id: str) -> Evaluation:
    found = await ports.evaluations.get(evaluation_id)
    if found is None:
        raise refused("evaluation_id", "not_found", f"no evaluation {evaluation_id}", "not_found")
    return found


async def framework_of(ports: EvaluationPorts, evaluation: Evaluation) -> Framework:
    framework = await ports.frameworks.get(evaluation.framework_id, evaluation.framework_version)
    if framework is None:
        raise refused("framework_id", "not_found", "the evaluation's framework is gone", "conflict")
    return framework


def scale_of(ports: EvaluationPorts, framework: Framework) -> Scale:
    return ports.scales[framework.scale_id]


async def _subjects(ports: EvaluationPorts, body: EvaluationIn) -> tuple[tuple[str, ...], set[str]]:
    """The subjects to evaluate (given or default) and every subject the set-up knows."""
    if domain.SUBJECT_KIND[body.evaluation_type] == "project":
        where = {"plan_id": body.plan_id} if body.plan_id else None
        projects = [p for p in await ports.setup.search("project", where) if isinstance(p, Project)]
        top = tuple(p.code for p in projects if p.parent_code is None)
        return (body.subjects or top), {p.code for p in projects}
    units = [u for u in await ports.setup.search("unit") if isinstance(u, Unit)]
    offices = tuple(u.code for u in units if u.unit_type == "office")
    return (body.subjects or offices), {u.code for u in units}


# The plan type each evaluation type evaluates (None: it evaluates no plan).
PLAN_TYPE: Mapping[str, str | None] = {
    "action_plan": "action_plan",
    "development_plan": "development_plan",
    "development_plan_midterm": "development_plan",
    "obec_strategy": None,
}


async def _plan_problems(ports: EvaluationPorts, body: EvaluationIn) -> list[Problem]:
    """The plan must be known, of the evaluation's kind and cover its fiscal year; an action
    plan evaluation names its plan (its projects are the subjects)."""
    wanted = PLAN_TYPE[body.evaluation_type]

    def problem(code: str, message: str) -> list[Problem]:
        return [Problem(field="plan_id", code=code, message=message)]

    if body.plan_id is None:
        if body.evaluation_type == "action_plan":
            return problem("plan_required", "an action plan evaluation names its plan")
        return []
    plan = await ports.setup.get("plan", body.plan_id)
    if not isinstance(plan, Plan):
        return problem("unknown_plan", f"no plan {body.plan_id} in the set-up")
    if plan.plan_type != wanted:
        return problem(
            "plan_type", f"a {body.evaluation_type} evaluation does not evaluate a {plan.plan_type}"
        )
    if not plan.first_fiscal_year <= body.fiscal_year <= plan.last_fiscal_year:
        return problem(
            "outside_plan_years",
            f"{body.plan_id} covers {plan.first_fiscal_year}–{plan.last_fiscal_year}, "
            f"not {body.fiscal_year}",
        )
    return []


async def _indicator_problems(ports: EvaluationPorts, framework: Framework | None) -> list[Problem]:
    """Criteria scored from one indicator must name an indicator the set-up knows."""
    problems = []
    for leaf in leaves(framework) if framework is not None else []:
        scoring = leaf.node.scoring
        if not isinstance(scoring, FromIndicator) or scoring.indicator_code is None:
            continue
        if not isinstance(await ports.setup.get("indicator", scoring.indicator_code), Indicator):
            problems.append(
                Problem(
                    field="framework_id",
                    code="unknown_indicator",
                    message=f"criterion {leaf.path} links to {scoring.indicator_code}, "
                    "which the set-up does not know",
                )
            )
    return problems


async def create(ports: EvaluationPorts, body: EvaluationIn, by: str) -> Evaluation:
    """A new evaluation of a published framework; every problem answered at once."""
    if problems := await _plan_problems(ports, body):
        raise Refusal(problems)
    subjects, known = await _subjects(ports, body)
    opens, closes = evaluation_window(body.evaluation_type, body.fiscal_year)
    if not subjects:
        raise refused("subjects", "no_subjects", "nothing to evaluate: no subjects found")
    evaluation = Evaluation(
        **body.model_dump(exclude={"subjects", "opens_on", "closes_on"}),
        subject_kind=domain.SUBJECT_KIND[body.evaluation_type],
        subjects=subjects,
        opens_on=body.opens_on or opens,
        closes_on=body.closes_on or closes,
        history=(domain.HistoryEntry(at=ports.clock(), action="created", by=by),),
    )
    framework = await ports.frameworks.get(body.framework_id, body.framework_version)
    problems = domain.check_new(evaluation, framework, known)
    if problems := problems + await _indicator_problems(ports, framework):
        raise Refusal(problems)
    if not await ports.evaluations.add(evaluation):
        raise refused("evaluation_id", "duplicate", f"{body.evaluation_id} exists", "conflict")
    return evaluation


async def assign(
    ports: EvaluationPorts, evaluation_id: str, assignments: Sequence[Assignment], by: str
) -> Evaluation:
    """Replace who scores what; refused once finalised."""
    evaluation = await evaluation_of(ports, evaluation_id)
    domain.check_open(evaluation)
    framework = await framework_of(ports, evaluation)
    if problems := domain.check_assignments(assignments, evaluation, framework):
        raise Refusal(problems)
    entry = domain.HistoryEntry(at=ports.clock(), action="assigned", by=by)
    changed = evaluation.model_copy(
        update={
            "assignments": tuple(dict.fromkeys(assignments)),
            "revision": evaluation.revision + 1,
            "history": (*evaluation.history, entry),
        }
    )
    if not await ports.evaluations.replace(changed, evaluation.revision):
        raise refused("evaluation_id", "conflict", "changed meanwhile; read it again", "conflict")
    return changed


async def _proposals(
    ports: EvaluationPorts, evaluation: Evaluation, framework: Framework
) -> dict[tuple[str, str], Proposal]:
    rounds = await ports.setup.search("round", {"fiscal_year": evaluation.fiscal_year})
    ends = {r.round_id: r.period_end for r in rounds if isinstance(r, Round)}
    latest = domain.latest_progress(await ports.progress.all(), evaluation.fiscal_year, ends)
    return domain.proposals(evaluation, framework, scale_of(ports, framework), latest)


async def score(
    ports: EvaluationPorts, evaluation_id: str, assessor_id: str, body: ScoreIn
) -> Score:
    """An assessor's draft or submitted score of a criterion and subject assigned to them."""
    evaluation = await evaluation_of(ports, evaluation_id)
    framework = await framework_of(ports, evaluation)
    scale = scale_of(ports, framework)
    given = Score(
        assessor_id=assessor_id,
        criterion_code=body.criterion_code,
        subject=body.subject,
        level_position=max(body.level_position, 1),
        comment_th=body.comment_th,
        evidence=body.evidence,
        status="submitted" if body.status == "submitted" else "draft",
    )
    proposal = (await _proposals(ports, evaluation, framework)).get(
        (body.criterion_code, body.subject)
    )
    domain.check_score(
        given.model_copy(update={"level_position": body.level_position}),
        evaluation,
        scale,
        proposal,
        body.override_reason_th,
        criteria={leaf.node.code for leaf in leaves(framework)},
    )
    await ports.evaluations.put_score(evaluation_id, given, body.override_reason_th, ports.clock())
    # A score changes the results: moving the revision on makes a finalise that read the
    # scores before this one fail its guarded write (a conflict: read again) rather than freeze
    # results without it; if a finalise won the race, the assessor hears it was too late.
    if not await ports.evaluations.touch(evaluation_id):
        domain.check_open(await evaluation_of(ports, evaluation_id))
        raise refused("evaluation_id", "conflict", "changed meanwhile; try again", "conflict")
    return given


def assessor_view(evaluation: Evaluation, assessor_id: str) -> Evaluation | None:
    """The part of an evaluation assigned to one assessor; None if nothing is.

    Only their subjects and assignments; not the frozen results, which hold every
    assessor's levels.
    """
    mine = tuple(a for a in evaluation.assignments if a.assessor_id == assessor_id)
    subjects = tuple(dict.fromkeys(a.subject for a in mine))
    if not subjects:
        return None
    return evaluation.model_copy(
        update={"subjects": subjects, "assignments": mine, "final": None, "earlier_finals": ()}
    )


async def results(
    ports: EvaluationPorts, evaluation_id: str, assessor_id: str | None = None
) -> tuple[Evaluation, Results]:
    """The evaluation's results; for an assessor, only their assignments and scores."""
    evaluation = await evaluation_of(ports, evaluation_id)
    framework = await framework_of(ports, evaluation)
    held = await ports.evaluations.scores_of(evaluation_id)
    scores = [s for s, _ in held]
    reasons = {(s.assessor_id, s.criterion_code, s.subject): reason for s, reason in held if reason}
    if assessor_id is not None:
        mine = assessor_view(evaluation, assessor_id)
        if mine is None:
            raise refused(
                "evaluation_id", "not_assigned", "nothing here is assigned to you", "forbidden"
            )
        evaluation = mine
        scores = [s for s in scores if s.assessor_id == assessor_id]
    found = domain.results(
        evaluation,
        framework,
        scale_of(ports, framework),
        scores,
        await _proposals(ports, evaluation, framework),
        reasons,
    )
    return evaluation, found
