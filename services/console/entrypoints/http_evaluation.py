"""The assessor's scoring page and the officer's evaluation pages."""

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.console.domain.assess import STATUS_TH
from services.console.domain.refusals import refusal_texts
from services.console.entrypoints.web import check_csrf, render, viewer_of
from services.console.handlers import assess
from services.console.handlers.ports import ConsolePorts

SAVED_TH = {"draft": "บันทึกฉบับร่างแล้ว {n} รายการ", "submitted": "ส่งผลการประเมินแล้ว {n} รายการ"}


def evaluation_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    async def assess_page(
        request: Request, status_code: int = 200, **context: object
    ) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "assess")
        shown = await assess.assessor_page(ports, viewer.account)
        return render(
            request,
            "assess.html",
            viewer,
            status_code,
            evaluations=shown,
            status_th=STATUS_TH,
            message=request.query_params.get("m"),
            **context,
        )

    @routes.get("/assess", response_class=HTMLResponse)
    async def scoring(request: Request) -> HTMLResponse:
        return await assess_page(request, refused={}, entered={})

    @routes.post("/assess/{evaluation_id}", response_class=HTMLResponse)
    async def score(request: Request, evaluation_id: str) -> Response:
        viewer = await viewer_of(request, ports, "assess")
        form = await check_csrf(request, viewer)
        status = "submitted" if form.get("action") == "submit" else "draft"
        saved, refused = await assess.save_scores(
            ports, viewer.account, evaluation_id, form, status
        )
        if refused:
            return await assess_page(
                request, 422, refused=refused, entered=form, failed=evaluation_id, saved=saved
            )
        done = quote(SAVED_TH[status].format(n=saved))
        return RedirectResponse(f"/assess?m={done}#{evaluation_id}", status_code=303)

    @routes.get("/evaluations", response_class=HTMLResponse)
    async def listing(request: Request) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "evaluations")
        found = await assess.evaluations(ports, viewer.account)
        return render(request, "evaluations.html", viewer, evaluations=found, status_th=STATUS_TH)

    async def officer_page(
        request: Request, evaluation_id: str, status_code: int = 200, **context: object
    ) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "evaluations")
        seen = await assess.officer_page(ports, viewer.account, evaluation_id)
        return render(
            request,
            "evaluation.html",
            viewer,
            status_code,
            status_th=STATUS_TH,
            message=request.query_params.get("m"),
            **seen,
            **{"errors": {}, "entered": {}, **context},
        )

    @routes.get("/evaluations/{evaluation_id}", response_class=HTMLResponse)
    async def evaluation(request: Request, evaluation_id: str) -> HTMLResponse:
        return await officer_page(request, evaluation_id)

    async def act(request: Request, evaluation_id: str, what: str) -> Response:
        viewer = await viewer_of(request, ports, "evaluations")
        form = await check_csrf(request, viewer)
        if what == "assign":
            answer = await assess.assign(ports, viewer.account, evaluation_id, form)
        elif what == "finalise":
            answer = await assess.finalise(ports, viewer.account, evaluation_id, form)
        else:
            reason = str(form.get("reason") or "")
            answer = await assess.reopen(ports, viewer.account, evaluation_id, reason)
        if answer.status_code >= 400:
            errors = refusal_texts(answer.json(), answer.status_code)
            status = answer.status_code if answer.status_code < 500 else 502
            return await officer_page(
                request, evaluation_id, status, errors={what: errors}, entered=form
            )
        done = quote(DONE_TH[what])
        return RedirectResponse(f"/evaluations/{evaluation_id}?m={done}", status_code=303)

    @routes.post("/evaluations/{evaluation_id}/assignments", response_class=HTMLResponse)
    async def assignments(request: Request, evaluation_id: str) -> Response:
        return await act(request, evaluation_id, "assign")

    @routes.post("/evaluations/{evaluation_id}/finalise", response_class=HTMLResponse)
    async def finalise(request: Request, evaluation_id: str) -> Response:
        return await act(request, evaluation_id, "finalise")

    @routes.post("/evaluations/{evaluation_id}/reopen", response_class=HTMLResponse)
    async def reopen(request: Request, evaluation_id: str) -> Response:
        return await act(request, evaluation_id, "reopen")

    return routes


DONE_TH = {
    "assign": "บันทึกการมอบหมายผู้ประเมินแล้ว",
    "finalise": "สรุปผลการประเมินแล้ว",
    "reopen": "เปิดทบทวนการประเมินแล้ว",
}
