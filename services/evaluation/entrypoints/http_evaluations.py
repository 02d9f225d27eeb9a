"""HTTP entrypoint of the yearly evaluations: officers administer, assessors score their part.

Every route needs an API key (`Authorization: Bearer <key>`) of evaluation's roles:
`officer` (creates, assigns, reads everything, finalises, reopens), `assessor` (sees and
scores only what is assigned to them), `unit` (follows up its recommendations). A use
case's refusal reaches the platform, which answers it in FastAPI's 422 shape whatever its
status.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field

from services.evaluation.domain.evaluations import Assignment, Evaluation
from services.evaluation.handlers import evaluations as use
from services.evaluation.handlers import finalise as finalising
from services.evaluation.handlers.evaluations import EvaluationIn, FinaliseIn, ScoreIn
from services.evaluation.handlers.ports import EvaluationPorts
from shared.contracts.evaluation import EvaluationFinalised
from shared.platform.credentials import Credential
from shared.platform.limits import FiscalYearQuery

ROLES = ("officer", "assessor", "unit")


class ReopenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason_th: str = Field(min_length=1, max_length=2000)


def require(caller: Credential, *roles: str) -> None:
    if caller.role not in roles:
        raise HTTPException(403, f"this needs the role {' or '.join(roles)}")


def assessor_of(caller: Credential) -> str | None:
    """The assessor whose view this is; None for an officer, who sees everything."""
    require(caller, "officer", "assessor")
    return caller.assessor_id if caller.role == "assessor" else None


def evaluations_router(
    ports: EvaluationPorts, authenticate: Callable[..., Awaitable[Credential]]
) -> APIRouter:
    routes = APIRouter(tags=["evaluations"])
    Caller = Annotated[Credential, Depends(authenticate)]

    @routes.post(
        "/evaluations",
        status_code=status.HTTP_201_CREATED,
        summary="Create an evaluation of a fiscal year (officer)",
        description="Subjects default to the plan's projects (action plan) or the office; the "
        "window defaults to the work calendar's evaluation steps.",
    )
    async def create(body: EvaluationIn, caller: Caller) -> Evaluation:
        require(caller, "officer")
        return await use.create(ports, body, caller.label)

    @routes.get("/evaluations", summary="Evaluations (an assessor: those assigned to them)")
    async def list_evaluations(
        caller: Caller, fiscal_year: FiscalYearQuery = None
    ) -> list[Evaluation]:
        assessor = assessor_of(caller)
        found = await ports.evaluations.all(fiscal_year)
        if assessor is None:
            return found
        return [mine for e in found if (mine := use.assessor_view(e, assessor)) is not None]

    @routes.get("/evaluations/{evaluation_id}", summary="One evaluation and its history")
    async def read(evaluation_id: str, caller: Caller) -> Evaluation:
        evaluation, _ = await use.results(ports, evaluation_id, assessor_of(caller))
        return evaluation

    @routes.put(
        "/evaluations/{evaluation_id}/assignments",
        summary="Who scores which criterion of which subject (officer; replaces the list)",
    )
    async def assign(
        evaluation_id: str, assignments: list[Assignment], caller: Caller
    ) -> Evaluation:
        require(caller, "officer")
        return await use.assign(ports, evaluation_id, assignments, caller.label)

    @routes.put(
        "/evaluations/{evaluation_id}/scores",
        summary="An assessor's score of an assigned criterion and subject (draft or submitted)",
        responses={403: {"description": "not assigned to you"}, 409: {"description": "final"}},
    )
    async def put_score(evaluation_id: str, body: ScoreIn, caller: Caller) -> dict[str, Any]:
        require(caller, "assessor")
        assert caller.assessor_id is not None  # an assessor's key always names the assessor
        given = await use.score(ports, evaluation_id, caller.assessor_id, body)
        return given.model_dump(mode="json")

    @routes.get(
        "/evaluations/{evaluation_id}/scores/mine",
        summary="The calling assessor's own scores, drafts too, with their reasons",
        description="So a draft saved on one day is there to finish on the next.",
    )
    async def my_scores(evaluation_id: str, caller: Caller) -> list[dict[str, Any]]:
        require(caller, "assessor")
        assert caller.assessor_id is not None
        await use.evaluation_of(ports, evaluation_id)
        held = await ports.evaluations.scores_of(evaluation_id, caller.assessor_id)
        return [
            {**given.model_dump(mode="json"), "override_reason_th": reason}
            for given, reason in held
        ]

    @routes.get(
        "/evaluations/{evaluation_id}/results",
        summary="Scores per criterion, dimension and total, agreement, proposals, to discuss",
        description="An assessor sees only their assignments and their own scores.",
    )
    async def results(evaluation_id: str, caller: Caller) -> dict[str, Any]:
        _, found = await use.results(ports, evaluation_id, assessor_of(caller))
        return found.model_dump(mode="json")

    @routes.post(
        "/evaluations/{evaluation_id}/finalise",
        summary="Finalise: every disagreement discussed; results frozen and announced",
        responses={409: {"description": "criteria to discuss, or already final"}},
    )
    async def finalise(evaluation_id: str, body: FinaliseIn, caller: Caller) -> EvaluationFinalised:
        require(caller, "officer")
        return await finalising.finalise(ports, evaluation_id, body, caller.label)

    @routes.post(
        "/evaluations/{evaluation_id}/reopen",
        summary="Reopen a finalised evaluation, with a reason kept in its history",
    )
    async def reopen(evaluation_id: str, body: ReopenIn, caller: Caller) -> Evaluation:
        require(caller, "officer")
        return await finalising.reopen(ports, evaluation_id, body.reason_th, caller.label)

    return routes
