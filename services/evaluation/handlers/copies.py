"""Copies between services: what evaluation keeps of monitoring's state, what it asks for at
start, and what it announces again when a service rebuilding its copies asks."""

import uuid

from services.evaluation.handlers import inspections
from services.evaluation.handlers.finalise import republish_finals
from services.evaluation.handlers.ports import PRODUCER, EvaluationPorts
from shared.contracts import make_envelope
from shared.contracts.monitoring import ProgressCopiesRequested, ProjectProgressUpdated
from shared.platform.replica import request_setup


async def keep_project_progress(data: ProjectProgressUpdated, ports: EvaluationPorts) -> None:
    """Keep a project's progress in a round; the newest state per round and project wins.

    Criteria linked to indicators propose levels from the latest cumulative achievement of
    the fiscal year."""
    key = f"{data.round_id}:{data.project_code}"
    await ports.progress.keep(key, data.model_dump(mode="json"), data.updated_at)


async def request_copies(ports: EvaluationPorts) -> None:
    """Before consuming: ask for the set-up after the revision held and, when the copy of
    project progress is empty (a new or emptied database), for monitoring's copies."""
    await request_setup(PRODUCER, ports.setup, ports.publish)
    if await ports.progress.empty():
        request_id = uuid.uuid4().hex
        await ports.publish(
            make_envelope(
                ProgressCopiesRequested(requested_by=PRODUCER, request_id=request_id),
                producer=PRODUCER,
                correlation_id=f"copies-{request_id}",
            )
        )


async def resend_copies(ports: EvaluationPorts) -> None:
    """Announce every finalised evaluation and every inspection report again."""
    await republish_finals(ports)
    await ports.inspections.mark_all_unannounced()
    await inspections.announce_reports(ports)
