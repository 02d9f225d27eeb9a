"""Plans, projects and indicators with their targets; forms and their publication."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.console.entrypoints.web import Viewer, check_csrf, field_errors, render, viewer_of
from services.console.handlers.accounts import person_of
from services.console.handlers.ports import ConsolePorts
from shared.contracts.setup import Form, Indicator, Plan, Project, Strategy


def plans_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/plans", response_class=HTMLResponse)
    async def plans(request: Request, q: str = "") -> HTMLResponse:
        viewer = await viewer_of(request, ports, "plans")
        wanted = q.strip()
        projects = [p for p in await ports.setup.search("project") if isinstance(p, Project)]
        if wanted:
            projects = [p for p in projects if wanted in p.code or wanted in p.name_th]
        indicators: dict[str, list[Indicator]] = {}
        for i in await ports.setup.search("indicator"):
            if isinstance(i, Indicator):
                indicators.setdefault(i.project_code, []).append(i)
        return render(
            request,
            "plans.html",
            viewer,
            q=q,
            projects=projects,
            indicators=indicators,
            plans=[p for p in await ports.setup.search("plan") if isinstance(p, Plan)],
            strategies=[s for s in await ports.setup.search("strategy") if isinstance(s, Strategy)],
            message=request.query_params.get("m"),
        )

    @routes.get("/forms", response_class=HTMLResponse)
    async def forms(request: Request) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "forms")
        return render(
            request,
            "forms.html",
            viewer,
            forms=await _versions(ports, viewer),
            errors={},
            message=request.query_params.get("m"),
        )

    @routes.post("/forms/{form_id}/versions/{version}/draft", response_class=HTMLResponse)
    async def draft(request: Request, form_id: str, version: int) -> Response:
        """The next version as a draft, from this one (its fields, rules and title)."""
        viewer = await viewer_of(request, ports, "forms")
        form = await check_csrf(request, viewer)
        person = person_of(viewer.account)
        held = await ports.monitoring.request("GET", f"/forms/{form_id}/versions/{version}", person)
        if held.status_code == 404:
            return render(
                request,
                "error.html",
                viewer,
                404,
                title="404",
                message=f"ไม่พบแบบรายงาน {form_id} ฉบับที่ {version}",
            )
        body = {
            k: v for k, v in held.json().items() if k not in ("version", "status", "published_at")
        }
        if str(form.get("title_th") or "").strip():
            body["title_th"] = str(form["title_th"]).strip()
        answer = await ports.monitoring.request("POST", "/forms", person, json=body)
        if answer.status_code >= 400:
            held_forms = await _versions(ports, viewer)
            return render(
                request,
                "forms.html",
                viewer,
                422,
                forms=held_forms,
                errors=field_errors(answer.json(), viewer.speech),
                message=None,
            )
        made = answer.json()
        message = f"สร้างฉบับร่าง {made['form_id']} ฉบับที่ {made['version']} แล้ว"
        return RedirectResponse(f"/forms?m={message}", 303)

    @routes.post("/forms/{form_id}/versions/{version}/publish", response_class=HTMLResponse)
    async def publish(request: Request, form_id: str, version: int) -> Response:
        viewer = await viewer_of(request, ports, "forms")
        await check_csrf(request, viewer)
        answer = await ports.monitoring.request(
            "POST", f"/forms/{form_id}/versions/{version}/publish", person_of(viewer.account)
        )
        if answer.status_code >= 400:
            held = await _versions(ports, viewer)
            return render(
                request,
                "forms.html",
                viewer,
                422,
                forms=held,
                errors=field_errors(answer.json(), viewer.speech),
                message=None,
            )
        return RedirectResponse(f"/forms?m=เผยแพร่แบบ {form_id} ฉบับที่ {version} แล้ว", 303)

    return routes


async def _versions(ports: ConsolePorts, viewer: Viewer) -> list[dict[str, Any]]:
    """Every version of every form (drafts too: only monitoring holds those)."""
    form_ids = sorted({f.form_id for f in await ports.setup.search("form") if isinstance(f, Form)})
    found: list[dict[str, Any]] = []
    for form_id in form_ids:
        answer = await ports.monitoring.request(
            "GET", f"/forms/{form_id}/versions", person_of(viewer.account)
        )
        if answer.is_success:
            found += answer.json()
    return found
