"""HTTP entrypoint: read rendered reports."""

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from services.reporting.adapters.mongo import MongoReportStore
from services.reporting.handlers import round_report_id


def router(reports: MongoReportStore) -> APIRouter:
    routes = APIRouter(prefix="/reports", tags=["reports"])

    @routes.get(
        "/rounds/{round_id}", response_class=HTMLResponse, summary="A round's progress page"
    )
    async def round_page(round_id: str) -> HTMLResponse:
        stored = await reports.get_report(round_report_id(round_id))
        if stored is None:
            raise HTTPException(404, f"no report for round {round_id!r} yet")
        return HTMLResponse(stored["html"])

    return routes
