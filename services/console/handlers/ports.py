"""What the console's use cases reach outside themselves."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from services.console.domain.accounts import Account
from services.console.domain.signin import Throttle
from shared.contracts.setup import SetupModel
from shared.platform.identity import Person
from shared.platform.outbox import Publish


class AccountStore(Protocol):
    async def add(self, account: Account, password_hash: str) -> bool: ...
    async def get(self, username: str) -> tuple[Account, str] | None: ...
    async def all(self) -> list[Account]: ...
    async def count(self) -> int: ...
    async def change(self, username: str, fields: dict[str, Any], by: str, what: str) -> bool: ...
    async def set_password_hash(self, username: str, password_hash: str) -> None: ...
    async def open_session(self, username: str, now: datetime) -> tuple[str, str]: ...
    async def session(self, cookie: str, now: datetime) -> tuple[str, str] | None: ...
    async def close_session(self, cookie: str) -> None: ...
    async def close_sessions_of(self, username: str) -> None: ...
    async def failures(self, username: str, address: str, since: datetime) -> list[datetime]: ...
    async def record_failure(self, username: str, address: str, now: datetime) -> None: ...
    async def clear_failures(self, username: str, address: str) -> None: ...


class Passwords(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str | None, password: str) -> bool:
        """False for a wrong password; an unknown account (None) takes as long."""
        ...


class ServiceApi(Protocol):
    """One service's HTTP API, called on a person's behalf (their signed token)."""

    async def request(
        self, method: str, path: str, person: Person, **options: Any
    ) -> httpx.Response: ...


class SetupCopy(Protocol):
    """The console's copy of monitoring's set-up (names, groups, rounds, projects)."""

    async def apply(self, change: Any) -> bool: ...
    async def latest_revision(self) -> int: ...
    async def get(self, kind: str, key: str) -> SetupModel | None: ...
    async def search(self, kind: str, where: dict[str, Any] | None = None) -> list[SetupModel]: ...


class Live(Protocol):
    """Open pages waiting for news of a round (server-sent events)."""

    def notify(self, topic: str) -> None: ...
    def listen(self) -> AsyncIterator[str]: ...


class DraftStore(Protocol):
    """Reporters' drafts (adapters.drafts): what was typed, and the submission key."""

    async def get(self, unit_code: str, round_id: str, form_id: str) -> dict[str, Any] | None: ...
    async def open(
        self, unit_code: str, round_id: str, form_id: str, start: dict[str, Any], now: datetime
    ) -> dict[str, Any]: ...
    async def keep(self, _id: str, changes: dict[str, Any], by: str, now: datetime) -> None: ...
    async def submitted(self, _id: str, key: str, values: Any, by: str, now: datetime) -> None: ...


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ConsolePorts:
    accounts: AccountStore
    passwords: Passwords
    setup: SetupCopy
    publish: Publish
    monitoring: ServiceApi
    intake: ServiceApi
    evaluation: ServiceApi
    reporting: ServiceApi
    live: Live
    throttle: Throttle = field(default_factory=Throttle)
    clock: Callable[[], datetime] = _now
    drafts: DraftStore | None = None  # the reporters' pages need it; set by bootstrap
