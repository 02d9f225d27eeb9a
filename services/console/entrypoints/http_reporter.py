"""The unit reporter's pages: what is due, the form (draft, submit, evidence, history) and
the form as an XLSX; the officer's bulk sheet template."""

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from services.console.domain.reporting import ACTIVITY_TH, STATUS_TH, baht, choices_th
from services.console.entrypoints.web import Viewer, check_csrf, render, viewer_of
from services.console.handlers import reporting, reporting_evidence
from services.console.handlers.ports import ConsolePorts
from services.console.handlers.reporting_sheet import sheet_of, upload_sheet
from shared.thai.calendar import thai_today

PAGE = "reporting"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 20 * 1024 * 1024
REVIEW_TH = {"approved": "อนุมัติ", "returned": "ส่งกลับให้แก้ไข", "reopened": "เปิดให้แก้ไข"}
OUTCOME_TH = {
    "accepted": "ส่งรายงานแล้ว ระบบรับไว้เรียบร้อย",
    "repeat": "ระบบได้รับรายงานนี้ไว้แล้ว (ไม่บันทึกซ้ำ)",
    "saved": "บันทึกฉบับร่างแล้ว",
    "attached": "แนบไฟล์แล้ว",
    "removed": "นำไฟล์ออกแล้ว",
    "rejected": "ยังส่งไม่ได้ กรุณาแก้ไขช่องที่แจ้งไว้",
    "conflict": "ยังส่งไม่ได้ กรุณาแก้ไขช่องที่แจ้งไว้",
    "sheet_accepted": "ส่งรายงานจากไฟล์ Excel แล้ว",
}


def reporter_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter(prefix="/reporting", include_in_schema=False)

    async def opened(
        request: Request, round_id: str, form_id: str
    ) -> tuple[Viewer, reporting.Report]:
        viewer = await viewer_of(request, ports, PAGE)
        today = thai_today(ports.clock())
        found = await reporting.open_report(ports, viewer.account, round_id, form_id, today)
        return viewer, found

    def page(
        request: Request, viewer: Viewer, report: reporting.Report, status: int = 200, **more: Any
    ) -> HTMLResponse:
        return render(
            request,
            "report_form.html",
            viewer,
            status,
            report=report,
            history=reporting.history(report),
            status_th=STATUS_TH,
            outcome_th=OUTCOME_TH,
            activity_th=ACTIVITY_TH,
            choices_th=choices_th,
            review_th=REVIEW_TH,
            baht=baht,
            **more,
        )

    @routes.get("", response_class=HTMLResponse)
    async def due(request: Request) -> HTMLResponse:
        viewer = await viewer_of(request, ports, PAGE)
        today = thai_today(ports.clock())
        items = await reporting.due_items(ports, viewer.account, today)
        return render(request, "reporting.html", viewer, items=items, status_th=STATUS_TH)

    @routes.get("/{round_id}/{form_id}", response_class=HTMLResponse)
    async def form(request: Request, round_id: str, form_id: str) -> HTMLResponse:
        viewer, report = await opened(request, round_id, form_id)
        report.outcome = request.query_params.get("m")
        return page(request, viewer, report)

    @routes.post("/{round_id}/{form_id}/draft", response_class=HTMLResponse)
    async def draft(request: Request, round_id: str, form_id: str) -> Response:
        viewer, report = await opened(request, round_id, form_id)
        sent = await check_csrf(request, viewer)
        await reporting.keep_draft(ports, viewer.account, report, reporting.typed_of(report, sent))
        if request.headers.get("X-Requested-With") == "fetch":
            return render(request, "_draft_state.html", viewer, report=report, saved=True)
        return RedirectResponse(f"/reporting/{round_id}/{form_id}?m=saved", status_code=303)

    @routes.post("/{round_id}/{form_id}/submit", response_class=HTMLResponse)
    async def send(request: Request, round_id: str, form_id: str) -> HTMLResponse:
        viewer, report = await opened(request, round_id, form_id)
        sent = await check_csrf(request, viewer)
        english = viewer.speech.language == "en"
        typed = reporting.typed_of(report, sent)
        await reporting.submit(ports, viewer.account, report, typed, english)
        accepted = report.outcome in ("accepted", "repeat")
        if accepted:  # the page shows intake's history with the new version
            viewer, report_now = await opened(request, round_id, form_id)
            report_now.outcome = report.outcome
            return page(request, viewer, report_now)
        return page(request, viewer, report, 422)

    @routes.post("/{round_id}/{form_id}/evidence", response_class=HTMLResponse)
    async def evidence(request: Request, round_id: str, form_id: str) -> Response:
        viewer, report = await opened(request, round_id, form_id)
        sent = await check_csrf(request, viewer)
        await reporting.keep_draft(ports, viewer.account, report, reporting.typed_of(report, sent))
        target = f"/reporting/{round_id}/{form_id}"
        if sent.get("remove"):
            name, _, evidence_id = str(sent["remove"]).partition("|")
            await reporting_evidence.detach(ports, viewer.account, report, name, evidence_id)
            return RedirectResponse(f"{target}?m=removed", status_code=303)
        name = str(sent.get("attach") or "")
        upload = sent.get(f"file:{name}")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return page(request, viewer, report, 422, errors={name: "กรุณาเลือกไฟล์ที่จะแนบ"})
        content = await upload.read(MAX_UPLOAD + 1)
        refused = await reporting_evidence.attach(
            ports,
            viewer.account,
            report,
            name,
            upload.filename,
            content,
            upload.content_type or "",
        )
        if refused:
            report.errors = {name: refused}
            return page(request, viewer, report, 422)
        return RedirectResponse(f"{target}?m=attached", status_code=303)

    @routes.get("/{round_id}/{form_id}/sheet")
    async def sheet(request: Request, round_id: str, form_id: str) -> Response:
        viewer, report = await opened(request, round_id, form_id)
        content = await sheet_of(ports, viewer.account, report)
        name = quote(f"แบบรายงาน-{round_id}-{viewer.account.unit_code}.xlsx")
        return Response(
            content,
            media_type=XLSX,
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
        )

    @routes.post("/{round_id}/{form_id}/sheet", response_class=HTMLResponse)
    async def sheet_upload(request: Request, round_id: str, form_id: str) -> Response:
        viewer, report = await opened(request, round_id, form_id)
        sent = await check_csrf(request, viewer)
        upload = sent.get("sheet")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return page(request, viewer, report, 422, sheet_problems=[], sheet_error=True)
        content = await upload.read(MAX_UPLOAD + 1)
        english = viewer.speech.language == "en"
        problems = await upload_sheet(ports, viewer.account, report, content, english)
        if problems:
            return page(request, viewer, report, 422, sheet_problems=problems)
        return RedirectResponse(
            f"/reporting/{round_id}/{form_id}?m=sheet_accepted", status_code=303
        )

    return routes
