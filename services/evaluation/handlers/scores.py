"""Evaluation's use cases: record a (placeholder) score whenever progress changes."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from services.evaluation.domain.scoring import level_of, placeholder_score
from shared.contracts import Envelope, derived_event_id, make_envelope
from shared.contracts.evaluation import ScoreRecorded
from shared.contracts.monitoring import ProjectProgressUpdated, RoundProgressUpdated

PRODUCER = "evaluation"


class ScoreStore(Protocol):
    async def merge_progress(self, progress: RoundProgressUpdated) -> dict[str, Any]:
        """Keep the highest counts seen (events may arrive out of order); return the row."""

    async def set_score(self, round_id: str, unit_code: str, score: int, level: str) -> None: ...


class Publish(Protocol):
    async def __call__(self, envelope: Envelope[Any], /) -> None: ...


class Copies(Protocol):
    async def keep(self, key: str, state: dict[str, Any], at: Any) -> None: ...


@dataclass
class EvaluationPorts:
    scores: ScoreStore
    publish: Publish
    projects: Copies | None = None


async def score_progress(
    event: Envelope[RoundProgressUpdated], ports: EvaluationPorts
) -> Envelope[Any]:
    """Score a unit's round from the latest counts and announce it."""
    row = await ports.scores.merge_progress(event.data)
    score = placeholder_score(row["received"], row["rejected"], row["late"])
    level = level_of(score)
    await ports.scores.set_score(event.data.round_id, event.data.unit_code, score, level)
    recorded = make_envelope(
        ScoreRecorded(
            round_id=event.data.round_id,
            unit_code=event.data.unit_code,
            score=score,
            level=level,
            recorded_at=datetime.now(UTC),
        ),
        producer=PRODUCER,
        correlation_id=event.correlation_id,
        event_id=derived_event_id("score", str(event.event_id)),
    )
    await ports.publish(recorded)
    return recorded


async def keep_project_progress(
    event: Envelope[ProjectProgressUpdated], ports: EvaluationPorts
) -> None:
    """Keep indicator achievements: criteria linked to indicators propose levels from them."""
    data = event.data
    if ports.projects is not None:
        key = f"{data.round_id}:{data.project_code}"
        await ports.projects.keep(key, data.model_dump(mode="json"), data.updated_at)
