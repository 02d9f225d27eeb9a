"""Contracts of the intake service: submissions in, answers out."""

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, ConfigDict, Field

from shared.contracts.base import INT64_MAX, Contract, Int64
from shared.contracts.form_values import (
    SUBMITTED_EXAMPLE,
    FormValues,
    NormalisedValues,
)

UNIT_CODE = r"^[0-9A-Za-z._-]{1,32}$"
ROUND_ID = r"^[0-9]{4}-[A-Za-z0-9_-]{1,24}$"

Channel = Literal["http", "amqp", "bulk"]


class SubmissionSubmitted(Contract):
    """A progress report (รายงานผลการดำเนินงาน) published by another system."""

    ROUTING_KEY = "submission.submitted.v1"
    KIND = "request"
    ANSWERED_BY = ("submission.accepted.v1", "submission.rejected.v1")
    model_config = ConfigDict(json_schema_extra={"examples": [SUBMITTED_EXAMPLE]})

    submission_key: str = Field(
        min_length=1,
        max_length=128,
        description="The publisher's own key; the same key twice is stored once.",
        examples=["school-system-000123"],
    )
    unit_code: str = Field(pattern=UNIT_CODE, examples=["1084200101"])
    round_id: str = Field(
        pattern=ROUND_ID, description="Fiscal year (BE) and round.", examples=["2570-Q1"]
    )
    form_id: str = Field(min_length=1, max_length=64, examples=["action-plan-progress"])
    form_version: int = Field(ge=1, le=INT64_MAX, examples=[1])
    submitted_at: AwareDatetime
    submitter: str = Field(min_length=1, max_length=200, examples=["ครูสมศรี ใจดี (ผู้รายงาน)"])
    values: FormValues


class SubmissionAccepted(Contract):
    """A submission (or a correction of it) was validated and stored; the latest counts."""

    ROUTING_KEY = "submission.accepted.v1"

    submission_id: str = Field(
        description="One per (unit, round, form): a correction keeps it and adds a version."
    )
    submission_key: str
    unit_code: str
    round_id: str
    form_id: str
    form_version: Int64
    submitted_at: datetime
    accepted_at: datetime
    channel: Channel
    late: bool = Field(False, description="Received after the round's due date.")
    version: int = Field(
        1, ge=1, le=INT64_MAX, description="1 for the first report, 2… for corrections."
    )
    submitter: str | None = None
    values: NormalisedValues = Field(default_factory=dict)


class Reason(Contract):
    """Why a submission was rejected: which field, a stable code, a message for people."""

    field: str = Field(examples=["values.projects.P01.budget_spent"])
    code: str = Field(examples=["rule_failed"])
    message: str = Field(examples=["งบประมาณที่ใช้เกินงบที่ได้รับจัดสรร (rule failed)"])


class SubmissionRejected(Contract):
    """A submission was not accepted; nothing was stored but the answer."""

    ROUTING_KEY = "submission.rejected.v1"

    submission_key: str | None = Field(description="Absent when the publisher sent none.")
    unit_code: str | None = None
    round_id: str | None = None
    form_id: str | None = None
    rejected_at: datetime
    channel: Channel
    reasons: list[Reason] = Field(min_length=1)


ReviewAction = Literal["approved", "returned", "reopened"]


class SubmissionReviewed(Contract):
    """A reviewer approved a submission, returned it for correction, or reopened it."""

    ROUTING_KEY = "submission.reviewed.v1"

    submission_id: str
    unit_code: str
    round_id: str
    form_id: str
    version: int = Field(ge=1, le=INT64_MAX, description="The version the action applies to.")
    action: ReviewAction
    reviewer: str = Field(min_length=1, max_length=200)
    comment: str | None = Field(None, max_length=2000)
    reviewed_at: datetime


class ReplayRequested(Contract):
    """Asks intake to republish every stored submission event, to rebuild read models
    (monitoring's replay command sends it)."""

    ROUTING_KEY = "submission.replay-requested.v1"
    KIND = "request"

    requested_by: str
    request_id: str
