"""Builds reporting's adapters from settings and wires them to its entrypoints."""

from fastapi import FastAPI

from services.reporting.adapters.html import render_round
from services.reporting.adapters.mongo import MongoReportStore
from services.reporting.entrypoints import amqp, http
from services.reporting.handlers import ReportingPorts
from shared.replica import LatestCopies, SetupReplica, keep_setup_copy, request_setup
from shared.service import build_runtime, create_app
from shared.settings import Settings

NAME = "reporting"


def bootstrap(settings: Settings) -> FastAPI:
    runtime = build_runtime(NAME, settings)
    reports = MongoReportStore(runtime.db)
    setup = SetupReplica(runtime.db)
    rates = LatestCopies(runtime.db, "rates")
    projects = LatestCopies(runtime.db, "project_progress")
    amqp.subscribe(
        runtime,
        ReportingPorts(reports=reports, render_round=render_round, rates=rates, projects=projects),
    )
    keep_setup_copy(runtime, setup)
    app = create_app(
        runtime,
        stores=[reports, setup, rates, projects],
        before_consume=lambda rt: request_setup(rt, setup),
        title="Tidtam reporting",
        description="Renders the officer's reports and exports.",
    )
    app.include_router(http.router(reports))
    return app
