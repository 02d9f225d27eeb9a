"""AMQP entrypoint: intake's answers, and requests to resend the set-up."""

from services.monitoring.handlers import setup as setup_handlers
from services.monitoring.handlers.progress import (
    MonitoringPorts,
    record_accepted,
    record_rejected,
    record_review,
)
from services.monitoring.handlers.refresh import resend_copies
from services.monitoring.handlers.setup import SetupPorts
from shared.contracts import CopiesResendRequested, Envelope
from shared.contracts.intake import SubmissionAccepted, SubmissionRejected, SubmissionReviewed
from shared.contracts.setup import SetupResendRequested
from shared.platform.service import Runtime


def subscribe(runtime: Runtime, ports: MonitoringPorts, setup: SetupPorts) -> None:
    """Register monitoring's consumers on the runtime's broker."""
    topology, broker = runtime.topology, runtime.broker
    accepted = topology.consumer("monitoring", SubmissionAccepted.ROUTING_KEY)
    rejected = topology.consumer("monitoring", SubmissionRejected.ROUTING_KEY)
    resend = topology.consumer("monitoring", SetupResendRequested.ROUTING_KEY)
    reviewed = topology.consumer("monitoring", SubmissionReviewed.ROUTING_KEY)

    @broker.subscriber(
        topology.rabbit_queue(reviewed),
        topology.rabbit_exchange(),
        title="on_submission_reviewed",
        description="Notes a submission's approval, return or reopening.",
    )
    async def on_submission_reviewed(envelope: Envelope[SubmissionReviewed]) -> None:
        await record_review(envelope, ports)

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

    @broker.subscriber(
        topology.rabbit_queue(resend),
        topology.rabbit_exchange(),
        title="on_setup_resend_requested",
        description="Republishes the set-up changed after the revision a copy holds.",
    )
    async def on_setup_resend_requested(envelope: Envelope[SetupResendRequested]) -> None:
        await setup_handlers.resend(envelope.data.after_revision, setup, envelope.correlation_id)

    copies = topology.consumer("monitoring", CopiesResendRequested.ROUTING_KEY)

    @broker.subscriber(
        topology.rabbit_queue(copies),
        topology.rabbit_exchange(),
        title="on_copies_resend_requested",
        description="Announces every round's rates and project progress again.",
    )
    async def on_copies_resend_requested(envelope: Envelope[CopiesResendRequested]) -> None:
        if ports.refresh is not None:
            await resend_copies(ports.refresh)
