"""AMQP entrypoint: intake's answers."""

from services.monitoring.handlers import MonitoringPorts, record_accepted, record_rejected
from shared.contracts import Envelope
from shared.contracts.intake import SubmissionAccepted, SubmissionRejected
from shared.service import Runtime


def subscribe(runtime: Runtime, ports: MonitoringPorts) -> None:
    """Register monitoring's consumers on the runtime's broker."""
    topology, broker = runtime.topology, runtime.broker
    accepted = topology.consumer("monitoring", SubmissionAccepted.ROUTING_KEY)
    rejected = topology.consumer("monitoring", SubmissionRejected.ROUTING_KEY)

    @broker.subscriber(
        topology.rabbit_queue(accepted),
        topology.rabbit_exchange(),
        title="on_submission_accepted",
        description="Counts an accepted submission into its round's progress.",
    )
    async def on_submission_accepted(envelope: Envelope[SubmissionAccepted]) -> None:
        await record_accepted(envelope, ports)

    @broker.subscriber(
        topology.rabbit_queue(rejected),
        topology.rabbit_exchange(),
        title="on_submission_rejected",
        description="Counts a rejected attempt into its round's progress.",
    )
    async def on_submission_rejected(envelope: Envelope[SubmissionRejected]) -> None:
        await record_rejected(envelope, ports)
