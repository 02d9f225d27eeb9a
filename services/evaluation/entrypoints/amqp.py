"""AMQP entrypoint: monitoring's progress events, and requests to announce state again."""

from collections.abc import Awaitable, Callable

from services.evaluation.handlers.scores import (
    EvaluationPorts,
    keep_project_progress,
    score_progress,
)
from shared.contracts import CopiesResendRequested, Envelope
from shared.contracts.monitoring import ProjectProgressUpdated, RoundProgressUpdated
from shared.service import Runtime


def subscribe(
    runtime: Runtime, ports: EvaluationPorts, resend: Callable[[], Awaitable[None]]
) -> None:
    """Register evaluation's consumers on the runtime's broker."""
    topology = runtime.topology
    consumer = topology.consumer("evaluation", RoundProgressUpdated.ROUTING_KEY)

    @runtime.broker.subscriber(
        topology.rabbit_queue(consumer),
        topology.rabbit_exchange(),
        title="on_progress_updated",
        description="Rescores a unit's round when its progress changes.",
    )
    async def on_progress_updated(envelope: Envelope[RoundProgressUpdated]) -> None:
        await score_progress(envelope, ports)

    projects = topology.consumer("evaluation", ProjectProgressUpdated.ROUTING_KEY)

    @runtime.broker.subscriber(
        topology.rabbit_queue(projects),
        topology.rabbit_exchange(),
        title="on_project_progress_updated",
        description="Keeps indicator achievements to propose levels for linked criteria.",
    )
    async def on_project_progress_updated(envelope: Envelope[ProjectProgressUpdated]) -> None:
        await keep_project_progress(envelope, ports)

    copies = topology.consumer("evaluation", CopiesResendRequested.ROUTING_KEY)

    @runtime.broker.subscriber(
        topology.rabbit_queue(copies),
        topology.rabbit_exchange(),
        title="on_copies_resend_requested",
        description="Announces every finalised evaluation and inspection report again.",
    )
    async def on_copies_resend_requested(envelope: Envelope[CopiesResendRequested]) -> None:
        if envelope.data.requested_by != runtime.name:  # its own request is for monitoring
            await resend()
