"""Intake's use cases: take a submission in, store it once, answer accepted or rejected."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import ValidationError

from services.intake.domain.submission import (
    check_values,
    fingerprint,
    reasons_from_validation,
    submission_id,
)
from shared.contracts import Envelope, derived_event_id, make_envelope
from shared.contracts.intake import (
    Channel,
    Reason,
    SubmissionAccepted,
    SubmissionRejected,
    SubmissionSubmitted,
)

PRODUCER = "intake"


class SubmissionStore(Protocol):
    """Stores a submission with the answer that was given to it."""

    async def add(self, document: dict[str, Any]) -> bool:
        """Insert; False if a submission with this id is already stored."""

    async def get(self, submission_id: str) -> dict[str, Any] | None: ...


class Publish(Protocol):
    async def __call__(self, envelope: Envelope[Any], /) -> None: ...


@dataclass
class IntakePorts:
    store: SubmissionStore
    publish: Publish


async def receive_submission(
    incoming: Envelope[dict[str, Any]], channel: Channel, ports: IntakePorts
) -> Envelope[Any]:
    """Validate and store a submission, then publish (and return) the answer.

    A repeat of a stored submission republishes the stored answer with the same event id;
    the same key with other content is answered as a conflict and changes nothing.
    """
    now = datetime.now(UTC)
    try:
        submitted = SubmissionSubmitted.model_validate(incoming.data)
    except ValidationError as error:
        answer = _rejected(incoming, channel, now, reasons_from_validation(error))
        await ports.publish(answer)
        return answer
    if reasons := check_values(submitted.values):
        answer = _rejected(incoming, channel, now, reasons)
        await ports.publish(answer)
        return answer

    sid = submission_id(
        submitted.unit_code, submitted.round_id, submitted.form_id, submitted.submission_key
    )
    accepted = make_envelope(
        SubmissionAccepted(
            submission_id=sid,
            submission_key=submitted.submission_key,
            unit_code=submitted.unit_code,
            round_id=submitted.round_id,
            form_id=submitted.form_id,
            form_version=submitted.form_version,
            submitted_at=submitted.submitted_at,
            accepted_at=now,
            channel=channel,
        ),
        producer=PRODUCER,
        correlation_id=incoming.correlation_id,
        event_id=derived_event_id("accepted", sid),
    )
    content = fingerprint(submitted)
    document = {
        "_id": sid,
        **submitted.model_dump(mode="python"),
        "fingerprint": content,
        "channel": channel,
        "status": "accepted",
        "received_at": now,
        "answer": accepted.model_dump(mode="json"),
    }
    if await ports.store.add(document):
        await ports.publish(accepted)
        return accepted

    stored = await ports.store.get(sid)
    assert stored is not None, "a duplicate id was reported for a missing submission"
    if stored["fingerprint"] == content:
        earlier: Envelope[Any] = Envelope[SubmissionAccepted].model_validate(stored["answer"])
        await ports.publish(earlier)  # the publisher may have missed our first answer
        return earlier
    conflict = Reason(
        field="submission_key",
        code="conflict",
        message="this submission key was already used with other content; the original stands",
    )
    answer = _rejected(incoming, channel, now, [conflict], salt=content)
    await ports.publish(answer)
    return answer


def _rejected(
    incoming: Envelope[dict[str, Any]],
    channel: Channel,
    now: datetime,
    reasons: list[Reason],
    salt: str = "",
) -> Envelope[Any]:
    data = incoming.data if isinstance(incoming.data, dict) else {}

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    return make_envelope(
        SubmissionRejected(
            submission_key=text("submission_key"),
            unit_code=text("unit_code"),
            round_id=text("round_id"),
            form_id=text("form_id"),
            rejected_at=now,
            channel=channel,
            reasons=reasons,
        ),
        producer=PRODUCER,
        correlation_id=incoming.correlation_id,
        event_id=derived_event_id("rejected", str(incoming.event_id), salt),
    )
