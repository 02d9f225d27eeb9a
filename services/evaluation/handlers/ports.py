"""What evaluation's use cases need from the outside world: one set of ports."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from services.evaluation.domain.aggregation import Score
from services.evaluation.domain.evaluations import Evaluation
from services.evaluation.domain.frameworks import SEED_SCALES, Framework, Scale
from services.evaluation.domain.inspections import (
    InspectionIssue,
    InspectionRound,
    Recommendation,
)
from shared.contracts import Envelope
from shared.contracts.setup import SetupModel
from shared.platform.audit import AuditTrail
from shared.platform.claims import AnnouncementLog
from shared.platform.credentials import CredentialStore
from shared.platform.outbox import Outbox, Publish
from shared.platform.replica import SetupCopy

PRODUCER = "evaluation"  # the service its events name as their producer


class EvaluationStore(Protocol):
    """Evaluations and their scores; a change carries its events in the platform's outbox."""

    outbox: Outbox

    async def add(self, evaluation: Evaluation) -> bool: ...
    async def get(self, evaluation_id: str) -> Evaluation | None: ...
    async def replace(
        self, evaluation: Evaluation, read_revision: int, *events: Envelope[Any]
    ) -> bool: ...
    async def all(self, fiscal_year: int | None = None) -> list[Evaluation]: ...
    async def put_score(
        self, evaluation_id: str, score: Score, override_reason_th: str | None, at: datetime
    ) -> None: ...
    async def scores_of(
        self, evaluation_id: str, assessor_id: str | None = None
    ) -> list[tuple[Score, str | None]]: ...
    async def touch(self, evaluation_id: str) -> bool: ...


class FrameworkStore(Protocol):
    """Framework versions (MongoFrameworkStore, or a fake in unit tests)."""

    async def get(self, framework_id: str, version: int) -> Framework | None: ...
    async def versions(self, framework_id: str) -> list[Framework]: ...
    async def put(self, framework: Framework) -> bool: ...
    async def add(self, framework: Framework) -> bool: ...
    async def all(self) -> list[Framework]: ...


class InspectionStore(Protocol):
    """The inspection register (MongoInspectionStore, or a fake in unit tests).

    It also marks which inspections changed since their report was last announced
    (`unannounced`, `announced`): the report is computed from the whole register when it
    is announced, so what waits is "announce this inspection's current report", not an
    event stored with the change."""

    async def add_round(self, round_: InspectionRound) -> bool: ...
    async def round(self, inspection_id: str) -> InspectionRound | None: ...
    async def rounds_in(self, fiscal_year: int | None = None) -> list[InspectionRound]: ...
    async def add_issue(self, issue: InspectionIssue) -> bool: ...
    async def issues_of(self, inspection_id: str) -> list[InspectionIssue]: ...
    async def add_recommendation(self, rec: Recommendation) -> bool: ...
    async def recommendation(self, recommendation_id: str) -> Recommendation | None: ...
    async def put_recommendation(self, rec: Recommendation, previous: Recommendation) -> bool: ...
    async def recommendations_of(
        self, inspection_id: str, responsible_unit: str | None = None
    ) -> list[Recommendation]: ...
    async def recommendations_all(self) -> list[Recommendation]: ...
    async def unannounced(self) -> list[tuple[str, int]]: ...
    async def announced(self, inspection_id: str, changes: int) -> None: ...
    async def mark_all_unannounced(self) -> None: ...


class SetupView(SetupCopy, Protocol):
    """Evaluation's copy of the monitoring set-up."""

    async def get(self, kind: str, key: str) -> SetupModel | None: ...
    async def search(self, kind: str, where: dict[str, Any] | None = None) -> list[SetupModel]: ...


class ProgressCopy(Protocol):
    """Evaluation's copy of monitoring's project progress, the newest state per key."""

    async def keep(self, key: str, state: dict[str, Any], at: Any) -> None: ...
    async def all(self) -> list[dict[str, Any]]: ...
    async def empty(self) -> bool: ...


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class EvaluationPorts:
    """Everything evaluation's use cases reach outside themselves."""

    evaluations: EvaluationStore
    frameworks: FrameworkStore
    inspections: InspectionStore
    overdue: AnnouncementLog  # claims of overdue recommendations, announced once each
    setup: SetupView
    progress: ProgressCopy
    credentials: CredentialStore
    publish: Publish
    audit: AuditTrail | None = None  # who wrote what (None in unit tests)
    clock: Callable[[], datetime] = field(default=_now)
    scales: Mapping[str, Scale] = field(default_factory=lambda: SEED_SCALES)
