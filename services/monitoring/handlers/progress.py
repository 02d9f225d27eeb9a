"""Monitoring's use cases: count answered submissions per (round, unit), announce progress."""

from datetime import UTC, datetime
from typing import Any

from services.monitoring.domain.progress import Tally
from services.monitoring.handlers.ports import MonitoringPorts
from services.monitoring.handlers.refresh import all_of, refresh
from shared.contracts import Envelope, derived_event_id, make_envelope
from shared.contracts.intake import SubmissionAccepted, SubmissionRejected, SubmissionReviewed
from shared.contracts.monitoring import RoundProgressUpdated

PRODUCER = "monitoring"
UNKNOWN = "(unknown)"


async def record_accepted(
    event: Envelope[SubmissionAccepted], ports: MonitoringPorts
) -> Envelope[Any]:
    """Count an accepted submission once for its (round, unit)."""
    data = event.data
    tally = Tally(
        data.round_id,
        data.unit_code,
        f"accepted:{data.submission_id}",
        received=1,
        late=int(data.late),
    )
    await ports.read.record_version(data)
    announced: list[Envelope[Any]] = []

    async def count() -> None:
        announced.append(await _count_and_announce(tally, event, ports))

    # The count and the rates read different rows: both at once.
    await all_of(
        count(),
        refresh(
            data.round_id,
            data.form_id,
            [data.unit_code],
            ports,
            event.correlation_id,
            submission_ids={data.unit_code: data.submission_id},
        ),
    )
    return announced[0]


async def record_review(event: Envelope[SubmissionReviewed], ports: MonitoringPorts) -> None:
    """Note that a reviewer approved, returned or reopened a submission; rates follow."""
    data = event.data
    if not await ports.read.record_review(data):
        return  # its acceptance is yet to come; it carries the status when it does
    await refresh(
        data.round_id,
        data.form_id,
        [data.unit_code],
        ports,
        event.correlation_id,
        projects=False,
        submission_ids={data.unit_code: data.submission_id},
    )


async def record_rejected(
    event: Envelope[SubmissionRejected], ports: MonitoringPorts
) -> Envelope[Any] | None:
    """Count a rejected attempt, when it names its round and unit."""
    data = event.data
    if data.round_id is None or data.unit_code is None:
        return None  # nothing to attribute it to; intake keeps the answer
    tally = Tally(data.round_id, data.unit_code, f"rejected:{event.event_id}", rejected=1)
    return await _count_and_announce(tally, event, ports)


async def _count_and_announce(
    tally: Tally, cause: Envelope[Any], ports: MonitoringPorts
) -> Envelope[Any]:
    row = await ports.progress.count(tally)
    # Republished with the same id on redelivery, carrying the counts as they stand now.
    update = make_envelope(
        RoundProgressUpdated(
            round_id=tally.round_id,
            unit_code=tally.unit_code,
            received=row.get("received", 0),
            rejected=row.get("rejected", 0),
            late=row.get("late", 0),
            updated_at=datetime.now(UTC),
        ),
        producer=PRODUCER,
        correlation_id=cause.correlation_id,
        event_id=derived_event_id("progress", str(cause.event_id)),
    )
    await ports.publish(update)
    return update
