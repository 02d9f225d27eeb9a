"""Intake assembled: `assemble(runtime, ports)` wires the ports to the kit; `bootstrap`
builds the real adapters from settings and assembles them."""

from fastapi import FastAPI

from services.intake.adapters.evidence_store import MongoEvidenceStore
from services.intake.adapters.mongo import MongoSubmissionStore
from services.intake.entrypoints.amqp import CONSUMES, PUBLISHES, REFUSALS
from services.intake.entrypoints.http import authenticator, bulk_router, http_router
from services.intake.entrypoints.http_evidence import evidence_router
from services.intake.handlers.ports import IntakePorts
from shared.platform.audit import MongoAuditTrail
from shared.platform.credentials import people_and_keys
from shared.platform.kit import Service, assemble_service, relay_job
from shared.platform.replica import SetupReplica, request_setup
from shared.platform.service import Runtime, build_runtime
from shared.platform.settings import Settings

NAME = "intake"
# The set-up kinds a submission's checks read by a key of its own (its unit's assignment,
# its projects and their indicators): held whole, read in one query, not one per unit.
WHOLE = ("assignment", "project", "indicator")


def assemble(runtime: Runtime, ports: IntakePorts) -> FastAPI:
    """Intake's app from its ports: the two tables, the routes, start-up and the relay."""
    settings = runtime.settings
    assert ports.credentials is not None and ports.evidence is not None, "intake needs both"
    return assemble_service(
        runtime,
        Service(
            name=NAME,
            title="Tidtam intake",
            description="Takes progress reports in, validates, stores, answers.",
            consumes=CONSUMES,
            publishes=PUBLISHES,
            refusals=REFUSALS,
            ports=ports,
            audit=ports.audit,
            stores=[ports.store, ports.setup, ports.credentials, ports.evidence],
            routers=[
                http_router(ports, ports.credentials, settings.admin_token),
                bulk_router(ports, ports.credentials),
                evidence_router(
                    ports.evidence, authenticator(ports.credentials), settings.max_evidence_bytes
                ),
            ],
            jobs=[relay_job(ports.publish, ports.store.outboxes)],
            before_consume=lambda: request_setup(NAME, ports.setup, ports.publish),
        ),
    )


def bootstrap(settings: Settings) -> FastAPI:
    """The real adapters (MongoDB, RabbitMQ) assembled."""
    runtime = build_runtime(NAME, settings)
    return assemble(
        runtime,
        IntakePorts(
            store=MongoSubmissionStore(runtime.db),
            setup=SetupReplica(runtime.db, whole=WHOLE),
            publish=runtime.publisher.publish,
            evidence=MongoEvidenceStore(runtime.db),
            credentials=people_and_keys(runtime.db, settings, NAME),
            audit=MongoAuditTrail(runtime.db),
        ),
    )
