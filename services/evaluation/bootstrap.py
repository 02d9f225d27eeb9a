"""Builds evaluation's adapters from settings and wires them to its entrypoints."""

from fastapi import FastAPI

from services.evaluation.adapters.mongo import MongoScoreStore
from services.evaluation.entrypoints import amqp
from services.evaluation.handlers import EvaluationPorts
from shared.service import Runtime, build_runtime, create_app
from shared.settings import Settings

NAME = "evaluation"


def bootstrap(settings: Settings) -> FastAPI:
    runtime = build_runtime(NAME, settings)
    scores = MongoScoreStore(runtime.db)
    amqp.subscribe(runtime, EvaluationPorts(scores=scores, publish=runtime.publisher.publish))

    async def prepare(_: Runtime) -> None:
        await scores.create_indexes()

    return create_app(
        runtime,
        prepare,
        title="Tidtam evaluation",
        description="Frameworks, assessors' scores, inspection follow-up.",
    )
