"""HTTP entrypoint: rating scales and evaluation frameworks with their versions."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status

from services.evaluation.domain.frameworks import SEED_SCALES, Framework, Scale
from services.evaluation.entrypoints.http_evaluations import require
from services.evaluation.handlers import frameworks as handlers
from services.evaluation.handlers.ports import FrameworkStore
from shared.platform.credentials import Credential
from shared.platform.http_bodies import body_of, strictly
from shared.platform.limits import NumberPath


def frameworks_router(
    store: FrameworkStore, authenticate: Callable[..., Awaitable[Credential]]
) -> APIRouter:
    """Anyone with a key reads frameworks; officers draft, edit and publish them."""
    routes = APIRouter(tags=["frameworks"])
    Caller = Annotated[Credential, Depends(authenticate)]

    @routes.get("/scales", summary="The rating scales a framework can use")
    async def scales() -> list[Scale]:
        return list(SEED_SCALES.values())

    @routes.get("/frameworks", summary="Every version of every framework")
    async def list_frameworks(caller: Caller) -> list[Framework]:
        return await store.all()

    @routes.get(
        "/frameworks/{framework_id}/versions", summary="A framework's versions, oldest first"
    )
    async def versions(framework_id: str, caller: Caller) -> list[Framework]:
        return await store.versions(framework_id)

    @routes.get("/frameworks/{framework_id}/versions/{version}", summary="One framework version")
    async def version(framework_id: str, version: NumberPath, caller: Caller) -> Framework:
        framework = await store.get(framework_id, version)
        if framework is None:
            raise HTTPException(404, f"no framework {framework_id}@{version}")
        return framework

    @routes.post(
        "/frameworks",
        status_code=status.HTTP_201_CREATED,
        summary="Draft the next version of a framework",
        description="`version` and `status` are set by the server. A draft may be incomplete; "
        "it is checked when published.",
        openapi_extra=body_of(Framework, ("version", "status"), "FrameworkDraft"),
    )
    async def draft(request: Request, caller: Caller) -> Framework:
        require(caller, "officer")
        framework = await strictly(request, Framework, version=1, status="draft")
        return await handlers.draft_framework(framework, store)

    @routes.put(
        "/frameworks/{framework_id}/versions/{version}",
        summary="Change a draft version (a published one is refused with 409)",
        openapi_extra=body_of(Framework, ("framework_id", "version", "status"), "FrameworkChange"),
    )
    async def edit(
        framework_id: str, version: NumberPath, request: Request, caller: Caller
    ) -> Framework:
        require(caller, "officer")
        framework = await strictly(
            request, Framework, framework_id=framework_id, version=version, status="draft"
        )
        return await handlers.edit_draft(framework, store)

    @routes.post(
        "/frameworks/{framework_id}/versions/{version}/publish",
        summary="Publish a draft: it is checked, then frozen",
        description="Refused with 422 listing every problem, each at its node's path under "
        "`nodes` (e.g. weights that do not sum to 100, a tree deeper than three levels).",
    )
    async def publish(framework_id: str, version: NumberPath, caller: Caller) -> Framework:
        require(caller, "officer")
        return await handlers.publish(framework_id, version, store)

    return routes
