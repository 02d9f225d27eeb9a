"""Finalising an evaluation and reopening it, and announcing both through the platform's
outbox (`outbox` in the evaluation's document): the change and its event are one write; the
event is announced right after, and the outbox relay publishes whatever a failure left
there. Consumers dedupe by event id."""

import logging
from datetime import datetime
from typing import Any

from services.evaluation.domain import evaluations as domain
from services.evaluation.domain.evaluations import Evaluation, Results, refused
from services.evaluation.domain.frameworks import Framework, ScaleLevel
from services.evaluation.handlers.evaluations import (
    FinaliseIn,
    evaluation_of,
    framework_of,
    results,
    scale_of,
)
from services.evaluation.handlers.ports import PRODUCER, EvaluationPorts
from shared.contracts import Envelope, derived_event_id, make_envelope
from shared.contracts.evaluation import (
    CriterionOut,
    DiscussedOut,
    EvaluationFinalised,
    EvaluationReopened,
    LevelOut,
    NodeOut,
    RecommendationOut,
    SubjectOut,
)
from shared.platform.outbox import announce

log = logging.getLogger(__name__)


def _level(level: ScaleLevel | None) -> LevelOut | None:
    return None if level is None else LevelOut.model_validate(level.model_dump())


async def _name_of(ports: EvaluationPorts, kind: str, code: str) -> str:
    entity = await ports.setup.get(kind, code)
    return str(getattr(entity, "name_th", code))


async def _finalised_event(
    ports: EvaluationPorts,
    evaluation: Evaluation,
    framework: Framework,
    found: Results,
    body: FinaliseIn,
    by: str,
    at: datetime,
) -> EvaluationFinalised:
    scale = scale_of(ports, framework)
    strengths, improvements = domain.strengths_and_improvements(framework, found, scale)
    subjects = []
    for subject in found.subjects:
        nodes = tuple(
            NodeOut(
                code=node.code,
                path=node.path,
                title_th=_title(framework, node.code),
                depth=node.depth,
                weight=node.weight,
                score=node.score,
                level=_level(node.level),
            )
            for node in subject.result.nodes.values()
        )
        criteria = tuple(
            CriterionOut(
                code=line.criterion_code,
                path=line.path,
                title_th=line.title_th,
                levels=line.levels,
                score=line.score,
                level=_level(line.level),
                assessors=line.agreement.count,
                spread=line.agreement.spread,
                stdev=line.agreement.stdev,
                proposed_level=_level(line.proposal.level) if line.proposal else None,
                proposed_achievement=line.proposal.achievement if line.proposal else None,
                overrides=line.overrides,
            )
            for line in subject.criteria
        )
        subjects.append(
            SubjectOut(
                subject=subject.subject,
                name_th=await _name_of(ports, evaluation.subject_kind, subject.subject),
                total=subject.result.total,
                level=_level(subject.result.level),
                nodes=nodes,
                criteria=criteria,
            )
        )
    spreads = {(code, subject): agreed.spread for code, subject, agreed in found.to_discuss}
    return EvaluationFinalised(
        evaluation_id=evaluation.evaluation_id,
        evaluation_type=evaluation.evaluation_type,
        fiscal_year=evaluation.fiscal_year,
        title_th=evaluation.title_th,
        framework_id=framework.framework_id,
        framework_version=framework.version,
        framework_title_th=framework.title_th,
        aggregation=framework.aggregation,
        scale=tuple(LevelOut.model_validate(level.model_dump()) for level in scale.levels),
        subject_kind=evaluation.subject_kind,
        subjects=tuple(subjects),
        total=found.total,
        level=_level(found.level),
        discussed=tuple(
            DiscussedOut(
                criterion_code=d.criterion_code,
                subject=d.subject,
                spread=spreads.get((d.criterion_code, d.subject), 0),
                note_th=d.note_th,
            )
            for d in body.discussed
        ),
        strengths_th=body.strengths_th if body.strengths_th is not None else tuple(strengths),
        improvements_th=(
            body.improvements_th if body.improvements_th is not None else tuple(improvements)
        ),
        recommendations=tuple(
            [
                RecommendationOut(
                    unit_code=r.unit_code,
                    unit_name_th=await _name_of(ports, "unit", r.unit_code),
                    text_th=r.text_th,
                )
                for r in body.recommendations
            ]
        ),
        finalisation=1 + sum(1 for h in evaluation.history if h.action == "finalised"),
        finalised_by=by,
        finalised_at=at,
    )


