"""The reviewer's pages: the queue of reports awaiting review and one report's page, where
it is approved, returned with a comment (intake announces it; the notifier tells the unit)
or reopened. A unit's reporter opens its own report's page to read the comment."""

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.console.domain.refusals import refusal_texts
from services.console.domain.review import ACTION_TH, ACTIONS, DONE_TH
from services.console.entrypoints.web import check_csrf, render, viewer_of
from services.console.handlers.ports import ConsolePorts
from services.console.handlers.review import review, review_queue, submission_page


def review_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/review", response_class=HTMLResponse)
    async def queue(
        request: Request, round: str | None = None, group: str | None = None, late: str = ""
    ) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "review")
        seen = await review_queue(ports, viewer.account, round, group or None, late == "1")
        return render(request, "review.html", viewer, **seen)

    async def page(
        request: Request, submission_id: str, status_code: int = 200, **context: object
    ) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "submission")
        seen = await submission_page(ports, viewer.account, submission_id)
        return render(
            request,
            "submission.html",
            viewer,
            status_code,
            actions=ACTIONS.get(seen["submission"]["status"], ()) if viewer.may("review") else (),
            action_th=ACTION_TH,
            message=request.query_params.get("m"),
            **seen,
            **context,
        )

    @routes.get("/submissions/{submission_id}", response_class=HTMLResponse)
    async def submission(request: Request, submission_id: str) -> HTMLResponse:
        return await page(request, submission_id, errors={})

    @routes.post("/submissions/{submission_id}/review", response_class=HTMLResponse)
    async def act(request: Request, submission_id: str) -> Response:
        viewer = await viewer_of(request, ports, "review")
        form = await check_csrf(request, viewer)
        action = str(form.get("action") or "")
        comment = str(form.get("comment") or "")
        answer = await review(ports, viewer.account, submission_id, action, comment)
        if answer.status_code >= 400:
            errors = refusal_texts(answer.json(), answer.status_code)
            status = answer.status_code if answer.status_code < 500 else 502
            return await page(request, submission_id, status, errors=errors, comment=comment)
        done = quote(DONE_TH.get(action, ""))
        return RedirectResponse(f"/submissions/{submission_id}?m={done}", status_code=303)

    return routes
