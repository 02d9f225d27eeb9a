"""Contracts of the reporting service: a report is requested, then rendered or failed."""

from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.contracts.base import INT64_MAX, Contract
from shared.contracts.setup import CODE

ReportType = Literal["annual", "round", "rates", "evaluation", "inspection", "quarter_export"]
ReportFormat = Literal["pdf", "xlsx", "docx", "csv"]


class ReportRequested(Contract):
    """Render a report; the same `request_id` twice gives the same artifact."""

    ROUTING_KEY = "report.requested.v1"
    KIND = "request"
    ANSWERED_BY = ("report.rendered.v1", "report.failed.v1")
    MATCHED_BY = "data.request_id"  # answers carry the correlation id report-<request_id>

    request_id: str = Field(pattern=CODE, description="The requester's key; idempotent.")
    report_type: ReportType
    format: ReportFormat
    fiscal_year: int | None = Field(None, ge=2500, le=2800, description="annual, quarter_export.")
    round_id: str | None = Field(None, description="round, rates.")
    evaluation_id: str | None = Field(None, description="evaluation.")
    inspection_id: str | None = Field(None, description="inspection.")
    quarter: int | None = Field(None, ge=1, le=4, description="quarter_export.")
    thai_digits: bool = False
    requested_by: str = Field(min_length=1, max_length=200)
    requested_at: datetime


class ReportRendered(Contract):
    """A report's artifact is stored and can be downloaded."""

    ROUTING_KEY = "report.rendered.v1"

    request_id: str
    report_type: ReportType
    format: ReportFormat
    file_name: str = Field(examples=["รายงานผลการติดตาม-2570-Q1.pdf"])
    content_type: str
    size: int = Field(ge=0, le=INT64_MAX)
    sha256: str
    rendered_at: datetime


class ReportFailed(Contract):
    """A report could not be rendered; `reason` says why. The request is kept."""

    ROUTING_KEY = "report.failed.v1"

    request_id: str
    report_type: ReportType
    format: ReportFormat
    reason: str
    failed_at: datetime
