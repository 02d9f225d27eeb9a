"""Reviewers approve, return or reopen submissions; each step is announced."""

from datetime import timedelta
from typing import Any

from services.intake.domain.review import ReviewRefused, review
from services.intake.handlers.ports import IntakePorts
from services.intake.handlers.submissions import announce
from shared.contracts import Envelope, derived_event_id, make_envelope
from shared.contracts.intake import ReviewAction, SubmissionReviewed

PRODUCER = "intake"


class NotFound(Exception):
    pass


async def review_submission(
    sid: str,
    action: ReviewAction,
    reviewer: str,
    comment: str | None,
    ports: IntakePorts,
    correlation_id: str,
) -> dict[str, Any]:
    """Apply a review action to the latest version; returns the submission as it now is."""
    existing = await ports.store.get(sid)
    if existing is None:
        raise NotFound(sid)
    status = existing["status"]
    after = review(status, action, comment)
    now = ports.clock()
    entry = {
        "action": action,
        "reviewer": reviewer,
        "comment": comment,
        "at": now,
        "version": existing["version_count"],
    }
    event = make_envelope(
        SubmissionReviewed(
            submission_id=sid,
            unit_code=existing["unit_code"],
            round_id=existing["round_id"],
            form_id=existing["form_id"],
            version=existing["version_count"],
            action=action,
            reviewer=reviewer,
            comment=comment,
            reviewed_at=now,
        ),
        producer=PRODUCER,
        correlation_id=correlation_id,
        event_id=derived_event_id("reviewed", sid, str(len(existing["reviews"]))),
    )
    if not await ports.store.add_review(sid, status, after, entry, event.model_dump(mode="json")):
        raise ReviewRefused("changed", "the submission changed meanwhile; look again and retry")
    await announce(sid, event, ports)
    updated = await ports.store.get(sid)
    assert updated is not None
    return updated


async def relay_pending(ports: IntakePorts, older_than: timedelta = timedelta(seconds=5)) -> int:
    """Publish the events a crash left in outboxes (consumers are idempotent)."""
    sent = 0
    for held in await ports.store.with_pending_events(older_than):
        for event in held["outbox"]:
            await announce(held["_id"], Envelope[dict[str, Any]].model_validate(event), ports)
            sent += 1
    return sent
