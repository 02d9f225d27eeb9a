"""What the notifier's use cases need from the outside world: one `NotifierPorts`."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from services.notifier.domain.deliveries import Sent, Start
from services.notifier.domain.digests import Message
from services.notifier.domain.notices import Notice
from shared.contracts import Envelope
from shared.contracts.notifier import Channel, DeliveryDue
from shared.contracts.setup import SetupChanged, SetupModel
from shared.platform.outbox import Outbox, Publish

NAME = "notifier"  # the service: its queues, its database, the producer of its requests


class SetupView(Protocol):
    """The notifier's copy of the set-up (SetupReplica)."""

    async def apply(self, change: SetupChanged) -> bool: ...
    async def latest_revision(self) -> int: ...
    async def get(self, kind: str, key: str) -> SetupModel | None: ...
    async def search(self, kind: str, where: dict[str, Any] | None = None) -> list[SetupModel]: ...


class NoticeStore(Protocol):
    """Notices waiting for their unit's digest (MongoNotices)."""

    async def add(self, notice: Notice) -> bool: ...
    async def waiting_units(self, made_before: datetime) -> list[str]: ...
    async def waiting(self, unit_code: str) -> list[Notice]: ...
    async def of_digest(self, digest_id: str) -> list[Notice]: ...
    async def mark(self, keys: list[str], digest_id: str) -> None: ...


class DigestStore(Protocol):
    """One claim per digest, holding its deliveries' requests in the outbox (MongoDigests)."""

    outbox: Outbox

    async def exists(self, digest_id: str) -> bool: ...
    async def claim(
        self, digest: dict[str, Any], events: list[Envelope[Any]], now: datetime
    ) -> bool: ...
    async def unmarked(self) -> list[dict[str, Any]]: ...
    async def marked(self, digest_id: str) -> None: ...


class DeliveryStore(Protocol):
    """Each delivery's state and every attempt with the provider's answer (MongoDeliveries)."""

    async def start(self, due: DeliveryDue, now: datetime, lease_s: float) -> Start: ...
    async def sent(self, delivery_id: str, answer: str, now: datetime) -> None: ...
    async def failed(
        self, delivery_id: str, answer: str, now: datetime, give_up_after: int
    ) -> bool: ...
    async def recent(self, limit: int = 100) -> list[dict[str, Any]]: ...


class Sender(Protocol):
    """One channel to people (SmtpSender, LinePush): raises DeliveryFailed."""

    async def send(self, address: str, message: Message, key: str) -> Sent: ...


@dataclass(frozen=True)
class Delivering:
    """How the notifier delivers, from its settings."""

    console_url: str = "http://127.0.0.1:8000"
    digests_per_day: int = 1
    gather_s: float = 60.0  # a notice waits this long, so a burst goes in one digest
    lease_s: float = 120.0  # a claimed send not finished by then is taken over
    max_attempts: int = 5


@dataclass
class NotifierPorts:
    """Everything the notifier's use cases reach outside themselves."""

    setup: SetupView
    notices: NoticeStore
    digests: DigestStore
    deliveries: DeliveryStore
    senders: Mapping[Channel, Sender]
    publish: Publish
    delivering: Delivering = field(default_factory=Delivering)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
