"""AMQP entrypoint: what evaluation consumes and publishes, as two tables."""

from services.evaluation.handlers.copies import keep_project_progress, resend_copies
from services.evaluation.handlers.ports import EvaluationPorts
from shared.contracts import Envelope
from shared.contracts.evaluation import (
    EvaluationCopiesRequested,
    EvaluationFinalised,
    EvaluationReopened,
    InspectionReportUpdated,
    RecommendationOverdue,
)
from shared.contracts.monitoring import ProgressCopiesRequested, ProjectProgressUpdated
from shared.contracts.setup import SetupChanged, SetupResendRequested
from shared.platform.kit import Consumes, Publishes
from shared.platform.replica import on_setup_changed


async def on_project_progress_updated(
    envelope: Envelope[ProjectProgressUpdated], ports: EvaluationPorts
) -> None:
    """Keeps indicator achievements to propose levels for linked criteria."""
    await keep_project_progress(envelope.data, ports)


async def on_evaluation_copies_requested(
    envelope: Envelope[EvaluationCopiesRequested], ports: EvaluationPorts
) -> None:
    """Announces every finalised evaluation and inspection report again."""
    await resend_copies(ports)


CONSUMES: Consumes[EvaluationPorts] = {
    ProjectProgressUpdated: on_project_progress_updated,
    EvaluationCopiesRequested: on_evaluation_copies_requested,
    SetupChanged: on_setup_changed,
}

PUBLISHES: Publishes = (
    EvaluationFinalised,
    EvaluationReopened,
    InspectionReportUpdated,
    RecommendationOverdue,
    SetupResendRequested,
    ProgressCopiesRequested,
)
