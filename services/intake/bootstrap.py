"""Builds intake's adapters from settings and wires them to its entrypoints."""

import asyncio

from fastapi import FastAPI

from services.intake.adapters.evidence_store import MongoEvidenceStore
from services.intake.adapters.mongo import MongoSubmissionStore
from services.intake.entrypoints import amqp
from services.intake.entrypoints.http import authenticator, bulk_router, http_router
from services.intake.entrypoints.http_evidence import evidence_router
from services.intake.entrypoints.limits import BodyLimit
from services.intake.handlers.ports import IntakePorts
from services.intake.handlers.review import relay_pending
from shared.platform.credentials import MongoCredentialStore
from shared.platform.replica import SetupReplica, keep_setup_copy, request_setup
from shared.platform.service import build_runtime, create_app
from shared.platform.settings import Settings

NAME = "intake"


def bootstrap(settings: Settings) -> FastAPI:
    runtime = build_runtime(NAME, settings)
    store = MongoSubmissionStore(runtime.db)
    setup = SetupReplica(runtime.db)
    credentials = MongoCredentialStore(runtime.db)
    evidence = MongoEvidenceStore(runtime.db)
    ports = IntakePorts(
        store=store, setup=setup, publish=runtime.publisher.publish, evidence=evidence
    )
    amqp.subscribe(runtime, ports)
    keep_setup_copy(runtime, setup)

    async def relay() -> None:
        while True:
            await relay_pending(ports)
            await asyncio.sleep(5)

    app = create_app(
        runtime,
        stores=[store, setup, credentials, evidence],
        before_consume=lambda rt: request_setup(rt, setup),
        background=[relay],
        title="Tidtam intake",
        description="Takes progress reports in, validates, stores, answers.",
    )
    app.include_router(http_router(ports, credentials, settings.admin_token))
    app.include_router(bulk_router(ports, credentials))
    app.include_router(
        evidence_router(evidence, authenticator(credentials), settings.max_evidence_bytes)
    )
    app.add_middleware(
        BodyLimit, limit=settings.max_body_bytes, upload_limit=settings.max_evidence_bytes
    )
    return app
