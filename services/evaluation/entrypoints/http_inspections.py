"""HTTP entrypoint of the inspection follow-up register: decode, call a use case, encode.

A use case's refusal reaches the platform, which answers it in FastAPI's own 422 shape
(`{"detail": [{"loc", "msg", "type", "msg_th"}]}`) whatever its status, so clients parse
one format; `msg_th` carries the Thai message for the UI.
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from services.evaluation.domain.inspections import (
    InspectionIssue,
    InspectionRound,
    Recommendation,
    Status,
)
from services.evaluation.entrypoints.http_evaluations import require
from services.evaluation.handlers import inspections as use
from services.evaluation.handlers.inspections import UnitExists
from services.evaluation.handlers.ports import InspectionStore
from shared.platform.credentials import Credential
from shared.platform.limits import FiscalYearQuery
from shared.thai.calendar import BANGKOK

T = TypeVar("T")
# A unit's API key says `unit`; a unit's reporter signed in to the console says `reporter`.
UNIT_ROLES = ("unit", "reporter")


def utc_now() -> datetime:
    return datetime.now(UTC)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IssueIn(_Body):
    """An inspection issue (ประเด็นการตรวจราชการ) and its findings (ข้อค้นพบ)."""

    issue_code: str = Field(examples=["1.1"])
    title_th: str
    findings_th: str | None = None


class RecommendationIn(_Body):
    """A new recommendation (ข้อเสนอแนะ) on one of the inspection's issues."""

    recommendation_id: str = Field(examples=["R2570-1-1.1-01"])
    issue_code: str = Field(examples=["1.1"])
    text_th: str
    responsible_unit: str = Field(description="Unit that follows it up (a unit code).")
    due_on: date = Field(description="Due date; not before the inspection.")


class StatusIn(_Body):
    """A status change: open → in_progress → done, or not_applicable with a reason."""

    to: Status
    by: str = Field(description="Who changes the status.")
    reason_th: str | None = Field(None, description="Needed for not_applicable and reopening.")
    done_on: date | None = Field(None, description="For done; today when left out.")


class ProgressIn(_Body):
    """What the unit did, with evidence references (file ids or links)."""

    by: str
    note_th: str
    evidence: list[str] = Field(default_factory=list)


class OverdueOut(BaseModel):
    """A recommendation past its due date and not closed."""

    recommendation_id: str
    inspection_id: str
    responsible_unit: str
    due_on: date
    days_overdue: int


async def _nothing() -> None:
    return None


def inspections_router(
    store: InspectionStore,
    authenticate: Callable[..., Awaitable[Credential]],
    clock: Callable[[], datetime] = utc_now,
    changed: Callable[[], Awaitable[None]] = _nothing,
    unit_exists: UnitExists | None = None,
) -> APIRouter:
    """Routes of the register; `clock` (aware) gives now, and today is the date in Thailand.

    Officers keep the register; a unit's key changes the status of, and notes progress on,
    only the recommendations it is responsible for. `changed` runs after every write (the
    service announces the inspection's report then). Given `unit_exists`, a recommendation's
    responsible unit must be known to the set-up.
    """
    router = APIRouter(tags=["inspections"])
    Caller = Annotated[Credential, Depends(authenticate)]

    async def written(record: T) -> T:
        await changed()
        return record

    async def for_unit(caller: Credential, recommendation_id: str) -> None:
        if caller.role == "officer":
            return
        rec = await store.recommendation(recommendation_id)
        mine = rec is None or rec.responsible_unit == caller.unit_code
        if caller.role not in UNIT_ROLES or not mine:
            raise HTTPException(403, "only the responsible unit or an officer updates this")

    def today() -> date:
        return clock().astimezone(BANGKOK).date()

    @router.post("/inspections", status_code=201, summary="Register an inspection round")
    async def create_round(body: InspectionRound, caller: Caller) -> InspectionRound:
        require(caller, "officer")
        return await written(await use.create_round(store, body.model_dump()))

    @router.get("/inspections", summary="Inspection rounds, of one fiscal year if given")
    async def rounds(
        caller: Caller,
        fiscal_year: FiscalYearQuery = None,
    ) -> list[InspectionRound]:
        return await store.rounds_in(fiscal_year)

    @router.post("/inspections/{inspection_id}/issues", status_code=201, summary="Add an issue")
    async def add_issue(inspection_id: str, body: IssueIn, caller: Caller) -> InspectionIssue:
        require(caller, "officer")
        return await written(await use.add_issue(store, inspection_id, body.model_dump()))

    @router.post(
        "/inspections/{inspection_id}/recommendations",
        status_code=201,
        summary="Add a recommendation on one of the inspection's issues",
    )
    async def add_recommendation(
        inspection_id: str, body: RecommendationIn, caller: Caller
    ) -> Recommendation:
        require(caller, "officer")
        data = body.model_dump()
        return await written(
            await use.add_recommendation(store, inspection_id, data, today(), unit_exists)
        )

    @router.get(
        "/inspections/{inspection_id}/recommendations",
        summary="An inspection's recommendations, of one responsible unit if given",
    )
    async def recommendations(
        inspection_id: str, caller: Caller, responsible_unit: str | None = None
    ) -> list[Recommendation]:
        if caller.role in UNIT_ROLES:
            responsible_unit = caller.unit_code
        return await store.recommendations_of(inspection_id, responsible_unit)

    @router.get("/inspections/{inspection_id}/report", summary="The inspection report's data")
    async def report(inspection_id: str, caller: Caller) -> dict[str, Any]:
        if caller.role in UNIT_ROLES:  # every unit's recommendations: a unit reads its own
            raise HTTPException(403, "a unit reads its own recommendations, not the report")
        return await use.report(store, inspection_id, today())

    @router.get("/recommendations/overdue", summary="Recommendations past due and not closed")
    async def overdue(caller: Caller) -> list[OverdueOut]:
        found = await use.overdue_now(store, today())
        if caller.role in UNIT_ROLES:
            found = [o for o in found if o.responsible_unit == caller.unit_code]
        return [OverdueOut.model_validate(o, from_attributes=True) for o in found]

    @router.post(
        "/recommendations/{recommendation_id}/status", summary="Change a recommendation's status"
    )
    async def change_status(
        recommendation_id: str, body: StatusIn, caller: Caller
    ) -> Recommendation:
        await for_unit(caller, recommendation_id)
        return await written(
            await use.change_status(
                store, recommendation_id, body.to, body.by, body.reason_th, body.done_on, today()
            )
        )

    @router.post(
        "/recommendations/{recommendation_id}/progress",
        summary="Add a progress note with evidence",
    )
    async def note_progress(
        recommendation_id: str, body: ProgressIn, caller: Caller
    ) -> Recommendation:
        await for_unit(caller, recommendation_id)
        return await written(
            await use.note_progress(
                store, recommendation_id, body.by, body.note_th, body.evidence, clock()
            )
        )

    return router
