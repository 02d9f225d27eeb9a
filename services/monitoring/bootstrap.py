"""Monitoring assembled: `assemble(runtime, ports)` wires the ports to the kit; `bootstrap`
builds the real adapters from settings and assembles them."""

from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from pymongo.asynchronous.database import AsyncDatabase

from services.monitoring.adapters.lease import MongoLease, new_holder_id
from services.monitoring.adapters.mongo import MongoProgressStore
from services.monitoring.adapters.planning_store import MongoPlanningStore
from services.monitoring.adapters.read_models import MongoReadModels
from services.monitoring.adapters.setup_store import MongoSetupStore
from services.monitoring.credentials import ROLES
from services.monitoring.domain.reminders import ReminderPolicy
from services.monitoring.entrypoints.access import access
from services.monitoring.entrypoints.amqp import CONSUMES, PUBLISHES
from services.monitoring.entrypoints.http_dashboard import dashboard_router
from services.monitoring.entrypoints.http_forms import forms_router
from services.monitoring.entrypoints.http_imports import imports_router
from services.monitoring.entrypoints.http_planning import planning_router
from services.monitoring.entrypoints.http_setup import setup_router
from services.monitoring.handlers.ports import MonitoringPorts
from services.monitoring.handlers.refresh import refresh_due_projects
from services.monitoring.handlers.reminders import remind
from shared.platform.audit import MongoAuditTrail
from shared.platform.claims import ClaimLog
from shared.platform.credentials import authenticator, credentials_router, people_and_keys
from shared.platform.kit import Job, Service, assemble_service, relay_job
from shared.platform.outbox import Publish
from shared.platform.service import Runtime, build_runtime
from shared.platform.settings import Settings

NAME = "monitoring"
# How often projects touched by submissions are recomputed, each once (measured: bench.round).
PROJECTS_EVERY_S = 0.5


def assemble(runtime: Runtime, ports: MonitoringPorts) -> FastAPI:
    """Monitoring's app from its ports: the two tables, the routes, the relay, reminders."""
    assert ports.credentials is not None, "monitoring's routes need credentials"
    return assemble_service(
        runtime,
        Service(
            name=NAME,
            title="Tidtam monitoring",
            description="Set-up and progress: who has reported, who is late, what lags.",
            consumes=CONSUMES,
            publishes=PUBLISHES,
            ports=ports,
            stores=[
                ports.progress,
                ports.setup,
                ports.planning,
                ports.read,
                ports.reminder_log,
                ports.credentials,
            ],
            guards=[access(authenticator(ports.credentials))],
            audit=ports.audit,
            routers=[
                setup_router(ports),
                forms_router(ports),
                planning_router(ports),
                imports_router(ports),
                dashboard_router(ports),
            ],
            extra_routers=[
                credentials_router(ports.credentials, runtime.settings.admin_token, ROLES)
            ],
            jobs=[
                relay_job(ports.publish, [ports.setup.outbox, ports.reminder_log.outbox]),
                Job("reminders", lambda: remind(ports), runtime.settings.reminder_interval_s),
                Job("project progress", lambda: refresh_due_projects(ports), PROJECTS_EVERY_S),
            ],
        ),
    )


def mongo_ports(
    db: AsyncDatabase[dict[str, Any]], publish: Publish, settings: Settings
) -> MonitoringPorts:
    """Monitoring's ports on its MongoDB (the service and the replay command use them)."""
    interval = settings.reminder_interval_s
    return MonitoringPorts(
        setup=MongoSetupStore(db),
        read=MongoReadModels(db),
        progress=MongoProgressStore(db),
        planning=MongoPlanningStore(db),
        reminder_log=ClaimLog(db, "reminder_log"),
        # Outlives a few passes, so a leader that is alive keeps it.
        lease=MongoLease(
            db, "reminders", new_holder_id(), timedelta(seconds=max(30, 3 * interval))
        ),
        publish=publish,
        credentials=people_and_keys(db, settings, "monitoring"),
        audit=MongoAuditTrail(db),
        policy=ReminderPolicy(
            cadence_days=settings.reminder_cadence_days,
            escalate_after_days=settings.escalate_after_days,
        ),
    )


def bootstrap(settings: Settings) -> FastAPI:
    """The real adapters (MongoDB, RabbitMQ) assembled."""
    runtime = build_runtime(NAME, settings)
    return assemble(runtime, mongo_ports(runtime.db, runtime.publisher.publish, settings))
