"""AMQP entrypoint: what intake consumes and publishes, as two tables."""

import hashlib
from datetime import timedelta
from typing import Any

from services.intake.handlers.ports import IntakePorts
from services.intake.handlers.replay import replay
from services.intake.handlers.submissions import receive_submission, refuse_submission
from shared.contracts import Envelope
from shared.contracts.intake import (
    ReplayRequested,
    SubmissionAccepted,
    SubmissionRejected,
    SubmissionReviewed,
    SubmissionSubmitted,
)
from shared.contracts.setup import SetupChanged, SetupResendRequested
from shared.platform.kit import Consumes, Delivery, Publishes, Refusals
from shared.platform.limits import InputRefused
from shared.platform.replica import on_setup_changed

# A message that waited in the queue (intake down) keeps the time it was published, within
# this bound: a publisher cannot backdate a report by more.
TRUSTED_DELAY = timedelta(days=3)


async def on_submission_submitted(envelope: Envelope[dict[str, Any]], ports: IntakePorts) -> None:
    """A progress report from another system; answered with submission.accepted.v1 or
    submission.rejected.v1 (reasons per field). The payload is validated by intake itself,
    so a malformed report is answered, not dead-lettered."""
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


async def on_submission_refused(
    refusal: InputRefused, delivery: Delivery, ports: IntakePorts
) -> None:
    """A submission refused at the input boundary (too large, too deep, an integer or a date
    out of range, not JSON) is answered at once with submission.rejected.v1 and the reason,
    under the message's AMQP correlation id, never retried."""
    digest = hashlib.sha256(delivery.body).hexdigest()
    await refuse_submission(
        refusal,
        correlation_id=delivery.correlation_id or f"refused-{delivery.message_id or digest[:16]}",
        cause=f"refused:{delivery.message_id}:{digest}",
        ports=ports,
    )


async def on_replay_requested(envelope: Envelope[ReplayRequested], ports: IntakePorts) -> None:
    """Republishes every stored submission event so read models can be rebuilt."""
    await replay(ports, envelope.correlation_id)


CONSUMES: Consumes[IntakePorts] = {
    SubmissionSubmitted: on_submission_submitted,
    ReplayRequested: on_replay_requested,
    SetupChanged: on_setup_changed,
}

REFUSALS: Refusals[IntakePorts] = {SubmissionSubmitted: on_submission_refused}

PUBLISHES: Publishes = (
    SubmissionAccepted,
    SubmissionRejected,
    SubmissionReviewed,
    SetupResendRequested,
)
