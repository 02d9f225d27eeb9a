"""Pages: signing in and out, and the reading switches (language, digits)."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.console.entrypoints.web import SESSION_COOKIE, render, safe_next, speech_of
from services.console.handlers.accounts import SignedIn, sign_in
from services.console.handlers.ports import ConsolePorts


def auth_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter()

    @routes.get("/signin", response_class=HTMLResponse, include_in_schema=False)
    async def signin_page(request: Request, next: str | None = None) -> HTMLResponse:
        return render(request, "signin.html", None, next=safe_next(next), error=None)

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
            response = RedirectResponse(safe_next(next), status_code=303)
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
            next=safe_next(next),
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
        response = RedirectResponse(safe_next(back), status_code=303)
        if lang in ("th", "en"):
            response.set_cookie("lang", lang, samesite="strict", max_age=365 * 86400)
        if digits in ("thai", "arabic"):
            response.set_cookie("digits", digits, samesite="strict", max_age=365 * 86400)
        return response

    return routes
