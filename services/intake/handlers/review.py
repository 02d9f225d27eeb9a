"""Reviewers approve, return or reopen submissions; each step is announced."""

from typing import Any

from services.intake.domain.review import refused, review
from services.intake.handlers.ports import IntakePorts
from shared.contracts import derived_event_id, make_envelope
from shared.contracts.intake import ReviewAction, SubmissionReviewed
from shared.contracts.refusals import Refusal
from shared.platform.outbox import announce

PRODUCER = "intake"


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
        raise Refusal.of(
            "submission_id", "not_found", f"no submission {sid!r}", "not_found", location="path"
        )
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
    if not await ports.store.add_review(sid, status, after, entry, event):
        raise refused("changed", "the submission changed meanwhile; look again and retry")
    await announce(ports.publish, ports.store.outbox, sid, event)
    updated = await ports.store.history(sid)
    assert updated is not None
    return updated
