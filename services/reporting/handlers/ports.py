"""What reporting's use cases need from the outside world: one `ReportingPorts`."""

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from services.reporting.domain.document import Document
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.round_page import RoundPage
from shared.contracts import Envelope
from shared.contracts.monitoring import RoundProgressUpdated
from shared.platform.audit import AuditTrail
from shared.platform.credentials import CredentialStore
from shared.platform.outbox import Outbox, Publish
from shared.platform.replica import SetupCopy

NAME = "reporting"  # the service: its queues, its database, the producer of its events


class RoundPageStore(Protocol):
    """Each unit's counts per round, and the rendered round page (MongoReportStore)."""

    async def merge_progress(self, progress: RoundProgressUpdated) -> None: ...
    async def round_rows(self, round_id: str) -> list[dict[str, Any]]: ...
    async def save_report(self, report_id: str, html: str, made_at: datetime) -> None: ...
    async def get_report(self, report_id: str) -> dict[str, Any] | None: ...


class KeptCopy(Protocol):
    """One copy of another service's published state, the newest per key (LatestCopies)."""

    async def keep(self, key: str, state: dict[str, Any], at: Any) -> None: ...


class CopiesView(Protocol):
    """Reporting's copies read back: a snapshot for a report, and what a request names."""

    async def snapshot(self, made_on: date) -> ReportData: ...
    async def has_round(self, round_id: str) -> bool: ...
    async def has_fiscal_year(self, fiscal_year: int) -> bool: ...
    async def has_final_evaluation(self, evaluation_id: str) -> bool: ...
    async def has_inspection(self, inspection_id: str) -> bool: ...


class ArtifactStore(Protocol):
    """Report requests with their status and rendered files; an outcome is stored with its
    event in the platform's outbox (`outbox`)."""

    outbox: Outbox

    async def add(self, request: Mapping[str, Any]) -> tuple[dict[str, Any], bool]: ...
    async def get(self, request_id: str) -> dict[str, Any] | None: ...
    async def claim(self, now: datetime, lease: timedelta) -> dict[str, Any] | None: ...
    async def put_artifact(
        self, request_id: str, content: bytes, file_name: str, content_type: str
    ) -> dict[str, Any]: ...
    async def finish(
        self, request_id: str, fields: Mapping[str, Any], event: Envelope[Any]
    ) -> None: ...
    async def requeue(self, request_id: str) -> None: ...
    async def recent(self, limit: int = 50) -> list[dict[str, Any]]: ...
    async def artifact(self, request_id: str) -> bytes | None: ...


Renderers = Mapping[str, Callable[[Document], bytes]]
"""A renderer per format: a document in, the file's bytes out."""


@dataclass
class ReportingPorts:
    """Everything reporting's use cases reach outside themselves."""

    reports: RoundPageStore
    render_round: Callable[[RoundPage], str]
    setup: SetupCopy
    rates: KeptCopy
    projects: KeptCopy
    problems: KeptCopy
    evaluations: KeptCopy
    inspections: KeptCopy
    copies: CopiesView
    artifacts: ArtifactStore
    publish: Publish
    renderers: Renderers
    credentials: CredentialStore | None = None
    audit: AuditTrail | None = None  # who wrote what (None in unit tests)
    wake: asyncio.Event = field(default_factory=asyncio.Event)  # a request is queued
