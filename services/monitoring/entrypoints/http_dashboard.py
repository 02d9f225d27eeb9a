"""HTTP entrypoint: the monitoring dashboard, from the read models."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from services.monitoring.handlers import dashboard
from services.monitoring.handlers.ports import MonitoringPorts
from services.monitoring.handlers.refresh import announce_problems
from services.monitoring.handlers.reminders import remind_now
from shared.contracts.setup import Round
from shared.platform.credentials import Credential, authenticator
from shared.platform.limits import FiscalYearPath
from shared.thai.calendar import thai_today


class RemindNow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_codes: list[str] | None = Field(
        None, max_length=5000, description="Only these units; default: every missing unit."
    )


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolved_by: str = Field(min_length=1, max_length=200)
    note: str | None = Field(None, max_length=2000)


def dashboard_router(ports: MonitoringPorts) -> APIRouter:
    """The office's views of progress; a resolved problem is announced."""
    routes = APIRouter(prefix="/dashboard", tags=["dashboard"])
    assert ports.credentials is not None
    caller_of = authenticator(ports.credentials)
    FormId = Annotated[str | None, Query(description="Only this form; default: every form.")]
    reads, setup = ports.read, ports.setup

    async def known(round_id: str) -> Round:
        return await dashboard.round_of(round_id, ports)

    @routes.get(
        "/fiscal-years/{fiscal_year}/rounds",
        summary="Every round of a fiscal year with its office rates, oldest first",
    )
    async def year(fiscal_year: FiscalYearPath, form_id: FormId = None) -> list[dict[str, Any]]:
        today = thai_today(datetime.now(UTC))
        found = await setup.search("round", {"fiscal_year": fiscal_year})
        rounds = sorted(
            (r for r in found if isinstance(r, Round)), key=lambda r: (r.period_end, r.period_start)
        )
        shown: list[dict[str, Any]] = []
        for round_ in rounds:
            offices = [
                dashboard.rates_shown(rollup)
                for rollup in await reads.rollups(round_.round_id, form_id)
                if rollup["scope_type"] == "office"
            ]
            phase = dashboard.round_phase(round_, today)
            shown.append(
                {"round": {**round_.model_dump(mode="json"), "phase": phase}, "offices": offices}
            )
        return shown

    @routes.get("/rounds/{round_id}", summary="Office overview of a round")
    async def overview(round_id: str, form_id: FormId = None) -> dict[str, Any]:
        await known(round_id)
        today = thai_today(datetime.now(UTC))
        return await dashboard.overview(round_id, form_id, ports, today)

    @routes.get("/rounds/{round_id}/units", summary="Every unit's report in a round")
    async def units(
        round_id: str,
        form_id: Annotated[str, Query()],
        scope: Annotated[
            str | None, Query(description="Only units under this group or office.")
        ] = None,
    ) -> list[dict[str, Any]]:
        await known(round_id)
        rows = await reads.unit_rows(round_id, form_id, scope)
        return [dashboard.public(row) for row in rows]

    @routes.get(
        "/rounds/{round_id}/units/{unit_code}",
        summary="One unit in a round: its reports, the rates under it, its problems",
    )
    async def unit(round_id: str, unit_code: str) -> dict[str, Any]:
        return await dashboard.unit_detail(await known(round_id), unit_code, ports)

    @routes.get("/rounds/{round_id}/projects", summary="Progress of every project in a round")
    async def projects(round_id: str) -> list[dict[str, Any]]:
        await known(round_id)
        return [dashboard.public(p) for p in await reads.projects_of(round_id)]

    @routes.get("/rounds/{round_id}/projects/{code}", summary="One project's progress in a round")
    async def project(round_id: str, code: str) -> dict[str, Any]:
        found = [p for p in await projects(round_id) if p["project_code"] == code]
        if not found:
            raise HTTPException(404, f"no progress of project {code!r} in {round_id!r} yet")
        return found[0]

    @routes.get(
        "/rounds/{round_id}/problems", summary="Problems, with those carried from earlier rounds"
    )
    async def problems(round_id: str) -> list[dict[str, Any]]:
        return await dashboard.problems(await known(round_id), ports)

    @routes.post(
        "/problems/{problem_id}/resolve", summary="Mark a problem resolved: it stops carrying over"
    )
    async def resolve(problem_id: str, body: Resolution) -> dict[str, Any]:
        resolution = {**body.model_dump(), "resolved_at": datetime.now(UTC)}
        if not await reads.resolve(problem_id, resolution):
            raise HTTPException(404, f"no problem {problem_id!r}")
        row = await reads.problem(problem_id)
        if row is not None:
            await announce_problems([row], ports, f"resolve-{problem_id}")
        return {"problem_id": problem_id, **resolution}

    @routes.post(
        "/rounds/{round_id}/reminders",
        summary="Remind now: every unit not yet reported, or the units named",
        description="Each unit is reminded at most once a day (claimed in the same log as "
        "the scheduled reminders, so two clicks send one). Answers how many were reminded "
        "and how many had been today already.",
    )
    async def remind(
        round_id: str, body: RemindNow, caller: Annotated[Credential, Depends(caller_of)]
    ) -> dict[str, int]:
        return await remind_now(round_id, body.unit_codes, caller.credential_id, ports)

    return routes
