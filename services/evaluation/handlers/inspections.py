"""Use cases of the inspection follow-up register (การติดตามผลการตรวจราชการ).

Each loads through the store, lets the domain judge, and writes only what the domain accepts.
A refusal is `Refused`: every problem with the field at fault, and the HTTP-like status that
names its kind (404 unknown id, 409 conflict with what is stored, 422 invalid input).
"""

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

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
from shared.contracts import Envelope, derived_event_id, make_envelope
from shared.contracts.evaluation import InspectionReportUpdated, RecommendationOverdue
from shared.platform.claims import AnnouncementLog

PRODUCER = "evaluation"
log = logging.getLogger(__name__)
BANGKOK = ZoneInfo("Asia/Bangkok")


class Refused(Exception):
    """A use case said no: every problem, and 404, 409 or 422."""

    def __init__(self, problems: Sequence[Problem], status: int = 422) -> None:
        self.problems = list(problems)
        self.status = status
        super().__init__(f"{status}: " + "; ".join(f"{p.field}: {p.message}" for p in problems))


class InspectionStore(Protocol):
    """What the use cases need from storage (MongoInspectionStore, or a fake in unit tests)."""

    async def add_round(self, round_: InspectionRound) -> bool: ...
    async def round(self, inspection_id: str) -> InspectionRound | None: ...
    async def rounds_in(self, fiscal_year: int | None = None) -> list[InspectionRound]: ...
    async def add_issue(self, issue: InspectionIssue) -> bool: ...
    async def issues_of(self, inspection_id: str) -> list[InspectionIssue]: ...
    async def add_recommendation(self, rec: Recommendation) -> bool: ...
    async def recommendation(self, recommendation_id: str) -> Recommendation | None: ...
    async def put_recommendation(self, rec: Recommendation, previous: Recommendation) -> bool: ...
    async def recommendations_of(
        self, inspection_id: str, responsible_unit: str | None = None
    ) -> list[Recommendation]: ...
    async def recommendations_all(self) -> list[Recommendation]: ...
    async def unannounced(self) -> list[tuple[str, int]]: ...
    async def announced(self, inspection_id: str, changes: int) -> None: ...


def _refusal(field: str, code: ProblemCode, message: str, status: int) -> Refused:
    problem = Problem(field=field, code=code, message=message, message_th=PROBLEMS_TH[code])
    return Refused([problem], status)


def _unknown(field: str, value: str) -> Refused:
    return _refusal(field, "invalid", f"no {field} {value!r}", 404)


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
    """Register an inspection round (รอบการตรวจราชการ); an id already used is refused (409)."""
    try:
        round_ = make_round(data)
    except InspectionError as error:
        raise Refused(error.problems, 422) from None
    if not await store.add_round(round_):
        raise _refusal("inspection_id", "duplicate", f"{round_.inspection_id!r} exists", 409)
    return round_


async def add_issue(
    store: InspectionStore, inspection_id: str, data: Mapping[str, Any]
) -> InspectionIssue:
    """Add an issue (ประเด็น) and its findings to an inspection; a code used there is 409."""
    inspection = await _round_of(store, inspection_id)
    try:
        issue = make_issue({**data, "inspection_id": inspection_id}, inspection)
    except InspectionError as error:
        raise Refused(error.problems, 422) from None
    if not await store.add_issue(issue):
        raise _refusal("issue_code", "duplicate", f"{issue.issue_code!r} exists here", 409)
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
        raise Refused(error.problems, 422) from None
    if not await store.add_recommendation(rec):
        message = f"{rec.recommendation_id!r} exists"
        raise _refusal("recommendation_id", "duplicate", message, 409)
    return rec


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
        raise Refused(error.problems, 409 if not_allowed else 422) from None
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
        raise Refused([_shape_problem(e) for e in error.errors()], 422) from None
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
        raise _refusal("recommendation_id", "transition_not_allowed", message, 409)


async def report(store: InspectionStore, inspection_id: str, today: date) -> dict[str, Any]:
    """The inspection report's data: every issue, its findings and follow-up, completeness."""
    inspection = await _round_of(store, inspection_id)
    issues = await store.issues_of(inspection_id)
    recs = await store.recommendations_of(inspection_id)
    try:
        return inspection_report(inspection, issues, recs, today=today)
    except InspectionError as error:
        # Stored data that does not fit its inspection: a conflict, not the caller's input.
        raise Refused(error.problems, 409) from None


async def overdue_now(store: InspectionStore, today: date) -> list[Overdue]:
    """Open or in-progress recommendations past their due date, longest overdue first."""
    return overdue(await store.recommendations_all(), today)


class Publish(Protocol):
    async def __call__(self, envelope: Envelope[Any], /) -> None: ...


async def announce_reports(store: InspectionStore, publish: Publish, now: datetime) -> int:
    """Publish the report of every inspection changed since its last announcement."""
    today = now.astimezone(BANGKOK).date()
    sent = 0
    for inspection_id, changes in await store.unannounced():
        try:
            data = await report(store, inspection_id, today)
        except Refused as refused:  # stored data that does not fit: the others still go
            log.error("inspection %s not announced: %s", inspection_id, refused)
            continue
        event = InspectionReportUpdated.model_validate({**data, "updated_at": now})
        await publish(
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


async def announce_overdue(
    store: InspectionStore, log: AnnouncementLog, publish: Publish, now: datetime
) -> int:
    """Announce each overdue recommendation once per due date: claim its key, then publish.

    A claim a crash left unpublished is published on a later pass (same event id)."""
    today = now.astimezone(BANGKOK).date()
    sent = 0
    for held in await log.unpublished(timedelta(seconds=30), now):
        event = RecommendationOverdue.model_validate(held["payload"])
        await _publish_overdue(held["_id"], event, log, publish, now)
    for item in await overdue_now(store, today):
        event = RecommendationOverdue(
            recommendation_id=item.recommendation_id,
            inspection_id=item.inspection_id,
            responsible_unit=item.responsible_unit,
            due_on=item.due_on,
            days_overdue=item.days_overdue,
        )
        if await log.claim(item.key, event.model_dump(mode="json"), now):
            await _publish_overdue(item.key, event, log, publish, now)
            sent += 1
    return sent


async def _publish_overdue(
    key: str, event: RecommendationOverdue, log: AnnouncementLog, publish: Publish, now: datetime
) -> None:
    await publish(
        make_envelope(
            event,
            producer=PRODUCER,
            correlation_id=f"overdue-{key}",
            event_id=derived_event_id("overdue", key),
        )
    )
    await log.mark_published(key, now)
