"""The users page: the officer adds, disables and re-roles staff."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.console.domain.accounts import ROLE_TH, ROLES
from services.console.entrypoints.web import check_csrf, render, viewer_of
from services.console.handlers.accounts import change_account, create_account
from services.console.handlers.ports import ConsolePorts
from shared.contracts.refusals import Refusal


def users_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter(prefix="/users", include_in_schema=False)

    async def page(request: Request, status_code: int = 200, **context: object) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "users")
        return render(
            request,
            "users.html",
            viewer,
            status_code,
            accounts=await ports.accounts.all(),
            roles=ROLES,
            roles_th=ROLE_TH,
            **context,
        )

    @routes.get("", response_class=HTMLResponse)
    async def users(request: Request) -> HTMLResponse:
        return await page(request, errors={}, entered={}, message=request.query_params.get("m"))

    @routes.post("", response_class=HTMLResponse)
    async def add(request: Request) -> Response:
        viewer = await viewer_of(request, ports, "users")
        form = await check_csrf(request, viewer)
        try:
            added = await create_account(
                ports.accounts,
                ports.passwords,
                ports.clock(),
                username=str(form.get("username", "")),
                display_name=str(form.get("display_name", "")),
                role=str(form.get("role", "")),
                unit_code=str(form.get("unit_code", "")),
                password=str(form.get("password", "")),
                by=viewer.account.username,
            )
        except Refusal as refusal:
            errors = {
                p.field: viewer.speech.pick(p.message_th, p.message) for p in refusal.problems
            }
            entered = {k: v for k, v in form.items() if k != "password"}
            return await page(request, 422, errors=errors, entered=entered)
        return RedirectResponse(f"/users?m=เพิ่มผู้ใช้ {added.username} แล้ว", status_code=303)

    @routes.post("/{username}", response_class=HTMLResponse)
    async def change(request: Request, username: str) -> Response:
        viewer = await viewer_of(request, ports, "users")
        form = await check_csrf(request, viewer)
        active = {"enable": True, "disable": False}.get(str(form.get("action", "")))
        try:
            await change_account(
                ports,
                viewer.account,
                username,
                role=str(form["role"]) if form.get("role") else None,
                unit_code=str(form["unit_code"]) if form.get("unit_code") else None,
                active=active,
                password=str(form["password"]) if form.get("password") else None,
            )
        except Refusal as refusal:
            errors = {
                f"{username}.{p.field}": viewer.speech.pick(p.message_th, p.message)
                for p in refusal.problems
            }
            return await page(request, 422, errors=errors, entered={})
        return RedirectResponse(f"/users?m=บันทึกการเปลี่ยนแปลงของ {username} แล้ว", status_code=303)

    return routes
