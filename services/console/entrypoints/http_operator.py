"""The operator's page: every queue, each service's readiness and outbox backlog, and the
dead letters of a queue, replayed one or all, or purged after the queue's name is typed."""

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.console.domain.operations import age_th
from services.console.entrypoints.web import Viewer, check_csrf, render, viewer_of
from services.console.handlers.operations import (
    Operations,
    overview,
    purge_dead,
    replay_dead,
    show_dead,
)
from services.console.handlers.ports import ConsolePorts
from shared.contracts.refusals import Refusal

PAGE = "operator"


def operator_router(ports: ConsolePorts, ops: Operations) -> APIRouter:
    routes = APIRouter(prefix="/operator", include_in_schema=False)
    short: dict[str, Any] = {
        "short": lambda name: name.removeprefix(f"{ops.namespace}."),
        "age_th": age_th,
    }

    @routes.get("", response_class=HTMLResponse)
    async def page(request: Request) -> HTMLResponse:
        viewer = await viewer_of(request, ports, PAGE)
        seen = await overview(ops)
        template = "_operator_board.html" if request.headers.get("HX-Request") else "operator.html"
        return render(request, template, viewer, seen=seen, **short)

    @routes.get("/dlq/{queue}", response_class=HTMLResponse)
    async def dead(request: Request, queue: str) -> HTMLResponse:
        viewer = await viewer_of(request, ports, PAGE)
        return await dead_page(request, queue, viewer, message=request.query_params.get("m"))

    async def dead_page(
        request: Request,
        queue: str,
        viewer: Viewer,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        message: str | None = None,
    ) -> HTMLResponse:
        try:
            full, letters = await show_dead(ops, queue)
        except Refusal as refusal:
            said = refusal.problems[0].message_th
            return render(request, "error.html", viewer, 404, title="404", message=said)
        return render(
            request, "operator_dlq.html", viewer, status_code, queue=full, letters=letters,
            errors=errors or {}, message=message, **short,
        )  # fmt: skip

    @routes.post("/dlq/{queue}/replay")
    async def replay(request: Request, queue: str) -> Response:
        viewer = await viewer_of(request, ports, PAGE)
        form = await check_csrf(request, viewer)
        wanted = str(form.get("id") or "").strip()
        if form.get("all") != "1" and not wanted:
            return await dead_page(request, queue, viewer, 422,
                                   errors={"id": "กรุณาเลือกข้อความที่จะส่งกลับ"})  # fmt: skip
        try:
            count = await replay_dead(ops, queue, None if form.get("all") == "1" else wanted)
        except Refusal:
            return await dead_page(request, queue, viewer)
        said = f"ส่งกลับเข้าคิวเดิมแล้ว {count} ข้อความ"
        return RedirectResponse(f"/operator/dlq/{quote(queue)}?m={quote(said)}", status_code=303)

    @routes.post("/dlq/{queue}/purge")
    async def purge(request: Request, queue: str) -> Response:
        viewer = await viewer_of(request, ports, PAGE)
        form = await check_csrf(request, viewer)
        try:
            count, into = await purge_dead(ops, queue, str(form.get("confirm", "")))
        except Refusal as refusal:
            errors = {p.field: p.message_th or p.message for p in refusal.problems}
            return await dead_page(request, queue, viewer, 422, errors=errors)
        said = f"ลบแล้ว {count} ข้อความ (บันทึกไว้ที่ {into})"
        return RedirectResponse(f"/operator/dlq/{quote(queue)}?m={quote(said)}", status_code=303)

    return routes
