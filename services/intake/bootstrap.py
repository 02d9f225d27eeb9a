"""Builds intake's adapters from settings and wires them to its entrypoints."""

from fastapi import FastAPI

from services.intake.adapters.mongo import MongoSubmissionStore
from services.intake.entrypoints import amqp
from services.intake.handlers import IntakePorts
from shared.replica import SetupReplica, keep_setup_copy, request_setup
from shared.service import build_runtime, create_app
from shared.settings import Settings

NAME = "intake"


def bootstrap(settings: Settings) -> FastAPI:
    runtime = build_runtime(NAME, settings)
    store = MongoSubmissionStore(runtime.db)
    setup = SetupReplica(runtime.db)
    amqp.subscribe(runtime, IntakePorts(store=store, publish=runtime.publisher.publish))
    keep_setup_copy(runtime, setup)
    return create_app(
        runtime,
        stores=[store, setup],
        after_start=lambda rt: request_setup(rt, setup),
        title="Tidtam intake",
        description="Takes progress reports in, validates, stores, answers.",
    )