def _title(framework: Framework, code: str) -> str:
    stack = list(framework.nodes)
    while stack:
        node = stack.pop()
        if node.code == code:
            return node.title_th
        stack.extend(node.children)
    return code


async def finalise(
    ports: EvaluationPorts, evaluation_id: str, body: FinaliseIn, by: str
) -> EvaluationFinalised:
    """Freeze the results once every disagreement is discussed; announce them."""
    evaluation = await evaluation_of(ports, evaluation_id)
    domain.check_open(evaluation)
    for index, recommendation in enumerate(body.recommendations):
        if await ports.setup.get("unit", recommendation.unit_code) is None:
            raise refused(
                f"recommendations.{index}.unit_code",
                "unknown_unit",
                f"no unit {recommendation.unit_code} in the set-up",
            )
    framework = await framework_of(ports, evaluation)
    _, found = await results(ports, evaluation_id)
    domain.check_finalise(found, body.discussed)
    at = ports.clock()
    event = await _finalised_event(ports, evaluation, framework, found, body, by, at)
    changed = domain.finalised(evaluation, event.model_dump(mode="json"), by, at)
    envelope = make_envelope(
        event,
        producer=PRODUCER,
        correlation_id=f"evaluation-{evaluation_id}",
        event_id=derived_event_id("finalised", f"{evaluation_id}:{changed.revision}"),
    )
    await _store_and_announce(ports, changed, evaluation.revision, envelope)
    return event


async def reopen(ports: EvaluationPorts, evaluation_id: str, reason_th: str, by: str) -> Evaluation:
    """Reopen a finalised evaluation with a reason; its earlier results stay in its history."""
    evaluation = await evaluation_of(ports, evaluation_id)
    at = ports.clock()
    changed = domain.reopened(evaluation, reason_th, by, at)
    event = EvaluationReopened(
        evaluation_id=evaluation_id,
        fiscal_year=evaluation.fiscal_year,
        reason_th=reason_th,
        reopened_by=by,
        reopened_at=at,
    )
    envelope = make_envelope(
        event,
        producer=PRODUCER,
        correlation_id=f"evaluation-{evaluation_id}",
        event_id=derived_event_id("reopened", f"{evaluation_id}:{changed.revision}"),
    )
    await _store_and_announce(ports, changed, evaluation.revision, envelope)
    return changed


async def _store_and_announce(
    ports: EvaluationPorts, changed: Evaluation, read_revision: int, envelope: Envelope[Any]
) -> None:
    if not await ports.evaluations.replace(changed, read_revision, envelope):
        raise refused("evaluation_id", "conflict", "changed meanwhile; read it again", "conflict")
    try:
        await announce(ports.publish, ports.evaluations.outbox, changed.evaluation_id, envelope)
    except Exception:
        # The change is stored with its event: the outbox relay publishes it later.
        log.exception("publishing %s failed; the relay retries", envelope.type)


async def republish_finals(ports: EvaluationPorts) -> int:
    """Announce every finalised evaluation again (a consumer rebuilding its copy asked)."""
    sent = 0
    for evaluation in await ports.evaluations.all():
        if evaluation.status == "finalised" and evaluation.final is not None:
            event = EvaluationFinalised.model_validate(evaluation.final)
            await ports.publish(
                make_envelope(
                    event,
                    producer=PRODUCER,
                    correlation_id=f"evaluation-{evaluation.evaluation_id}",
                    event_id=derived_event_id(
                        "finalised", f"{evaluation.evaluation_id}:{evaluation.revision}"
                    ),
                )
            )
            sent += 1
    return sent
