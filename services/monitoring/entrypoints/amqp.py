"""AMQP entrypoint: what monitoring consumes and publishes, as two tables."""

from services.monitoring.handlers import setup
from services.monitoring.handlers.ports import MonitoringPorts
from services.monitoring.handlers.progress import record_accepted, record_rejected, record_review
from services.monitoring.handlers.refresh import resend_copies
from shared.contracts import Envelope
from shared.contracts.intake import (
    ReplayRequested,
    SubmissionAccepted,
    SubmissionRejected,
    SubmissionReviewed,
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
from shared.contracts.setup import SetupChanged, SetupResendRequested
from shared.platform.kit import Consumes, Publishes


async def on_submission_accepted(
    envelope: Envelope[SubmissionAccepted], ports: MonitoringPorts
) -> None:
    """Counts an accepted submission into its round's progress; its unit's rates, project
    progress and problems are recomputed and announced."""
    await record_accepted(envelope, ports)


async def on_submission_rejected(
    envelope: Envelope[SubmissionRejected], ports: MonitoringPorts
) -> None:
    """Counts a rejected attempt into its round's progress."""
    await record_rejected(envelope, ports)


async def on_submission_reviewed(
    envelope: Envelope[SubmissionReviewed], ports: MonitoringPorts
) -> None:
    """Notes a submission's approval, return or reopening; its unit's rates follow."""
    await record_review(envelope, ports)


async def on_setup_resend_requested(
    envelope: Envelope[SetupResendRequested], ports: MonitoringPorts
) -> None:
    """Republishes the set-up changed after the revision a copy holds."""
    await setup.resend(envelope.data.after_revision, ports, envelope.correlation_id)


async def on_progress_copies_requested(
    envelope: Envelope[ProgressCopiesRequested], ports: MonitoringPorts
) -> None:
    """Announces every round's rates, project progress and problems again (a copy of them
    is being rebuilt)."""
    await resend_copies(ports)


CONSUMES: Consumes[MonitoringPorts] = {
    SubmissionAccepted: on_submission_accepted,
    SubmissionRejected: on_submission_rejected,
    SubmissionReviewed: on_submission_reviewed,
    SetupResendRequested: on_setup_resend_requested,
    ProgressCopiesRequested: on_progress_copies_requested,
}

PUBLISHES: Publishes = (
    RoundProgressUpdated,
    RatesUpdated,
    ProjectProgressUpdated,
    ProblemUpdated,
    ReminderDue,
    EscalationDue,
    SetupChanged,
    ReplayRequested,  # sent by the replay command (`python -m services.monitoring.replay`)
)
