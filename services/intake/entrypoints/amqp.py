"""AMQP entrypoint: `submission.submitted.v1` from other systems."""

from typing import Any

from services.intake.handlers import IntakePorts, receive_submission
from shared.contracts import Envelope
from shared.contracts.intake import SubmissionSubmitted
from shared.service import Runtime


def subscribe(runtime: Runtime, ports: IntakePorts) -> None:
    """Register intake's consumers on the runtime's broker."""
    topology = runtime.topology
    consumer = topology.consumer("intake", SubmissionSubmitted.ROUTING_KEY)

    @runtime.broker.subscriber(
        topology.rabbit_queue(consumer),
        topology.rabbit_exchange(),
        title="on_submission_submitted",
        description="A progress report from another system; answered accepted or rejected.",
    )
    async def on_submission_submitted(envelope: Envelope[dict[str, Any]]) -> None:
        await receive_submission(envelope, "amqp", ports)
