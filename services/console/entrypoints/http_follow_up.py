"""Inspection follow-up pages: a unit's own recommendations (progress notes, evidence,
status) and the officer's register by issue or by unit, overdue first."""

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.console.domain.follow_up import NEXT, STATUS_TH, evidence_links, grouped
from services.console.entrypoints.web import check_csrf, render, viewer_of
from services.console.handlers import inspections as use
from services.console.handlers.ports import ConsolePorts
from shared.thai.calendar import thai_today

PASSED_HEADERS = ("content-type", "content-disposition", "content-length")
DONE_TH = {"progress": "บันทึกความก้าวหน้าแล้ว", "status": "เปลี่ยนสถานะแล้ว"}


def follow_up_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    async def unit_page(
        request: Request, status_code: int = 200, **context: object
    ) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "recommendations")
        today = thai_today(ports.clock())
        found = await use.recommendations(ports, viewer.account, today, with_issues=False)
        return render(
            request,
            "recommendations.html",
            viewer,
            status_code,
            items=found,
            status_th=STATUS_TH,
            next_status=NEXT,
            evidence_links=evidence_links,
            today=today,
            message=request.query_params.get("m"),
            **{"errors": {}, "failed": "", **context},
        )

    @routes.get("/recommendations", response_class=HTMLResponse)
    async def mine(request: Request) -> HTMLResponse:
        return await unit_page(request)

    async def act(request: Request, recommendation_id: str, what: str) -> Response:
        viewer = await viewer_of(request, ports, "recommendations")
        form = await check_csrf(request, viewer)
        if what == "progress":
            refused = await use.note_progress(ports, viewer.account, recommendation_id, form)
        else:
            refused = await use.change_status(ports, viewer.account, recommendation_id, form)
        if refused:
            return await unit_page(request, 422, errors={what: refused}, failed=recommendation_id)
        done = quote(DONE_TH[what])
        return RedirectResponse(f"/recommendations?m={done}#{recommendation_id}", status_code=303)

    @routes.post("/recommendations/{recommendation_id}/progress", response_class=HTMLResponse)
    async def progress(request: Request, recommendation_id: str) -> Response:
        return await act(request, recommendation_id, "progress")

    @routes.post("/recommendations/{recommendation_id}/status", response_class=HTMLResponse)
    async def status(request: Request, recommendation_id: str) -> Response:
        return await act(request, recommendation_id, "status")

    @routes.get("/register", response_class=HTMLResponse)
    async def register(request: Request, by: str = "issue") -> HTMLResponse:
        viewer = await viewer_of(request, ports, "register")
        today = thai_today(ports.clock())
        found = await use.recommendations(ports, viewer.account, today, with_issues=True)
        by = "unit" if by == "unit" else "issue"
        return render(
            request,
            "register.html",
            viewer,
            groups=grouped(found, by),
            by=by,
            overdue=sum(1 for f in found if f.overdue),
            total=len(found),
            status_th=STATUS_TH,
            evidence_links=evidence_links,
        )

    @routes.get("/evidence/{evidence_id}")
    async def evidence(request: Request, evidence_id: str) -> Response:
        viewer = await viewer_of(request, ports, "evidence")
        answer = await use.evidence_file(ports, viewer.account, evidence_id)
        headers = {k: v for k, v in answer.headers.items() if k.lower() in PASSED_HEADERS}
        return Response(answer.content, status_code=answer.status_code, headers=headers)

    return routes
