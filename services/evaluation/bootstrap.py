"""Builds evaluation's adapters from settings and wires them to its entrypoints."""

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from fastapi import FastAPI

from services.evaluation.adapters.evaluations_store import MongoEvaluationStore
from services.evaluation.adapters.frameworks_store import MongoFrameworkStore
from services.evaluation.adapters.inspections_store import MongoInspectionStore
from services.evaluation.entrypoints import amqp
from services.evaluation.entrypoints.http_evaluations import ROLES, evaluations_router
from services.evaluation.entrypoints.http_frameworks import frameworks_router
from services.evaluation.entrypoints.http_inspections import inspections_router
from services.evaluation.handlers import finalise, inspections
from services.evaluation.handlers.evaluations import EvaluationsPorts
from services.evaluation.handlers.progress import ProgressPorts
from shared.contracts import CopiesResendRequested, make_envelope
from shared.contracts.setup import Unit
from shared.platform.claims import ClaimLog
from shared.platform.credentials import MongoCredentialStore, authenticator, credentials_router
from shared.platform.replica import LatestCopies, SetupReplica, keep_setup_copy, request_setup
from shared.platform.service import Runtime, build_runtime, create_app
from shared.platform.settings import Settings

NAME = "evaluation"
log = logging.getLogger(__name__)


def bootstrap(settings: Settings) -> FastAPI:
    runtime = build_runtime(NAME, settings)
    publish = runtime.publisher.publish
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

    async def request_copies(rt: Runtime) -> None:
        """Before consuming: ask for the set-up after the revision held and, when the copy
        of project progress is empty (a new or emptied database), for monitoring's copies."""
        await request_setup(rt, setup)
        if await projects.documents.find_one({}) is None:
            request_id = uuid.uuid4().hex
            await rt.publisher.publish(
                make_envelope(
                    CopiesResendRequested(requested_by=NAME, request_id=request_id),
                    producer=NAME,
                    correlation_id=f"copies-{request_id}",
                )
            )

    async def announce() -> None:
        """Publish what is waiting: outboxes, changed inspection reports, overdue ones.

        Each step runs even when another fails, so one bad inspection never holds back
        the overdue announcements or the outboxes."""
        now = datetime.now(UTC)
        steps: list[tuple[str, Callable[[], Awaitable[int]]]] = [
            ("evaluation outboxes", lambda: finalise.relay(ports)),
            (
                "inspection reports",
                lambda: inspections.announce_reports(inspections_store, publish, now),
            ),
            (
                "overdue recommendations",
                lambda: inspections.announce_overdue(inspections_store, overdue_log, publish, now),
            ),
        ]
        for what, step in steps:
            try:
                await step()
            except Exception:
                log.exception("announcing %s failed; next pass retries", what)

    async def announce_soon() -> None:
        """After a write over HTTP: announce now; on failure the loop retries."""
        try:
            await inspections.announce_reports(inspections_store, publish, datetime.now(UTC))
        except Exception:
            log.exception("announcing inspection reports failed; the loop retries")

    async def resend() -> None:
        await finalise.republish_finals(ports)
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
        ProgressPorts(projects=projects),
        resend,
    )
    keep_setup_copy(runtime, setup)
    app = create_app(
        runtime,
        stores=[
            frameworks,
            inspections_store,
            evaluations_store,
            credentials,
            overdue_log,
            setup,
            projects,
        ],
        before_consume=request_copies,
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

    async def unit_exists(code: str) -> bool:
        return isinstance(await setup.get("unit", code), Unit)

    app.include_router(
        inspections_router(
            inspections_store, authenticate, changed=announce_soon, unit_exists=unit_exists
        )
    )
    return app
