"""Pages: sign-in, the round at a glance (live), the director's summary."""

import asyncio
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from services.console.entrypoints.web import (
    NotAllowed,
    check_csrf,
    first_page,
    render,
    safe_next,
    viewer_of,
)
from services.console.handlers.follow_up import overdue_recommendations
from services.console.handlers.glance import round_at_a_glance, rounds, unit_in_round
from services.console.handlers.ports import ConsolePorts
from services.console.handlers.project import project_page, resolve_problem
from services.console.handlers.reminders import remind_now
from shared.thai.calendar import fiscal_year, thai_today

KEEPALIVE_S = 15.0


def pages_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter()

    @routes.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request, round: str | None = None) -> Response:
        try:
            viewer = await viewer_of(request, ports, "home")
        except NotAllowed:  # each role starts from its first page (a reporter: what is due)
            start = await first_page(request, ports)
            if start is not None:
                return RedirectResponse(start, status_code=303)
            raise
        today = thai_today(ports.clock())
        seen = await round_at_a_glance(ports, viewer.account, round, today)
        return render(
            request,
            "home.html",
            viewer,
            glance=seen,
            rounds=await rounds(ports.setup),
            message=request.query_params.get("message"),
        )

    @routes.get("/glance/{round_id}", response_class=HTMLResponse, include_in_schema=False)
    async def glance_fragment(request: Request, round_id: str) -> HTMLResponse:
        """The live part of the home page, swapped in by htmx when news arrives."""
        viewer = await viewer_of(request, ports, "home")
        today = thai_today(ports.clock())
        seen = await round_at_a_glance(ports, viewer.account, round_id, today)
        return render(request, "_glance.html", viewer, glance=seen)

    @routes.get("/events", include_in_schema=False)
    async def events(request: Request) -> StreamingResponse:
        """Server-sent events: `round:<id>` whenever monitoring announces new figures."""
        await viewer_of(request, ports, "home")

        async def stream() -> AsyncIterator[str]:
            yield "retry: 3000\n\n"
            news = ports.live.listen()
            while not await request.is_disconnected():
                try:
                    topic = await asyncio.wait_for(anext(news), KEEPALIVE_S)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                yield f"event: {topic.split(':', 1)[0]}\ndata: {topic.split(':', 1)[-1]}\n\n"

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
        )

    @routes.get("/director", response_class=HTMLResponse, include_in_schema=False)
    async def director(request: Request, round: str | None = None) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "director")
        today = thai_today(ports.clock())
        seen = await round_at_a_glance(ports, viewer.account, round, today)
        overdue = await overdue_recommendations(ports, viewer.account, today)
        return render(request, "director.html", viewer, glance=seen, overdue=overdue, today=today)

    @routes.get(
        "/rounds/{round_id}/units/{unit_code}", response_class=HTMLResponse, include_in_schema=False
    )
    async def unit(request: Request, round_id: str, unit_code: str) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "project")
        seen = await unit_in_round(ports, viewer.account, round_id, unit_code)
        return render(request, "unit.html", viewer, **seen)

    @routes.get("/projects/{code}", response_class=HTMLResponse, include_in_schema=False)
    async def project(request: Request, code: str, fy: int | None = None) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "project")
        year = fy or fiscal_year(thai_today(ports.clock()))
        seen = await project_page(ports, viewer.account, code, year)
        return render(request, "project.html", viewer, project=seen, fiscal_year=year)

    @routes.post("/problems/{problem_id}/resolve", include_in_schema=False)
    async def resolve(request: Request, problem_id: str) -> Response:
        viewer = await viewer_of(request, ports, "problems")
        form = await check_csrf(request, viewer)
        await resolve_problem(ports, viewer.account, problem_id, str(form.get("note") or ""))
        back = safe_next(str(form.get("back") or "/"))
        return RedirectResponse(back, status_code=303)

    @routes.post("/remind", include_in_schema=False)
    async def remind(request: Request) -> Response:
        viewer = await viewer_of(request, ports, "remind")
        form = await check_csrf(request, viewer)
        count = await remind_now(
            ports, viewer.account, str(form["round_id"]), str(form.get("unit_code") or "") or None
        )
        message = viewer.speech.t("reminded", count=count)
        return RedirectResponse(f"/?round={form['round_id']}&message={message}", status_code=303)

    return routes
