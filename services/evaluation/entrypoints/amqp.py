"""AMQP entrypoint: monitoring's project progress, and requests to announce state again."""

from collections.abc import Awaitable, Callable

from services.evaluation.handlers.progress import ProgressPorts, keep_project_progress
from shared.contracts import CopiesResendRequested, Envelope
from shared.contracts.monitoring import ProjectProgressUpdated
from shared.platform.service import Runtime


def subscribe(
    runtime: Runtime, ports: ProgressPorts, resend: Callable[[], Awaitable[None]]
) -> None:
    """Register evaluation's consumers on the runtime's broker."""
    topology = runtime.topology
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
