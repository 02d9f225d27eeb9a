"""What intake's use cases need from the outside world."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from services.intake.domain.evidence import StoredEvidence
from services.intake.domain.review import Status
from shared.contracts import Envelope
from shared.contracts.setup import SetupModel
from shared.platform.audit import AuditTrail
from shared.platform.credentials import CredentialStore
from shared.platform.outbox import Outbox, Publish
from shared.platform.replica import SetupCopy


class SubmissionStore(Protocol):
    """Submissions: a head (status, version count, reviews) and each version on its own;
    each change carries its event in the platform's outbox (`outbox` for reviews,
    `version_outbox` for acceptances)."""

    outbox: Outbox
    version_outbox: Outbox

    @property
    def outboxes(self) -> tuple[Outbox, ...]: ...
    async def get(self, submission_id: str) -> dict[str, Any] | None: ...
    def last_seen(self, submission_id: str) -> dict[str, Any] | None:
        """The head's status and version count as last written or read (None: not seen);
        after `add_version` answers "taken" or "changed", as read just then."""

    async def version_of_key(
        self, submission_id: str, submission_key: str
    ) -> dict[str, Any] | None: ...
    async def history(self, submission_id: str) -> dict[str, Any] | None: ...
    async def add_version(
        self,
        head: dict[str, Any],
        seen: Status | None,
        version: dict[str, Any],
        event: Envelope[Any],
    ) -> Literal["stored", "repeat", "taken", "changed"]: ...
    async def add_review(
        self,
        submission_id: str,
        was: Status,
        now: Status,
        review: dict[str, Any],
        event: Envelope[Any],
    ) -> bool: ...
    def every(self) -> AsyncIterator[dict[str, Any]]: ...


class SetupView(SetupCopy, Protocol):
    """Intake's copy of the monitoring set-up."""

    async def get(self, kind: str, key: str) -> SetupModel | None: ...
    async def search(self, kind: str, where: dict[str, Any] | None = None) -> list[SetupModel]: ...


class EvidenceStore(Protocol):
    """Evidence files (MongoEvidenceStore, or a fake in unit tests)."""

    async def info(self, evidence_id: str) -> StoredEvidence | None: ...
    async def put(
        self,
        unit_code: str,
        filename: str,
        content_type: str,
        source: Any,
        *,
        max_bytes: int | None = None,
    ) -> StoredEvidence: ...
    async def open(self, evidence_id: str) -> AsyncIterator[bytes]: ...


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class IntakePorts:
    """Everything intake's use cases reach outside themselves."""

    store: SubmissionStore
    setup: SetupView
    publish: Publish
    clock: Callable[[], datetime] = field(default=_now)
    evidence: EvidenceStore | None = None
    credentials: CredentialStore | None = None
    audit: AuditTrail | None = None  # who wrote what (None in unit tests)
