"""Contracts of the evaluation service."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.base import INT64_MAX, Contract, Int64


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class LevelOut(_Part):
    position: Int64
    label_th: str
    label_en: str
    score: Decimal


class NodeOut(_Part):
    """A dimension, criterion or sub-criterion's rolled-up score for one subject."""

    code: str
    path: str
    title_th: str
    depth: Int64
    weight: Decimal
    score: Decimal | None
    level: LevelOut | None


class CriterionOut(_Part):
    """A criterion's assessors, agreement and proposal for one subject."""

    code: str
    path: str
    title_th: str
    levels: dict[str, Int64] = Field(description="Submitted level position by assessor.")
    score: Decimal | None
    level: LevelOut | None
    assessors: Int64
    spread: Int64
    stdev: Decimal
    proposed_level: LevelOut | None = None
    proposed_achievement: Decimal | None = None
    overrides: dict[str, str] = Field(
        default_factory=dict, description="Assessors' reasons for another level than proposed."
    )


class SubjectOut(_Part):
    subject: str = Field(description="A project or unit code.")
    name_th: str
    total: Decimal | None
    level: LevelOut | None
    nodes: tuple[NodeOut, ...]
    criteria: tuple[CriterionOut, ...]


class DiscussedOut(_Part):
    criterion_code: str
    subject: str
    spread: Int64
    note_th: str


class RecommendationOut(_Part):
    unit_code: str
    unit_name_th: str
    text_th: str


class EvaluationFinalised(Contract):
    """A finalised evaluation: everything its report needs, frozen."""

    ROUTING_KEY = "evaluation.finalised.v1"

    evaluation_id: str
    evaluation_type: str = Field(examples=["action_plan"])
    fiscal_year: Int64
    title_th: str
    framework_id: str
    framework_version: Int64
    framework_title_th: str
    aggregation: str = Field(examples=["mean"])
    scale: tuple[LevelOut, ...]
    subject_kind: str = Field(examples=["project", "unit"])
    subjects: tuple[SubjectOut, ...]
    total: Decimal | None = Field(description="Mean of the subjects' totals, half-up 2 dp.")
    level: LevelOut | None
    discussed: tuple[DiscussedOut, ...] = ()
    strengths_th: tuple[str, ...] = ()
    improvements_th: tuple[str, ...] = ()
    recommendations: tuple[RecommendationOut, ...] = ()
    finalisation: int = Field(
        ge=1, le=INT64_MAX, description="1 the first time, then one more per reopening."
    )
    finalised_by: str
    finalised_at: datetime


class EvaluationReopened(Contract):
    """A finalised evaluation was reopened: its results are no longer final."""

    ROUTING_KEY = "evaluation.reopened.v1"

    evaluation_id: str
    fiscal_year: Int64
    reason_th: str
    reopened_by: str
    reopened_at: datetime


class RecommendationOverdue(Contract):
    """An inspector's recommendation is past its due date; announced once per due date."""

    ROUTING_KEY = "recommendation.overdue.v1"

    recommendation_id: str
    inspection_id: str
    responsible_unit: str
    due_on: date
    days_overdue: int = Field(ge=1, le=INT64_MAX)


class ProgressNoteOut(_Part):
    at: datetime
    by: str
    note_th: str
    evidence: tuple[str, ...] = ()


class InspectionRecommendationOut(_Part):
    recommendation_id: str
    text_th: str
    responsible_unit: str
    due_on: date
    status: str = Field(examples=["open", "in_progress", "done", "not_applicable"])
    status_th: str
    status_reason_th: str | None = None
    done_on: date | None = None
    progress: tuple[ProgressNoteOut, ...] = ()
    overdue: bool | None = None
    days_overdue: Int64 | None = None


class InspectionIssueOut(_Part):
    issue_code: str
    title_th: str
    findings_th: str | None = None
    recommendations: tuple[InspectionRecommendationOut, ...] = ()


class InspectionReportUpdated(Contract):
    """An inspection's report data after any change: every issue with its follow-up."""

    ROUTING_KEY = "inspection-report.updated.v1"

    inspection_id: str
    fiscal_year: Int64
    kind: str
    kind_th: str
    round_no: Int64
    title_th: str
    inspected_on: date
    inspectors_th: tuple[str, ...] = ()
    as_of: date
    issues: tuple[InspectionIssueOut, ...] = ()
    counts: dict[str, Int64 | None]
    complete: bool
    updated_at: datetime


class EvaluationCopiesRequested(Contract):
    """A service rebuilding its copies asks evaluation to announce every finalised
    evaluation and inspection report again (reporting sends it at start)."""

    ROUTING_KEY = "evaluation-copies.resend-requested.v1"
    KIND = "request"

    requested_by: str
    request_id: str
