"""Use cases of the inspection follow-up register (การติดตามผลการตรวจราชการ).

Each loads through the store, lets the domain judge, and writes only what the domain accepts.
A refusal is the platform's `Refusal`: every problem with the field at fault and its Thai
message, and its kind (not_found for an unknown id, conflict with what is stored, invalid
input).

An inspection's report is announced as the register stands when it is announced: a write
marks its inspection changed (in the store), and `announce_reports` publishes the current
report of every inspection marked, right after an HTTP write and on every pass of the
announcing job. An overdue recommendation is claimed once per due date, the claim holding
its event in the platform's outbox.
"""

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from services.evaluation.domain.inspection_report import inspection_report
from services.evaluation.domain.inspections import (
    PROBLEMS_TH,
    InspectionError,
    InspectionIssue,
    InspectionRound,
    Overdue,
    Problem,
    ProblemCode,
    ProgressNote,
    Recommendation,
    Status,
    add_progress,
    make_issue,
    make_recommendation,
    make_round,
    overdue,
    transition,
)
from services.evaluation.handlers.ports import PRODUCER, EvaluationPorts, InspectionStore
from shared.contracts import derived_event_id, make_envelope, refusals
from shared.contracts.evaluation import InspectionReportUpdated, RecommendationOverdue
from shared.contracts.refusals import Kind, Refusal
from shared.contracts.setup import Unit
from shared.platform.outbox import announce
from shared.thai.calendar import BANGKOK

log = logging.getLogger(__name__)


def _refused(problems: Sequence[Problem], kind: Kind = "invalid") -> Refusal:
    """The domain's problems as a refusal, with their Thai messages."""
    found = [
        refusals.Problem(field=p.field, code=p.code, message=p.message, message_th=p.message_th)
        for p in problems
    ]
    return Refusal(found, kind)


def _refusal(field: str, code: ProblemCode, message: str, kind: Kind) -> Refusal:
    return Refusal.of(field, code, message, kind, message_th=PROBLEMS_TH[code])


def _unknown(field: str, value: str) -> Refusal:
    """An id in the path that names nothing."""
    message_th = PROBLEMS_TH["invalid"]
    message = f"no {field} {value!r}"
    return Refusal.of(
        field, "invalid", message, "not_found", message_th=message_th, location="path"
    )


async def _round_of(store: InspectionStore, inspection_id: str) -> InspectionRound:
    found = await store.round(inspection_id)
    if found is None:
        raise _unknown("inspection_id", inspection_id)
    return found


async def _recommendation_of(store: InspectionStore, recommendation_id: str) -> Recommendation:
    found = await store.recommendation(recommendation_id)
    if found is None:
        raise _unknown("recommendation_id", recommendation_id)
    return found


async def create_round(store: InspectionStore, data: Mapping[str, Any]) -> InspectionRound:
    """Register an inspection round (รอบการตรวจราชการ); an id already used is a conflict."""
    try:
        round_ = make_round(data)
    except InspectionError as error:
        raise _refused(error.problems) from None
    if not await store.add_round(round_):
        raise _refusal("inspection_id", "duplicate", f"{round_.inspection_id!r} exists", "conflict")
    return round_


async def add_issue(
    store: InspectionStore, inspection_id: str, data: Mapping[str, Any]
) -> InspectionIssue:
    """Add an issue (ประเด็น) and its findings to an inspection; a code used there conflicts."""
    inspection = await _round_of(store, inspection_id)
    try:
        issue = make_issue({**data, "inspection_id": inspection_id}, inspection)
    except InspectionError as error:
        raise _refused(error.problems) from None
    if not await store.add_issue(issue):
        raise _refusal("issue_code", "duplicate", f"{issue.issue_code!r} exists here", "conflict")
    return issue


UnitExists = Callable[[str], Awaitable[bool]]


async def add_recommendation(
    store: InspectionStore,
    inspection_id: str,
    data: Mapping[str, Any],
    today: date,
    unit_exists: UnitExists | None = None,
) -> Recommendation:
    """Add a recommendation on one of the inspection's issues; every problem is returned.

    Given `unit_exists`, the responsible unit must be one the set-up knows."""
    inspection = await _round_of(store, inspection_id)
    codes = {i.issue_code for i in await store.issues_of(inspection_id)}
    unit = data.get("responsible_unit")
    unit_known = unit_exists is None or not isinstance(unit, str) or await unit_exists(unit)
    try:
        rec = make_recommendation(
            {**data, "inspection_id": inspection_id}, inspection, codes, today, unit_known
        )
    except InspectionError as error:
        raise _refused(error.problems) from None
    if not await store.add_recommendation(rec):
        message = f"{rec.recommendation_id!r} exists"
        raise _refusal("recommendation_id", "duplicate", message, "conflict")
    return rec


async def unit_exists(ports: EvaluationPorts, unit_code: str) -> bool:
    """The set-up copy knows this unit (a recommendation's responsible unit must be one)."""
    return isinstance(await ports.setup.get("unit", unit_code), Unit)


