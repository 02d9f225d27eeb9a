"""Versioned event contracts; one module per producing service."""

from shared.contracts.base import Contract, Envelope, derived_event_id, make_envelope
from shared.contracts.evaluation import ScoreRecorded
from shared.contracts.intake import SubmissionAccepted, SubmissionRejected, SubmissionSubmitted
from shared.contracts.monitoring import RoundProgressUpdated

ALL_CONTRACTS: tuple[type[Contract], ...] = (
    SubmissionSubmitted,
    SubmissionAccepted,
    SubmissionRejected,
    RoundProgressUpdated,
    ScoreRecorded,
)

__all__ = [
    "ALL_CONTRACTS",
    "Contract",
    "Envelope",
    "RoundProgressUpdated",
    "ScoreRecorded",
    "SubmissionAccepted",
    "SubmissionRejected",
    "SubmissionSubmitted",
    "derived_event_id",
    "make_envelope",
]
