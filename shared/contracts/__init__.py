"""Versioned event contracts; one module per producing service."""

from shared.contracts.base import Contract, Envelope, derived_event_id, make_envelope
from shared.contracts.evaluation import ScoreRecorded
from shared.contracts.intake import (
    SubmissionAccepted,
    SubmissionRejected,
    SubmissionReviewed,
    SubmissionSubmitted,
)
from shared.contracts.monitoring import RoundProgressUpdated
from shared.contracts.setup import SetupChanged, SetupResendRequested

ALL_CONTRACTS: tuple[type[Contract], ...] = (
    SubmissionSubmitted,
    SubmissionAccepted,
    SubmissionRejected,
    SubmissionReviewed,
    RoundProgressUpdated,
    ScoreRecorded,
    SetupChanged,
    SetupResendRequested,
)

__all__ = [
    "ALL_CONTRACTS",
    "Contract",
    "Envelope",
    "RoundProgressUpdated",
    "ScoreRecorded",
    "SetupChanged",
    "SetupResendRequested",
    "SubmissionAccepted",
    "SubmissionRejected",
    "SubmissionReviewed",
    "SubmissionSubmitted",
    "derived_event_id",
    "make_envelope",
]
