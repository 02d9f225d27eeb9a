"""Builds monitoring's adapters from settings and wires them to its entrypoints."""

from fastapi import FastAPI

from services.monitoring.adapters.mongo import MongoProgressStore
from services.monitoring.entrypoints import amqp
from services.monitoring.handlers import MonitoringPorts
from shared.service import Runtime, build_runtime, create_app
from shared.settings import Settings

NAME = "monitoring"


def bootstrap(settings: Settings) -> FastAPI:
    runtime = build_runtime(NAME, settings)
    progress = MongoProgressStore(runtime.db)
    amqp.subscribe(runtime, MonitoringPorts(progress=progress, publish=runtime.publisher.publish))

    async def prepare(_: Runtime) -> None:
        await progress.create_indexes()

    return create_app(
        runtime,
        prepare,
        title="Tidtam monitoring",
        description="Set-up and progress: who has reported, who is late, what lags.",
    )
