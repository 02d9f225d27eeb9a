"""Builds intake's adapters from settings and wires them to its entrypoints."""

from fastapi import FastAPI

from services.intake.adapters.mongo import MongoSubmissionStore
from services.intake.entrypoints import amqp
from services.intake.handlers import IntakePorts
from shared.service import Runtime, build_runtime, create_app
from shared.settings import Settings

NAME = "intake"


def bootstrap(settings: Settings) -> FastAPI:
    runtime = build_runtime(NAME, settings)
    store = MongoSubmissionStore(runtime.db)
    amqp.subscribe(runtime, IntakePorts(store=store, publish=runtime.publisher.publish))

    async def prepare(_: Runtime) -> None:
        await store.create_indexes()

    return create_app(
        runtime,
        prepare,
        title="Tidtam intake",
        description="Takes progress reports in, validates, stores, answers.",
    )
