"""HTTP entrypoint: request reports, follow their status, download them; the round page.

Reports hold what only officers see elsewhere (every assessor's levels, inspections), so
every route needs an officer's API key (`Authorization: Bearer <key>`); other systems ask
over AMQP (`report.requested.v1`).
"""

import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse

from services.reporting.handlers import reports as use
from services.reporting.handlers.copies import round_page_id
from services.reporting.handlers.ports import ReportingPorts
from services.reporting.handlers.reports import ReportRequestIn
from shared.platform.credentials import Credential


def content_disposition(file_name: str, request_id: str) -> str:
    """An attachment header with the Thai name (RFC 5987/6266) and, for clients that only
    read `filename`, an ASCII one made of the request id."""
    extension = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", request_id)
    return f"attachment; filename=\"{fallback}.{extension}\"; filename*=UTF-8''{quote(file_name)}"


ROLES = ("officer",)  # the keys reporting issues
# Who may ask for and download reports: officers (keys or people), and directors through
# the console (reports hold every assessor's levels and the inspections).
CALLERS = frozenset({"officer", "director"})


def router(ports: ReportingPorts, authenticate: Callable[..., Awaitable[Credential]]) -> APIRouter:
    """The officer's routes; a refused request is answered by the platform (422, 404, 409)."""

    async def officer(caller: Annotated[Credential, Depends(authenticate)]) -> Credential:
        if caller.role not in CALLERS:
            raise HTTPException(403, "reports need an officer's key")
        return caller

    routes = APIRouter(prefix="/reports", tags=["reports"], dependencies=[Depends(officer)])

    @routes.post(
        "",
        status_code=status.HTTP_202_ACCEPTED,
        summary="Request a report (rendered in the background)",
        description="Types: annual (fiscal_year), round and rates (round_id), evaluation "
        "(evaluation_id, finalised), inspection (inspection_id), quarter_export (fiscal_year, "
        "quarter). Formats: pdf, xlsx, docx; csv for rates and quarter_export. The same "
        "request_id again answers 200 with the request as held.",
        responses={
            200: {"description": "a request id already known: its status"},
            409: {"description": "a request id already used for another report"},
            404: {"description": "unknown round, fiscal year, evaluation or inspection"},
            422: {"description": "a missing parameter or a format the type lacks"},
        },
    )
    async def request(
        body: ReportRequestIn, caller: Annotated[Credential, Depends(officer)]
    ) -> JSONResponse:
        request_id = body.request_id or uuid.uuid4().hex
        held, created = await use.request_over_http(ports, body, request_id, caller.label)
        return JSONResponse(
            jsonable(use.public(held)),
            status_code=202 if created else 200,
            headers={"Location": f"/reports/{request_id}"},
        )

    @routes.get("", summary="The latest report requests")
    async def recent() -> list[dict[str, Any]]:
        return [jsonable(use.public(held)) for held in await ports.artifacts.recent()]

    @routes.get("/{request_id}", summary="A request's status: queued, rendering, rendered, failed")
    async def read(request_id: str) -> dict[str, Any]:
        held = await ports.artifacts.get(request_id)
        if held is None:
            raise HTTPException(404, f"no report request {request_id!r}")
        return jsonable(use.public(held))

    @routes.get(
        "/{request_id}/download",
        summary="The rendered file",
        response_class=Response,
        responses={
            200: {
                "description": "The file, in the format asked for",
                "content": {kind.split(";")[0]: {} for kind in use.CONTENT_TYPES.values()},
            },
            409: {"description": "not rendered (yet, or it failed)"},
        },
    )
    async def download(request_id: str) -> Response:
        held = await ports.artifacts.get(request_id)
        if held is None:
            raise HTTPException(404, f"no report request {request_id!r}")
        if held["status"] != "rendered":
            raise HTTPException(409, f"the report is {held['status']}, not rendered")
        content = await ports.artifacts.artifact(request_id)
        if content is None:
            raise HTTPException(404, "the artifact is missing")
        return Response(
            content,
            media_type=held["content_type"],
            headers={
                "Content-Disposition": content_disposition(held["file_name"], request_id),
                "X-Checksum-SHA256": held["sha256"],
            },
        )

    @routes.get(
        "/rounds/{round_id}", response_class=HTMLResponse, summary="A round's progress page"
    )
    async def round_page(round_id: str) -> HTMLResponse:
        stored = await ports.reports.get_report(round_page_id(round_id))
        if stored is None:
            raise HTTPException(404, f"no report for round {round_id!r} yet")
        return HTMLResponse(stored["html"])

    return routes


def jsonable(value: dict[str, Any]) -> dict[str, Any]:
    encoded: dict[str, Any] = jsonable_encoder(value)
    return encoded
