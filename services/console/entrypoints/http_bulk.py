"""The officer's bulk sheet: many units' reports for one round, through intake's bulk
route (a dry run lists every problem by row and column; nothing is written until none is
left and the officer confirms)."""

import base64
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from services.console.domain.reporting import open_rounds
from services.console.entrypoints.web import check_csrf, render, viewer_of
from services.console.handlers.accounts import person_of
from services.console.handlers.glance import rounds
from services.console.handlers.ports import ConsolePorts
from shared.contracts.setup import Form
from shared.thai.calendar import thai_today

PAGE = "bulk"
MAX_SHEET = 5 * 1024 * 1024


def bulk_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter(prefix="/bulk", include_in_schema=False)

    async def choices() -> list[tuple[str, str, Form]]:
        """(round id, round name, the form's newest published version) of open rounds."""
        today = thai_today(ports.clock())
        forms: dict[str, Form] = {}
        for found in await ports.setup.search("form"):
            if isinstance(found, Form) and found.status == "published":
                held = forms.get(found.form_id)
                if held is None or held.version < found.version:
                    forms[found.form_id] = found
        return [
            (r.round_id, r.name_th, form)
            for r in open_rounds(await rounds(ports.setup), today)
            for form in forms.values()
        ]

    async def page(request: Request, status: int = 200, **more: Any) -> HTMLResponse:
        viewer = await viewer_of(request, ports, PAGE)
        return render(request, "bulk.html", viewer, status, choices=await choices(), **more)

    @routes.get("", response_class=HTMLResponse)
    async def bulk(request: Request) -> HTMLResponse:
        return await page(request)

    @routes.get("/{round_id}/{form_id}/{version}/template")
    async def template(request: Request, round_id: str, form_id: str, version: int) -> Response:
        viewer = await viewer_of(request, ports, PAGE)
        answer = await ports.intake.request(
            "GET",
            f"/rounds/{round_id}/forms/{form_id}/versions/{version}/bulk/template",
            person_of(viewer.account),
        )
        answer.raise_for_status()
        name = quote(f"รายงานหลายหน่วย-{round_id}-{form_id}.xlsx")
        return Response(
            answer.content,
            media_type=answer.headers.get("content-type"),
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
        )

    @routes.post("", response_class=HTMLResponse)
    async def upload(request: Request) -> HTMLResponse:
        viewer = await viewer_of(request, ports, PAGE)
        sent = await check_csrf(request, viewer)
        round_id, _, rest = str(sent.get("target", "")).partition("|")
        form_id, _, version = rest.partition("|")
        file = sent.get("file")
        if isinstance(file, UploadFile) and file.filename:
            name, content = file.filename, await file.read(MAX_SHEET + 1)
        elif sent.get("content"):
            name, content = str(sent.get("file_name")), base64.b64decode(str(sent["content"]))
        else:
            return await page(request, 422, error="กรุณาเลือกไฟล์ XLSX หรือ CSV")
        if len(content) > MAX_SHEET:
            return await page(request, 413, error="ไฟล์ใหญ่เกิน 5 MB")
        confirm = bool(sent.get("confirm"))
        answer = await ports.intake.request(
            "POST",
            f"/rounds/{round_id}/forms/{form_id}/versions/{version}/bulk",
            person_of(viewer.account),
            params={"dry_run": "false" if confirm else "true"},
            files={"file": (name, content)},
        )
        if answer.status_code >= 500:
            answer.raise_for_status()
        body = answer.json()
        if not answer.is_success:
            detail = body.get("detail") if isinstance(body, dict) else body
            return await page(request, answer.status_code, error=str(detail))
        return await page(
            request,
            report=body,
            target=sent.get("target"),
            file_name=name,
            content=base64.b64encode(content).decode(),
        )

    return routes