async def change_status(
    store: InspectionStore,
    recommendation_id: str,
    to: Status,
    by: str,
    reason_th: str | None,
    done_on: date | None,
    today: date,
) -> Recommendation:
    """Move a recommendation along open → in progress → done (or not applicable, with a reason)."""
    rec = await _recommendation_of(store, recommendation_id)
    inspection = await _round_of(store, rec.inspection_id)
    try:
        changed = transition(
            rec,
            to,
            by=by,
            today=today,
            reason_th=reason_th,
            done_on=done_on,
            inspected_on=inspection.inspected_on,
        )
    except InspectionError as error:
        not_allowed = any(p.code == "transition_not_allowed" for p in error.problems)
        raise _refused(error.problems, "conflict" if not_allowed else "invalid") from None
    await _replace(store, changed, rec)
    return changed


async def note_progress(
    store: InspectionStore,
    recommendation_id: str,
    by: str,
    note_th: str,
    evidence: Sequence[str],
    at: datetime,
) -> Recommendation:
    """Record what the unit did (a progress note with evidence references)."""
    rec = await _recommendation_of(store, recommendation_id)
    try:
        note = ProgressNote(at=at, by=by, note_th=note_th, evidence=tuple(evidence))
    except ValidationError as error:
        raise _refused([_shape_problem(e) for e in error.errors()]) from None
    noted = add_progress(rec, note)
    if noted is not rec:
        await _replace(store, noted, rec)
    return noted


def _shape_problem(error: ErrorDetails) -> Problem:
    code: ProblemCode = "required" if error["type"] == "missing" else "invalid"
    field = ".".join(str(part) for part in error["loc"])
    return Problem(field=field, code=code, message=error["msg"], message_th=PROBLEMS_TH[code])


async def _replace(store: InspectionStore, new: Recommendation, old: Recommendation) -> None:
    if not await store.put_recommendation(new, old):
        message = "changed by someone else meanwhile; read it again"
        raise _refusal("recommendation_id", "transition_not_allowed", message, "conflict")


async def report(store: InspectionStore, inspection_id: str, today: date) -> dict[str, Any]:
    """The inspection report's data: every issue, its findings and follow-up, completeness."""
    inspection = await _round_of(store, inspection_id)
    issues = await store.issues_of(inspection_id)
    recs = await store.recommendations_of(inspection_id)
    try:
        return inspection_report(inspection, issues, recs, today=today)
    except InspectionError as error:
        # Stored data that does not fit its inspection: a conflict, not the caller's input.
        raise _refused(error.problems, "conflict") from None


async def overdue_now(store: InspectionStore, today: date) -> list[Overdue]:
    """Open or in-progress recommendations past their due date, longest overdue first."""
    return overdue(await store.recommendations_all(), today)


async def announce_reports(ports: EvaluationPorts) -> int:
    """Publish the report of every inspection changed since its last announcement."""
    now = ports.clock()
    today = now.astimezone(BANGKOK).date()
    store = ports.inspections
    sent = 0
    for inspection_id, changes in await store.unannounced():
        try:
            data = await report(store, inspection_id, today)
        except Refusal as refused:  # stored data that does not fit: the others still go
            log.error("inspection %s not announced: %s", inspection_id, refused)
            continue
        event = InspectionReportUpdated.model_validate({**data, "updated_at": now})
        await ports.publish(
            make_envelope(
                event,
                producer=PRODUCER,
                correlation_id=f"inspection-{inspection_id}",
                event_id=derived_event_id("inspection-report", f"{inspection_id}:{changes}"),
            )
        )
        await store.announced(inspection_id, changes)
        sent += 1
    return sent


async def announce_soon(ports: EvaluationPorts) -> None:
    """After a write over HTTP: announce the changed reports now; on failure the announcing
    job tries again (the write stands)."""
    try:
        await announce_reports(ports)
    except Exception:
        log.exception("announcing inspection reports failed; the announcing job retries")


async def announce_overdue(ports: EvaluationPorts) -> int:
    """Announce each overdue recommendation once per due date: claim its key with its event,
    then announce it. A claim whose announcement failed is published by the outbox relay."""
    now = ports.clock()
    today = now.astimezone(BANGKOK).date()
    sent = 0
    for item in await overdue_now(ports.inspections, today):
        event = make_envelope(
            RecommendationOverdue(
                recommendation_id=item.recommendation_id,
                inspection_id=item.inspection_id,
                responsible_unit=item.responsible_unit,
                due_on=item.due_on,
                days_overdue=item.days_overdue,
            ),
            producer=PRODUCER,
            correlation_id=f"overdue-{item.key}",
            event_id=derived_event_id("overdue", item.key),
        )
        if await ports.overdue.claim(item.key, event, now):
            await announce(ports.publish, ports.overdue.outbox, item.key, event)
            sent += 1
    return sent
