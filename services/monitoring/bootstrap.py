"""Builds monitoring's adapters from settings and wires them to its entrypoints."""

from datetime import timedelta

from fastapi import FastAPI

from services.monitoring.adapters.lease import MongoLease, new_holder_id
from services.monitoring.adapters.mongo import MongoProgressStore
from services.monitoring.adapters.planning_store import MongoPlanningStore
from services.monitoring.adapters.read_models import MongoReadModels
from services.monitoring.adapters.setup_store import MongoSetupStore
from services.monitoring.domain.reminders import ReminderPolicy
from services.monitoring.entrypoints import amqp
from services.monitoring.entrypoints.http_dashboard import dashboard_router
from services.monitoring.entrypoints.http_forms import forms_router
from services.monitoring.entrypoints.http_imports import imports_router
from services.monitoring.entrypoints.http_planning import planning_router
from services.monitoring.entrypoints.http_setup import setup_router
from services.monitoring.handlers.planning import PlanningPorts
from services.monitoring.handlers.progress import MonitoringPorts
from services.monitoring.handlers.refresh import RefreshPorts, refresh_round
from services.monitoring.handlers.reminders import ReminderPorts, run_reminders
from services.monitoring.handlers.setup import SetupPorts, run_relay
from shared.platform.claims import ClaimLog
from shared.platform.service import build_runtime, create_app
from shared.platform.settings import Settings

NAME = "monitoring"


def bootstrap(settings: Settings) -> FastAPI:
    runtime = build_runtime(NAME, settings)
    publish = runtime.publisher.publish
    progress = MongoProgressStore(runtime.db)
    setup_store = MongoSetupStore(runtime.db)
    read = MongoReadModels(runtime.db)
    setup = SetupPorts(store=setup_store, publish=publish)
    refresh = RefreshPorts(setup=setup_store, read=read, publish=publish)
    setup.round_changed = lambda round_id: refresh_round(round_id, refresh)
    planning_store = MongoPlanningStore(runtime.db)
    monitoring = MonitoringPorts(
        progress=progress, publish=publish, submissions=read, refresh=refresh
    )
    amqp.subscribe(runtime, monitoring, setup)
    interval = settings.reminder_interval_s
    reminder_log = ClaimLog(runtime.db, "reminder_log")
    reminders = ReminderPorts(
        setup=setup_store,
        submissions=read,
        lease=MongoLease(
            runtime.db, "reminders", new_holder_id(), timedelta(seconds=max(30, 3 * interval))
        ),
        log=reminder_log,
        publish=publish,
        policy=ReminderPolicy(
            cadence_days=settings.reminder_cadence_days,
            escalate_after_days=settings.escalate_after_days,
        ),
    )

    app = create_app(
        runtime,
        stores=[progress, setup_store, planning_store, read, reminder_log],
        title="Tidtam monitoring",
        description="Set-up and progress: who has reported, who is late, what lags.",
        background=[lambda: run_relay(setup), lambda: run_reminders(reminders, interval)],
    )
    app.include_router(setup_router(setup))
    app.include_router(forms_router(setup))
    planning = PlanningPorts(setup=setup, planning=planning_store, refresh=refresh)
    app.include_router(planning_router(planning))
    app.include_router(imports_router(planning))
    app.include_router(dashboard_router(read, setup_store, refresh))
    return app
