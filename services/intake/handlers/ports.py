"""What intake's use cases need from the outside world."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from services.intake.domain.evidence import StoredEvidence
from services.intake.domain.review import Status
from shared.contracts import Envelope
from shared.contracts.setup import SetupModel


class SubmissionStore(Protocol):
    async def get(self, submission_id: str) -> dict[str, Any] | None: ...
    async def add_first(
        self, head: dict[str, Any], version: dict[str, Any], event: dict[str, Any]
    ) -> bool: ...
    async def add_version(
        self, submission_id: str, seen_count: int, version: dict[str, Any], event: dict[str, Any]
    ) -> bool: ...
    async def add_review(
        self,
        submission_id: str,
        was: Status,
        now: Status,
        review: dict[str, Any],
        event: dict[str, Any],
    ) -> bool: ...
    async def published(self, submission_id: str, event_id: str) -> None: ...
    def every(self) -> AsyncIterator[dict[str, Any]]: ...
    async def with_pending_events(
        self, older_than: timedelta, limit: int = 500
    ) -> list[dict[str, Any]]: ...


class SetupView(Protocol):
    """Intake's copy of the monitoring set-up."""

    async def get(self, kind: str, key: str) -> SetupModel | None: ...
    async def search(self, kind: str, where: dict[str, Any] | None = None) -> list[SetupModel]: ...


class EvidenceLookup(Protocol):
    async def info(self, evidence_id: str) -> StoredEvidence | None: ...


class Publish(Protocol):
    async def __call__(self, envelope: Envelope[Any], /) -> None: ...


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class IntakePorts:
    store: SubmissionStore
    setup: SetupView
    publish: Publish
    clock: Callable[[], datetime] = field(default=_now)
    evidence: EvidenceLookup | None = None
