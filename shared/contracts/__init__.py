"""Versioned contracts, one module per owning service: an event lives with the service that
publishes it, a request with the service that answers it (`setup` is monitoring's)."""

from shared.contracts.base import Contract, Envelope, derived_event_id, make_envelope
from shared.contracts.evaluation import (
    EvaluationCopiesRequested,
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
    ProgressCopiesRequested,
    ProjectProgressUpdated,
    RatesUpdated,
    ReminderDue,
    RoundProgressUpdated,
)
from shared.contracts.notifier import DeliveryDue
from shared.contracts.reporting import (
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
    ProgressCopiesRequested,
    EvaluationCopiesRequested,
    SetupChanged,
    SetupResendRequested,
    DeliveryDue,
)

__all__ = [
    "ALL_CONTRACTS",
    "Contract",
    "DeliveryDue",
    "Envelope",
    "EscalationDue",
    "EvaluationCopiesRequested",
    "EvaluationFinalised",
    "EvaluationReopened",
    "InspectionReportUpdated",
    "ProblemUpdated",
    "ProgressCopiesRequested",
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
