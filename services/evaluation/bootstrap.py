"""Builds evaluation's adapters from settings and wires them to its entrypoints."""

import asyncio
import logging
from datetime import UTC, datetime

from fastapi import FastAPI

from services.evaluation.adapters.evaluations_store import MongoEvaluationStore
from services.evaluation.adapters.frameworks_store import MongoFrameworkStore
from services.evaluation.adapters.inspections_store import MongoInspectionStore
from services.evaluation.adapters.mongo import MongoScoreStore
from services.evaluation.entrypoints import amqp
from services.evaluation.entrypoints.http_evaluations import ROLES, evaluations_router
from services.evaluation.entrypoints.http_frameworks import frameworks_router
from services.evaluation.entrypoints.http_inspections import inspections_router
from services.evaluation.handlers import evaluations, inspections
from services.evaluation.handlers.evaluations import EvaluationsPorts
from services.evaluation.handlers.scores import EvaluationPorts
from shared.claims import ClaimLog
from shared.credentials import MongoCredentialStore, authenticator, credentials_router
from shared.replica import LatestCopies, SetupReplica, keep_setup_copy, request_setup
from shared.service import build_runtime, create_app
from shared.settings import Settings

NAME = "evaluation"
log = logging.getLogger(__name__)


def bootstrap(settings: Settings) -> FastAPI:
    runtime = build_runtime(NAME, settings)
    publish = runtime.publisher.publish
    scores = MongoScoreStore(runtime.db)
    frameworks = MongoFrameworkStore(runtime.db)
    inspections_store = MongoInspectionStore(runtime.db)
    evaluations_store = MongoEvaluationStore(runtime.db)
    credentials = MongoCredentialStore(runtime.db)
    overdue_log = ClaimLog(runtime.db, "overdue_log")
    setup = SetupReplica(runtime.db)
    projects = LatestCopies(runtime.db, "project_progress")
    ports = EvaluationsPorts(
        store=evaluations_store,
        frameworks=frameworks,
        setup=setup,
        progress=projects,
        publish=publish,
    )

    async def announce() -> None:
        """Publish what is waiting: outboxes, changed inspection reports, overdue ones."""
        now = datetime.now(UTC)
        await evaluations.relay(ports)
        await inspections.announce_reports(inspections_store, publish, now)
        await inspections.announce_overdue(inspections_store, overdue_log, publish, now)

    async def announce_soon() -> None:
        """After a write over HTTP: announce now; on failure the loop retries."""
        try:
            await inspections.announce_reports(inspections_store, publish, datetime.now(UTC))
        except Exception:
            log.exception("announcing inspection reports failed; the loop retries")

    async def resend() -> None:
        await evaluations.republish_finals(ports)
        await inspections_store.mark_all_unannounced()
        await inspections.announce_reports(inspections_store, publish, datetime.now(UTC))

    async def announcing() -> None:
        while True:
            try:
                await announce()
            except Exception:
                log.exception("announcing failed; next pass in %ss", settings.reminder_interval_s)
            await asyncio.sleep(settings.reminder_interval_s)

    amqp.subscribe(
        runtime,
        EvaluationPorts(scores=scores, publish=publish, projects=projects),
        resend,
    )
    keep_setup_copy(runtime, setup)
    app = create_app(
        runtime,
        stores=[
            scores,
            frameworks,
            inspections_store,
            evaluations_store,
            credentials,
            overdue_log,
            setup,
            projects,
        ],
        before_consume=lambda rt: request_setup(rt, setup),
        background=[announcing],
        title="Tidtam evaluation",
        description="Frameworks, the yearly evaluations with their assessors' scores, and the "
        "inspection follow-up register. Every route needs an API key of the roles officer, "
        "assessor or unit.",
    )
    authenticate = authenticator(credentials)
    app.include_router(credentials_router(credentials, settings.admin_token, ROLES))
    app.include_router(frameworks_router(frameworks, authenticate))
    app.include_router(evaluations_router(ports, authenticate))
    app.include_router(inspections_router(inspections_store, authenticate, changed=announce_soon))
    return app
