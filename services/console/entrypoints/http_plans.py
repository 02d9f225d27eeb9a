"""Plans, projects and indicators with their targets."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.console.entrypoints.web import render, viewer_of
from services.console.handlers.ports import ConsolePorts
from shared.contracts.setup import Indicator, Plan, Project, Strategy


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

    return routes
