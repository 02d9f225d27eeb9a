"""Evaluation keeps monitoring's project progress: criteria linked to indicators propose
levels from the latest cumulative achievement of the fiscal year."""

from dataclasses import dataclass
from typing import Any, Protocol

from shared.contracts import Envelope
from shared.contracts.monitoring import ProjectProgressUpdated


class Copies(Protocol):
    async def keep(self, key: str, state: dict[str, Any], at: Any) -> None: ...


@dataclass
class ProgressPorts:
    projects: Copies


async def keep_project_progress(
    event: Envelope[ProjectProgressUpdated], ports: ProgressPorts
) -> None:
    """Keep a project's progress in a round; the newest state per round and project wins."""
    data = event.data
    key = f"{data.round_id}:{data.project_code}"
    await ports.projects.keep(key, data.model_dump(mode="json"), data.updated_at)
