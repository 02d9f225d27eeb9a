"""Set-up pages: units (search, edit), rounds (dates), imports (dry run, then confirm)."""

import base64
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from services.console.entrypoints.web import Viewer, check_csrf, field_errors, render, viewer_of
from services.console.handlers.accounts import person_of
from services.console.handlers.glance import rounds
from services.console.handlers.ports import ConsolePorts
from services.console.handlers.setup import IMPORT_KINDS, import_sheet, read, replace, search_units
from shared.thai.input import arabic_digits

UNIT_FIELDS = ("name_th", "name_en", "parent_code", "province", "active_from", "active_to")
ROUND_DATES = ("opens_on", "due_on", "closes_on")
MAX_SHEET = 5 * 1024 * 1024


def _edited(held: dict[str, Any], form: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The entity with the form's fields; an empty field is None (Thai digits read)."""
    body = dict(held)
    for name in fields:
        if name in form:
            value = arabic_digits(str(form[name]).strip())
            body[name] = value or None
    return body


def _missing(request: Request, viewer: Viewer, message: str) -> HTMLResponse:
    return render(request, "error.html", viewer, 404, title="404", message=message)


def setup_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/units", response_class=HTMLResponse)
    async def units(request: Request, q: str = "") -> HTMLResponse:
        viewer = await viewer_of(request, ports, "units")
        found = await search_units(ports, viewer.account, q)
        return render(
            request, "units.html", viewer, units=found, q=q, message=request.query_params.get("m")
        )

    @routes.get("/units/{code}", response_class=HTMLResponse)
    async def unit(request: Request, code: str) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "units")
        held = await read(ports, viewer.account, f"/units/{code}")
        if held is None:
            return render(
                request, "error.html", viewer, 404, title="404", message=f"ไม่พบหน่วยงาน {code}"
            )
        return render(request, "unit_edit.html", viewer, unit=held, errors={})

    @routes.post("/units/{code}", response_class=HTMLResponse)
    async def save_unit(request: Request, code: str) -> Response:
        viewer = await viewer_of(request, ports, "units")
        form = await check_csrf(request, viewer)
        held = await read(ports, viewer.account, f"/units/{code}")
        if held is None:
            return render(
                request, "error.html", viewer, 404, title="404", message=f"ไม่พบหน่วยงาน {code}"
            )
        body = _edited(held, form, UNIT_FIELDS)
        answer = await replace(ports, viewer.account, f"/units/{code}", body)
        if answer.status_code >= 400:
            return render(
                request,
                "unit_edit.html",
                viewer,
                422,
                unit=body,
                errors=field_errors(answer.json()),
            )
        return RedirectResponse(f"/units?q={code}&m=บันทึก {code} แล้ว", status_code=303)

    @routes.get("/rounds", response_class=HTMLResponse)
    async def round_list(request: Request) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "rounds")
        return render(
            request,
            "rounds.html",
            viewer,
            rounds=await rounds(ports.setup),
            message=request.query_params.get("m"),
        )

    @routes.get("/rounds/{round_id}", response_class=HTMLResponse)
    async def round_page(request: Request, round_id: str) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "rounds")
        held = await read(ports, viewer.account, f"/rounds/{round_id}")
        if held is None:
            return render(
                request, "error.html", viewer, 404, title="404", message=f"ไม่พบรอบ {round_id}"
            )
        return render(request, "round_edit.html", viewer, round=held, errors={})

    @routes.post("/rounds/{round_id}", response_class=HTMLResponse)
    async def save_round(request: Request, round_id: str) -> Response:
        viewer = await viewer_of(request, ports, "rounds")
        form = await check_csrf(request, viewer)
        held = await read(ports, viewer.account, f"/rounds/{round_id}")
        if held is None:
            return render(
                request, "error.html", viewer, 404, title="404", message=f"ไม่พบรอบ {round_id}"
            )
        body = _edited(held, form, (*ROUND_DATES, "name_th"))
        answer = await replace(ports, viewer.account, f"/rounds/{round_id}", body)
        if answer.status_code >= 400:
            return render(
                request,
                "round_edit.html",
                viewer,
                422,
                round=body,
                errors=field_errors(answer.json()),
            )
        return RedirectResponse(f"/rounds?m=บันทึกรอบ {round_id} แล้ว", status_code=303)

    @routes.get("/imports", response_class=HTMLResponse)
    async def imports(request: Request) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "imports")
        return render(request, "imports.html", viewer, kinds=IMPORT_KINDS, report=None)

    @routes.get("/imports/{kind}/template")
    async def template(request: Request, kind: str) -> Response:
        """A blank sheet with the columns monitoring reads, to fill in."""
        viewer = await viewer_of(request, ports, "imports")
        answer = await ports.monitoring.request(
            "GET", f"/imports/{kind}/template", person_of(viewer.account)
        )
        kept = ("content-type", "content-disposition")
        headers = {k: v for k, v in answer.headers.items() if k.lower() in kept}
        return Response(answer.content, status_code=answer.status_code, headers=headers)

    @routes.post("/imports", response_class=HTMLResponse)
    async def check(request: Request) -> HTMLResponse:
        """Step 1: a dry run; every problem by row and column. Step 2 (confirm) writes."""
        viewer = await viewer_of(request, ports, "imports")
        form = await check_csrf(request, viewer)
        kind = str(form.get("kind", ""))
        confirm = form.get("confirm") == "1"
        if confirm:
            name, content = str(form["file_name"]), base64.b64decode(str(form["content"]))
        else:
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return render(
                    request,
                    "imports.html",
                    viewer,
                    422,
                    kinds=IMPORT_KINDS,
                    report=None,
                    error="กรุณาเลือกไฟล์ XLSX หรือ CSV",
                )
            name, content = upload.filename or "sheet.xlsx", await upload.read(MAX_SHEET + 1)
        if len(content) > MAX_SHEET:
            return render(
                request,
                "imports.html",
                viewer,
                413,
                kinds=IMPORT_KINDS,
                report=None,
                error="ไฟล์ใหญ่เกิน 5 MB",
            )
        answer = await import_sheet(ports, viewer.account, kind, name, content, not confirm)
        if answer.status_code >= 400:
            errors = field_errors(answer.json())
            return render(
                request,
                "imports.html",
                viewer,
                answer.status_code,
                kinds=IMPORT_KINDS,
                report=None,
                error="; ".join(errors.values()),
            )
        return render(
            request,
            "imports.html",
            viewer,
            kinds=IMPORT_KINDS,
            report=answer.json(),
            kind=kind,
            file_name=name,
            content=base64.b64encode(content).decode(),
        )

    return routes
