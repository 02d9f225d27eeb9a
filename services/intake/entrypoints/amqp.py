"""AMQP entrypoint: `submission.submitted.v1` from other systems."""

from datetime import timedelta
from typing import Any

from services.intake.handlers.ports import IntakePorts
from services.intake.handlers.replay import replay
from services.intake.handlers.submissions import receive_submission
from shared.contracts import Envelope
from shared.contracts.intake import ReplayRequested, SubmissionSubmitted
from shared.platform.service import Runtime

# A message that waited in the queue (intake down) keeps the time it was published, within
# this bound: a publisher cannot backdate a report by more.
TRUSTED_DELAY = timedelta(days=3)


def subscribe(runtime: Runtime, ports: IntakePorts) -> None:
    """Register intake's consumers on the runtime's broker."""
    topology = runtime.topology
    consumer = topology.consumer("intake", SubmissionSubmitted.ROUTING_KEY)

    @runtime.broker.subscriber(
        topology.rabbit_queue(consumer),
        topology.rabbit_exchange(),
        title="on_submission_submitted",
        description="A progress report from another system; answered with "
        "submission.accepted.v1 or submission.rejected.v1 (reasons per field).",
    )
    async def on_submission_submitted(envelope: Envelope[dict[str, Any]]) -> None:
        now = ports.clock()
        moment = min(now, max(envelope.occurred_at, now - TRUSTED_DELAY))
        await receive_submission(
            envelope.data,
            channel="amqp",
            correlation_id=envelope.correlation_id,
            cause=str(envelope.event_id),
            ports=ports,
            moment=moment,
        )

    replays = topology.consumer("intake", ReplayRequested.ROUTING_KEY)

    @runtime.broker.subscriber(
        topology.rabbit_queue(replays),
        topology.rabbit_exchange(),
        title="on_replay_requested",
        description="Republishes every stored submission event so read models can be rebuilt.",
    )
    async def on_replay_requested(envelope: Envelope[ReplayRequested]) -> None:
        await replay(ports, envelope.correlation_id)
