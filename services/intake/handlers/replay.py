"""Republish every stored submission event, so monitoring can rebuild its read models.

The events are the ones first published (same event ids), oldest first within each
submission; consumers are idempotent, so a replay changes nothing a consumer already has.
"""

from datetime import datetime
from typing import Any

from services.intake.handlers.ports import IntakePorts
from shared.contracts import Envelope, derived_event_id, make_envelope
from shared.contracts.intake import SubmissionAccepted, SubmissionReviewed

PRODUCER = "intake"


async def replay(ports: IntakePorts, correlation_id: str) -> int:
    """Publish each version's answer and each review again; returns how many."""
    sent = 0
    async for held in ports.store.every():
        for _, envelope in sorted(_events(held, correlation_id), key=lambda pair: pair[0]):
            await ports.publish(envelope)
            sent += 1
    return sent


def _events(held: dict[str, Any], correlation_id: str) -> list[tuple[datetime, Envelope[Any]]]:
    events: list[tuple[datetime, Envelope[Any]]] = []
    for version in held["versions"]:
        answer = Envelope[SubmissionAccepted].model_validate(version["answer"])
        events.append((answer.data.accepted_at, answer))
    for index, review in enumerate(held["reviews"]):
        reviewed = SubmissionReviewed(
            submission_id=held["_id"],
            unit_code=held["unit_code"],
            round_id=held["round_id"],
            form_id=held["form_id"],
            version=review["version"],
            action=review["action"],
            reviewer=review["reviewer"],
            comment=review["comment"],
            reviewed_at=review["at"],
        )
        event_id = derived_event_id("reviewed", held["_id"], str(index))
        envelope = make_envelope(
            reviewed, producer=PRODUCER, correlation_id=correlation_id, event_id=event_id
        )
        events.append((review["at"], envelope))
    return events
