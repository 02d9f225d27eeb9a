"""Evaluation assembled: `assemble(runtime, ports)` wires the ports to the kit; `bootstrap`
builds the real adapters from settings and assembles them."""

from functools import partial

from fastapi import FastAPI

from services.evaluation.adapters.evaluations_store import MongoEvaluationStore
from services.evaluation.adapters.frameworks_store import MongoFrameworkStore
from services.evaluation.adapters.inspections_store import MongoInspectionStore
from services.evaluation.adapters.progress_copy import ProjectProgressCopy
from services.evaluation.entrypoints.amqp import CONSUMES, PUBLISHES
from services.evaluation.entrypoints.http_evaluations import ROLES, evaluations_router
from services.evaluation.entrypoints.http_frameworks import frameworks_router
from services.evaluation.entrypoints.http_inspections import inspections_router
from services.evaluation.handlers import inspections
from services.evaluation.handlers.copies import request_copies
from services.evaluation.handlers.ports import EvaluationPorts
from shared.platform.audit import MongoAuditTrail
from shared.platform.claims import ClaimLog
from shared.platform.credentials import authenticator, credentials_router, people_and_keys
from shared.platform.kit import Job, Service, assemble_service, relay_job
from shared.platform.replica import SetupReplica
from shared.platform.service import Runtime, build_runtime
from shared.platform.settings import Settings

NAME = "evaluation"


def assemble(runtime: Runtime, ports: EvaluationPorts) -> FastAPI:
    """Evaluation's app from its ports: the two tables, the routes, start-up and the jobs
    (the outbox relay, and announcing changed inspection reports and overdue
    recommendations every `reminder_interval_s`)."""
    settings = runtime.settings
    every = settings.reminder_interval_s
    authenticate = authenticator(ports.credentials)
    return assemble_service(
        runtime,
        Service(
            name=NAME,
            title="Tidtam evaluation",
            description="Frameworks, the yearly evaluations with their assessors' scores, and "
            "the inspection follow-up register. Every route needs an API key of the roles "
            "officer, assessor or unit.",
            consumes=CONSUMES,
            publishes=PUBLISHES,
            ports=ports,
            audit=ports.audit,
            stores=[
                ports.frameworks,
                ports.inspections,
                ports.evaluations,
                ports.credentials,
                ports.overdue,
                ports.setup,
                ports.progress,
            ],
            routers=[
                credentials_router(ports.credentials, settings.admin_token, ROLES),
                frameworks_router(ports.frameworks, authenticate),
                evaluations_router(ports, authenticate),
                inspections_router(
                    ports.inspections,
                    authenticate,
                    clock=ports.clock,
                    changed=partial(inspections.announce_soon, ports),
                    unit_exists=partial(inspections.unit_exists, ports),
                ),
            ],
            jobs=[
                relay_job(ports.publish, [ports.evaluations.outbox, ports.overdue.outbox]),
                Job("inspection reports", partial(inspections.announce_reports, ports), every),
                Job("overdue recommendations", partial(inspections.announce_overdue, ports), every),
            ],
            before_consume=partial(request_copies, ports),
        ),
    )


def bootstrap(settings: Settings) -> FastAPI:
    """The real adapters (MongoDB, RabbitMQ) assembled."""
    runtime = build_runtime(NAME, settings)
    return assemble(
        runtime,
        EvaluationPorts(
            evaluations=MongoEvaluationStore(runtime.db),
            frameworks=MongoFrameworkStore(runtime.db),
            inspections=MongoInspectionStore(runtime.db),
            overdue=ClaimLog(runtime.db, "overdue_log"),
            setup=SetupReplica(runtime.db),
            progress=ProjectProgressCopy(runtime.db),
            credentials=people_and_keys(runtime.db, settings, NAME),
            audit=MongoAuditTrail(runtime.db),
            publish=runtime.publisher.publish,
        ),
    )
