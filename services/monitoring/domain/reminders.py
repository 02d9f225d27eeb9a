"""Reminders (แจ้งเตือน) to units that have not reported, and escalations to the office.

Time after a round's due date is cut into slots of `cadence_days`: slot 0 starts on the
due date, slot 1 one cadence later, and so on. A unit gets at most one reminder per slot,
ever: the reminder's key names the slot, and whoever sends it claims the key first. Only
the *current* slot is computed, so a scheduler that runs every few minutes sends each slot
once, and one that was down for days sends the current reminder, not a backlog.
Dates are Thai dates (Asia/Bangkok).
"""

from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.setup import Assignment, Round

Received = AbstractSet[tuple[str, str, str]]
"""(round_id, form_id, unit_code) of every submission received."""


class ReminderPolicy(BaseModel):
    """How often to remind, when to escalate, and whether to stop once a round closes."""

    model_config = ConfigDict(frozen=True)

    cadence_days: int = Field(3, ge=1, description="Remind on the due date, then every N days.")
    escalate_after_days: int = Field(7, ge=0, description="Escalate units this many days late.")
    stop_after_close: bool = Field(True, description="No reminders after the round closes.")


@dataclass(frozen=True)
class Reminder:
    """One unit, one form of one round, not yet reported, in one slot after the due date."""

    round_id: str
    form_id: str
    unit_code: str
    due_on: date
    days_overdue: int
    slot: int

    @property
    def key(self) -> str:
        """Idempotency key: one reminder per unit per slot, ever."""
        return f"{self.round_id}:{self.form_id}:{self.unit_code}:{self.slot}"


@dataclass(frozen=True)
class Escalation:
    """The units of one (round, form) that are at least `escalate_after_days` late."""

    round_id: str
    form_id: str
    units: tuple[str, ...]
    days_overdue: int
    slot: int

    @property
    def key(self) -> str:
        """Idempotency key: one escalation per (round, form) per slot, ever."""
        return f"{self.round_id}:{self.form_id}:escalation:{self.slot}"


@dataclass(frozen=True)
class _Overdue:
    round_: Round
    form_id: str
    units: tuple[str, ...]
    days_overdue: int
    slot: int


def _overdue(
    rounds: Iterable[Round],
    assignments: Iterable[Assignment],
    received: Received,
    today: date,
    policy: ReminderPolicy,
) -> list[_Overdue]:
    """Per (round, form) in its reminder window today: the assigned units not yet reported."""
    live = {
        r.round_id: r
        for r in rounds
        if r.due_on <= today and not (policy.stop_after_close and today > r.closes_on)
    }
    missing: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for a in assignments:
        if a.round_id in live and (a.round_id, a.form_id, a.unit_code) not in received:
            missing[(a.round_id, a.form_id)].add(a.unit_code)
    found = []
    for (round_id, form_id), units in sorted(missing.items()):
        round_ = live[round_id]
        days = (today - round_.due_on).days
        slot = days // policy.cadence_days
        found.append(_Overdue(round_, form_id, tuple(sorted(units)), days, slot))
    return found


def due_reminders(
    rounds: Iterable[Round],
    assignments: Iterable[Assignment],
    received: Received,
    today: date,
    policy: ReminderPolicy | None = None,
) -> list[Reminder]:
    """The current slot's reminder for every assigned unit that has not submitted."""
    return [
        Reminder(o.round_.round_id, o.form_id, unit, o.round_.due_on, o.days_overdue, o.slot)
        for o in _overdue(rounds, assignments, received, today, policy or ReminderPolicy())
        for unit in o.units
    ]


def due_escalations(
    rounds: Iterable[Round],
    assignments: Iterable[Assignment],
    received: Received,
    today: date,
    policy: ReminderPolicy | None = None,
) -> list[Escalation]:
    """The current slot's escalation per (round, form) with units past the threshold."""
    policy = policy or ReminderPolicy()
    return [
        Escalation(o.round_.round_id, o.form_id, o.units, o.days_overdue, o.slot)
        for o in _overdue(rounds, assignments, received, today, policy)
        if o.days_overdue >= policy.escalate_after_days
    ]


@dataclass(frozen=True)
class ManualReminder:
    """An officer's "remind now" for one unit: at most one per unit, form and day."""

    reminder: Reminder
    day: date

    @property
    def key(self) -> str:
        r = self.reminder
        return f"manual:{r.round_id}:{r.form_id}:{r.unit_code}:{self.day.isoformat()}"


def reminders_now(
    round_: Round,
    assignments: Iterable[Assignment],
    received: Received,
    today: date,
    units: Iterable[str] | None = None,
) -> list[ManualReminder]:
    """Every assigned unit of the round not yet reported (of `units`, if given), to remind
    today; before the due date too (a gentle nudge), never once the round has closed."""
    if today > round_.closes_on or today < round_.opens_on:
        return []
    wanted = set(units) if units is not None else None
    days = max(0, (today - round_.due_on).days)
    found = {
        (a.form_id, a.unit_code)
        for a in assignments
        if a.round_id == round_.round_id
        and (a.round_id, a.form_id, a.unit_code) not in received
        and (wanted is None or a.unit_code in wanted)
    }
    return [
        ManualReminder(Reminder(round_.round_id, form, unit, round_.due_on, days, 0), today)
        for form, unit in sorted(found)
    ]
