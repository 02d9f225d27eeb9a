"""Contracts of the monitoring service."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.base import INT64_MAX, Contract, Int64


class RoundProgressUpdated(Contract):
    """What a unit has reported in a round so far; counts only ever grow."""

    ROUTING_KEY = "progress.updated.v1"

    round_id: str
    unit_code: str
    received: int = Field(ge=0, le=INT64_MAX, description="Distinct accepted submissions.")
    rejected: int = Field(ge=0, le=INT64_MAX, description="Rejected attempts.")
    late: int = Field(ge=0, le=INT64_MAX, description="Accepted after the due date.")
    updated_at: datetime


class Rates(BaseModel):
    """Reporting rate of a scope: only expected units count, so the rate never exceeds 100%."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    expected: int = Field(ge=0, le=INT64_MAX)
    received: int = Field(ge=0, le=INT64_MAX, description="Expected units that reported.")
    on_time: int = Field(ge=0, le=INT64_MAX)
    late: int = Field(ge=0, le=INT64_MAX)
    missing: int = Field(ge=0, le=INT64_MAX)
    approved: int = Field(ge=0, le=INT64_MAX)
    returned: int = Field(ge=0, le=INT64_MAX)
    pending_review: int = Field(ge=0, le=INT64_MAX)
    unexpected: int = Field(
        0, ge=0, le=INT64_MAX, description="Reported without being expected; not in the rate."
    )
    rate: Decimal | None = Field(None, description="received / expected × 100, half-up, 2 dp.")
    on_time_rate: Decimal | None = None


class RatesUpdated(Contract):
    """Reporting rates of a unit, group or office for a round and form, with its lists."""

    ROUTING_KEY = "rates.updated.v1"

    round_id: str
    form_id: str
    scope_code: str
    scope_type: str = Field(examples=["office", "group", "school"])
    rates: Rates
    late_units: tuple[str, ...] = ()
    missing_units: tuple[str, ...] = ()
    updated_at: datetime


class IndicatorProgress(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    code: str
    name_th: str
    unit_of_measure: str
    direction: str
    round_actual: Decimal | None = None
    cumulative_actual: Decimal | None = None
    target: Decimal | None = None
    achievement: Decimal | None = Field(None, description="% of target reached, half-up, 2 dp.")
    status: str = Field(examples=["on_track", "at_risk", "off_track", "no_data"])


class ProjectProgressUpdated(Contract):
    """A project's progress in a round: activities, budget and indicators against targets."""

    ROUTING_KEY = "project-progress.updated.v1"

    project_code: str
    round_id: str
    units_reporting: int = Field(ge=0, le=INT64_MAX)
    activity_counts: dict[str, Int64] = Field(description="Reports per activity status.")
    units_with_problems: int = Field(0, ge=0, le=INT64_MAX)
    units_with_suggestions: int = Field(0, ge=0, le=INT64_MAX)
    allocated_satang: int = Field(ge=0, le=INT64_MAX)
    spent_satang: int | None = Field(
        None, ge=0, le=INT64_MAX, description="Spent to date; None: not reported."
    )
    disbursement_rate: Decimal | None = None
    expected_disbursement: Decimal | None = None
    budget_status: str
    indicators: tuple[IndicatorProgress, ...] = ()
    status: str
    updated_at: datetime


class ReminderDue(Contract):
    """A unit has not reported a form that was due; a notifier turns this into a message."""

    ROUTING_KEY = "reminder.due.v1"

    round_id: str
    form_id: str
    unit_code: str
    due_on: date
    days_overdue: int = Field(ge=0, le=INT64_MAX)
    slot: int = Field(
        ge=0, le=INT64_MAX, description="0 on the due date, then one per cadence; one each."
    )


class EscalationDue(Contract):
    """Units still missing N days after the due date, for the director."""

    ROUTING_KEY = "escalation.due.v1"

    round_id: str
    form_id: str
    units: tuple[str, ...]
    days_overdue: int = Field(ge=0, le=INT64_MAX)
    slot: int = Field(ge=0, le=INT64_MAX)


class ProblemUpdated(Contract):
    """A unit's problems and suggestions (ปัญหาอุปสรรคและข้อเสนอแนะ) in a round, as they now
    stand: reported, corrected, or marked resolved by the officer (then no longer carried
    into later rounds)."""

    ROUTING_KEY = "problem.updated.v1"

    problem_id: str = Field(examples=["2570-Q1:action-plan-progress:1084000820"])
    round_id: str
    form_id: str
    unit_code: str
    fiscal_year: Int64
    problems: str | None = None
    suggestions: str | None = None
    raised_at: datetime
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution_note: str | None = None
    updated_at: datetime


class ProgressCopiesRequested(Contract):
    """A service rebuilding its copies asks monitoring to announce every round's rates,
    project progress and problems again (reporting and evaluation send it at start)."""

    ROUTING_KEY = "progress-copies.resend-requested.v1"
    KIND = "request"

    requested_by: str
    request_id: str
