"""Versioned event contracts; one module per producing service."""

from shared.contracts.base import Contract, Envelope, derived_event_id, make_envelope
from shared.contracts.evaluation import (
    EvaluationFinalised,
    EvaluationReopened,
    InspectionReportUpdated,
    RecommendationOverdue,
)
from shared.contracts.intake import (
    ReplayRequested,
    SubmissionAccepted,
    SubmissionRejected,
    SubmissionReviewed,
    SubmissionSubmitted,
)
from shared.contracts.monitoring import (
    EscalationDue,
    ProblemUpdated,
    ProjectProgressUpdated,
    RatesUpdated,
    ReminderDue,
    RoundProgressUpdated,
)
from shared.contracts.reporting import (
    CopiesResendRequested,
    ReportFailed,
    ReportRendered,
    ReportRequested,
)
from shared.contracts.setup import SetupChanged, SetupResendRequested

ALL_CONTRACTS: tuple[type[Contract], ...] = (
    SubmissionSubmitted,
    SubmissionAccepted,
    SubmissionRejected,
    SubmissionReviewed,
    RoundProgressUpdated,
    RatesUpdated,
    ProjectProgressUpdated,
    ProblemUpdated,
    ReminderDue,
    EscalationDue,
    ReplayRequested,
    EvaluationFinalised,
    EvaluationReopened,
    RecommendationOverdue,
    InspectionReportUpdated,
    ReportRequested,
    ReportRendered,
    ReportFailed,
    CopiesResendRequested,
    SetupChanged,
    SetupResendRequested,
)

__all__ = [
    "ALL_CONTRACTS",
    "Contract",
    "CopiesResendRequested",
    "Envelope",
    "EscalationDue",
    "EvaluationFinalised",
    "EvaluationReopened",
    "InspectionReportUpdated",
    "ProblemUpdated",
    "ProjectProgressUpdated",
    "RatesUpdated",
    "RecommendationOverdue",
    "ReminderDue",
    "ReplayRequested",
    "ReportFailed",
    "ReportRendered",
    "ReportRequested",
    "RoundProgressUpdated",
    "SetupChanged",
    "SetupResendRequested",
    "SubmissionAccepted",
    "SubmissionRejected",
    "SubmissionReviewed",
    "SubmissionSubmitted",
    "derived_event_id",
    "make_envelope",
]
