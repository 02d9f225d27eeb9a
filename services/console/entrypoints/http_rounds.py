"""Fiscal years and rounds: the year opened (standard rounds, assignments, work calendar),
a round of its own added, every round listed with its dates (each edited on its page).

The list is monitoring's own (not the console's copy, which follows by events), so a round
just added is there when the page comes back.
"""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.console.entrypoints.web import Viewer, check_csrf, field_errors, render, viewer_of
from services.console.handlers.accounts import person_of
from services.console.handlers.ports import ConsolePorts
from shared.thai.calendar import fiscal_year, thai_today
from shared.thai.input import arabic_digits

ROUND_TYPES_TH = {
    "quarter": "ไตรมาส",
    "half_year": "รอบ 6 เดือน",
    "full_year": "รอบ 12 เดือน",
    "custom": "รอบพิเศษ",
}
# What opening a year does, in the order an officer does it: each is one monitoring call.
YEAR_STEPS: dict[str, tuple[str, str]] = {
    "standard-rounds": (
        "/fiscal-years/{fy}/standard-rounds",
        "สร้างรอบมาตรฐานของปีงบประมาณ {fy} แล้ว (ใหม่ {n} รอบ)",
    ),
    "derive": (
        "/fiscal-years/{fy}/assignments/derive",
        "กำหนดผู้รายงานของปีงบประมาณ {fy} จากโครงการแล้ว",
    ),
    "work-calendar": (
        "/fiscal-years/{fy}/work-calendar",
        "เปิดปฏิทินงานของปีงบประมาณ {fy} แล้ว",
    ),
}
ROUND_FIELDS = (
    "round_id",
    "fiscal_year",
    "round_type",
    "name_th",
    "period_start",
    "period_end",
    "opens_on",
    "due_on",
    "closes_on",
)


def rounds_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/rounds", response_class=HTMLResponse)
    async def round_list(request: Request) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "rounds")
        return await _page(request, viewer, ports, {}, {}, request.query_params.get("m"))

    @routes.post("/rounds", response_class=HTMLResponse)
    async def add_round(request: Request) -> Response:
        """A round of the officer's own (a special follow-up, say)."""
        viewer = await viewer_of(request, ports, "rounds")
        form = await check_csrf(request, viewer)
        body: dict[str, Any] = {
            name: arabic_digits(str(form.get(name) or "").strip()) or None for name in ROUND_FIELDS
        }
        if str(body["fiscal_year"] or "").isdigit():  # a number in JSON; other text as typed,
            body["fiscal_year"] = int(body["fiscal_year"])  # for monitoring to name the field
        answer = await ports.monitoring.request(
            "POST", "/rounds", person_of(viewer.account), json=body
        )
        if answer.status_code >= 400:
            errors = field_errors(answer.json(), viewer.speech)
            return await _page(request, viewer, ports, errors, body, None, 422)
        return RedirectResponse(f"/rounds?m=เพิ่มรอบ {body['round_id']} แล้ว", 303)

    @routes.post("/fiscal-years", response_class=HTMLResponse)
    async def open_year(request: Request) -> Response:
        """One step of opening fiscal year `year` (`step`: one of YEAR_STEPS)."""
        viewer = await viewer_of(request, ports, "rounds")
        form = await check_csrf(request, viewer)
        year = arabic_digits(str(form.get("year") or "").strip())
        step = YEAR_STEPS.get(str(form.get("step") or ""))
        if step is None or not (year.isdigit() and 2500 <= int(year) <= 2800):
            errors = {"year": "ปีงบประมาณเป็นปี พ.ศ. เช่น 2570"}
            return await _page(request, viewer, ports, errors, {"year": year}, None, 422)
        path, done = step
        answer = await ports.monitoring.request(
            "POST", path.format(fy=year), person_of(viewer.account)
        )
        if answer.status_code >= 400:
            errors = {"year": next(iter(field_errors(answer.json(), viewer.speech).values()), "")}
            return await _page(request, viewer, ports, errors, {"year": year}, None, 422)
        made = answer.json()
        message = done.format(fy=year, n=len(made) if isinstance(made, list) else 0)
        return RedirectResponse(f"/rounds?m={message}", 303)

    return routes


async def _page(
    request: Request,
    viewer: Viewer,
    ports: ConsolePorts,
    errors: dict[str, str],
    typed: dict[str, Any],
    message: str | None,
    status_code: int = 200,
) -> HTMLResponse:
    answer = await ports.monitoring.request("GET", "/rounds", person_of(viewer.account))
    answer.raise_for_status()
    held = sorted(answer.json(), key=lambda r: (r["opens_on"], r["round_id"]))
    this_year = fiscal_year(thai_today(datetime.now(UTC)))
    return render(
        request,
        "rounds.html",
        viewer,
        status_code,
        rounds=held,
        errors=errors,
        typed=typed,
        message=message,
        round_types=ROUND_TYPES_TH,
        this_year=this_year,
    )
