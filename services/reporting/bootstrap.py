"""Builds reporting's adapters from settings and wires them to its entrypoints."""

from fastapi import FastAPI

from services.reporting.adapters.html import render_round
from services.reporting.adapters.mongo import MongoReportStore
from services.reporting.entrypoints import amqp, http
from services.reporting.handlers import ReportingPorts
from shared.service import Runtime, build_runtime, create_app
from shared.settings import Settings

NAME = "reporting"


def bootstrap(settings: Settings) -> FastAPI:
    runtime = build_runtime(NAME, settings)
    reports = MongoReportStore(runtime.db)
    amqp.subscribe(runtime, ReportingPorts(reports=reports, render_round=render_round))

    async def prepare(_: Runtime) -> None:
        await reports.create_indexes()

    app = create_app(
        runtime,
        prepare,
        title="Tidtam reporting",
        description="Renders the officer's reports and exports.",
    )
    app.include_router(http.router(reports))
    return app
