"""Builds evaluation's adapters from settings and wires them to its entrypoints."""

from fastapi import FastAPI

from services.evaluation.adapters.frameworks_store import MongoFrameworkStore
from services.evaluation.adapters.inspections_store import MongoInspectionStore
from services.evaluation.adapters.mongo import MongoScoreStore
from services.evaluation.entrypoints import amqp
from services.evaluation.entrypoints.http_frameworks import frameworks_router
from services.evaluation.entrypoints.http_inspections import inspections_router
from services.evaluation.handlers.scores import EvaluationPorts
from shared.replica import LatestCopies, SetupReplica, keep_setup_copy, request_setup
from shared.service import build_runtime, create_app
from shared.settings import Settings

NAME = "evaluation"


def bootstrap(settings: Settings) -> FastAPI:
    runtime = build_runtime(NAME, settings)
    scores = MongoScoreStore(runtime.db)
    frameworks = MongoFrameworkStore(runtime.db)
    inspections = MongoInspectionStore(runtime.db)
    setup = SetupReplica(runtime.db)
    projects = LatestCopies(runtime.db, "project_progress")
    amqp.subscribe(
        runtime,
        EvaluationPorts(scores=scores, publish=runtime.publisher.publish, projects=projects),
    )
    keep_setup_copy(runtime, setup)
    app = create_app(
        runtime,
        stores=[scores, frameworks, inspections, setup, projects],
        before_consume=lambda rt: request_setup(rt, setup),
        title="Tidtam evaluation",
        description="Frameworks, assessors' scores, inspection follow-up.",
    )
    app.include_router(frameworks_router(frameworks))
    app.include_router(inspections_router(inspections))
    return app
