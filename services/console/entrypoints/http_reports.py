"""The reports page: choose a report, follow it without reloading, download it."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.console.entrypoints.web import check_csrf, field_errors, render, viewer_of
from services.console.handlers.glance import rounds
from services.console.handlers.ports import ConsolePorts
from services.console.handlers.reports import (
    FORMATS,
    REPORTS_TH,
    download,
    recent_reports,
    report_status,
    request_report,
)

PASSED_HEADERS = ("content-type", "content-disposition", "content-length")


def reports_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter(prefix="/reports", include_in_schema=False)

    async def page(request: Request, status_code: int = 200, **context: object) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "reports")
        return render(
            request,
            "reports.html",
            viewer,
            status_code,
            reports_th=REPORTS_TH,
            formats=FORMATS,
            rounds=await rounds(ports.setup),
            recent=await recent_reports(ports, viewer.account),
            **context,
        )

    @routes.get("", response_class=HTMLResponse)
    async def reports(request: Request) -> HTMLResponse:
        return await page(request, errors={}, chosen={})

    @routes.post("", response_class=HTMLResponse)
    async def ask(request: Request) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "reports")
        form = await check_csrf(request, viewer)
        answer = await request_report(ports, viewer.account, form)
        if answer.status_code >= 400:
            return await page(
                request,
                answer.status_code if answer.status_code < 500 else 502,
                errors=field_errors(answer.json(), viewer.speech),
                chosen=form,
            )
        return await page(request, errors={}, chosen=form, requested=answer.json())

    @routes.get("/{request_id}/status", response_class=HTMLResponse)
    async def status(request: Request, request_id: str) -> HTMLResponse:
        """A request's progress, polled by the page until rendered or failed."""
        viewer = await viewer_of(request, ports, "reports")
        found = await report_status(ports, viewer.account, request_id)
        return render(request, "_report_status.html", viewer, report=found, reports_th=REPORTS_TH)

    @routes.get("/{request_id}/download")
    async def file(request: Request, request_id: str) -> Response:
        viewer = await viewer_of(request, ports, "reports")
        answer = await download(ports, viewer.account, request_id)
        headers = {k: v for k, v in answer.headers.items() if k.lower() in PASSED_HEADERS}
        return Response(answer.content, status_code=answer.status_code, headers=headers)

    return routes
