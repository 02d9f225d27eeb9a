"""Remind units that have not reported, once per slot; escalate to the director after N days.

Every monitoring process runs the reminders job; a lease in MongoDB lets one of them act at
a time, and each reminder is claimed under its key, with its event in the claim's outbox,
before it is announced, so even two leaders at the edge of a lease send nothing twice. A
claim whose announcement a crash interrupted is published by the outbox relay.
"""

from services.monitoring.domain.reminders import due_escalations, due_reminders, reminders_now
from services.monitoring.handlers.ports import MonitoringPorts
from shared.contracts import derived_event_id, make_envelope
from shared.contracts.base import Contract
from shared.contracts.monitoring import EscalationDue, ReminderDue
from shared.contracts.refusals import Refusal
from shared.contracts.setup import Assignment, Round
from shared.platform.outbox import announce
from shared.thai.calendar import thai_today

PRODUCER = "monitoring"


async def remind(ports: MonitoringPorts) -> int:
    """One pass: if this process holds the lease, send what is due; returns how many sent."""
    now = ports.clock()
    if not await ports.lease.acquire(now):
        return 0
    today = thai_today(now)
    rounds = [
        r for r in await ports.setup.search("round") if isinstance(r, Round) and r.due_on <= today
    ]
    if not rounds:
        return 0
    ids = [r.round_id for r in rounds]
    assignments = [
        a
        for a in await ports.setup.search("assignment", {"round_id": {"$in": ids}})
        if isinstance(a, Assignment)
    ]
    received = await ports.read.received(ids)
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
    sent = 0
    for key, event in events:
        envelope = make_envelope(
            event,
            producer=PRODUCER,
            correlation_id=f"reminder-{key}",
            event_id=derived_event_id("reminder", key),
        )
        if await ports.reminder_log.claim(key, envelope, now):
            await announce(ports.publish, ports.reminder_log.outbox, key, envelope)
            sent += 1
    return sent


async def remind_now(
    round_id: str, unit_codes: list[str] | None, by: str, ports: MonitoringPorts
) -> dict[str, int]:
    """An officer's "remind now": each unit not yet reported (of `unit_codes`, if given) is
    reminded once per day, claimed in the same log as the scheduled reminders."""
    round_ = await ports.setup.get("round", round_id)
    if not isinstance(round_, Round):
        raise Refusal.of(
            "round_id", "not_found", f"no round {round_id!r}", "not_found", location="path"
        )
    now = ports.clock()
    assignments = [
        a
        for a in await ports.setup.search("assignment", {"round_id": round_id})
        if isinstance(a, Assignment)
    ]
    received = await ports.read.received([round_id])
    due = reminders_now(round_, assignments, received, thai_today(now), unit_codes)
    reminded = 0
    for manual in due:
        r = manual.reminder
        event = ReminderDue(
            round_id=r.round_id,
            form_id=r.form_id,
            unit_code=r.unit_code,
            due_on=r.due_on,
            days_overdue=r.days_overdue,
            slot=r.slot,
        )
        envelope = make_envelope(
            event,
            producer=PRODUCER,
            correlation_id=f"remind-now-{by}",
            event_id=derived_event_id("reminder", manual.key),
        )
        if await ports.reminder_log.claim(manual.key, envelope, now):
            await announce(ports.publish, ports.reminder_log.outbox, manual.key, envelope)
            reminded += 1
    return {"reminded": reminded, "already_today": len(due) - reminded}
