"""Remind units that have not reported, once per slot; escalate to the director after N days.

Every monitoring process runs the loop; a lease in MongoDB lets one of them act at a time,
and each reminder is claimed under its key before it is published, so even two leaders at
the edge of a lease send nothing twice. A claim whose publish a crash interrupted is
published by the next pass.
"""

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from services.monitoring.domain.reminders import (
    ReminderPolicy,
    due_escalations,
    due_reminders,
    thai_today,
)
from services.monitoring.handlers.setup import Publish, SetupStore
from shared.contracts import derived_event_id, make_envelope
from shared.contracts.base import Contract
from shared.contracts.monitoring import EscalationDue, ReminderDue
from shared.contracts.setup import Assignment, Round
from shared.platform.claims import AnnouncementLog

PRODUCER = "monitoring"


class Lease(Protocol):
    async def acquire(self, now: datetime | None = None) -> bool: ...


class Received(Protocol):
    async def received(self, round_ids: Any) -> set[tuple[str, str, str]]: ...


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ReminderPorts:
    setup: SetupStore
    submissions: Received
    lease: Lease
    log: AnnouncementLog
    publish: Publish
    policy: ReminderPolicy = field(default_factory=ReminderPolicy)
    clock: Any = _now


async def remind(ports: ReminderPorts) -> int:
    """One pass: if this process holds the lease, send what is due; returns how many sent."""
    now = ports.clock()
    if not await ports.lease.acquire(now):
        return 0
    sent = await _relay(ports, now)
    today = thai_today(now)
    rounds = [
        r for r in await ports.setup.search("round") if isinstance(r, Round) and r.due_on <= today
    ]
    if not rounds:
        return sent
    ids = [r.round_id for r in rounds]
    assignments = [
        a
        for a in await ports.setup.search("assignment", {"round_id": {"$in": ids}})
        if isinstance(a, Assignment)
    ]
    received = await ports.submissions.received(ids)
    events: list[tuple[str, Contract]] = [
        (
            r.key,
            ReminderDue(
                round_id=r.round_id,
                form_id=r.form_id,
                unit_code=r.unit_code,
                due_on=r.due_on,
                days_overdue=r.days_overdue,
                slot=r.slot,
            ),
        )
        for r in due_reminders(rounds, assignments, received, today, ports.policy)
    ]
    events += [
        (
            e.key,
            EscalationDue(
                round_id=e.round_id,
                form_id=e.form_id,
                units=e.units,
                days_overdue=e.days_overdue,
                slot=e.slot,
            ),
        )
        for e in due_escalations(rounds, assignments, received, today, ports.policy)
    ]
    for key, event in events:
        if await ports.log.claim(
            key, {"type": event.ROUTING_KEY, "data": event.model_dump(mode="json")}, now
        ):
            await _publish(key, event, ports, now)
            sent += 1
    return sent


async def _publish(key: str, event: Contract, ports: ReminderPorts, now: datetime) -> None:
    envelope = make_envelope(
        event,
        producer=PRODUCER,
        correlation_id=f"reminder-{key}",
        event_id=derived_event_id("reminder", key),
    )
    await ports.publish(envelope)
    await ports.log.mark_published(key, now)


async def _relay(ports: ReminderPorts, now: datetime) -> int:
    """Publish claims a crash left unpublished (the event id is the same: harmless twice)."""
    kinds: dict[str, type[Contract]] = {c.ROUTING_KEY: c for c in (ReminderDue, EscalationDue)}
    pending = await ports.log.unpublished(timedelta(seconds=30), now)
    for held in pending:
        payload = held["payload"]
        await _publish(
            held["_id"], kinds[payload["type"]].model_validate(payload["data"]), ports, now
        )
    return len(pending)


async def run_reminders(ports: ReminderPorts, every_seconds: float) -> None:
    """Forever: a pass every `every_seconds` (a background loop of the service)."""
    while True:
        await remind(ports)
        await asyncio.sleep(every_seconds)
