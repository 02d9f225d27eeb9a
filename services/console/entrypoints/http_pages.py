"""Pages: sign-in, the round at a glance (live), the director's summary."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from services.console.entrypoints.web import (
    SESSION_COOKIE,
    check_csrf,
    render,
    speech_of,
    viewer_of,
)
from services.console.handlers.accounts import SignedIn, sign_in
from services.console.handlers.follow_up import overdue_recommendations
from services.console.handlers.glance import round_at_a_glance, rounds, unit_in_round
from services.console.handlers.ports import ConsolePorts
from services.console.handlers.project import project_page, resolve_problem
from services.console.handlers.reminders import remind_now
from shared.thai.calendar import fiscal_year, thai_today

KEEPALIVE_S = 15.0


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no open redirect)."""
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def pages_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter()

    @routes.get("/signin", response_class=HTMLResponse, include_in_schema=False)
    async def signin_page(request: Request, next: str | None = None) -> HTMLResponse:
        return render(request, "signin.html", None, next=_safe_next(next), error=None)

    @routes.post("/signin", include_in_schema=False)
    async def signin(
        request: Request,
        username: Annotated[str, Form()],
        password: Annotated[str, Form()],
        next: Annotated[str, Form()] = "/",
    ) -> Response:
        address = request.client.host if request.client else "?"
        outcome = await sign_in(ports, username, password, address)
        if isinstance(outcome, SignedIn):
            response = RedirectResponse(_safe_next(next), status_code=303)
            response.set_cookie(
                SESSION_COOKIE,
                outcome.cookie,
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
                max_age=10 * 3600,
            )
            return response
        speech = speech_of(request)
        if outcome.wait is not None:
            minutes = max(1, int(outcome.wait / timedelta(minutes=1)) + 1)
            error, status = speech.t("throttled", minutes=minutes), 429
        else:
            error, status = speech.t("wrong_password"), 401
        return render(
            request,
            "signin.html",
            None,
            status,
            next=_safe_next(next),
            error=error,
            username=username,
        )

    @routes.post("/signout", include_in_schema=False)
    async def signout(request: Request) -> Response:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            await ports.accounts.close_session(cookie)
        response = RedirectResponse("/signin", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @routes.get("/switch", include_in_schema=False)
    async def switch(
        request: Request, lang: str | None = None, digits: str | None = None, back: str = "/"
    ) -> Response:
        response = RedirectResponse(_safe_next(back), status_code=303)
        if lang in ("th", "en"):
            response.set_cookie("lang", lang, samesite="strict", max_age=365 * 86400)
        if digits in ("thai", "arabic"):
            response.set_cookie("digits", digits, samesite="strict", max_age=365 * 86400)
        return response

    @routes.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request, round: str | None = None) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "home")
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
        back = _safe_next(str(form.get("back") or "/"))
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
