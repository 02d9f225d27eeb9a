"""HTTP entrypoint: assignments (who reports what) and the yearly work calendar."""

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field

from services.monitoring.domain.assignments import AssignmentOverride
from services.monitoring.handlers import planning
from services.monitoring.handlers.ports import MonitoringPorts
from shared.contracts.setup import CODE, ROUND_ID, Assignment
from shared.platform.http_bodies import body_of, strictly
from shared.platform.limits import FiscalYearPath, NumberPath, SkipQuery
from shared.thai.work_manual import SEED_TEMPLATES, ProcessTemplate


class StepUpdate(BaseModel):
    """What the officer records about one step."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["not_started", "in_progress", "done"]
    done_on: date | None = None
    evidence_note: str | None = Field(None, max_length=2000)
    updated_by: str | None = Field(None, max_length=64)


def planning_router(ports: MonitoringPorts) -> APIRouter:
    router = APIRouter()

    @router.get("/assignments", tags=["assignments"], summary="Who reports which form in a round")
    async def assignments(
        round_id: Annotated[str | None, Query(pattern=ROUND_ID)] = None,
        unit_code: Annotated[str | None, Query(pattern=CODE)] = None,
        form_id: Annotated[str | None, Query(pattern=CODE)] = None,
        skip: SkipQuery = 0,
        limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
    ) -> list[Assignment]:
        where = {
            k: v
            for k, v in (("round_id", round_id), ("unit_code", unit_code), ("form_id", form_id))
            if v is not None
        }
        found = await ports.setup.search("assignment", where, skip, limit)
        return [a for a in found if isinstance(a, Assignment)]

    @router.post(
        "/fiscal-years/{fiscal_year}/assignments/derive",
        tags=["assignments"],
        summary="Derive the year's assignments from projects × reporting units × rounds",
        description="Applies the overrides; stores and announces only what changed.",
    )
    async def derive(fiscal_year: FiscalYearPath) -> dict[str, int]:
        return asdict(await planning.derive(fiscal_year, ports))

    @router.get("/assignment-overrides", tags=["assignments"], summary="The officer's overrides")
    async def overrides() -> list[AssignmentOverride]:
        return await ports.planning.overrides_in_order()

    @router.post(
        "/assignment-overrides",
        tags=["assignments"],
        status_code=status.HTTP_201_CREATED,
        summary="Add or remove a unit's assignment from a date (applied at the next derive)",
        openapi_extra=body_of(AssignmentOverride),
    )
    async def add_override(request: Request) -> AssignmentOverride:
        override = await strictly(request, AssignmentOverride)
        await planning.add_override(override, ports)
        return override

    @router.delete("/assignment-overrides/{override_id}", tags=["assignments"], status_code=204)
    async def remove_override(override_id: str) -> None:
        if not await ports.planning.remove_override(override_id):
            raise HTTPException(404, f"no override {override_id!r}")

    @router.get("/process-templates", tags=["work calendar"], summary="The work manual's processes")
    async def templates() -> list[ProcessTemplate]:
        return list(SEED_TEMPLATES)

    @router.post(
        "/fiscal-years/{fiscal_year}/work-calendar",
        tags=["work calendar"],
        summary="Open the year's work calendar: one instance of every process",
    )
    async def open_calendar(fiscal_year: FiscalYearPath) -> list[dict[str, Any]]:
        instances = await planning.open_work_calendar(fiscal_year, ports)
        return [planning.process_view(i, _today()) for i in instances]

    @router.get(
        "/fiscal-years/{fiscal_year}/work-calendar",
        tags=["work calendar"],
        summary="The year's processes, each step with its status (late once its window passed)",
    )
    async def calendar(fiscal_year: FiscalYearPath) -> list[dict[str, Any]]:
        instances = await ports.planning.processes_of(fiscal_year)
        return [planning.process_view(i, _today()) for i in instances]

    @router.put(
        "/process-instances/{instance_id}/steps/{number}",
        tags=["work calendar"],
        summary="Record a step's status, date done and evidence",
        openapi_extra=body_of(StepUpdate),
    )
    async def record_step(instance_id: str, number: NumberPath, request: Request) -> dict[str, Any]:
        update = await strictly(request, StepUpdate)
        instance = await planning.record_step(
            instance_id, number, **update.model_dump(), ports=ports
        )
        return planning.process_view(instance, _today())

    return router


def _today() -> date:
    return datetime.now(UTC).date()
